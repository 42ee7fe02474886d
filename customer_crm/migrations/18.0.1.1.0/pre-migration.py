"""18.0.1.1.0: erasures are logged in Odoo's privacy.log; customer_crm.erasure.log goes.

Before the new code loads, set the old log's rows aside under a name the ORM
does not manage, so that nothing in the upgrade can drop them before the
post-migration has moved them into privacy.log.
"""

from odoo.tools import sql


def migrate(cr, version):
    if version and sql.table_exists(cr, "customer_crm_erasure_log"):
        cr.execute("ALTER TABLE customer_crm_erasure_log RENAME TO customer_crm_erasure_log_moved")
