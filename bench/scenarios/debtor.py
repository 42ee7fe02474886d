"""Debtor numbers: the cost of drawing numbers when invoices are posted, and
bulk numbering of existing customers.

* "invoice posting (new customers)": ``size`` new customers, one draft invoice
  each (prepared outside the timing); the timed part posts the invoices one by
  one, as users do.  Runs with and without the addon: the ratio is the
  overhead of drawing the first debtor number (goal <= 1.05), the runner also
  reports the queries per posting.
* "invoice posting (numbered customers)": the same, for customers that
  already have their number: their first invoice is posted in the setup, the
  timed part posts a second one each (goal <= 1.01: nothing to draw).
* "bulk numbering": ``size`` customers without a number get one through the
  bulk wizard (Action > Assign Debtor Numbers), ordered by name (goal: 10,000
  customers well under a minute).
"""

from bench.lib import Scenario, as_requests


def _product(env):
    product = env["product.product"].search([("default_code", "=", "BENCH-DEBTOR")], limit=1)
    return product or env["product.product"].create(
        {"name": "Bench Debtor", "default_code": "BENCH-DEBTOR", "type": "service", "list_price": 100.0}
    )


def _new_customers(env, size, tag):
    return env["res.partner"].create(
        [{"name": f"{tag} {i:05d}", "is_company": True, "customer_rank": 1} for i in range(size)]
    )


def _draft_invoices(env, partners):
    product = _product(env)
    return env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_line_ids": [(0, 0, {"product_id": product.id, "quantity": 1, "price_unit": 100.0})],
            }
            for partner in partners
        ]
    )


def setup_invoices(env, size):
    """``size`` new customers with one draft customer invoice each."""
    return _draft_invoices(env, _new_customers(env, size, "Bench Debtor Invoice")).ids


def setup_numbered(env, size):
    """``size`` new customers whose first invoice is posted (with the addon:
    they have their debtor number), with a second draft invoice each."""
    partners = _new_customers(env, size, "Bench Debtor Numbered")
    _draft_invoices(env, partners).action_post()
    return _draft_invoices(env, partners).ids


def post_second_invoices(env, size, prepared=None):
    """Post the second invoice of each numbered customer, one at a time."""
    moves = env["account.move"].browse(prepared if prepared is not None else setup_numbered(env, size))
    numbered = "debtor_number" in env["res.partner"]._fields
    numbers = moves.commercial_partner_id.mapped("debtor_number") if numbered else None
    for move in as_requests(moves):
        move.action_post()
    if numbered:
        assert all(numbers), "the first invoice drew a debtor number"
        assert moves.commercial_partner_id.mapped("debtor_number") == numbers, "a posting changed a debtor number"
    return len(moves)


def post_invoices(env, size, prepared=None):
    """Post the first invoice of each new customer, one posting at a time."""
    move_ids = prepared if prepared is not None else setup_invoices(env, size)
    moves = env["account.move"].browse(move_ids)
    for move in as_requests(moves):
        move.action_post()
    if "debtor_number" in env["res.partner"]._fields:
        numbered = moves.commercial_partner_id.filtered("debtor_number")
        assert len(numbered) == len(moves), "every new customer got a debtor number"
    return len(moves)


def setup_customers(env, size):
    return _new_customers(env, size, "Bench Debtor Bulk").ids


def bulk_numbering(env, size, prepared=None):
    """Number ``size`` customers at once with the bulk wizard."""
    partner_ids = prepared if prepared is not None else setup_customers(env, size)
    wizard = (
        env["customer_crm.debtor.number.assign"]
        .with_context(active_model="res.partner", active_ids=partner_ids)
        .create({"order": "name"})
    )
    wizard.action_assign()
    env.cr.execute(
        "SELECT count(*) FROM res_partner WHERE id IN %s AND debtor_number IS NOT NULL", [tuple(partner_ids)]
    )
    return env.cr.fetchone()[0]


SCENARIOS = [
    Scenario(name="invoice posting (new customers)", run=post_invoices, size=1000, setup=setup_invoices),
    Scenario(name="invoice posting (numbered customers)", run=post_second_invoices, size=1000, setup=setup_numbered),
    Scenario(name="bulk numbering", run=bulk_numbering, size=10000, needs_addon=True, setup=setup_customers),
]
