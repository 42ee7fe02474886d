from odoo import models
from odoo.tools import SQL, index_exists


class AccountMove(models.Model):
    """Index for the customer overview: its figures select a customer's
    invoices and credit notes by commercial partner and company, and read
    only the columns the index carries (an index-only scan: a customer with
    10,000 invoices is summed without reading the table)."""

    _inherit = "account.move"

    def init(self):
        super().init()
        cr = self.env.cr
        cr.execute(
            "DROP INDEX IF EXISTS account_move_customer_crm_overview_idx"
        )  # the narrower index of earlier versions
        if not index_exists(cr, "account_move_customer_crm_figures_idx"):
            cr.execute(
                SQL(
                    "CREATE INDEX account_move_customer_crm_figures_idx"
                    " ON %s (commercial_partner_id, company_id, state)"
                    " INCLUDE (invoice_date, invoice_date_due, amount_residual_signed, amount_untaxed_signed)"
                    " WHERE move_type IN ('out_invoice', 'out_refund')",
                    SQL.identifier(self._table),
                )
            )
