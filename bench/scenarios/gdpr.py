"""Archive, delete, GDPR: what the delete protection costs, and the export
and erase dry run of a customer.

customer_crm checks every partner deletion for documents that refer to the
partner (two searches); "partner deletion" shows that cost against the twin
without the addon.
"""

from bench.lib import Scenario, bench_customers


def setup_deletable_partners(env, size):
    return env["res.partner"].create(
        [{"name": f"Bench Löschkontakt {i}", "email": f"del{i}@bench.example"} for i in range(size)]
    )


def delete_partners(env, size, partners):
    for partner in partners:
        partner.unlink()
    return len(partners)


def export_personal_data(env, size):
    customers = bench_customers(env, size, offset=7)
    for customer in customers:
        env.invalidate_all()
        customer.gdpr_export_data()
    return len(customers)


def erase_dry_run(env, size):
    customers = bench_customers(env, size, offset=8)
    for customer in customers:
        env.invalidate_all()
        customer.gdpr_erase(dry_run=True)
    return len(customers)


SCENARIOS = [
    Scenario(name="partner deletion", run=delete_partners, setup=setup_deletable_partners, size=200),
    Scenario(name="GDPR export of a customer", run=export_personal_data, size=20, needs_addon=True),
    Scenario(name="GDPR erase dry run", run=erase_dry_run, size=20, needs_addon=True),
]
