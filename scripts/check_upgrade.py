"""Install, upgrade twice, uninstall: customer_crm comes and goes cleanly.

Run through ``scripts/check-upgrade`` (also run by tests/test_upgrade_uninstall.py).
On a copy of the template database, which already has customers, quotations,
orders, invoices and chatter messages (the demo data of sale and account):

1. installs customer_crm and checks the backfills that apply to the features
   present (messages of documents linked to their customer, last activity);
2. runs ``-u customer_crm`` twice and checks that nothing changed: row counts
   of the main tables and checksums of every stored column and table that
   customer_crm owns (write/create stamps excluded), and of its XML ids;
3. uninstalls it with ``button_immediate_uninstall`` and proves that sale and
   account still work: creates and posts an invoice, confirms a quotation and
   invoices it, in a fresh Odoo process.

Fails on any ERROR/CRITICAL line in the Odoo logs.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import odoo_env

STAMPS = ("write_date", "write_uid", "create_date", "create_uid")
CORE_TABLES = ("res_partner", "sale_order", "account_move", "account_move_line", "mail_message", "ir_sequence")


def q(db, sql):
    return odoo_env.psql(sql, db=db)


def addon_columns(db):
    """(table, column, ttype, relation_table, column1, column2) of the stored
    fields customer_crm defines on any model."""
    rows = q(
        db,
        """SELECT m.model, f.name, f.ttype, coalesce(f.relation_table, ''), coalesce(f.column1, ''),
                  coalesce(f.column2, '')
             FROM ir_model_fields f
             JOIN ir_model m ON m.id = f.model_id
             JOIN ir_model_data d ON d.model = 'ir.model.fields' AND d.res_id = f.id AND d.module = 'customer_crm'
            WHERE f.store ORDER BY 1, 2""",
    )
    return [tuple(r.split("|")) for r in rows.splitlines() if r]


def addon_tables(db):
    rows = q(
        db,
        """SELECT m.model FROM ir_model m
             JOIN ir_model_data d ON d.model = 'ir.model' AND d.res_id = m.id AND d.module = 'customer_crm'
            WHERE NOT m.transient ORDER BY 1""",
    )
    return [r.replace(".", "_") for r in rows.splitlines() if r]


def table_exists(db, table):
    return q(db, f"SELECT 1 FROM information_schema.tables WHERE table_name = '{table}'") == "1"


def snapshot(db):
    """What must not change when customer_crm is upgraded again."""
    snap = {f"count {t}": q(db, f"SELECT count(*) FROM {t}") for t in CORE_TABLES}
    for model, name, ttype, rel, col1, col2 in addon_columns(db):
        if ttype == "many2many":
            if rel and table_exists(db, rel):
                snap[f"{model}.{name}"] = q(
                    db,
                    f"SELECT count(*) || ' ' || md5(string_agg(\"{col1}\" || ':' || \"{col2}\", ','"
                    f' ORDER BY "{col1}", "{col2}")) FROM {rel}',
                )
            continue
        table = model.replace(".", "_")
        if ttype in ("one2many",) or not table_exists(db, table):
            continue
        snap[f"{model}.{name}"] = q(
            db, f"SELECT md5(string_agg(id || ':' || coalesce(\"{name}\"::text, ''), ',' ORDER BY id)) FROM {table}"
        )
    for table in addon_tables(db):
        if table_exists(db, table):
            minus = " ".join(f"- '{s}'" for s in STAMPS)
            snap[f"table {table}"] = q(
                db,
                f"SELECT count(*) || ' ' || md5(string_agg((to_jsonb(t) {minus})::text, ',' ORDER BY id))"
                f" FROM {table} t",
            )
    snap["xmlids"] = q(
        db,
        "SELECT count(*) || ' ' || md5(string_agg(model || '.' || name || '=' || res_id, ',' ORDER BY model, name)) "
        "FROM ir_model_data WHERE module = 'customer_crm'",
    )
    return snap


def diff(a, b):
    return [f"{k}: {a.get(k)} -> {b.get(k)}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]


def odoo(db, log, *args):
    t0 = time.time()
    rc = subprocess.run(
        odoo_env.odoo_cmd(
            db, *args, "--stop-after-init", "--no-http", "--max-cron-threads=0", f"--logfile={log}", "--log-level=warn"
        ),
        check=False,
    ).returncode
    return rc, time.time() - t0


def in_odoo(db, log, step):
    """Run ``step`` of this script inside Odoo, in a fresh process."""
    rc = subprocess.run(
        [sys.executable, __file__, "--step", step, "--db", db, "--log", str(log)],
        check=False,
        capture_output=True,
        text=True,
    )
    sys.stdout.write(rc.stdout)
    sys.stderr.write(rc.stderr[-3000:])
    return rc.returncode


# steps run inside Odoo ------------------------------------------------------


def _env(db, log):
    sys.path.insert(0, str(odoo_env.ODOO_PATH))
    import odoo

    addons = f"{odoo_env.ODOO_PATH}/addons,{odoo_env.ODOO_PATH}/odoo/addons,{odoo_env.ROOT}"
    odoo.tools.config.parse_config([f"--addons-path={addons}", f"--logfile={log}", "--log-level=warn", "--no-http"])
    registry = odoo.modules.registry.Registry(db)
    return odoo, registry


def step_uninstall(db, log):
    odoo, registry = _env(db, log)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        module = env["ir.module.module"].search([("name", "=", "customer_crm")])
        module.button_immediate_uninstall()
    print("    customer_crm uninstalled")


def step_business(db, log):
    """Sale and account still work: quote -> order -> invoice -> posted; a
    direct invoice posted.  Committed, so a later process sees them."""
    odoo, registry = _env(db, log)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        state = env["ir.module.module"].search([("name", "=", "customer_crm")]).state
        assert state == "uninstalled", state
        assert "debtor_number" not in env["res.partner"]._fields
        partner = env["res.partner"].create({"name": "Nach Deinstallation GmbH", "is_company": True})
        product = env["product.product"].create({"name": "After uninstall", "type": "service", "list_price": 10})
        order = env["sale.order"].create(
            {"partner_id": partner.id, "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 3})]}
        )
        order.action_confirm()
        assert order.state == "sale", order.state
        invoice = order._create_invoices()
        invoice.action_post()
        assert invoice.state == "posted" and invoice.name != "/", (invoice.state, invoice.name)
        move = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_line_ids": [(0, 0, {"product_id": product.id, "quantity": 1, "price_unit": 42})],
            }
        )
        move.action_post()
        assert move.state == "posted" and move.amount_untaxed == 42, (move.state, move.amount_untaxed)
        order.message_post(body="still logging notes")
        print(f"    after uninstall: order {order.name} confirmed, invoices {invoice.name} and {move.name} posted")


# driver ---------------------------------------------------------------------------


def check_backfill(db):
    """Backfills that apply to the features present; returns problems."""
    problems = []
    cols = {(m, n) for m, n, *_ in addon_columns(db)}
    if ("mail.message", "crm_partner_id") in cols:
        # the documents of the activity log: quotes/orders and customer invoices
        for model, table, where in (
            ("sale.order", "sale_order", "true"),
            ("account.move", "account_move", "d.move_type IN ('out_invoice', 'out_refund', 'out_receipt')"),
        ):
            missing = q(
                db,
                f"""SELECT count(*) FROM mail_message m JOIN {table} d ON d.id = m.res_id AND m.model = '{model}'
                     JOIN res_partner p ON p.id = d.partner_id
                    WHERE {where} AND m.message_type = 'comment'
                      AND m.crm_partner_id IS DISTINCT FROM p.commercial_partner_id""",
            )
            print(f"    backfill: {missing} note(s) on {model} not linked to the customer")
            if missing != "0":
                problems.append(f"{missing} existing notes on {model} not linked to their customer after install")
    if ("res.partner", "last_activity_date") in cols and ("mail.message", "crm_partner_id") in cols:
        # notes and messages (subtypes Note and Discussions) with text count as activity
        wrong = q(
            db,
            """SELECT count(*) FROM res_partner p
                WHERE p.last_activity_date IS NULL AND EXISTS (
                      SELECT 1 FROM mail_message m JOIN ir_model_data x
                          ON x.model = 'mail.message.subtype' AND x.res_id = m.subtype_id
                         AND x.module = 'mail' AND x.name IN ('mt_note', 'mt_comment')
                       WHERE m.crm_partner_id = p.id AND m.message_type = 'comment'
                         AND coalesce(m.body, '') != '')""",
        )
        print(f"    backfill: {wrong} customer(s) with notes but no last activity date")
        if wrong != "0":
            problems.append(f"{wrong} customers with linked notes have no last_activity_date after install")
    return problems


def upgrade_twice(db, logs):
    """Problems of running ``-u customer_crm`` twice: any data change."""
    problems, snaps = [], [snapshot(db)]
    for n, log in enumerate(logs, 1):
        rc, secs = odoo(db, log, "-u", "customer_crm")
        print(f"==> -u customer_crm #{n}: exit {rc}, {secs:.0f}s")
        if rc:
            problems.append(f"upgrade #{n} failed (exit {rc})")
        snaps.append(snapshot(db))
        changed = diff(snaps[-2], snaps[-1])
        for line in changed:
            print(f"    changed: {line}")
        if changed:
            problems.append(f"upgrade #{n} changed data: {'; '.join(changed)}")
    print(
        f"    compared {len(snaps[-1])} checksums/counts of columns, tables and XML ids: unchanged"
        if not problems
        else f"    compared {len(snaps[-1])} checksums/counts"
    )
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=os.environ.get("CUSTOMER_CRM_TEST_DB", "customer_crm_test") + "_upgr")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--with-demo", action="store_true", help="install customer_crm with its demo data")
    parser.add_argument("--step", choices=["uninstall", "business"], help=argparse.SUPPRESS)
    parser.add_argument("--log", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        {"uninstall": step_uninstall, "business": step_business}[args.step](args.db, args.log)
        return 0

    db, tmp = args.db, Path(tempfile.gettempdir())
    logs = [tmp / f"{db}_{n}.log" for n in ("install", "u1", "u2", "uninstall", "business")]
    for log in logs:
        log.unlink(missing_ok=True)
    tpl = odoo_env.template_name()
    odoo_env.ensure_template(tpl)
    odoo_env.clone_db(tpl, db)
    before = q(
        db,
        "SELECT (SELECT count(*) FROM res_partner) || ' partners, ' || (SELECT count(*) FROM account_move)"
        " || ' moves, ' || (SELECT count(*) FROM mail_message) || ' messages'",
    )
    print(f"==> {db}: copy of {tpl} ({before}); installing customer_crm", flush=True)
    problems = []
    if not args.with_demo:
        # its demo customers carry posted invoices, which no uninstall can delete
        odoo_env.without_demo(db)
    rc, secs = odoo(db, logs[0], "-i", "customer_crm")
    print(f"    install: exit {rc}, {secs:.0f}s")
    if rc:
        problems.append(f"install failed (exit {rc})")
    problems += check_backfill(db)
    problems += upgrade_twice(db, logs[1:3])
    print("==> uninstalling customer_crm", flush=True)
    if in_odoo(db, logs[3], "uninstall"):
        problems.append("uninstall failed")
    leftover = q(db, "SELECT count(*) FROM ir_model_data WHERE module = 'customer_crm'")
    if leftover != "0":
        problems.append(f"{leftover} ir_model_data rows of customer_crm left after uninstall")
    if in_odoo(db, logs[4], "business"):
        problems.append("sale/account flow after uninstall failed")
    for log in logs:
        text = log.read_text(errors="replace") if log.exists() else ""
        for line in text.splitlines():
            if odoo_env.ERROR_LINE_RE.search(line):
                problems.append(f"{log.name}: {line[:300]}")
    for problem in problems:
        print(f"  PROBLEM: {problem}")
    print(f"==> check-upgrade: {'FAILED' if problems else 'OK'}")
    if not problems and not args.keep:
        odoo_env.drop_db(db)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
