from odoo import models


class SaleOrderLine(models.Model):
    """New order lines get the customer's default discount."""

    _inherit = "sale.order.line"

    def _compute_discount(self):
        super()._compute_discount()
        for line in self:
            if not line.product_id or line.display_type or not line.order_id.partner_id:
                continue
            discount = line.order_id.partner_id._customer_crm_default_discount()
            if not discount:
                continue
            if line.discount and line.company_id.pricelist_discount_wins:
                # a pricelist rule gave a discount and the company lets it win
                continue
            line.discount = discount
