from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date


class CustomerResource(models.Model):
    """Something a customer has from us or with us: equipment, a domain, a contract."""

    _name = "customer_crm.resource"
    _description = "Customer Resource"
    _inherit = ["mail.thread"]
    _order = "date_end, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        check_company=True,
    )
    resource_type = fields.Many2one(
        comodel_name="customer_crm.resource.type",
        string="Type",
        index=True,
        tracking=True,
    )
    type_icon = fields.Char(related="resource_type.icon")
    color = fields.Integer(related="resource_type.color")
    reference = fields.Char(tracking=True, help="Serial number, domain name, contract number, ...")
    date_start = fields.Date(string="Start", tracking=True)
    date_end = fields.Date(string="End", index=True, tracking=True)
    note = fields.Html()
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        index=True,
        default=lambda self: self.env.company,
    )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for resource in self:
            if resource.date_start and resource.date_end and resource.date_end < resource.date_start:
                raise ValidationError(
                    self.env._(
                        "The resource %(name)s cannot end (%(end)s) before it starts (%(start)s).",
                        name=resource.name,
                        end=format_date(self.env, resource.date_end),
                        start=format_date(self.env, resource.date_start),
                    )
                )
