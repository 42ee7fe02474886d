from odoo import fields, models


class ResPartner(models.Model):
    """Template customers (Musterkunden)."""

    _inherit = "res.partner"

    is_template_customer = fields.Boolean(
        string="Template Customer",
        copy=False,
        index=True,
        help="A template customer (Musterkunde) lends its settings to new "
        "customers; it is hidden from customer lists and cannot be invoiced.",
    )
