from odoo import fields, models


class CustomerResourceType(models.Model):
    """Kinds of customer resources (equipment, domain, contract, ...)."""

    _name = "customer_crm.resource.type"
    _description = "Customer Resource Type"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    icon = fields.Char(
        default="fa-cube",
        help="Font Awesome icon of the type, e.g. fa-server, fa-globe, fa-file-text-o.",
    )
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_unique", "unique(name)", "A resource type with this name exists already."),
    ]
