from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """Default template customer, template fields and discount rule of a company."""

    _inherit = "res.company"

    default_template_customer_id = fields.Many2one(
        comodel_name="res.partner",
        string="Default Template Customer",
        domain=[("is_template_customer", "=", True)],
        help="New customers take the settings of this template customer " "for every value they are not given.",
    )
    template_field_ids = fields.Many2many(
        comodel_name="ir.model.fields",
        relation="res_company_customer_crm_template_field_rel",
        column1="company_id",
        column2="field_id",
        string="More Template Fields",
        domain=[
            ("model", "=", "res.partner"),
            ("store", "=", True),
            ("readonly", "=", False),
            ("related", "=", False),
            ("ttype", "not in", ("one2many", "binary", "many2one_reference", "properties", "properties_definition")),
        ],
        help="Further customer fields a template lends to new customers, "
        "besides payment terms, pricelist, fiscal position, salesperson, "
        "team, language, labels, status, discount and default texts.",
    )
    pricelist_discount_wins = fields.Boolean(
        help="When a pricelist rule gives a discount on an order line, keep it "
        "instead of the customer's default discount.",
    )

    @api.constrains("default_template_customer_id")
    def _check_default_template_customer_id(self):
        for company in self:
            template = company.default_template_customer_id
            if template and not template.is_template_customer:
                raise ValidationError(
                    self.env._(
                        "%(name)s is not a template customer and cannot be the default template.",
                        name=template.display_name,
                    )
                )

    @api.constrains("template_field_ids")
    def _check_template_field_ids(self):
        partners = self.env["res.partner"]
        for field in self.template_field_ids:
            model_field = partners._fields.get(field.name)
            if (
                field.model != "res.partner"
                or not model_field
                or not partners._customer_crm_template_field_allowed(model_field)
            ):
                raise ValidationError(
                    self.env._(
                        "The field %(field)s cannot be copied from a template customer: "
                        "only stored, non-computed customer fields can.",
                        field=field.field_description or field.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # The partner of a new company is not a customer: no template values.
        return super(ResCompany, self.with_context(customer_crm_no_template=True)).create(vals_list).with_env(self.env)
