from markupsafe import Markup

from odoo import api, models


class AccountMove(models.Model):
    """The customer's invoice text follows the company's terms in the narration."""

    _inherit = "account.move"

    @api.depends("move_type", "partner_id", "company_id")
    def _compute_narration(self):
        super()._compute_narration()
        for move in self:
            if move.move_type != "out_invoice" or not move.partner_id:
                continue
            text = move.partner_id._customer_crm_default_text("default_invoice_text")
            if text:
                move.narration = Markup(move.narration or "") + Markup(text)
