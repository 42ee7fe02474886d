from odoo import api, models
from odoo.exceptions import ValidationError


class SaleOrder(models.Model):
    """Template customers cannot be quoted or sold to."""

    _inherit = "sale.order"

    @api.constrains("partner_id", "partner_invoice_id", "partner_shipping_id")
    def _check_template_customer(self):
        for order in self:
            partners = order.partner_id | order.partner_invoice_id | order.partner_shipping_id
            template = partners.commercial_partner_id.filtered("is_template_customer")[:1]
            if template:
                raise ValidationError(
                    self.env._(
                        "%(name)s is a template customer and cannot be used on quotations or orders.",
                        name=template.display_name,
                    )
                )
