from odoo import fields, models
from odoo.tools import is_html_empty


class ResPartner(models.Model):
    """Default texts of a customer for its quotations and invoices."""

    _inherit = "res.partner"

    default_quote_text = fields.Html(
        string="Quotation Text",
        translate=True,
        groups="base.group_user",
        help="Added after the company's terms to new quotations of this customer, in the customer's language.",
    )
    default_invoice_text = fields.Html(
        string="Invoice Text",
        translate=True,
        groups="base.group_user",
        help="Added after the company's terms to new invoices of this customer, in the customer's language.",
    )

    def _customer_crm_default_text(self, fname):
        """The text ``fname`` in this partner's language: its own, else its company's."""
        self.ensure_one()
        lang = self.lang or self.env.user.lang
        for partner in (self, self.commercial_partner_id):
            text = partner.with_context(lang=lang)[fname]
            if not is_html_empty(text):
                return text
        return False
