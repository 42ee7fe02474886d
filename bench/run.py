"""Benchmark customer_crm against a twin database without it.

    python bench/run.py [--customers N] [--size small|large] [--only NAME] [--keep]

Builds two databases from the template database of scripts/odoo_env.py:
``<prefix>_without`` is seeded (customers, contact persons, quotations,
orders, invoices, log notes), ``<prefix>_with`` is a copy of it into which
customer_crm is then installed (the install is timed).  Each scenario of
bench/scenarios/*.py then runs in both databases in this process, each run in
a transaction that is rolled back, and a table compares time and queries per
operation.  See bench/README.md.
"""

import argparse
import importlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the packages bench and scripts

from scripts import odoo_env  # noqa: E402  (psql, template, clone and odoo-bin helpers)

sys.path.insert(0, str(odoo_env.ODOO_PATH))  # scenario modules may import odoo

from bench.lib import BENCH_UID, Result, Scenario, measure, seed  # noqa: E402

SIZES = {"small": 300, "large": 100_000}
SMOKE_CUSTOMERS = 20
SMOKE_OPS = 2


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default="small", help="data size preset (default small)")
    parser.add_argument("--customers", type=int, help="number of customers to seed (overrides --size)")
    parser.add_argument("--docs", type=int, help="quotations, orders and invoices each (default customers/3, max 5000)")
    parser.add_argument("--messages", type=int, default=3, help="log notes per customer (default 3)")
    parser.add_argument("--ops", type=int, help="operations per scenario (default: each scenario's own size)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="measured rounds per scenario, the two databases in turn; the fastest of each counts (default 3)",
    )
    parser.add_argument("--only", action="append", help="run only scenarios whose name contains this (repeatable)")
    parser.add_argument("--keep", action="store_true", help="keep both databases (reuse them with --reuse)")
    parser.add_argument("--reuse", action="store_true", help="reuse the databases of an earlier --keep run")
    parser.add_argument("--smoke", action="store_true", help=f"tiny run: {SMOKE_CUSTOMERS} customers, {SMOKE_OPS} ops")
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    parser.add_argument("--save", action="store_true", help="also write the table to bench/results/")
    parser.add_argument(
        "--db-prefix",
        default=os.environ.get("CUSTOMER_CRM_BENCH_DB", "cc_bench"),
        help="database names: PREFIX_with and PREFIX_without (default cc_bench)",
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.customers = args.customers or SMOKE_CUSTOMERS
        args.docs = args.docs or 5
        args.ops = args.ops or SMOKE_OPS
        args.rounds = 1
    args.customers = args.customers or SIZES[args.size]
    return args


def discover():
    """(scenarios, import errors) of bench/scenarios/*.py."""
    scenarios, errors = [], []
    for path in sorted((ROOT / "bench" / "scenarios").glob("*.py")):
        if path.name.startswith("_"):
            continue
        try:
            module = importlib.import_module(f"bench.scenarios.{path.stem}")
        except Exception:  # a broken module must not hide the others
            errors.append((f"import bench/scenarios/{path.name}", traceback.format_exc()))
            continue
        for scenario in getattr(module, "SCENARIOS", []):
            if isinstance(scenario, Scenario):
                scenarios.append(scenario)
    return scenarios, errors


def start_odoo(logfile):
    import odoo

    addons = f"{odoo_env.ODOO_PATH}/addons,{odoo_env.ODOO_PATH}/odoo/addons,{ROOT}"
    odoo.tools.config.parse_config(
        [f"--addons-path={addons}", f"--logfile={logfile}", "--log-level=warn", "--max-cron-threads=0", "--no-http"]
    )
    return odoo


def close_db(odoo, db):
    odoo.modules.registry.Registry.delete(db)
    odoo.sql_db.close_db(db)


def prepare(odoo, args, scenarios, db_without, db_with, log):
    """Create and seed both databases; return the install time in seconds."""
    tpl = odoo_env.template_name()
    odoo_env.ensure_template(tpl)
    print(f"==> seeding {db_without} from {tpl}: {args.customers} customers", flush=True)
    odoo_env.clone_db(tpl, db_without)
    registry = odoo.modules.registry.Registry(db_without)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        stats = seed(env, args.customers, docs=args.docs, messages_per_customer=args.messages)
        seed_scenarios(env, scenarios)
    close_db(odoo, db_without)
    # a database of years, not of minutes: autovacuum has long since set the
    # seeded rows' visibility (hint bits, visibility map) and statistics,
    # which the install would otherwise do as it first reads them; and the
    # seeding's own UPDATEs left no tables of twice their size (FULL), which
    # would slow every sequential scan of the database without the addon
    odoo_env.psql("VACUUM FULL ANALYZE", db=db_without)
    print(f"==> {db_with}: copy of {db_without}, installing customer_crm", flush=True)
    odoo_env.clone_db(db_without, db_with)
    # the addon's demo customers (tags, activities, documents) would be found
    # by the list's names in one database only
    odoo_env.without_demo(db_with)
    t0 = time.perf_counter()
    rc = subprocess.run(
        odoo_env.odoo_cmd(
            db_with,
            "-i",
            "customer_crm",
            "--stop-after-init",
            "--no-http",
            "--max-cron-threads=0",
            f"--logfile={log}",
            "--log-level=warn",
        ),
        check=False,
    ).returncode
    seconds = time.perf_counter() - t0
    if rc:
        sys.exit(f"error: installing customer_crm into {db_with} failed (exit {rc}), see {log}")
    # what autovacuum does within minutes in production: the install's
    # backfills leave dead row versions, the seeding stale statistics
    for db in (db_without, db_with):
        odoo_env.psql("VACUUM ANALYZE", db=db)
    return seconds, stats


def seed_scenarios(env, scenarios):
    """The scenarios' own data (``Scenario.seed``), once each seeder, shared
    by several scenarios; a seeder adds only what is missing."""
    for seeder in dict.fromkeys(s.seed for s in scenarios if s.seed):
        seeder(env)


def seed_reused(odoo, scenarios, dbs):
    """Seed what the scenarios of this run need into databases of an earlier
    run (``--reuse``) that ran other scenarios: a customer's 10,000 invoices
    made inside the measured transaction would have no statistics and be
    planned as one row.  The with-database gets them after the install, as
    data made with the addon."""
    if not any(s.seed for s in scenarios):
        return
    for db in dbs:
        with odoo.modules.registry.Registry(db).cursor() as cr:
            seed_scenarios(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), scenarios)
        odoo_env.psql("VACUUM ANALYZE", db=db)


