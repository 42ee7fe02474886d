from collections import defaultdict

from odoo import models


class SaleOrder(models.Model):
    """Confirming an order draws the customer's debtor number when the
    company's trigger is "First order confirmed"."""

    _inherit = "sale.order"

    def action_confirm(self):
        res = super().action_confirm()
        by_company = defaultdict(lambda: self.env["res.partner"])
        for order in self:
            partner = order.partner_id.commercial_partner_id
            if (
                order.state == "sale"
                and not partner.debtor_number
                and order.company_id.debtor_number_trigger == "order_confirmed"
            ):
                by_company[order.company_id] |= partner
        for company, partners in by_company.items():
            # sudo: debtor numbers are read-only for users; the module draws
            # them itself for the customers of the confirmed orders.
            partners.sudo()._customer_crm_assign_debtor_numbers(company)
        return res
