"""Labels: what copying customer tags onto documents costs.

Both scenarios run with and without customer_crm on the same data: the
customers get two tags before the measurement, so that with the addon every
quotation and invoice receives two labels.  Without the addon the same
documents are made, without labels.

Measured on the shared 2-core machine (300 ops, twice each, noisy): time
ratio 0.97 (quotations) and 0.92 (invoicing), i.e. within the noise; 3 more
queries per quotation (30.2 -> 33.2) and per invoice (56.4 -> 59.5): the
customer's tags in one query and the INSERTs of the labels, constant per
``create`` call whatever the batch size.
"""

from bench.lib import Scenario, as_requests, bench_customers, bench_product
from odoo.fields import Command

LINES = 5
TAG_NAMES = ("Bench Label Handwerk", "Bench Label Newsletter")


def _tagged_customers(env, size, offset):
    """``size`` seeded customers, each with the two bench tags."""
    Category = env["res.partner.category"]
    tags = Category.search([("name", "in", TAG_NAMES)])
    if len(tags) < len(TAG_NAMES):
        tags = Category.create([{"name": name, "color": i + 1} for i, name in enumerate(TAG_NAMES)])
    partners = bench_customers(env, size, offset=offset)
    partners.write({"category_id": [Command.set(tags.ids)]})
    return partners


def _quotation_vals(partner, product):
    return {
        "partner_id": partner.id,
        "order_line": [
            Command.create({"product_id": product.id, "product_uom_qty": 1 + line, "price_unit": 40.0 + 10 * line})
            for line in range(LINES)
        ],
    }


# quotation creation ----------------------------------------------------------


def setup_quotation_creation(env, size):
    return _tagged_customers(env, size, offset=6), bench_product(env)


def create_quotations(env, size, prepared):
    """One quotation of 5 lines at a time, as the web client saves them."""
    partners, product = prepared
    SaleOrder = env["sale.order"]
    for partner in as_requests(partners):
        SaleOrder.create(_quotation_vals(partner, product))
    return len(partners)


# invoicing --------------------------------------------------------------------


def setup_invoicing(env, size):
    product = bench_product(env)
    partners = _tagged_customers(env, size, offset=7)
    orders = env["sale.order"].create([_quotation_vals(partner, product) for partner in partners])
    orders.action_confirm()
    return orders


def invoice_quotations(env, size, orders):
    """Each confirmed quotation invoiced on its own ("Create Invoice")."""
    for order in as_requests(orders):
        order._create_invoices()
    return len(orders)


SCENARIOS = [
    Scenario(
        name="quotation creation (5 lines)",
        run=create_quotations,
        setup=setup_quotation_creation,
        size=1000,
    ),
    Scenario(name="invoicing quotations", run=invoice_quotations, setup=setup_invoicing, size=1000),
]
