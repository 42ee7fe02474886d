"""Install cost of the activity log on a large database, and its list query.

    ~/.cache/customer_crm/venv/bin/python bench/activity_install.py \\
        [--customers 100000] [--messages 1000000] [--date YYYY-MM-DD] [--keep]

    smoke run:  ... bench/activity_install.py --customers 200 --messages 2000

Steps:

1. ``PREFIX_bare``: a copy of the template database of scripts/odoo_env.py
   (Odoo with the addon's dependencies and demo data); customer_crm is
   installed into it and timed: the install time of the addon without data.
2. ``PREFIX_big``: another copy, seeded with SQL (seconds, not ORM) with
   ``--customers`` customer companies, one contact person for every second
   one, one quotation for every second one, and ``--messages`` messages
   spread over the last three years: on the companies (50 %), the contact
   persons (20 %) and the quotations (30 %); 80 % log notes, 20 % system
   notifications.  The same registry load without installing anything is
   timed as the baseline of Odoo's start-up on this database; then
   customer_crm is installed and timed.  Its log tells how long the
   set-based backfill of ``mail.message.crm_partner_id`` and of the
   customers' last activity took.
3. In ``PREFIX_big``, the customer list query "last activity before <date>"
   (the Customers action's domain, the list's order and limit, as the
   administrator, with record rules) and its count are explained with
   ``EXPLAIN (ANALYZE, BUFFERS)``; the goal is an index scan under 50 ms.

Both databases are dropped at the end unless ``--keep`` is given.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the packages bench and scripts

from scripts import odoo_env  # noqa: E402  (psql, template, clone and odoo-bin helpers)

GOAL_MS = 50.0


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=100_000, help="customer companies (default 100000)")
    parser.add_argument("--messages", type=int, default=1_000_000, help="messages (default 1000000)")
    parser.add_argument("--date", help="'last activity before' date of the list query (default: a year ago)")
    parser.add_argument("--keep", action="store_true", help="keep both databases")
    parser.add_argument(
        "--db-prefix",
        default=os.environ.get("CUSTOMER_CRM_BENCH_DB", "cc_bench_activity"),
        help="databases PREFIX_bare and PREFIX_big (default cc_bench_activity)",
    )
    args = parser.parse_args(argv)
    args.date = args.date or (date.today() - timedelta(days=365)).isoformat()
    return args


def psql(db, sql):
    return odoo_env.psql(sql, db=db)


def odoo(db, *args, log):
    """Run odoo-bin on ``db`` and return its wall time in seconds."""
    cmd = odoo_env.odoo_cmd(db, *args, "--stop-after-init", "--no-http", f"--logfile={log}", "--log-level=info")
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True)
    return time.perf_counter() - t0


def seed(db, customers, messages):
    """Fill ``db`` with customers, contacts, quotations and messages (SQL)."""
    t0 = time.perf_counter()
    sql = f"""
    BEGIN;
    CREATE TEMP TABLE seed_company AS
      WITH ins AS (
        INSERT INTO res_partner (name, complete_name, is_company, type, active, customer_rank, supplier_rank,
                                 email, lang, color, partner_share, autopost_bills,
                                 create_uid, write_uid, create_date, write_date)
        SELECT 'Bench Kunde ' || g || ' GmbH', 'Bench Kunde ' || g || ' GmbH', true, 'contact', true, 1, 0,
               'info' || g || '@kunde.example', 'en_US', 0, true, 'ask', 1, 1, now(), now()
          FROM generate_series(1, {customers:d}) g
        RETURNING id)
      SELECT row_number() OVER (ORDER BY id) AS n, id FROM ins;
    UPDATE res_partner p SET commercial_partner_id = p.id, commercial_company_name = p.name
      FROM seed_company c WHERE p.id = c.id;
    CREATE TEMP TABLE seed_contact AS
      WITH ins AS (
        INSERT INTO res_partner (name, complete_name, parent_id, commercial_partner_id, is_company, type, active,
                                 customer_rank, supplier_rank, lang, color, partner_share, autopost_bills,
                                 create_uid, write_uid, create_date, write_date)
        SELECT 'Ansprechpartner ' || c.n, 'Bench Kunde ' || c.n || ' GmbH, Ansprechpartner ' || c.n, c.id, c.id,
               false, 'contact', true, 0, 0, 'en_US', 0, true, 'ask', 1, 1, now(), now()
          FROM seed_company c WHERE c.n % 2 = 0
        RETURNING id)
      SELECT row_number() OVER (ORDER BY id) AS n, id FROM ins;
    CREATE TEMP TABLE seed_order AS
      WITH ins AS (
        INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id, company_id, state,
                                date_order, currency_id, create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH' || c.n, c.id, c.id, c.id, 1, 'draft', now(),
               (SELECT currency_id FROM res_company WHERE id = 1), 1, 1, now(), now()
          FROM seed_company c WHERE c.n % 2 = 1
        RETURNING id)
      SELECT row_number() OVER (ORDER BY id) AS n, id FROM ins;
    CREATE UNIQUE INDEX ON seed_company (n);
    CREATE UNIQUE INDEX ON seed_contact (n);
    CREATE UNIQUE INDEX ON seed_order (n);
    ANALYZE seed_company;
    ANALYZE seed_contact;
    ANALYZE seed_order;
    CREATE TEMP TABLE seed_counts AS SELECT
      (SELECT count(*) FROM seed_company) AS companies,
      (SELECT count(*) FROM seed_contact) AS contacts,
      (SELECT count(*) FROM seed_order) AS orders;
    INSERT INTO mail_message (model, res_id, record_name, message_type, subtype_id, body, author_id,
                              date, message_id, create_uid, write_uid, create_date, write_date)
    SELECT s.model, s.res_id, NULL, s.message_type,
           CASE WHEN s.message_type = 'comment' THEN (SELECT res_id FROM ir_model_data
                 WHERE module = 'mail' AND name = 'mt_note') END,
           '<p>Bench Notiz ' || s.g || '</p>', 3, s.date, 'bench-' || s.g || '@bench.example', 1, 1, s.date, s.date
      FROM (
        SELECT g,
               CASE WHEN g % 10 < 7 THEN 'res.partner' ELSE 'sale.order' END
                 AS model,
               CASE WHEN g % 10 < 5 THEN (SELECT id FROM seed_company WHERE n = 1 + (g / 10 * 7919 + g) % k.companies)
                    WHEN g % 10 < 7 THEN (SELECT id FROM seed_contact WHERE n = 1 + (g / 10 * 7919 + g) % k.contacts)
                    ELSE (SELECT id FROM seed_order WHERE n = 1 + (g / 10 * 7919 + g) % k.orders) END AS res_id,
               CASE WHEN g % 5 = 0 THEN 'notification' ELSE 'comment' END AS message_type,
               now() - ((g::bigint * 104729) % (3 * 365 * 24 * 60)) * interval '1 minute' AS date
          FROM generate_series(1, {messages:d}) g, seed_counts k
      ) s;
    COMMIT;
    ANALYZE res_partner;
    ANALYZE sale_order;
    ANALYZE mail_message;
    """
    subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-d", db], input=sql, text=True, check=True)
    return time.perf_counter() - t0


def explain(db, before):
    """EXPLAIN ANALYZE of the customer list query "last activity before"."""
    code = f"""
