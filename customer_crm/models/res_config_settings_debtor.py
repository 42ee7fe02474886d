from odoo import api, fields, models


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
    debtor_number_first = fields.Integer(related="company_id.debtor_number_first", readonly=False)
    debtor_number_last = fields.Integer(related="company_id.debtor_number_last", readonly=False)
    datev_consultant_number = fields.Char(related="company_id.datev_consultant_number", readonly=False)
    datev_client_number = fields.Char(related="company_id.datev_client_number", readonly=False)
    datev_account_length = fields.Integer(related="company_id.datev_account_length", readonly=False)
    debtor_datev_warning = fields.Char(
        string="DATEV Warning",
        compute="_compute_debtor_datev_warning",
        help="Shown when the debtor sequence would draw numbers that are no DATEV debtor accounts.",
    )

    @api.depends(
        "company_id",
        "debtor_sequence_prefix",
        "debtor_sequence_number_next",
        "debtor_number_last",
        "datev_account_length",
    )
    def _compute_debtor_datev_warning(self):
        for settings in self:
            settings.debtor_datev_warning = settings.company_id._customer_crm_datev_range_warning(
                length=settings.datev_account_length,
                prefix=settings.debtor_sequence_prefix or "",
                next_number=settings.debtor_sequence_number_next,
                range_last=settings.debtor_number_last,
            )

    def action_datev_export_all(self):
        """Save the settings, then download all numbered customers for DATEV."""
        self.execute()
        return self.env["res.partner"].action_datev_export_all()
