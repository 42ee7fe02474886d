from odoo import api, models
from odoo.exceptions import ValidationError


class SaleOrder(models.Model):
    """GDPR: a restricted customer gets no new quotation or order."""

    _inherit = "sale.order"

    @api.constrains("partner_id")
    def _check_gdpr_restricted(self):
        for order in self:
            if order.partner_id.commercial_partner_id.gdpr_restricted or order.partner_id.gdpr_restricted:
                raise ValidationError(
                    self.env._(
                        "%(customer)s asked to be erased; its data is kept only for the documents the law keeps. "
                        "It gets no new quotations or orders.",
                        customer=order.partner_id.display_name,
                    )
                )
