from odoo import fields, models


class ResUsers(models.Model):
    """A user's partner has a customer status too; its own label keeps it apart
    from the user's "Status" (``state``, auth_signup)."""

    _inherit = "res.users"

    crm_status_id = fields.Many2one(
        related="partner_id.crm_status_id", inherited=True, readonly=False, string="Customer Status"
    )
