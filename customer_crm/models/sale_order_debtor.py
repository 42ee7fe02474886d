from collections import defaultdict

from odoo import api, models


class SaleOrder(models.Model):
    """A quotation makes its partner a customer with a status; confirming an
    order draws the customer's debtor number when the company's trigger is
    "First order confirmed"."""

    _inherit = "sale.order"

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._customer_crm_make_customers()
        return orders

    def write(self, vals):
        res = super().write(vals)
        if vals.get("partner_id"):
            self._customer_crm_make_customers()
        return res

    def _customer_crm_make_customers(self):
        """Partners created through the API or an import become customers
        (prospects) with their first quotation."""
        by_company = defaultdict(lambda: self.env["res.partner"])
        for order in self:
            if not order.partner_id.commercial_partner_id.crm_status_id:
                by_company[order.company_id] |= order.partner_id
        for company, partners in by_company.items():
            partners._customer_crm_make_customers(company)

    def action_confirm(self):
        res = super().action_confirm()
        by_company = defaultdict(lambda: self.env["res.partner"])
        for order in self:
            # the company's trigger first: by default ("first invoice posted")
            # the customer, which the confirmation wrote, is not read again
            if order.state != "sale" or order.company_id.debtor_number_trigger != "order_confirmed":
                continue
            partner = order.partner_id.commercial_partner_id
            if not partner.debtor_number:
                by_company[order.company_id] |= partner
        for company, partners in by_company.items():
            # sudo: debtor numbers are read-only for users; the module draws
            # them itself for the customers of the confirmed orders.
            partners.sudo()._customer_crm_assign_debtor_numbers(company)
        return res
