"""Nothing of customer_crm writes in a read-only request: bench/replica.py
in its smoke size (a primary and a streaming replica of its own, the demo
data, every read flow of the customer file once; about 1 minute)."""

import os
import subprocess
import sys

import pytest
from conftest import ROOT


def test_replica_smoke(odoo_path):
    sys.path.insert(0, str(ROOT))
    from bench.replica import pg_bindir

    if not pg_bindir():
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup): cannot make a replica")
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "replica.py"), "--timeout", "420"],
        cwd=ROOT,
        env=dict(os.environ, ODOO_PATH=str(odoo_path)),
        capture_output=True,
        text=True,
        timeout=480,
        check=False,
    )
    out = run.stdout + run.stderr[-3000:]
    assert run.returncode == 0, out
    assert "==> replica: OK" in run.stdout, out
