"""Several Odoo workers, several clients at once: the data stays consistent.

    python bench/multiworker.py [--seconds 60] [--clients 16] [--workers 4] [--port 8287] [--keep]

Copies the template database of scripts/odoo_env.py, installs customer_crm
(without its demo data, as in production), starts Odoo with ``--workers=4``
and ``--max-cron-threads=1`` on 127.0.0.1, and drives the main flows through
JSON-RPC (``/jsonrpc`` ``execute_kw`` as admin/admin) from several client
threads for a bounded time: create a customer, a quotation, log a note,
confirm, invoice, post, log notes on the invoice and the customer, search
the customer list, open the customer's form.  A race client posts two
invoices of one new customer at the same moment.  It prints calls, calls
per second and the 95th percentile of each step.  Then it stops the server
and checks the invariants of the features present:

* every RPC call succeeded;
* debtor numbers are unique and gap-free (when ``debtor_number`` exists), and
  every customer of a posted invoice has one (trigger ``invoice_posted``);
* every message posted on a customer's documents is linked to it (when
  ``mail.message.crm_partner_id`` exists);
* ``last_activity_date`` is the date of the newest message that counts as an
  activity (when the field exists);
* no ERROR/CRITICAL line in the server log.

Talks only to 127.0.0.1.  Exit status 0 when every check passes.
"""

import argparse
import itertools
import json
import os
import re
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the packages bench and scripts

from bench.rpc import HOST, Client  # noqa: E402
from bench.server import install_addon, start_server, stop_server  # noqa: E402
from scripts import odoo_env  # noqa: E402  (psql, template, clone and odoo-bin helpers)

NOTE = {"message_type": "comment"}  # what the chatter's "Log note" sends
# fields of the customer list and form read by the "search" and "open form" steps
LIST_FIELDS = ["display_name", "email", "phone", "city", "country_id", "user_id", "category_id"]
FORM_FIELDS = [
    "display_name",
    "street",
    "city",
    "email",
    "phone",
    "vat",
    "property_payment_term_id",
    "sale_order_count",
    "total_invoiced",
    "invoice_ids",
    "message_ids",
]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.ops = Counter()
        self.errors = []
        self.times = defaultdict(list)

    def op(self, name):
        with self.lock:
            self.ops[name] += 1

    def timed(self, step, call, *args, **kwargs):
        """``call(*args, **kwargs)``, its duration recorded under ``step``."""
        start = time.perf_counter()
        result = call(*args, **kwargs)
        with self.lock:
            self.times[step].append(time.perf_counter() - start)
        return result

    def table(self, seconds):
        """Throughput and 95th percentile per step of the flows."""
        lines = [f"    {'step':<16} {'calls':>6} {'per s':>7} {'p95 (ms)':>9}"]
        for step, recorded in self.times.items():
            durations = sorted(recorded)
            p95 = durations[min(len(durations) - 1, int(0.95 * len(durations)))]
            lines.append(f"    {step:<16} {len(durations):>6} {len(durations) / seconds:>7.2f} {p95 * 1000:>9.0f}")
        return "\n".join(lines)

    def error(self, what):
        with self.lock:
            self.errors.append(what)


def flow(client, product_id, n, tag, stats):
    """One customer through the main flow, each step timed; raises on error."""
    ctx = {"mail_notify_force_send": False}
    t = stats.timed
    partner = t(
        "create customer",
        client,
        "res.partner",
        "create",
        {"name": f"MW {tag} Kunde {n}", "is_company": True},
        context=ctx,
    )
    order = t(
        "quote",
        client,
        "sale.order",
        "create",
        {"partner_id": partner, "order_line": [(0, 0, {"product_id": product_id, "product_uom_qty": 2})]},
        context=ctx,
    )
    t(
        "note",
        client,
        "sale.order",
        "message_post",
        [order],
        body=f"Angebot {n} besprochen",
        subtype_xmlid="mail.mt_note",
        **NOTE,
    )
    t("confirm", client, "sale.order", "action_confirm", [order], context=ctx)
    wctx = dict(ctx, active_model="sale.order", active_ids=[order], active_id=order)
    wizard = client("sale.advance.payment.inv", "create", {"advance_payment_method": "delivered"}, context=wctx)
    t("invoice", client, "sale.advance.payment.inv", "create_invoices", [wizard], context=wctx)
    invoices = client("sale.order", "read", [order], ["invoice_ids"])[0]["invoice_ids"]
    t("post", client, "account.move", "action_post", invoices, context=ctx)
    t(
        "note",
        client,
        "account.move",
        "message_post",
        invoices[:1],
        body=f"Rechnung {n} verschickt",
        subtype_xmlid="mail.mt_note",
        **NOTE,
    )
    t(
        "note",
        client,
        "res.partner",
        "message_post",
        [partner],
        body=f"Telefonat {n}",
        subtype_xmlid="mail.mt_note",
        **NOTE,
    )
    t(
        "search",
        client,
        "res.partner",
        "search_read",
        [("customer_rank", ">", 0), ("name", "ilike", f"{tag} Kunde")],
        LIST_FIELDS,
        limit=80,
    )
    t("open form", client, "res.partner", "read", [partner], FORM_FIELDS)
    return partner


