from markupsafe import Markup

from odoo import models


class SaleOrder(models.Model):
    """The customer's quotation text follows the company's terms in the note."""

    _inherit = "sale.order"

    def _compute_note(self):
        super()._compute_note()
        # sudo: a setting of Invoicing, which only administrators may read
        use_terms = self.env["ir.config_parameter"].sudo().get_param("account.use_invoice_terms")
        for order in self:
            if not order.partner_id:
                continue
            text = order.partner_id._customer_crm_default_text("default_quote_text")
            if not text:
                continue
            base = order.note if use_terms else False
            order.note = Markup(base or "") + Markup(text)

    def _prepare_invoice(self):
        vals = super()._prepare_invoice()
        partner = self.partner_invoice_id or self.partner_id
        quote_text = self.partner_id._customer_crm_default_text("default_quote_text")
        invoice_text = partner._customer_crm_default_text("default_invoice_text")
        narration = Markup(vals.get("narration") or "")
        if quote_text and narration.endswith(Markup(quote_text)):
            # the invoice gets the invoice text instead of the quotation text
            narration = Markup(narration[: -len(Markup(quote_text))])
        if invoice_text and Markup(invoice_text) not in narration:
            narration += Markup(invoice_text)
        vals["narration"] = narration or False
        return vals
