from odoo import api, fields, models


class CustomerArchiveWizard(models.TransientModel):
    """Archive or restore customers, asking whether their contact persons follow."""

    _name = "customer_crm.archive.wizard"
    _description = "Archive Customers"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True, context={"active_test": False})
    archive = fields.Boolean(default=True, help="Archive the customers; unset to restore them.")
    include_contacts = fields.Boolean(
        string="Contact persons too", default=True, help="Archive or restore their contact persons and addresses too."
    )
    contact_count = fields.Integer(compute="_compute_contact_count")

    @api.depends("partner_ids", "archive")
    def _compute_contact_count(self):
        for wizard in self:
            wizard.contact_count = len(wizard.partner_ids._customer_crm_contacts(active=wizard.archive))

    @api.model
    def action_open(self, partners, archive):
        wizard = self.create({"partner_ids": [fields.Command.set(partners.ids)], "archive": archive})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Archive Customers") if archive else self.env._("Restore Customers"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            # the web client opens a window action returned by a method only with its views
            "views": [(self.env.ref("customer_crm.customer_archive_wizard_view_form").id, "form")],
            "target": "new",
        }

    def action_confirm(self):
        self.ensure_one()
        partners = self.partner_ids.with_context(customer_crm_archive_contacts=self.include_contacts)
        if self.archive:
            partners.action_archive()
        else:
            partners.action_unarchive()
        return {"type": "ir.actions.act_window_close"}