def run_one(odoo, db, scenario, ops):
    registry = odoo.modules.registry.Registry(db)
    cr = registry.cursor()
    try:
        env = odoo.api.Environment(
            cr, BENCH_UID, {"lang": "en_US", "tz": "Europe/Berlin", "mail_notify_force_send": False}
        )
        return measure(env, scenario, ops)
    except Exception:
        return Result(error=traceback.format_exc())
    finally:
        cr.rollback()
        cr.close()


def fmt_row(cols, widths):
    return "  ".join(
        str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cols, widths, strict=False))
    )


def print_table(rows, save_to=None):
    head = [
        "scenario",
        "ops",
        "without (s)",
        "with (s)",
        "ratio",
        "cpu ratio",
        "round ratios",
        "q/op without",
        "q/op with",
    ]
    widths = [max(len(head[0]), *(len(r[0]) for r in rows)), 5, 11, 10, 6, 9, 16, 12, 10]
    lines = [fmt_row(head, widths), fmt_row(["-" * w for w in widths], widths)]
    lines += [fmt_row(row, widths) for row in rows]
    print("\n" + "\n".join(lines) + "\n")
    if save_to:
        save_to.parent.mkdir(exist_ok=True)
        save_to.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"saved to {save_to}")


def round_ratios(pairs):
    """The median of the rounds' time ratios and their least and most, as
    "1.02 (0.95-1.10)": each round's with-run against the without-run just
    before it, so how far the ratio moves from one round to the next, i.e.
    what the "ratio" column can tell apart."""
    ratios = sorted(w.per_op / o.per_op for o, w in pairs if o and w and o.ops and w.ops and o.per_op)
    if not ratios:
        return "-"
    median = statistics.median(ratios)
    if len(ratios) == 1:
        return f"{median:.2f}"
    return f"{median:.2f} ({ratios[0]:.2f}-{ratios[-1]:.2f})"


def table_row(name, without, with_, cpu=None, pairs=()):
    """A row of the table; ``cpu`` is {"without": s, "with": s}, the least
    CPU time per operation of each side (see ``bench.lib.cpu_seconds``);
    ``pairs`` the (without, with) results of each round."""

    def secs(r):
        if r is None:
            return "-"
        if r.error:
            return "ERROR"
        return f"{r.seconds:.3f}" if r.ops else "n/a"

    def qpo(r):
        if r is None or r.error or r.queries_per_op is None:
            return "-"
        return f"{r.queries_per_op:.1f}"

    ops = (with_ or without).ops if (with_ or without) else 0
    ratio = "-"
    if without and with_ and without.ops and with_.ops and without.per_op:
        ratio = f"{with_.per_op / without.per_op:.2f}"
    cpu_ratio = "-"
    if cpu and cpu.get("without") and cpu.get("with"):
        cpu_ratio = f"{cpu['with'] / cpu['without']:.2f}"
    spread = round_ratios(pairs)
    return [name, ops or "-", secs(without), secs(with_), ratio, cpu_ratio, spread, qpo(without), qpo(with_)]


