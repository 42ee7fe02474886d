from odoo import api, fields, models
from odoo.exceptions import UserError

ACTIONS = [
    ("delete", "Delete"),
    ("anonymise", "Anonymise"),
    ("keep", "Keep"),
    ("relink", "Keep, remove the link"),
    ("archive", "Archive"),
]


class CustomerEraseWizard(models.TransientModel):
    """Erase a customer (GDPR): a dry run lists what happens to each linked
    record, then the erasure deletes or anonymises the customer."""

    _name = "customer_crm.erase.wizard"
    _description = "Erase Customer"

    # not required: the customer is gone once erased, the result stays
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, ondelete="set null")
    state = fields.Selection(
        [("new", "New"), ("planned", "Planned"), ("done", "Done")], default="new", required=True, readonly=True
    )
    outcome = fields.Selection([("deleted", "Deleted"), ("anonymised", "Anonymised")], readonly=True)
    reason = fields.Text(readonly=True)
    result_message = fields.Text(readonly=True)
    line_ids = fields.One2many("customer_crm.erase.wizard.line", "wizard_id", string="Plan", readonly=True)
    log_id = fields.Many2one("customer_crm.erasure.log", string="Audit Entry", readonly=True)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        ctx = self.env.context
        if "partner_id" in fields_list and ctx.get("active_model") == "res.partner" and ctx.get("active_id"):
            res["partner_id"] = ctx["active_id"]
        return res

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Erase Customer"),
        }

    def action_dry_run(self):
        """List what erasing would do, changing nothing."""
        self.ensure_one()
        if not self.partner_id:
            raise UserError(self.env._("Choose a customer to erase."))
        plan = self.partner_id.gdpr_erase(dry_run=True)
        self.write(
            {
                "state": "planned",
                "outcome": plan["outcome"],
                "reason": plan["reason"],
                "line_ids": [fields.Command.clear()]
                + [fields.Command.create(self._line_vals(e)) for e in plan["plan"]],
            }
        )
        return self._reopen()

    def action_erase(self):
        """Erase for real: all or nothing."""
        self.ensure_one()
        if not self.partner_id:
            raise UserError(self.env._("Choose a customer to erase."))
        result = self.partner_id.gdpr_erase()
        vals = {
            "state": "done",
            "outcome": result["result"],
            "reason": result["reason"],
            "result_message": result["message"],
            "log_id": result["log_id"],
            "line_ids": [fields.Command.clear()]
            + [fields.Command.create(self._line_vals(e, erased=True)) for e in result["plan"]],
        }
        self.write(vals)
        return self._reopen()

    def action_open_customers(self):
        """Close; if the customer is gone, leave its form for the customer list
        (a full page load: closing the dialog would reload the deleted record)."""
        if self.partner_id:
            return {"type": "ir.actions.act_window_close"}
        return {"type": "ir.actions.act_url", "url": "/odoo/customer-file-all", "target": "self"}

    @api.model
    def _line_vals(self, entry, erased=False):
        """A line of the plan; once erased, partners are shown by ID only, so
        the wizard keeps no erased personal data."""
        role = entry["role"]
        if role == "contact":
            role = self.env._("Contact person")
        elif role:
            role = self.env["res.partner"]._gdpr_role_label(role)
        return {
            "model_name": self.env["ir.model"]._get(entry["model"]).name,
            "record_name": ", ".join(f"#{i}" for i in entry["ids"])
            if erased and entry["model"] in ("res.partner", "res.partner.bank")
            else entry["name"],
            "record_count": len(entry["ids"]),
            "role": role,
            "action": entry["action"],
            "reason": entry["reason"],
        }


class CustomerEraseWizardLine(models.TransientModel):
    _name = "customer_crm.erase.wizard.line"
    _description = "Erase Customer: Planned Step"

    wizard_id = fields.Many2one("customer_crm.erase.wizard", required=True, ondelete="cascade")
    model_name = fields.Char(string="Kind")
    record_name = fields.Char(string="Record")
    record_count = fields.Integer(string="Count")
    role = fields.Char()
    action = fields.Selection(ACTIONS)
    reason = fields.Char(string="What and why")
