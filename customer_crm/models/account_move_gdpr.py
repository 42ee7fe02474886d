from odoo import api, models


class AccountMove(models.Model):
    """GDPR: a restricted customer gets no new invoice; a credit note
    reversing one of its kept invoices stays possible."""

    _inherit = "account.move"

    @api.constrains("partner_id", "move_type")
    def _check_gdpr_restricted(self):
        moves = self.filtered(lambda move: move.is_sale_document(include_receipts=True) and not move.reversed_entry_id)
        moves.partner_id._gdpr_check_not_restricted("invoices")
