"""Building blocks of the benchmark: the Scenario interface, seeding, timing.

A scenario module in ``bench/scenarios/`` exposes ``SCENARIOS``, a list of
:class:`Scenario`.  ``bench/run.py`` runs every scenario in a database with
customer_crm installed and in an identically seeded twin without it, each
time in a transaction that is rolled back afterwards, and reports time and
queries per operation.
"""

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

# The user scenarios run as: the administrator (not the superuser, so access
# rules and record rules are part of the measurement).
BENCH_UID = 2
SEED_TAG = "Bench"
NAMES = ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann"]
CITIES = ["Berlin", "Hamburg", "München", "Köln", "Frankfurt", "Stuttgart", "Leipzig", "Dresden", "Bremen", "Hannover"]


@dataclass
class Scenario:
    """One measured workload.

    ``run(env, size)`` does ``size`` operations (or what it can) inside ``env``
    and returns the number of operations done; 0 means "not applicable here"
    (for example a field of a feature that is not installed).  ``size`` is the
    number of operations of a normal run; ``--smoke`` and ``--ops`` scale it.
    ``setup(env, size)``, when given, prepares data outside the timing; its
    return value is then passed to ``run`` as a third argument:
    ``run(env, size, prepared)``.  ``needs_addon`` scenarios run only in the
    database with customer_crm.  Whatever a scenario writes is rolled back.
    ``seed(env)``, when given, adds data of its own once, with the seeding
    (committed, in both databases, before the install and ``VACUUM ANALYZE``):
    data a database has had for years, not rows of the measured transaction.
    """

    name: str
    run: Callable
    size: int = 100
    needs_addon: bool = False
    setup: Callable | None = None
    seed: Callable | None = None


@dataclass
class Result:
    ops: int = 0
    seconds: float = 0.0
    queries: int = 0
    error: str = ""
    # CPU seconds of the Odoo process and of its PostgreSQL backend (None when
    # the backend is not a process of this machine)
    cpu: float | None = None

    @property
    def per_op(self):
        return self.seconds / self.ops if self.ops else 0.0

    @property
    def cpu_per_op(self):
        return self.cpu / self.ops if self.ops and self.cpu is not None else None

    @property
    def queries_per_op(self):
        return self.queries / self.ops if self.ops and self.queries >= 0 else None


def measure(env, scenario, size):
    """Run ``scenario`` in ``env`` and measure it; the caller rolls back."""
    cr = env.cr
    prepared = None
    if scenario.setup:
        prepared = scenario.setup(env, size)
    env.flush_all()
    env.invalidate_all()
    count0 = cr.sql_log_count
    backend = cr._cnx.get_backend_pid()
    cpu0 = cpu_seconds(backend)
    t0 = time.perf_counter()
    ops = scenario.run(env, size, prepared) if scenario.setup else scenario.run(env, size)
    env.flush_all()
    seconds = time.perf_counter() - t0
    cpu1 = cpu_seconds(backend)
    cpu = cpu1 - cpu0 if cpu0 is not None and cpu1 is not None else None
    return Result(ops=int(ops or 0), seconds=seconds, queries=cr.sql_log_count - count0, cpu=cpu)


