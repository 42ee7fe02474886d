"""Install and uninstall of customer_crm.

Install backfills follow one pattern:

* columns and tables that the ORM would otherwise compute row by row for
  every existing record are made by the model before the ORM sees them and
  filled with set-based SQL, in the model's ``_auto_init`` (labels of
  documents: ``customer_label_mixin``; the customers of messages and their
  last activity: ``mail_message``; short name and initial:
  ``res_partner_finding``, on install left to the hook);
* everything else that existing data needs runs once, here, in
  ``post_init_hook``, after the addon's data and demo data are loaded; on
  install, backfills that rewrite every partner row are left to it and done
  in one statement (``customer_crm.tools.install.module_installing``): an
  UPDATE, on a large table a rewrite of the table that leaves no old row
  versions behind (``set_columns``), with the indexes that every such
  statement would maintain built after it.

``init`` methods only add schema the ORM cannot declare (a partial index, a
database default).
"""

from odoo.tools import SQL
from odoo.tools.sql import column_exists

from .models.res_partner_duplicate import KEY_FUNCTIONS
from .tools.install import indexes_built_after


def post_init_hook(env):
    """Existing companies get their debtor sequences, existing customers and
    prospects a status, every customer its last activity and every partner
    its short name and initial (one statement, on a large table a rewrite:
    res_partner has some 40 indexes, each UPDATE of every row writes all of
    them, and leaves the table twice its size); then the
    duplicate warning's indexes are built over the final rows, and the
    planner gets fresh statistics."""
    env["res.company"]._customer_crm_create_debtor_sequences()
    # a large partner table is rewritten without its plain indexes, built again after
    with indexes_built_after(env.cr, "res_partner") as large:
        env["res.partner"]._customer_crm_backfill_statuses(install=True, rewrite=large)
    env["res.partner"]._duplicate_create_indexes()
    # Fresh planner statistics once every backfill has run: the backfills
    # rewrite each partner row several times, and with the statistics of
    # before the install PostgreSQL plans the customer list's name search as
    # an index walk in name order (4x slower at 20,000 customers).
    env.flush_all()
    env.cr.execute("ANALYZE res_partner")


def uninstall_hook(env):
    """Release what blocks removing the addon's own records on uninstall:
    customers point at statuses with ondelete="restrict", so Odoo could not
    delete the statuses (ERROR lines, retried in ever smaller batches)."""
    if column_exists(env.cr, "res_partner", "crm_status_id"):
        env.cr.execute("UPDATE res_partner SET crm_status_id = NULL WHERE crm_status_id IS NOT NULL")
    # the duplicate warning's key functions, with the indexes built on them
    for name in KEY_FUNCTIONS:
        env.cr.execute(SQL("DROP FUNCTION IF EXISTS %s(text) CASCADE", SQL.identifier(name)))
