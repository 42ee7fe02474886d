from odoo import fields, models


class ResPartnerCategory(models.Model):
    """Customer tags as labels of quotations, orders and invoices."""

    _inherit = "res.partner.category"

    propagate = fields.Boolean(
        string="Copy to documents",
        default=True,
        help="Copy this tag from the customer to its new quotations, orders and invoices.",
    )
