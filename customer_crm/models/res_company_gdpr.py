from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    gdpr_retention_years = fields.Integer(
        string="Retention Period (Years)",
        default=10,
        help="How long documents about an erased customer are kept after the end of the year of the last one "
        "(§ 147 (3) AO: 10 years for books and accounts, 8 for invoices since 2025). Until then the customer is "
        "restricted, then anonymised.",
    )