def run_scenarios(odoo, args, scenarios, db_without, db_with, errors):
    """Table rows of ``scenarios``, each run in both databases."""
    rows = []
    for scenario in scenarios:
        ops = args.ops or scenario.size
        print(f"==> {scenario.name} ({ops} ops)", flush=True)
        sides = [("without", db_without), ("with", db_with)][1 if scenario.needs_addon else 0 :]
        results = {"without": None, "with": None}
        cpu = {}  # the least CPU time per operation of each side, over the rounds
        pairs = []  # (without, with) of each round
        for _label, db in sides:
            run_one(odoo, db, scenario, 1)  # warm the registry's caches (views, ormcache) first
        for _round in range(max(args.rounds, 1)):  # in turn, so that a busy moment hits both alike
            this_round = {}
            for label, db in sides:
                res = this_round[label] = run_one(odoo, db, scenario, ops)
                if res.error:
                    errors.append((f"{scenario.name} [{label}]", res.error))
                elif res.cpu_per_op is not None:
                    cpu[label] = min(cpu.get(label, res.cpu_per_op), res.cpu_per_op)
                if (
                    results[label] is None
                    or res.error
                    or (not results[label].error and res.seconds < results[label].seconds)
                ):
                    results[label] = res
            if not any(r.error for r in this_round.values()):
                pairs.append((this_round.get("without"), this_round.get("with")))
        rows.append(table_row(scenario.name, results["without"], results["with"], cpu, pairs))
    return rows


def list_scenarios(scenarios, import_errors):
    for scenario in scenarios:
        print(scenario.name)
    for name, text in import_errors:
        print(f"ERROR in {name}:\n{text}", file=sys.stderr)
    return 1 if import_errors else 0


def main(argv=None):
    args = parse_args(argv)
    scenarios, import_errors = discover()
    if args.only:
        wanted = [w.lower() for w in args.only]
        scenarios = [s for s in scenarios if any(w in s.name.lower() for w in wanted)]
    if args.list:
        return list_scenarios(scenarios, import_errors)
    if not (odoo_env.ODOO_PATH / "odoo-bin").is_file():
        sys.exit(f"error: no Odoo found at ODOO_PATH={odoo_env.ODOO_PATH}")

    db_without, db_with = f"{args.db_prefix}_without", f"{args.db_prefix}_with"
    tmp = Path(tempfile.gettempdir())
    log = tmp / f"{args.db_prefix}.log"
    log.unlink(missing_ok=True)
    odoo = start_odoo(log)
    rows, errors = [], list(import_errors)
    t_start = time.perf_counter()
    if args.reuse and odoo_env.db_exists(db_without) and odoo_env.db_exists(db_with):
        print(f"==> reusing {db_without} and {db_with}", flush=True)
        seed_reused(odoo, scenarios, (db_without, db_with))
        install = None
    else:
        install_seconds, stats = prepare(
            odoo, args, scenarios, db_without, db_with, tmp / f"{args.db_prefix}_install.log"
        )
        install = Result(ops=1, seconds=install_seconds, queries=-1)  # a subprocess: queries not counted
        print(f"    seeded: {stats}")
    if install:
        rows.append(table_row(f"install customer_crm ({args.customers} customers)", None, install))

    rows += run_scenarios(odoo, args, scenarios, db_without, db_with, errors)

    for db in (db_without, db_with):
        close_db(odoo, db)
    stamp = time.strftime("%Y%m%d-%H%M", time.gmtime())
    print_table(rows, ROOT / "bench" / "results" / f"{stamp}_{args.customers}-customers.txt" if args.save else None)
    print(f"databases: {db_without}, {db_with}; total {time.perf_counter() - t_start:.0f}s; Odoo log {log}")
    for name, text in errors:
        print(f"\nERROR in {name}:\n{text}")
    bad = (
        [line for line in log.read_text(errors="replace").splitlines() if odoo_env.ERROR_LINE_RE.search(line)]
        if log.exists()
        else []
    )
    for line in bad:
        print("  " + line[:400])
    if not args.keep:
        for db in (db_without, db_with):
            odoo_env.drop_db(db)
    return 1 if errors or bad else 0


if __name__ == "__main__":
    sys.exit(main())
