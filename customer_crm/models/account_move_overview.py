from odoo import models
from odoo.tools import create_index


class AccountMove(models.Model):
    """Index for the customer overview: its figures select a customer's
    invoices and credit notes by commercial partner and company."""

    _inherit = "account.move"

    def init(self):
        super().init()
        create_index(
            self.env.cr,
            "account_move_customer_crm_overview_idx",
            self._table,
            ["commercial_partner_id", "company_id", "state"],
            where="move_type IN ('out_invoice', 'out_refund')",
        )
