"""Test runner of the project: Odoo's test runner, then pytest.

Run through ``scripts/test``, which prepares the environment first.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from odoo_env import (
    DEPENDS,
    ODOO_PATH,
    RESULT_RE,
    ROOT,
    clone_db,
    drop_db,
    ensure_template,
    is_bad_line,
    odoo_test_cmd,
    template_name,
)

# Real databases have more apps: the tests tagged ``customer_crm_apps`` run in a
# second database that has these installed too (e.g. GDPR with CRM leads).
APPS = ["crm", "purchase"]
APPS_TAG = "customer_crm_apps"


def run_odoo_tests(args, db, tags, modules=DEPENDS):
    """Install customer_crm into a copy of the template with ``modules`` and
    run the tests ``tags``; returns (passed, failed)."""
    if args.fresh:
        drop_db(db)
    else:
        tpl = template_name(modules)
        ensure_template(tpl, modules)
        clone_db(tpl, db)
    log = Path(tempfile.gettempdir()) / f"{db}.log" if not args.log or db != args.db else Path(args.log)
    log.unlink(missing_ok=True)
    print(f"==> installing customer_crm into database {db} and running its tests (log: {log})", flush=True)
    # the template has the apps already: installing them again would reload their demo data, which
    # Purchase's is not made for (it rewrites the lines of a confirmed order)
    apps = modules[len(DEPENDS) :] if args.fresh else []
    cmd = odoo_test_cmd(db, tags, args.port, log, "-i", ",".join(["customer_crm", *apps]))
    rc = subprocess.run(cmd, check=False).returncode
    text = log.read_text(errors="replace") if log.exists() else ""
    bad = [line for line in text.splitlines() if is_bad_line(line)]
    for line in text.splitlines():
        if is_bad_line(line) or " FAIL: " in line or " ERROR: " in line:
            print("  " + line[:400])
    m = RESULT_RE.findall(text)
    if m:
        failed, errors, total = map(int, m[-1])
    else:
        failed, errors, total = 0, 0, 0
        bad.append("no test result line in the Odoo log")
    if rc:
        bad.append(f"odoo-bin exited with {rc}")
    failures = failed + errors
    if bad and not failures:
        failures = 1  # an install error or logged ERROR fails the run
    for reason in bad:
        if not is_bad_line(reason):
            print(f"  {reason}")
    passed = total - failed - errors
    print(f"==> Odoo ({db}): {passed} passed, {failed + errors} failed of {total} ({len(bad)} bad line(s) in the log)")
    if not args.keep and not bad and failures == 0:
        drop_db(db)
    return passed, failures


def run_pytest(args):
    print("==> pytest tests/", flush=True)
    report = Path(tempfile.gettempdir()) / f"pytest-{os.getpid()}.txt"
    env = dict(os.environ, ODOO_PATH=str(ODOO_PATH))
    rc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(ROOT / "tests"),
            "-q",
            "-rfE",
            "-p",
            "no:cacheprovider",
            f"--junitxml={report}",
        ],
        cwd=ROOT,
        env=env,
        check=False,
    ).returncode
    passed = failed = 0
    if report.exists():
        import xml.etree.ElementTree as ET

        suite = ET.parse(report).getroot()
        suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
        total = int(suite.get("tests", 0))
        failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped = int(suite.get("skipped", 0))
        passed = total - failed - skipped
        report.unlink()
    if rc not in (0, 5) and not failed:
        failed = 1
    return passed, failed


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=os.environ.get("CUSTOMER_CRM_TEST_DB", "customer_crm_test"))
    parser.add_argument(
        "--tags",
        default=f"/customer_crm,-{APPS_TAG}",
        help=f"Odoo --test-tags of the first run (default: /customer_crm,-{APPS_TAG})",
    )
    parser.add_argument(
        "--apps-tags",
        default=f"{APPS_TAG}/customer_crm",
        help=f"test tags of the second run, with {', '.join(APPS)} installed too ('' to skip it)",
    )
    parser.add_argument("--port", default=os.environ.get("CUSTOMER_CRM_TEST_PORT", "8169"))
    parser.add_argument("--log", help="Odoo log file")
    parser.add_argument("--keep", action="store_true", help="keep the test database")
    parser.add_argument("--fresh", action="store_true", help="install everything into an empty database, no template")
    parser.add_argument("--no-odoo", action="store_true", help="skip the Odoo tests (pytest only)")
    parser.add_argument("--no-pytest", action="store_true", help="skip pytest")
    args = parser.parse_args()
    if not (ODOO_PATH / "odoo-bin").is_file():
        sys.exit(f"error: no Odoo found at ODOO_PATH={ODOO_PATH} (looked for {ODOO_PATH}/odoo-bin)")
    passed = failed = 0
    if not args.no_odoo:
        runs = [(args.db, args.tags, DEPENDS)]
        if args.apps_tags:
            runs.append((f"{args.db}_apps", args.apps_tags, DEPENDS + APPS))
        for db, tags, modules in runs:
            if tags:
                p, f = run_odoo_tests(args, db, tags, modules)
                passed, failed = passed + p, failed + f
    if not args.no_pytest:
        p, f = run_pytest(args)
        passed, failed = passed + p, failed + f
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
