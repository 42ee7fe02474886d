from odoo import api, models


class SaleOrder(models.Model):
    """GDPR: a restricted customer gets no new quotation or order."""

    _inherit = "sale.order"

    @api.constrains("partner_id")
    def _check_gdpr_restricted(self):
        self.partner_id._gdpr_check_not_restricted("orders")