def cpu_seconds(backend_pid):
    """CPU time (user and system) of this process and of the PostgreSQL
    backend ``backend_pid``, or None when the backend's /proc entry cannot be
    read (a server on another machine).  Unlike the wall time it leaves out
    the time spent waiting for a core another program holds, the main noise
    of a shared machine (the backend's ticks are 10 ms: read it over runs of
    a second or more)."""
    try:
        with open(f"/proc/{backend_pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime are fields 14 and 15 of stat(5); the split starts at field 3
    ticks = int(fields[11]) + int(fields[12])
    return time.process_time() + ticks / os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------------------
# helpers for scenarios


def form_spec(env):
    """What the web client asks ``web_read`` for when it opens a customer:
    the fields of the default res.partner form view, x2many lists with the
    fields and the limit of their sub-view."""
    Partner = env["res.partner"]
    arch = etree.fromstring(Partner.get_views([(False, "form")])["views"]["form"]["arch"])
    spec = {}
    for node in arch.iter("field"):
        if any(anc.tag in ("list", "kanban", "form") for anc in node.iterancestors() if anc is not arch):
            continue
        field = Partner._fields.get(node.get("name"))
        if field is None:
            continue
        if field.type in ("one2many", "many2many"):
            sub = node.find("list")
            if sub is None:
                sub = node.find("kanban")
            names = {n.get("name") for n in sub.iter("field")} if sub is not None else {"display_name"}
            limit = int(sub.get("limit", 40)) if sub is not None else 40
            spec[field.name] = {"fields": {name: {} for name in names if name}, "limit": limit}
        elif field.type == "many2one":
            spec[field.name] = {"fields": {"display_name": {}}}
        else:
            spec[field.name] = {}
    return spec


def as_requests(records):
    """``records`` one by one, each as a request of the web client gets it
    (a button such as Confirm or Post on one document): the changes of the
    one before written, an empty cache, and a recordset of that record alone,
    so that what it computes is computed for it and not for all of
    ``records`` at once."""
    for record_id in records.ids:
        records.env.invalidate_all()  # flushes first
        yield records.browse(record_id)


def bench_customers(env, limit, offset=0):
    """Seeded customer companies (commercial partners with customer rank),
    ``limit`` of them, spread over the whole table."""
    env.cr.execute(
        "SELECT count(*) FROM res_partner WHERE name LIKE %s AND is_company AND parent_id IS NULL",
        [f"{SEED_TAG} %"],
    )
    total = env.cr.fetchone()[0]
    if not total:
        return env["res.partner"].search([("customer_rank", ">", 0), ("is_company", "=", True)], limit=limit)
    step = max(1, total // max(limit, 1))
    env.cr.execute(
        """SELECT id FROM res_partner WHERE name LIKE %s AND is_company AND parent_id IS NULL
           ORDER BY id OFFSET %s""",
        [f"{SEED_TAG} %", offset],
    )
    ids = [row[0] for row in env.cr.fetchall()][::step][:limit]
    return env["res.partner"].browse(ids)


def bench_product(env):
    product = env["product.product"].search([("default_code", "=", "BENCH-SRV")], limit=1)
    if not product:
        product = (
            env["product.product"]
            .sudo()  # seeding only: the bench product is created once, outside any measurement
            .create(
                {
                    "name": "Bench Beratung",
                    "default_code": "BENCH-SRV",
                    "type": "service",
                    "list_price": 120.0,
                    "invoice_policy": "order",
                }
            )
        )
    return product


def order_vals(partner, product, price=100.0):
    return {
        "partner_id": partner.id,
        "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 2, "price_unit": price})],
    }


def invoice_vals(partner, product, price=100.0):
    return {
        "move_type": "out_invoice",
        "partner_id": partner.id,
        "invoice_line_ids": [(0, 0, {"product_id": product.id, "quantity": 1, "price_unit": price})],
    }


# ---------------------------------------------------------------------------
# seeding


def seed(env, customers, docs=None, messages_per_customer=3, log=print):
    """Fill the database of ``env`` (superuser) with ``customers`` customer
    companies, one contact person each, ``docs`` quotations, ``docs`` confirmed
    orders and ``docs`` posted invoices, and ``messages_per_customer`` log
    notes per customer plus one per document.

    Partners and messages are inserted with SQL (fast for 100 000 customers);
    documents go through the ORM in batches, so their accounting is real.
    Deterministic: the same arguments give the same data.
    """
    cr = env.cr
    if docs is None:
        docs = min(max(customers // 3, 1), 5000)
    t0 = time.perf_counter()
    country = env.ref("base.de")
    note = env.ref("mail.mt_note")
    author = env.ref("base.partner_admin")
    cr.execute(
        """
        INSERT INTO res_partner (
            name, complete_name, commercial_company_name, is_company, type, active,
            customer_rank, supplier_rank, email, email_normalized, street, zip, city,
            country_id, lang, color, partner_share, autopost_bills, invoice_warn,
            sale_warn, message_bounce, create_uid, write_uid, create_date, write_date)
        SELECT n, n, n, true, 'contact', true, 1, 0, e, e, 'Hauptstraße ' || g,
               lpad((10000 + g %% 89999)::text, 5, '0'), (%(cities)s::varchar[])[1 + g %% 10],
               %(country)s, 'en_US', 0, true, 'ask', 'no-message', 'no-message', 0, 1, 1,
               now() - (g %% 1500) * interval '1 day', now() - (g %% 1500) * interval '1 day'
          FROM (SELECT g, %(tag)s || ' ' || (%(names)s::varchar[])[1 + g %% 10] || ' ' || g || ' GmbH' AS n,
                       'info' || g || '@kunde' || g || '.example' AS e
                  FROM generate_series(1, %(n)s) g) s
        RETURNING id
        """,
        {"n": customers, "tag": SEED_TAG, "names": NAMES, "cities": CITIES, "country": country.id},
    )
    company_ids = [row[0] for row in cr.fetchall()]
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [company_ids])
    cr.execute(
        """
        INSERT INTO res_partner (
            name, complete_name, commercial_company_name, parent_id, commercial_partner_id,
            is_company, type, active, customer_rank, supplier_rank, email, email_normalized,
            street, zip, city, country_id, lang, color, partner_share, autopost_bills,
            invoice_warn, sale_warn, message_bounce, create_uid, write_uid, create_date, write_date)
        SELECT 'Ansprechpartner ' || p.id, p.name || ', Ansprechpartner ' || p.id, p.name, p.id, p.id,
               false, 'contact', true, 0, 0, 'kontakt' || p.id || '@bench.example',
               'kontakt' || p.id || '@bench.example', p.street, p.zip, p.city, p.country_id, 'en_US',
               0, true, 'ask', 'no-message', 'no-message', 0, 1, 1, p.create_date, p.create_date
          FROM res_partner p WHERE p.id = ANY(%s)
        """,
        [company_ids],
    )
    log(f"    {customers} customers and {customers} contact persons (SQL, {time.perf_counter() - t0:.1f}s)")

    # documents through the ORM, in batches
    t1 = time.perf_counter()
    senv = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True, mail_notrack=True))
    product = bench_product(senv)
    rnd = random.Random(42)  # noqa: S311  (reproducible test data, not security)
    partners = senv["res.partner"].browse(company_ids)
    pick = [partners[rnd.randrange(len(partners))] for _ in range(3 * docs)]
    batch = 200
    SaleOrder = senv["sale.order"]
    Move = senv["account.move"]
    for start in range(0, docs, batch):
        chunk = pick[start : min(start + batch, docs)]
        SaleOrder.create([order_vals(p, product, 50.0 + i % 7) for i, p in enumerate(chunk)])
        orders = SaleOrder.create(
            [order_vals(p, product, 80.0 + i % 5) for i, p in enumerate(pick[docs + start :][: len(chunk)])]
        )
        orders.action_confirm()
        moves = Move.create(
            [invoice_vals(p, product, 100.0 + i % 9) for i, p in enumerate(pick[2 * docs + start :][: len(chunk)])]
        )
        moves.action_post()
        senv.flush_all()
        senv.invalidate_all()
    log(f"    {docs} quotations, {docs} orders, {docs} posted invoices (ORM, {time.perf_counter() - t1:.1f}s)")

    # log notes: on customers and on each seeded document
    t2 = time.perf_counter()
    cr.execute(
        """
        INSERT INTO mail_message (model, res_id, body, message_type, subtype_id, author_id, is_internal,
                                  reply_to_force_new, email_add_signature, date, create_date, write_date,
                                  create_uid, write_uid, record_name)
        SELECT 'res.partner', p.id, '<p>Telefonat ' || k || ' mit ' || p.name || '</p>', 'comment', %(note)s,
               %(author)s, true, false, true, now() - ((p.id * 7 + k * 13) %% 1000) * interval '1 day',
               now(), now(), 2, 2, p.name
          FROM res_partner p CROSS JOIN generate_series(1, %(per)s) k
         WHERE p.id = ANY(%(ids)s)
        """,
        {"note": note.id, "author": author.id, "per": messages_per_customer, "ids": company_ids},
    )
    n_messages = cr.rowcount
    for model, table in (("sale.order", "sale_order"), ("account.move", "account_move")):
        cr.execute(
            f"""
            INSERT INTO mail_message (model, res_id, body, message_type, subtype_id, author_id, is_internal,
                                      reply_to_force_new, email_add_signature, date, create_date, write_date,
                                      create_uid, write_uid, record_name)
            SELECT %(model)s, d.id, '<p>Rückfrage zu ' || d.name || '</p>', 'comment', %(note)s, %(author)s,
                   true, false, true, now() - (d.id %% 400) * interval '1 day', now(), now(), 2, 2, d.name
              FROM {table} d JOIN res_partner p ON p.id = d.partner_id
             WHERE p.name LIKE %(tag)s
            """,
            {"model": model, "note": note.id, "author": author.id, "tag": f"{SEED_TAG} %"},
        )
        n_messages += cr.rowcount
    log(f"    {n_messages} log notes (SQL, {time.perf_counter() - t2:.1f}s)")
    env.invalidate_all()
    return {"customers": customers, "contacts": customers, "docs": docs, "messages": n_messages}
