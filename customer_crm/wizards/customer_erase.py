from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..models.res_partner_gdpr_erase import GDPR_ACTIONS

OUTCOMES = [("deleted", "Deleted"), ("restricted", "Restricted"), ("anonymised", "Anonymised"), ("refused", "Refused")]


class CustomerEraseWizard(models.TransientModel):
    """Erase a customer (GDPR): a dry run lists what happens to each linked
    record and what to check, then the erasure carries it out."""

    _name = "customer_crm.erase.wizard"
    _description = "Erase Customer"

    # not required: the customer is gone once erased, the result stays
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, ondelete="set null")
    state = fields.Selection(
        [("new", "New"), ("planned", "Planned"), ("refused", "Refused"), ("done", "Done")],
        default="new",
        required=True,
        readonly=True,
    )
    outcome = fields.Selection(OUTCOMES, string="Result", readonly=True)
    erase_after = fields.Date(string="Restricted Until", readonly=True)
    reason = fields.Text(readonly=True)
    result_message = fields.Text(readonly=True)
    line_ids = fields.One2many("customer_crm.erase.wizard.line", "wizard_id", string="Plan")
    log_id = fields.Many2one("privacy.log", string="Privacy Log", readonly=True)

    def _show(self, result, erased=False):
        """Write a result of gdpr_erase() into the wizard and show it again."""
        state = "done" if erased else ("refused" if result["result"] == "refused" else "planned")
        lines = [Command.clear()] + [Command.create(self._line_vals(entry, erased)) for entry in result["plan"]]
        self.write(
            {
                "state": state,
                "outcome": result["outcome"] if state == "planned" else result["result"],
                "erase_after": result["erase_after"],
                "reason": result["reason"],
                "result_message": result.get("message"),
                "log_id": result.get("log_id"),
                "line_ids": lines,
            }
        )
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
        return self._show(self._partner().gdpr_erase(dry_run=True))

    def action_erase(self):
        """Erase for real, with the checked records the manager ticked: all or nothing."""
        ticked = self.line_ids.filtered(lambda line: line.action == "review" and line.selected)
        return self._show(self._partner().gdpr_erase(extra=[(t.res_model, t.res_id) for t in ticked]), erased=True)

    def _partner(self):
        self.ensure_one()
        if not self.partner_id:
            raise UserError(self.env._("Choose a customer to erase."))
        return self.partner_id

    def action_open_customers(self):
        """Close; if the customer is gone, leave its form for the customer list
        (a full page load: closing the dialog would reload the deleted record)."""
        if self.partner_id:
            return {"type": "ir.actions.act_window_close"}
        return {"type": "ir.actions.act_url", "url": "/odoo/customer-file-all", "target": "self"}

    @api.model
    def _line_vals(self, entry, erased):
        """A line of the plan; once erased, partners are shown by ID only, so
        the wizard keeps no erased personal data."""
        hidden = erased and entry["model"] in ("res.partner", "res.partner.bank") and entry["action"] != "restrict"
        return {
            "model_name": self.env["ir.model"]._get(entry["model"]).name,
            "res_model": entry["model"],
            "res_id": entry["ids"][0] if len(entry["ids"]) == 1 else False,
            "record_name": ", ".join(f"#{i}" for i in entry["ids"]) if hidden else entry["name"],
            "role": entry["role"],
            "action": entry["action"],
            "reason": entry["reason"],
        }


class CustomerEraseWizardLine(models.TransientModel):
    _name = "customer_crm.erase.wizard.line"
    _description = "Erase Customer: Planned Step"

    wizard_id = fields.Many2one("customer_crm.erase.wizard", required=True, ondelete="cascade")
    model_name = fields.Char(string="Kind", readonly=True)
    res_model = fields.Char(string="Model", readonly=True)
    res_id = fields.Integer(string="Record ID", readonly=True)
    record_name = fields.Char(string="Record", readonly=True)
    role = fields.Char(readonly=True)
    action = fields.Selection(GDPR_ACTIONS, readonly=True)
    reason = fields.Char(string="What and why", readonly=True)
    selected = fields.Boolean(string="Delete Too", help="Tick a record to check to delete it with the customer.")
