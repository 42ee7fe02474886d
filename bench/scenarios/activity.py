"""Activity log (CRM): notes on documents and the last-activity filter.

* "log note on a quotation (activity log)": post log notes on quotations, with
  and without customer_crm; with it, each note is linked to the customer and
  moves its last activity (one query to resolve the customer per batch, one
  conditional UPDATE of the customer).
* "last-activity filter": the customer list filtered by "last activity before
  <date>", counted the way the list counts (needs the addon).
"""

from datetime import timedelta

from bench.lib import Scenario
from odoo import fields
from odoo.tools import SQL


def _quotations(env, size):
    orders = env["sale.order"].search([("state", "in", ("draft", "sent"))], limit=size, order="id")
    if len(orders) < size:
        orders |= env["sale.order"].search([("id", "not in", orders.ids)], limit=size - len(orders), order="id")
    return orders


def post_notes_on_quotations(env, size, orders):
    for order in orders:
        order.message_post(body="Angebot telefonisch besprochen.", message_type="comment", subtype_xmlid="mail.mt_note")
    return len(orders)


def report_index_use(env, size):
    """Print whether the filter can use the index of last_activity_date
    (sequential scans off, so that a small database does not hide it).  An
    index built in the install transaction after updates of the table is
    hidden from snapshots older than it (pg_index.indcheckxmin) while any
    transaction of the cluster is that old: then the plan does without it."""
    query = env["res.partner"]._search([("last_activity_date", "<", "2017-10-26")])
    env.cr.execute("SET LOCAL enable_seqscan = off")
    env.cr.execute(SQL("EXPLAIN %s", query.select()))
    plan = "\n".join(row[0] for row in env.cr.fetchall())
    env.cr.execute("SET LOCAL enable_seqscan = on")
    env.cr.execute(
        "SELECT indcheckxmin FROM pg_index WHERE indexrelid = 'res_partner__last_activity_date_index'::regclass"
    )
    hidden = env.cr.fetchone()[0]
    used = "res_partner__last_activity_date_index" in plan
    print(f"    last-activity filter: index {'used' if used else 'not used'}{' (indcheckxmin)' if hidden else ''}")


def filter_by_last_activity(env, size, _prepared=None):
    Partner = env["res.partner"]
    base = [("parent_id", "=", False), ("customer_rank", ">", 0)]
    now = fields.Datetime.now()
    for i in range(size):
        before = now - timedelta(days=30 + (i * 37) % 700)
        Partner.search_count([*base, ("last_activity_date", "<", before)])
        Partner.search([*base, ("last_activity_date", "<", before)], limit=80)
    return size


SCENARIOS = [
    Scenario(
        name="log note on a quotation (activity log)",
        run=post_notes_on_quotations,
        setup=_quotations,
        size=100,
    ),
    Scenario(
        name="last-activity filter",
        run=filter_by_last_activity,
        setup=report_index_use,
        size=50,
        needs_addon=True,
    ),
]