import sys
sys.path.insert(0, "{odoo_env.ODOO_PATH}")
import odoo
from odoo import api
from odoo.tools import SQL
odoo.tools.config.parse_config(["--addons-path={odoo_env.odoo_cmd("x")[2].split("=", 1)[1]}", "-d", "{db}"])
registry = odoo.modules.registry.Registry("{db}")
with registry.cursor() as cr:
    env = api.Environment(cr, 2, {{}})
    Partner = env["res.partner"]
    domain = [("parent_id", "=", False), ("customer_rank", ">", 0), ("is_template_customer", "=", False),
              ("last_activity_date", "<", "{before}")]
    for title, query in (
        ("list page (limit 80, list order)", Partner._search(domain, limit=80, order=Partner._order)),
        ("count", Partner._search(domain)),
    ):
        sql = query.select() if "limit" in title else SQL("SELECT count(*) FROM (%s) q", query.select())
        cr.execute(SQL("EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) %s", sql))
        cold = [row[0] for row in cr.fetchall() if row[0].startswith("Execution Time")]
        print("-- " + title + ", first run (cold cache): " + cold[0])
        cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", sql))
        print("-- " + title + ", second run")
        print("\\n".join(row[0] for row in cr.fetchall()))
    cr.execute(SQL("SELECT count(*) FROM res_partner WHERE last_activity_date < %s", "{before}"))
    print("-- customers with last activity before {before}:", cr.fetchone()[0])
