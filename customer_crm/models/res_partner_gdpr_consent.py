from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists


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

    def _auto_init(self):
        # Existing partners start as "unknown": a column default that
        # PostgreSQL keeps in its catalogue, instead of the UPDATE of every
        # partner row the ORM runs for a new column with a default.
        if not column_exists(self.env.cr, self._table, "marketing_consent"):
            table = SQL.identifier(self._table)
            self.env.cr.execute(SQL("ALTER TABLE %s ADD COLUMN marketing_consent varchar DEFAULT 'unknown'", table))
            self.env.cr.execute(SQL("ALTER TABLE %s ALTER COLUMN marketing_consent DROP DEFAULT", table))
        return super()._auto_init()

    @api.onchange("marketing_consent")
    def _onchange_marketing_consent(self):
        """A consent given or refused in the form is dated today."""
        for partner in self:
            if partner.marketing_consent in ("yes", "no"):
                partner.marketing_consent_date = fields.Date.context_today(partner)
