from odoo import api, models
from odoo.exceptions import ValidationError


class AccountMove(models.Model):
    """Template customers cannot be invoiced."""

    _inherit = "account.move"

    @api.constrains("partner_id", "move_type")
    def _check_template_customer(self):
        for move in self:
            if not move.is_invoice(include_receipts=True):
                continue
            template = move.partner_id.commercial_partner_id.filtered("is_template_customer")
            if template:
                raise ValidationError(
                    self.env._(
                        "%(name)s is a template customer and cannot be used on invoices.",
                        name=template.display_name,
                    )
                )