"""
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return out


def main(argv=None):
    args = parse_args(argv)
    tpl = odoo_env.template_name()
    odoo_env.ensure_template(tpl)
    bare, big = f"{args.db_prefix}_bare", f"{args.db_prefix}_big"
    logdir = Path(tempfile.gettempdir())
    print(f"==> {bare}: install customer_crm into the template database without extra data", flush=True)
    odoo_env.clone_db(tpl, bare)
    t_bare = odoo(bare, "-i", "customer_crm", log=logdir / f"{bare}.log")

    print(f"==> {big}: seed {args.customers} customers and {args.messages} messages with SQL", flush=True)
    odoo_env.clone_db(tpl, big)
    t_seed = seed(big, args.customers, args.messages)
    counts = psql(
        big,
        "SELECT (SELECT count(*) FROM res_partner) || ' partners, ' || (SELECT count(*) FROM sale_order)"
        " || ' quotations, ' || (SELECT count(*) FROM mail_message) || ' messages'",
    )
    print(f"    {counts} (seeded in {t_seed:.1f}s)", flush=True)
    big_log = logdir / f"{big}.log"
    t_load = odoo(big, log=logdir / f"{big}_load.log")
    print(f"==> {big}: install customer_crm", flush=True)
    t_big = odoo(big, "-i", "customer_crm", log=big_log)
    backfill = re.findall(r"CRM log backfilled, (\d+) messages linked .* in ([\d.]+)s", big_log.read_text())
    backfill_detail = re.findall(r"CRM log backfilled, .*s \((.*)\)", big_log.read_text())
    linked = psql(big, "SELECT count(*) FROM mail_message WHERE crm_partner_id IS NOT NULL")
    with_activity = psql(big, "SELECT count(*) FROM res_partner WHERE last_activity_date IS NOT NULL")

    print(f"==> {big}: customer list 'last activity before {args.date}'", flush=True)
    plans = explain(big, args.date)
    print(plans)
    times = [float(t) for t in re.findall(r"second run\n(?:.*\n)*?Execution Time: ([\d.]+) ms", plans)]
    index_scan = "last_activity_date_index" in plans

    print("==> Results")
    print(f"    data: {args.customers} customers, {args.messages} messages ({counts})")
    print(f"    install customer_crm, bare database:          {t_bare:7.1f} s")
    print(f"    registry load only, seeded database:          {t_load:7.1f} s")
    print(f"    install customer_crm, seeded database:        {t_big:7.1f} s  (+{t_big - t_bare:.1f} s)")
    if backfill:
        print(f"    of which backfill (set-based SQL):            {float(backfill[-1][1]):7.1f} s")
    if backfill_detail:
        print(f"      ({backfill_detail[-1]})")
    print(f"    messages linked: {linked}, customers with a last activity: {with_activity}")
    for label, ms in zip(("list page", "count"), times, strict=False):  # warm cache
        verdict = "ok" if ms < GOAL_MS else "over the goal"
        print(f"    'last activity before' {label}: {ms:.1f} ms (goal < {GOAL_MS:.0f} ms: {verdict})")
    print(f"    index on last_activity_date used: {'yes' if index_scan else 'no'}")
    if not args.keep:
        odoo_env.drop_db(bare)
        odoo_env.drop_db(big)
    return 0


if __name__ == "__main__":
    sys.exit(main())
