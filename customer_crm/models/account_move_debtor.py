from collections import defaultdict

from odoo import api, models


class AccountMove(models.Model):
    """Customer invoices and refunds draw their customer's debtor number."""

    _inherit = "account.move"

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        moves._customer_crm_make_customers()
        moves._customer_crm_number_customers(("invoice_created",))
        return moves

    def write(self, vals):
        res = super().write(vals)
        if vals.get("partner_id"):
            self._customer_crm_make_customers()
            self._customer_crm_number_customers(("invoice_created",))
        return res

    def _post(self, soft=True):
        posted = super()._post(soft)
        # Posting numbers the customer whatever the trigger (except "manual"):
        # every posted customer invoice has a debtor number at hand.
        posted._customer_crm_number_customers(("invoice_posted", "invoice_created", "order_confirmed"))
        return posted

    def _customer_crm_make_customers(self):
        """Partners created through the API or an import become customers
        (prospects) with their first customer invoice or refund."""
        by_company = defaultdict(lambda: self.env["res.partner"])
        for move in self:
            if (
                move.move_type in self.get_sale_types()
                and move.partner_id
                and not move.commercial_partner_id.crm_status_id
            ):
                by_company[move.company_id] |= move.partner_id
        for company, partners in by_company.items():
            partners._customer_crm_make_customers(company)

    def _customer_crm_number_customers(self, triggers):
        """Draw debtor numbers for the commercial partners of the customer
        invoices and refunds in ``self`` whose company uses one of ``triggers``.
        Vendor bills never number anyone."""
        by_company = defaultdict(lambda: self.env["res.partner"])
        sale_types = self.get_sale_types()
        for move in self:
            if (
                move.move_type in sale_types
                and move.partner_id
                and not move.commercial_partner_id.debtor_number
                and move.company_id.debtor_number_trigger in triggers
            ):
                by_company[move.company_id] |= move.commercial_partner_id
        for company, partners in by_company.items():
            # sudo: debtor numbers are read-only for users; the module draws
            # them itself for the customers of the invoices being processed.
            partners.sudo()._customer_crm_assign_debtor_numbers(company)
