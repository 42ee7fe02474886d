"""Several Odoo workers and clients at once keep the data consistent: a
15-second run of bench/multiworker.py (about 1.5 minutes in all)."""

import os
import subprocess
import sys

from conftest import ROOT


def test_multiworker_smoke(odoo_path):
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "multiworker.py"), "--seconds", "15", "--clients", "3", "--workers", "2"],
        cwd=ROOT,
        env=dict(os.environ, ODOO_PATH=str(odoo_path)),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    out = run.stdout + run.stderr[-3000:]
    assert run.returncode == 0, out
    assert "multiworker: OK" in run.stdout, out
