"""Customer insight: the duplicate warning and the payment figures.

* "duplicate check while typing": the new-customer form's onchange with a
  customer typed again under another spelling ("Bench Mueller 123 KG" for
  "Bench Müller 123 GmbH", same zip, the e-mail in capitals), as the web
  client sends it; issue 19 asks for under 50 ms on 100 000 customers
  (index-backed: VAT key, normalised e-mail, zip key, trigram name key).
  Each operation must find the seeded customer.
* "payment figures of a list page": the "Pays Late" filter and the payment
  columns of one list page (80 customers), grouped queries only.
"""

from bench.lib import Scenario, bench_customers

SPEC = {"name": {}, "zip": {}, "email": {}, "vat": {}, "is_company": {}, "parent_id": {}, "duplicate_partner_ids": {}}
PAGE = 80


def _typed_again(env, size):
    """Values of ``size`` seeded customers typed again, with their ids."""
    customers = bench_customers(env, size, offset=3)
    typed = []
    for customer in customers:
        name = (customer.name or "").replace("ü", "ue").replace("ä", "ae").replace("ö", "oe").replace(" GmbH", " KG")
        values = {"name": name, "zip": customer.zip, "email": (customer.email or "").upper(), "is_company": True}
        typed.append((customer.id, values))
    return typed


def check_duplicates_while_typing(env, size, typed):
    if "duplicate_partner_ids" not in env["res.partner"]._fields:
        return 0
    Partner = env["res.partner"].with_context(default_is_company=True)
    for customer_id, values in typed:
        # all three typed: the onchange compares with a record without them
        result = Partner.onchange(values, ["name", "zip", "email"], SPEC)
        found = [command[1] for command in result["value"].get("duplicate_partner_ids", [])]
        if customer_id not in found:
            raise AssertionError(f"duplicate of {customer_id} not found for {values}")
    return len(typed)


def payment_figures_of_a_page(env, size):
    if "payment_pays_late" not in env["res.partner"]._fields:
        return 0
    from odoo.addons.customer_crm.models.res_partner_payment import PAYMENT_FIELDS

    Partner = env["res.partner"]
    base = [("parent_id", "=", False), ("customer_rank", ">", 0)]
    for _i in range(size):
        env.invalidate_all()
        Partner.search_count([*base, ("payment_pays_late", "=", True)])
        Partner.search(base, limit=PAGE).read(PAYMENT_FIELDS)
    return size


SCENARIOS = [
    Scenario(
        name="duplicate check while typing",
        run=check_duplicates_while_typing,
        setup=_typed_again,
        size=100,
        needs_addon=True,
    ),
    Scenario(name="payment figures of a list page", run=payment_figures_of_a_page, size=20, needs_addon=True),
]
