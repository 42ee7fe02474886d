"""Test runner of the project: Odoo's test runner, then pytest.

Run through ``scripts/test``, which prepares the environment first.
"""

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ODOO_PATH = Path(os.environ.get("ODOO_PATH", "/opt/odoo"))
DEPENDS = ["contacts", "sale_management", "account", "mail", "privacy_lookup"]
# Real databases have more apps: the tests tagged ``customer_crm_apps`` run in a
# second database that has these installed too (e.g. GDPR with CRM leads).
APPS = ["crm"]
APPS_TAG = "customer_crm_apps"
RESULT_RE = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
# Any WARNING, ERROR or CRITICAL line of the install and test log fails the run:
# an install logs no warning, and tests that provoke one on purpose mute it
# (``mute_logger``) or assert it (``assertLogs``).
BAD_LINE_RE = re.compile(r"^\S+ \S+ \d+ (WARNING|ERROR|CRITICAL) ")
# Errors only: for the benchmark and regression scripts, whose servers and
# Odoo tests log warnings of their own.
ERROR_LINE_RE = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ")
# Warnings of Odoo itself that a test run logs whatever the addon does, each
# matched narrowly, with the reason it is expected.
EXPECTED_WARNINGS = [
    (
        # Odoo's .pot exporter (test_i18n_export) runs Babel's extractors,
        # and Babel loads them through setuptools' deprecated pkg_resources.
        re.compile(
            r" WARNING \S+ py\.warnings: \S+/babel/messages/extract\.py:\d+: UserWarning: pkg_resources is deprecated"
        ),
        "Babel's extractors load through setuptools' pkg_resources",
    ),
]


def is_bad_line(line):
    return bool(BAD_LINE_RE.search(line)) and not any(pattern.search(line) for pattern, _reason in EXPECTED_WARNINGS)


FILESTORE = Path.home() / ".local/share/Odoo/filestore"


def psql(sql, db="postgres"):
    return subprocess.run(
        ["psql", "-XAtq", "-d", db, "-c", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


def db_exists(name):
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


def drop_db(name):
    if db_exists(name):
        psql(f'DROP DATABASE "{name}" WITH (FORCE)')
    shutil.rmtree(FILESTORE / name, ignore_errors=True)


def odoo_cmd(db, *args):
    addons = f"{ODOO_PATH}/addons,{ODOO_PATH}/odoo/addons,{ROOT}"
    return [sys.executable, str(ODOO_PATH / "odoo-bin"), f"--addons-path={addons}", "-d", db, *args]


def odoo_test_cmd(db, tags, port, log, *args):
    """odoo-bin running the tests ``tags`` in ``db`` (``args`` first, e.g.
    ``-i customer_crm``), logging at test level to ``log``, then stopping."""
    return odoo_cmd(
        db,
        *args,
        "--test-enable",
        f"--test-tags={tags}",
        "--stop-after-init",
        f"--http-port={port}",
        f"--logfile={log}",
        "--log-level=test",
        "--max-cron-threads=0",
    )


def template_name(modules=DEPENDS):
    """A database with Odoo and the addon's dependencies installed (with demo
    data), keyed by the Odoo source and the dependency list, so that each test
    run only installs customer_crm itself into a copy of it."""
    head = (
        subprocess.run(
            ["git", "-C", str(ODOO_PATH), "rev-parse", "HEAD"], capture_output=True, text=True, check=False
        ).stdout.strip()
        or (ODOO_PATH / "odoo/release.py").read_text()
    )
    key = hashlib.sha1(f"{head}{modules}".encode()).hexdigest()[:10]
    return f"customer_crm_tpl_{key}"


def ensure_template(name, modules=DEPENDS):
    if (
        db_exists(name)
        and psql("SELECT 1 FROM ir_module_module WHERE name='sale_management' AND state='installed'", db=name) == "1"
    ):
        return
    drop_db(name)
    print(f"==> building template database {name} (Odoo + {', '.join(modules)}, demo data)", flush=True)
    log = Path(tempfile.gettempdir()) / f"{name}.log"
    rc = subprocess.run(
        odoo_cmd(
            name,
            "-i",
            ",".join(modules),
            "--stop-after-init",
            "--no-http",
            f"--logfile={log}",
            "--log-level=warn",
        ),
        check=False,
    ).returncode
    if rc:
        drop_db(name)
        sys.exit(f"error: building the template database failed, see {log}")


def clone_db(template, db):
    drop_db(db)
    psql(f'CREATE DATABASE "{db}" TEMPLATE "{template}"')
    if (FILESTORE / template).exists():
        shutil.copytree(FILESTORE / template, FILESTORE / db)


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
    cmd = odoo_test_cmd(db, tags, args.port, log, "-i", ",".join(["customer_crm", *modules[len(DEPENDS) :]]))
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
