"""Benchmarks of template customers: creating and importing customers.

With the addon the company has a default template customer, so every new
customer takes its values; the twin database without the addon creates the
same customers plainly.
"""

from bench.lib import Scenario


def _with_default_template(env):
    if "is_template_customer" not in env["res.partner"]._fields:
        return
    label = env["res.partner.category"].create({"name": "Bench-Vorlage"})
    term = env["account.payment.term"].search([], limit=1)
    template = env["res.partner"].create(
        {
            "name": "Bench-Musterkunde",
            "is_company": True,
            "is_template_customer": True,
            "property_payment_term_id": term.id,
            "category_id": [(6, 0, label.ids)],
            "default_discount": 5.0,
            "default_quote_text": "<p>Bench</p>",
        }
    )
    env.company.default_template_customer_id = template


def create_customers(env, size):
    _with_default_template(env)
    env["res.partner"].create(
        [{"name": f"Bench-Kunde {i}", "is_company": True, "customer_rank": 1} for i in range(size)]
    )
    env.flush_all()
    return size


def import_customers(env, size):
    _with_default_template(env)
    result = env["res.partner"].load(
        ["name", "is_company", "customer_rank"], [[f"Bench-Import {i}", "1", "1"] for i in range(size)]
    )
    env.flush_all()
    return len(result["ids"])


SCENARIOS = [
    Scenario(name="create customers (default template)", run=create_customers, size=500, needs_addon=False),
    Scenario(name="import customers (default template)", run=import_customers, size=500, needs_addon=False),
]
