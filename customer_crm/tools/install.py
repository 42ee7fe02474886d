"""Helpers of the install backfills (see ``customer_crm/hooks.py``)."""


def module_installing(cr, module="customer_crm"):
    """Whether ``module`` is being installed (not upgraded): then the
    ``post_init_hook`` runs after the tables are made, and backfills may
    leave their last step to it."""
    cr.execute("SELECT state FROM ir_module_module WHERE name = %s", [module])
    row = cr.fetchone()
    return bool(row) and row[0] == "to install"
