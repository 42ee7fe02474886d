from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """Template customers and default discount in the Settings."""

    _inherit = "res.config.settings"

    # not named default_*: res.config.settings reserves that prefix for ir.default
    customer_crm_template_customer_id = fields.Many2one(
        related="company_id.default_template_customer_id",
        readonly=False,
    )
    customer_crm_template_field_ids = fields.Many2many(
        related="company_id.template_field_ids",
        readonly=False,
    )
    customer_crm_pricelist_discount_wins = fields.Boolean(
        related="company_id.pricelist_discount_wins",
        readonly=False,
    )
