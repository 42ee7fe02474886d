"""Core flows of sales and accounting, with and without customer_crm.

(Log notes on documents and the last-activity filter are in activity.py.)

What every user does all day; customer_crm hooks into each of them (debtor
numbers on posting, labels on documents, the activity log on notes, computed
overview fields on the form), so these rows show what the addon costs.
"""

from lxml import etree

from bench.lib import NAMES, Scenario, as_requests, bench_customers, bench_product, form_spec, invoice_vals, order_vals


def _list_fields(env):
    """Fields the web client reads for the default list view of res.partner."""
    views = env["res.partner"].get_views([(False, "list")])
    # the fields of the arch: "models" also names fields of nodes the user's groups hide
    arch = etree.fromstring(views["views"]["list"]["arch"])
    return sorted({node.get("name") for node in arch.iter("field")} & set(views["models"]["res.partner"]["fields"]))


# invoice posting ----------------------------------------------------------


def setup_invoices(env, size):
    product = bench_product(env)
    partners = bench_customers(env, size, offset=1)
    return env["account.move"].create([invoice_vals(p, product, 100.0 + i) for i, p in enumerate(partners)])


def post_invoices(env, size, moves):
    for move in as_requests(moves):
        move.action_post()
    return len(moves)


# quotation creation and confirmation ---------------------------------------


def create_quotations(env, size):
    product = bench_product(env)
    SaleOrder = env["sale.order"]
    partners = bench_customers(env, size, offset=2)
    for partner in as_requests(partners):
        SaleOrder.create(order_vals(partner, product))
    return len(partners)


def setup_quotations(env, size):
    product = bench_product(env)
    partners = bench_customers(env, size, offset=3)
    return env["sale.order"].create([order_vals(p, product) for p in partners])


def confirm_orders(env, size, orders):
    for order in as_requests(orders):
        order.action_confirm()
    return len(orders)


# customer form and list ------------------------------------------------------


def setup_form(env, size):
    return bench_customers(env, size, offset=4).ids, form_spec(env)


def open_customer_forms(env, size, prepared):
    partner_ids, spec = prepared
    Partner = env["res.partner"]
    for partner_id in partner_ids:
        env.invalidate_all()  # every form opens on a cold cache, as in a new request
        # as the web client opens a form: web_read of that one record (a
        # record of a recordset would compute the form's fields for all of it)
        Partner.browse(partner_id).web_read(spec)
    return len(partner_ids)


def setup_list(env, size):
    return _list_fields(env)


def search_customer_list(env, size, fnames):
    Partner = env["res.partner"]
    spec = {fname: {} for fname in fnames}
    for i in range(size):
        env.invalidate_all()
        domain = [("customer_rank", ">", 0), ("name", "ilike", NAMES[i % len(NAMES)])]
        Partner.web_search_read(domain, spec, limit=80)
    return size


SCENARIOS = [
    Scenario(name="invoice posting", run=post_invoices, setup=setup_invoices, size=50),
    Scenario(name="quotation creation", run=create_quotations, size=50),
    Scenario(name="order confirmation", run=confirm_orders, setup=setup_quotations, size=50),
    Scenario(name="customer form open", run=open_customer_forms, setup=setup_form, size=100),
    Scenario(name="customer list search", run=search_customer_list, setup=setup_list, size=50),
]
