"""Odoo's own tests of sale and account with customer_crm installed.

Run through ``scripts/odoo-regression``.  Copies the template database of
scripts/odoo_env.py, installs customer_crm into the copy (no tests), then
starts Odoo once more with ``--test-enable`` and no module to install, so that
Odoo runs the post_install tests of the installed modules selected by
``--test-tags`` (default: every standard test of sale and account).  Prints
the failing tests and a summary; exits non-zero on any failure or ERROR line.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import odoo_env

# Every post_install test of sale, and the account tests of what customer_crm
# touches: customer invoices and refunds, posting and sequences (debtor
# numbers hook into _post), payments, sending, duplicates, partner merge,
# tracking, portal and the audit trail.  The whole of account (about 700
# tests) takes about 2 hours on 2 busy cores; this subset about 40 minutes.
ACCOUNT_CLASSES = [
    "TestAccountMoveOutInvoiceOnchanges",
    "TestAccountMoveOutRefundOnchanges",
    "TestAccountMove",
    "TestAccountPaymentRegister",
    "TestAccountMovePaymentsWidget",
    "TestSequenceMixin",
    "TestSequenceGaps",
    "TestSequenceMixinDeletion",
    "TestSequenceMixinConcurrency",
    "TestAccountMoveSend",
    "TestAccountMoveDuplicate",
    "TestMergePartner",
    "TestAccountPartner",
    "TestPortalInvoice",
    "TestTracking",
    "TestAccountInvoiceReport",
    "TestAuditTrail",
]
DEFAULT_TAGS = ",".join(["/sale", *(f"/account:{cls}" for cls in ACCOUNT_CLASSES)])
FULL_TAGS = "/sale,/account"
FAIL_RE = re.compile(r"(?:FAIL|ERROR): (test_\w+) \(([\w.]+)\)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tags", default=DEFAULT_TAGS, help="Odoo --test-tags (default: sale + an account subset)")
    parser.add_argument("--full", action="store_true", help=f"all of {FULL_TAGS} (about 2 hours on 2 cores)")
    parser.add_argument("--db", default=os.environ.get("CUSTOMER_CRM_TEST_DB", "customer_crm_test") + "_regr")
    # one above scripts/test's port, so that both can run side by side
    parser.add_argument("--port", default=str(int(os.environ.get("CUSTOMER_CRM_TEST_PORT", "8169")) + 1))
    parser.add_argument("--without-addon", action="store_true", help="baseline: run the tests without customer_crm")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    if args.full:
        args.tags = FULL_TAGS
    tpl = odoo_env.template_name()
    odoo_env.ensure_template(tpl)
    odoo_env.clone_db(tpl, args.db)
    tmp = Path(tempfile.gettempdir())
    log = tmp / f"{args.db}.log"
    log.unlink(missing_ok=True)
    if not args.without_addon:
        print(f"==> installing customer_crm into {args.db}", flush=True)
        rc = subprocess.run(
            odoo_env.odoo_cmd(
                args.db,
                "-i",
                "customer_crm",
                "--stop-after-init",
                "--no-http",
                f"--logfile={tmp / f'{args.db}_install.log'}",
                "--log-level=warn",
            ),
            check=False,
        ).returncode
        if rc:
            sys.exit(f"error: installing customer_crm failed, see {tmp / f'{args.db}_install.log'}")
    print(f"==> running Odoo's tests {args.tags} (post_install) in {args.db}, log {log}", flush=True)
    t0 = time.time()
    rc = subprocess.run(odoo_env.odoo_test_cmd(args.db, args.tags, args.port, log), check=False).returncode
    minutes = (time.time() - t0) / 60
    text = log.read_text(errors="replace") if log.exists() else ""
    failing = sorted({f"{cls}.{name}" for name, cls in FAIL_RE.findall(text)})
    bad = [line for line in text.splitlines() if odoo_env.ERROR_LINE_RE.search(line)]
    m = odoo_env.RESULT_RE.findall(text)
    failed, errors, total = map(int, m[-1]) if m else (0, 0, 0)
    ran = re.findall(r"Ran (\d+) tests? in", text)
    for name in failing:
        print(f"  FAILED {name}")
    what = "default subset" if args.tags == DEFAULT_TAGS else args.tags
    print(
        f"==> {what}: {total} tests, {failed} failed, {errors} errors, "
        f"{len(bad)} ERROR line(s) in the log, odoo-bin exit {rc}, {minutes:.1f} min"
        + ("" if m else f" (no result line; {sum(map(int, ran))} tests ran)")
    )
    ok = rc == 0 and not failed and not errors and not bad and total > 0
    if ok and not args.keep:
        odoo_env.drop_db(args.db)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
