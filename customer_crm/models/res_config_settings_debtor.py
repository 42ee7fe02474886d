from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """Debtor number settings (Settings > Invoicing > Debtor Numbers)."""

    _inherit = "res.config.settings"

    debtor_number_trigger = fields.Selection(related="company_id.debtor_number_trigger", readonly=False)
    debtor_sequence_id = fields.Many2one(related="company_id.debtor_sequence_id")
    debtor_sequence_prefix = fields.Char(
        string="Debtor Number Prefix", related="company_id.debtor_sequence_id.prefix", readonly=False
    )
    debtor_sequence_padding = fields.Integer(
        string="Debtor Number Digits", related="company_id.debtor_sequence_id.padding", readonly=False
    )
    debtor_sequence_number_next = fields.Integer(
        string="Next Debtor Number",
        related="company_id.debtor_sequence_id.number_next_actual",
        readonly=False,
    )
