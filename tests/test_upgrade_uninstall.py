"""customer_crm installs on a database with data, upgrades twice without
changing anything and uninstalls leaving sale and account working
(scripts/check_upgrade.py does the work, about 1-2 minutes)."""

import os
import subprocess
import sys

from conftest import ROOT


def test_install_upgrade_twice_uninstall(odoo_path):
    db = os.environ.get("CUSTOMER_CRM_TEST_DB", "customer_crm_test") + "_upgr"
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_upgrade.py"), "--db", db],
        cwd=ROOT,
        env=dict(os.environ, ODOO_PATH=str(odoo_path)),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    out = run.stdout + run.stderr[-3000:]
    assert run.returncode == 0, out
    assert "check-upgrade: OK" in run.stdout, out
    assert "after uninstall: order" in run.stdout, out
