from . import models
from . import wizards
from . import controllers


def uninstall_hook(env):
    """Release what blocks removing the addon's own records on uninstall:
    customers point at statuses with ondelete="restrict", so Odoo could not
    delete the statuses (ERROR lines, retried in ever smaller batches)."""
    from odoo.tools.sql import column_exists

    if column_exists(env.cr, "res_partner", "crm_status_id"):
        env.cr.execute("UPDATE res_partner SET crm_status_id = NULL WHERE crm_status_id IS NOT NULL")
    # the duplicate warning's key functions, with the indexes built on them
    from odoo.tools import SQL

    from .models.res_partner_duplicate import KEY_FUNCTIONS

    for name in KEY_FUNCTIONS:
        env.cr.execute(SQL("DROP FUNCTION IF EXISTS %s(text) CASCADE", SQL.identifier(name)))
