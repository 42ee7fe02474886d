from odoo import fields, models


class ResPartner(models.Model):
    """Debtor numbers and statuses of customers."""

    _inherit = "res.partner"

    debtor_number = fields.Char(
        copy=False,
        index=True,
        readonly=True,
        tracking=True,
        help="Number of the customer's debtor account, drawn from the " "company's debtor sequence.",
    )
