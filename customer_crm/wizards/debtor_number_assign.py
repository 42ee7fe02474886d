from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class DebtorNumberAssign(models.TransientModel):
    """Number many existing customers at once (Action menu of the customer list)."""

    _name = "customer_crm.debtor.number.assign"
    _description = "Assign Debtor Numbers"

    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        help="Selected customers; those that already have a debtor number or are templates are skipped.",
    )
    order = fields.Selection(
        [("name", "Name"), ("create_date", "Creation date")],
        string="Number in Order of",
        default="name",
        required=True,
    )
    selected_count = fields.Integer(string="Selected", compute="_compute_counts")
    to_number_count = fields.Integer(string="Without Number", compute="_compute_counts")
    next_number = fields.Char(string="First Number", compute="_compute_counts")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if "partner_ids" in fields_list and self.env.context.get("active_model") == "res.partner":
            ids = self.env.context.get("active_ids") or []
            if self.env.context.get("active_domain") is not None and not ids:
                ids = self.env["res.partner"].search(self.env.context["active_domain"]).ids
            res["partner_ids"] = [fields.Command.set(ids)]
        return res

    @api.depends("partner_ids")
    def _compute_counts(self):
        # sudo: reading the company's debtor sequence to preview the next number
        sequence = self.env.company._customer_crm_debtor_sequence().sudo()
        for wizard in self:
            partners = wizard._partners_to_number()
            wizard.selected_count = len(wizard.partner_ids)
            wizard.to_number_count = len(partners)
            wizard.next_number = sequence.get_next_char(sequence.number_next_actual) if partners else False

    def _partners_to_number(self):
        self.ensure_one()
        commercial = self.partner_ids.commercial_partner_id
        return commercial.filtered(lambda p: not p.debtor_number and not p.is_template_customer)

    def action_assign(self):
        self.ensure_one()
        if not self.env.user.has_group("customer_crm.group_customer_crm_manager"):
            raise AccessError(self.env._("Only customer file managers can assign debtor numbers."))
        partners = self._partners_to_number()
        if not partners:
            raise UserError(self.env._("All selected customers already have a debtor number."))
        order = "name, id" if self.order == "name" else "create_date, id"
        ordered = self.env["res.partner"].search([("id", "in", partners.ids)], order=order)
        # sudo: the caller is a customer file manager (checked above); the
        # numbers are drawn from the company's sequence by the module itself.
        numbered = ordered.sudo()._customer_crm_assign_debtor_numbers(self.env.company)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("%(count)s customers got a debtor number.", count=len(numbered)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
