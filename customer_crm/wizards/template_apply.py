from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError


class TemplateApply(models.TransientModel):
    """Apply a template customer's settings to existing customers."""

    _name = "customer_crm.template.apply"
    _description = "Apply Template to Customers"

    template_id = fields.Many2one(
        comodel_name="res.partner",
        string="Template",
        required=True,
        domain=[("is_template_customer", "=", True)],
        default=lambda self: self.env.company.default_template_customer_id,
    )
    partner_ids = fields.Many2many(
        comodel_name="res.partner",
        string="Customers",
        domain=[("is_template_customer", "=", False), ("parent_id", "=", False)],
    )
    only_empty = fields.Boolean(
        string="Only Empty Fields",
        help="Fill only the fields a customer has no value for; keep the others.",
    )
    preview = fields.Html(compute="_compute_preview", sanitize=False)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        ctx = self.env.context
        if "partner_ids" in fields_list and ctx.get("active_model") == "res.partner" and ctx.get("active_ids"):
            partners = self.env["res.partner"].browse(ctx["active_ids"])
            res["partner_ids"] = [
                fields.Command.set(partners.filtered(lambda p: not p.is_template_customer and not p.parent_id).ids)
            ]
        return res

    @api.depends("template_id", "partner_ids", "only_empty")
    def _compute_preview(self):
        for wizard in self:
            rows = wizard._preview_rows()
            if not wizard.template_id or not wizard.partner_ids:
                wizard.preview = False
            elif not rows:
                wizard.preview = Markup("<p>%s</p>") % self.env._("No customer would change.")
            else:
                body = Markup("").join(
                    Markup("<tr><td>%s</td><td class='text-end'>%s</td></tr>") % (row["label"], row["count"])
                    for row in rows
                )
                wizard.preview = Markup(
                    "<table class='table table-sm'><thead><tr><th>%s</th><th class='text-end'>%s</th>"
                    "</tr></thead><tbody>%s</tbody></table>"
                ) % (escape(self.env._("Field")), escape(self.env._("Customers changing")), body)

    def _preview_rows(self):
        """``[{"field", "label", "count"}]``: how many customers each field changes on."""
        self.ensure_one()
        if not self.template_id or not self.partner_ids:
            return []
        partners = self.partner_ids._origin
        plan = partners._customer_crm_template_plan(self.template_id._origin, only_empty=self.only_empty)
        fields_def = partners._fields
        return [
            {
                "field": fname,
                "label": fields_def[fname]._description_string(self.env),
                "count": len(changing),
            }
            for fname, changing in plan.items()
        ]

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group("customer_crm.group_customer_crm_manager"):
            raise UserError(self.env._("Only customer file managers can apply templates to customers."))
        if not self.template_id.is_template_customer:
            raise UserError(self.env._("%(name)s is not a template customer.", name=self.template_id.display_name))
        partners = self.partner_ids.filtered(lambda p: not p.is_template_customer and not p.parent_id)
        if not partners:
            raise UserError(self.env._("Choose the customers to apply the template to."))
        plan = partners._customer_crm_apply_template(self.template_id, only_empty=self.only_empty)
        changed = self.env["res.partner"].union(*plan.values())
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Template %(template)s applied: %(fields)s field(s) changed on %(count)s customer(s).",
                    template=self.template_id.display_name,
                    fields=len(plan),
                    count=len(changed),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
