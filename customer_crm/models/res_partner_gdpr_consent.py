from odoo import api, fields, models


class ResPartner(models.Model):
    """GDPR: marketing consent, with when and how it was given or refused."""

    _inherit = "res.partner"

    marketing_consent = fields.Selection(
        [("yes", "Yes"), ("no", "No"), ("unknown", "Unknown")],
        default="unknown",
        index=True,
        tracking=True,
        help="Whether the person agreed to receive marketing (newsletters, offers).",
    )
    marketing_consent_date = fields.Date(string="Consent Date", tracking=True)
    marketing_consent_source = fields.Char(
        string="Consent Source",
        tracking=True,
        help="Where or how the consent was given or refused, e.g. web form, phone call, signed letter.",
    )

    @api.onchange("marketing_consent")
    def _onchange_marketing_consent(self):
        """A consent given or refused in the form is dated today."""
        for partner in self:
            if partner.marketing_consent in ("yes", "no"):
                partner.marketing_consent_date = fields.Date.context_today(partner)
