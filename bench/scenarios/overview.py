"""Customer overview: opening the form of a customer with many invoices.

Issue 7 asks that a customer with 10 000 invoices opens in under 30 queries
and 300 ms of server time.  The setup gives one seeded customer that many
posted invoices, cloned with SQL from one real posted invoice (header rows
only: the overview reads invoice headers, never their lines), half of them
paid, spread over three years; made with the seeding, so that they are in
the statistics and the visibility map as a customer's invoices of years are.
The form is read as the web client reads it (``web_read`` with the form
view's fields, x2many lists with their limit), on a cold cache each time.
"""

from bench.lib import Scenario, bench_product, form_spec, invoice_vals

INVOICES = 10_000
LARGE_CUSTOMER = "Großkunde Überblick AG"


def _customer_with_invoices(env, count):
    """A seeded customer with ``count`` posted customer invoices: the one
    of the seeding (``seed_invoices``), or one made now (``--reuse`` of
    databases seeded before)."""
    # a customer of its own, outside bench_customers(): the other scenarios
    # (postings, the list, a batch of forms) keep the data they had
    Partner = env["res.partner"]
    customer = Partner.search([("name", "=", LARGE_CUSTOMER)], limit=1) or Partner.create(
        {"name": LARGE_CUSTOMER, "is_company": True, "customer_rank": 1}
    )
    env.cr.execute("SELECT count(*) FROM account_move WHERE partner_id = %s AND ref = 'BENCH/OVW'", [customer.id])
    if env.cr.fetchone()[0] >= count:
        return customer
    template = env["account.move"].search(
        [("move_type", "=", "out_invoice"), ("state", "=", "posted"), ("company_id", "=", env.company.id)], limit=1
    )
    if not template:
        template = env["account.move"].create(invoice_vals(customer, bench_product(env)))
        template.action_post()
    env.flush_all()
    cr = env.cr
    cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_name = 'account_move' AND column_name NOT IN
                  ('id', 'name', 'sequence_number', 'ref', 'partner_id', 'commercial_partner_id', 'invoice_date',
                   'invoice_date_due', 'date', 'amount_residual', 'amount_residual_signed', 'payment_state')"""
    )
    columns = [row[0] for row in cr.fetchall()]
    column_list = ", ".join(f'"{c}"' for c in columns)
    # Column names come from the catalogue, values are parameters.  The
    # invoices continue the journal's numbering (name and sequence_number),
    # so that invoices posted later in the run get the next free number.
    cr.execute(
        f"""
        WITH last AS (SELECT MAX(a.sequence_number) AS n FROM account_move a, account_move m
                       WHERE m.id = %(template)s AND a.journal_id = m.journal_id
                         AND a.sequence_prefix = m.sequence_prefix)
        INSERT INTO account_move ({column_list}, name, sequence_number, ref, partner_id, commercial_partner_id,
                                  invoice_date, invoice_date_due, date, amount_residual, amount_residual_signed,
                                  payment_state)
        SELECT {column_list}, m.sequence_prefix || lpad((last.n + g)::text, 5, '0'), last.n + g, 'BENCH/OVW',
               %(partner)s, %(partner)s,
               current_date - (g %% 1095), current_date - (g %% 1095) + 30, current_date - (g %% 1095),
               CASE WHEN g %% 2 = 0 THEN 0 ELSE m.amount_total END,
               CASE WHEN g %% 2 = 0 THEN 0 ELSE m.amount_total_signed END,
               CASE WHEN g %% 2 = 0 THEN 'paid' ELSE 'not_paid' END
          FROM account_move m, last, generate_series(1, %(count)s) g
         WHERE m.id = %(template)s
        """,
        {"partner": customer.id, "count": count, "template": template.id},
    )
    env.invalidate_all()
    return customer


def seed_invoices(env):
    _customer_with_invoices(env, INVOICES)


def setup_overview(env, size):
    return _customer_with_invoices(env, INVOICES), form_spec(env)


def open_overview_form(env, size, prepared):
    customer, spec = prepared
    for _i in range(size):
        env.invalidate_all()  # a new request: cold cache
        customer.web_read(spec)
    return size


def setup_figures(env, size):
    if "overview_revenue" not in env["res.partner"]._fields:
        return None
    return _customer_with_invoices(env, INVOICES)


def read_overview_figures(env, size, customer):
    if customer is None:
        return 0
    # imported here: the addons path is set only once the runner starts Odoo
    from odoo.addons.customer_crm.models.res_partner_overview import OVERVIEW_FIELDS

    for _i in range(size):
        env.invalidate_all()
        customer.read(OVERVIEW_FIELDS)
    return size


SCENARIOS = [
    Scenario(
        name=f"customer form open ({INVOICES} invoices)",
        run=open_overview_form,
        setup=setup_overview,
        seed=seed_invoices,
        size=20,
    ),
    Scenario(
        name=f"overview figures ({INVOICES} invoices)",
        run=read_overview_figures,
        setup=setup_figures,
        seed=seed_invoices,
        size=20,
        needs_addon=True,
    ),
]
