from odoo import api, models
from odoo.exceptions import ValidationError


class AccountMove(models.Model):
    """GDPR: a restricted customer gets no new invoice; a credit note
    reversing one of its kept invoices stays possible."""

    _inherit = "account.move"

    @api.constrains("partner_id", "move_type")
    def _check_gdpr_restricted(self):
        for move in self.filtered(lambda m: m.is_sale_document(include_receipts=True) and not m.reversed_entry_id):
            if move.commercial_partner_id.gdpr_restricted or move.partner_id.gdpr_restricted:
                raise ValidationError(
                    self.env._(
                        "%(customer)s asked to be erased; its data is kept only for the documents the law keeps. "
                        "It gets no new invoices; a credit note reversing one of its invoices is possible.",
                        customer=move.partner_id.display_name,
                    )
                )
