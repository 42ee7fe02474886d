from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    gdpr_retention_years = fields.Integer(related="company_id.gdpr_retention_years", readonly=False)
