from odoo import api, fields, models


class ResPartner(models.Model):
    """Resources of a customer, on a tab of its form."""

    _inherit = "res.partner"

    customer_resource_ids = fields.One2many(
        comodel_name="customer_crm.resource",
        inverse_name="partner_id",
        string="Customer Resources",
        groups="base.group_user",
    )
    customer_resource_count = fields.Integer(
        string="Resource Count",
        compute="_compute_customer_resource_count",
        groups="base.group_user",
    )

    @api.depends("customer_resource_ids")
    def _compute_customer_resource_count(self):
        # The form reads customer_resource_ids anyway: counting the cached
        # one2many (active resources the user may read, fetched for the whole
        # batch in one query) costs no extra query.
        for partner in self:
            partner.customer_resource_count = len(partner.customer_resource_ids)

    def action_open_customer_resources(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("customer_crm.customer_resource_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
