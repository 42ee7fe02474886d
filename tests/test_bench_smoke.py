"""The benchmark never rots: a tiny run of bench/run.py (20 customers, 2
operations per scenario) must finish and print a row for every scenario."""

import os
import subprocess
import sys

from conftest import ROOT


def _bench(args, odoo_path, timeout):
    prefix = os.environ.get("CUSTOMER_CRM_TEST_DB", "customer_crm_test") + "_bsmoke"
    env = dict(os.environ, ODOO_PATH=str(odoo_path), CUSTOMER_CRM_BENCH_DB=prefix)
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_bench_smoke(odoo_path):
    listed = _bench(["--list"], odoo_path, 60)
    assert listed.returncode == 0, listed.stdout + listed.stderr
    names = [line for line in listed.stdout.splitlines() if line.strip()]
    assert "invoice posting" in names and "customer form open" in names

    run = _bench(["--smoke"], odoo_path, 600)
    out = run.stdout + run.stderr
    assert run.returncode == 0, out[-4000:]
    rows = {line.split("  ")[0].strip(): line for line in run.stdout.splitlines()}
    assert any(name.startswith("install customer_crm") for name in rows), out[-4000:]
    for name in names:
        assert name in rows, f"no table row for {name!r}:\n{out[-4000:]}"
        assert "ERROR" not in rows[name], rows[name]


def test_round_ratios():
    """The spread column pairs each round's with-run with its without-run."""
    sys.path.insert(0, str(ROOT))
    from bench.lib import Result
    from bench.run import round_ratios

    def result(seconds):
        return Result(ops=10, seconds=seconds)

    pairs = [(result(1.0), result(1.1)), (result(2.0), result(1.8)), (result(1.0), result(1.3))]
    assert round_ratios(pairs) == "1.10 (0.90-1.30)"
    assert round_ratios(pairs[:2]) == "1.00 (0.90-1.10)"
    assert round_ratios(pairs[:1]) == "1.10"
    assert round_ratios([(None, result(1.0)), (result(1.0), Result())]) == "-"