def client_loop(client, product_id, deadline, stats, tag):
    for n in itertools.count(1):
        if time.time() > deadline:
            break
        try:
            flow(client, product_id, n, tag, stats)
            stats.op("flows")
        except Exception as exc:
            stats.error(f"client {tag} flow {n}: {exc}")


def race_loop(a, b, product_id, deadline, stats):
    """Two clients post the first two invoices of a new customer at once."""
    for n in itertools.count(1):
        if time.time() > deadline:
            break
        try:
            partner = a("res.partner", "create", {"name": f"MW Race Kunde {n}", "is_company": True})
            line = {"product_id": product_id, "quantity": 1, "price_unit": 50}
            moves = [
                a(
                    "account.move",
                    "create",
                    {"move_type": "out_invoice", "partner_id": partner, "invoice_line_ids": [(0, 0, line)]},
                )
                for _ in range(2)
            ]
            barrier = threading.Barrier(2)
            failures = []

            def post(client, move, barrier=barrier, failures=failures):
                barrier.wait()
                try:
                    client("account.move", "action_post", [move])
                except Exception as exc:
                    failures.append(str(exc))

            threads = [threading.Thread(target=post, args=(c, m)) for c, m in zip((a, b), moves, strict=True)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            for failure in failures:
                stats.error(f"race {n}: {failure}")
            stats.op("races")
        except Exception as exc:
            stats.error(f"race {n}: {exc}")


# invariants ---------------------------------------------------------------------


def check_invariants(db, first_message_id, log):
    """Problems found in the database after the run (in-process ORM)."""
    sys.path.insert(0, str(odoo_env.ODOO_PATH))
    import odoo

    addons = f"{odoo_env.ODOO_PATH}/addons,{odoo_env.ODOO_PATH}/odoo/addons,{ROOT}"
    odoo.tools.config.parse_config([f"--addons-path={addons}", f"--logfile={log}", "--log-level=warn", "--no-http"])
    registry = odoo.modules.registry.Registry(db)
    problems, notes = [], []
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        Partner = env["res.partner"]
        run_partners = Partner.search([("name", "=like", "MW %")])
        notes.append(f"{len(run_partners)} customers created in the run")
        problems += check_debtor_numbers(env, run_partners, notes)
        problems += check_message_links(env, first_message_id, notes)
        problems += check_last_activity(env, run_partners, notes)
        cr.rollback()
    odoo.sql_db.close_all()
    return problems, notes


def check_debtor_numbers(env, run_partners, notes):
    problems = []
    env.cr.execute("SELECT debtor_number FROM res_partner WHERE debtor_number IS NOT NULL")
    numbers = [row[0] for row in env.cr.fetchall()]
    dupes = [n for n, c in Counter(numbers).items() if c > 1]
    if dupes:
        problems.append(f"duplicate debtor numbers: {dupes[:10]}")
    by_prefix = {}
    for number in numbers:
        m = re.fullmatch(r"(.*?)(\d+)(\D*)", number)
        if m:
            by_prefix.setdefault((m.group(1), m.group(3)), []).append(int(m.group(2)))
    for (prefix, suffix), values in by_prefix.items():
        values.sort()
        gaps = sorted(set(range(values[0], values[-1] + 1)) - set(values))
        if gaps:
            problems.append(f"gaps in debtor numbers {prefix}…{suffix}: {gaps[:10]}")
    invoiced = (
        env["account.move"]
        .search([("state", "=", "posted"), ("move_type", "=", "out_invoice"), ("partner_id", "in", run_partners.ids)])
        .partner_id.commercial_partner_id
    )
    triggers = (
        set(env["res.company"].search([]).mapped("debtor_number_trigger"))
        if ("debtor_number_trigger" in env["res.company"]._fields)
        else set()
    )
    if triggers <= {"invoice_posted", "invoice_created", "order_confirmed"} and triggers:
        missing = invoiced.filtered(lambda p: not p.debtor_number)
        if missing:
            problems.append(f"{len(missing)} customers with posted invoices but no debtor number: {missing.ids[:10]}")
    notes.append(f"{len(numbers)} debtor numbers, {len(invoiced)} invoiced run customers, triggers {sorted(triggers)}")
    return problems


def check_message_links(env, first_message_id, notes):
    problems = []
    Message = env["mail.message"]
    log_models = Message._crm_log_models()
    messages = Message.search([("id", ">=", first_message_id), ("model", "in", list(log_models))])
    wrong = 0
    for model, msgs in messages.grouped("model").items():
        field, domain = log_models[model]
        docs = env[model].search([("id", "in", msgs.mapped("res_id")), *domain])
        partner_of = {doc.id: (doc if field == "id" else doc[field]).commercial_partner_id for doc in docs}
        for msg in msgs:
            if msg.res_id in partner_of and msg.crm_partner_id != partner_of[msg.res_id]:
                wrong += 1
                if wrong <= 5:
                    problems.append(
                        f"message {msg.id} on {model},{msg.res_id} linked to {msg.crm_partner_id.id}, "
                        f"expected {partner_of[msg.res_id].id}"
                    )
    if wrong > 5:
        problems.append(f"... {wrong} messages wrongly linked in all")
    notes.append(f"{len(messages)} messages of the run checked for their customer link")
    return problems


def check_last_activity(env, run_partners, notes):
    problems = []
    Message = env["mail.message"]
    domain = Message._crm_activity_domain()
    newest = {
        partner.id: date
        for partner, date in Message._read_group(
            [("crm_partner_id", "in", run_partners.ids), *domain], ["crm_partner_id"], ["date:max"]
        )
    }
    wrong = [p for p in run_partners if (p.last_activity_date or None) != newest.get(p.id)]
    for partner in wrong[:5]:
        problems.append(
            f"customer {partner.id}: last_activity_date {partner.last_activity_date}, newest activity "
            f"{newest.get(partner.id)}"
        )
    if len(wrong) > 5:
        problems.append(f"... {len(wrong)} customers with a wrong last activity in all")
    notes.append(f"{len(run_partners)} last activity dates checked")
    return problems


def drive(args, log):
    """Start the server, run the clients until the deadline, stop the server."""
    stats = Stats()
    proc = start_server(args.db, args.port, log, cron_threads=1, workers=args.workers)
    try:
        admin = Client(args.port, args.db, timeout=120)
        product_id = admin(
            "product.product",
            "create",
            {"name": "MW Beratung", "type": "service", "list_price": 90.0, "invoice_policy": "order"},
        )
        clients = [Client(args.port, args.db, timeout=120) for _ in range(args.clients + 2)]
        for client in clients:  # let both workers load the registry before the clock starts
            client("res.partner", "search_count", [])
        deadline = time.time() + args.seconds
        print(f"==> {args.clients} clients + 1 race client for {args.seconds}s", flush=True)
        threads = [
            threading.Thread(target=client_loop, args=(clients[i], product_id, deadline, stats, f"C{i}"))
            for i in range(args.clients)
        ]
        threads.append(threading.Thread(target=race_loop, args=(*clients[-2:], product_id, deadline, stats)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    except Exception:
        stats.error(traceback.format_exc())
    finally:
        stop_server(proc)
    return stats


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=60, help="how long the clients run (default 60)")
    parser.add_argument("--clients", type=int, default=16, help="client threads running the main flow (default 16)")
    parser.add_argument("--workers", type=int, default=4, help="Odoo HTTP workers (default 4)")
    base = os.environ.get("CUSTOMER_CRM_TEST_DB", "customer_crm_test")
    parser.add_argument("--db", default=f"{base}_mw")
    parser.add_argument("--port", type=int, default=int(os.environ.get("CUSTOMER_CRM_TEST_PORT", "8169")) + 100)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--check-only", action="store_true", help="only check the invariants of a kept database")
    args = parser.parse_args()
    tmp = Path(tempfile.gettempdir())
    log, install_log, check_log = (tmp / f"{args.db}{s}.log" for s in ("", "_install", "_check"))
    for path in (log, install_log, check_log):
        path.unlink(missing_ok=True)
    state = tmp / f"{args.db}.json"
    if args.check_only:
        found, notes = check_invariants(args.db, json.loads(state.read_text())["first_message_id"], check_log)
        print("\n".join([*(f"    {n}" for n in notes), *(f"  PROBLEM: {p}" for p in found)]))
        return 1 if found else 0
    print(f"==> {args.db}: template copy, installing customer_crm", flush=True)
    install_addon(args.db, install_log, demo=False)
    first_message_id = int(odoo_env.psql("SELECT coalesce(max(id), 0) + 1 FROM mail_message", db=args.db))
    state.write_text(json.dumps({"first_message_id": first_message_id}))
    print(f"==> Odoo --workers={args.workers} --max-cron-threads=1 on {HOST}:{args.port} (log {log})", flush=True)
    stats = drive(args, log)
    print(f"    done: {dict(stats.ops)}; {len(stats.errors)} RPC error(s)")
    print(stats.table(args.seconds))
    problems = [f"RPC error: {e[:500]}" for e in stats.errors]
    if not stats.ops["flows"]:
        problems.append("no flow completed")
    found, notes = check_invariants(args.db, first_message_id, check_log)
    problems += found
    text = log.read_text(errors="replace") if log.exists() else ""
    problems += [f"server log: {line[:300]}" for line in text.splitlines() if odoo_env.ERROR_LINE_RE.search(line)]
    retries = len(re.findall(r"SERIALIZATION_FAILURE", text))
    notes.append(f"{retries} serialization conflict line(s) in the server log (retried by Odoo)")
    for note in notes:
        print(f"    {note}")
    for problem in problems:
        print(f"  PROBLEM: {problem}")
    print(f"==> multiworker: {'FAILED' if problems else 'OK'}")
    if not problems and not args.keep:
        odoo_env.drop_db(args.db)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
