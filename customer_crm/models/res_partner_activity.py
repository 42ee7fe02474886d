from odoo import api, fields, models


class ResPartner(models.Model):
    """Activity log (CRM) of the customer: its messages across all its
    documents, and the date and object of its last activity."""

    _inherit = "res.partner"

    last_activity_date = fields.Datetime(
        readonly=True,
        copy=False,
        index=True,
        groups="base.group_user",
        help="When the last note, message or e-mail about this customer or one of " "its documents was written.",
    )
    last_activity_message_id = fields.Many2one(
        "mail.message",
        string="Last Activity",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        groups="base.group_user",
    )
    last_activity_ref = fields.Char(
        string="Last Activity On",
        compute="_compute_last_activity_ref",
        groups="base.group_user",
        help="The document of the last activity, e.g. an invoice or a quotation.",
    )
    crm_message_ids = fields.One2many(
        "mail.message",
        "crm_partner_id",
        string="CRM Log",
        readonly=True,
        groups="base.group_user",
    )

    @api.depends("last_activity_message_id")
    @api.depends_context("uid")
    def _compute_last_activity_ref(self):
        # sudo: the messages' ids only; labels are only given for documents
        # the current user may read (model and res_id are read in the same
        # query as the documents, not the messages' bodies)
        messages = self.sudo().last_activity_message_id
        labels = self.env["mail.message"].browse(messages.ids)._crm_document_labels()
        for partner in self:
            partner.last_activity_ref = labels.get(partner.last_activity_message_id.id, False)

    @api.model
    def _crm_invalidate_last_activity(self):
        """Forget cached last-activity values after a raw SQL update."""
        self.invalidate_model(["last_activity_date", "last_activity_message_id", "last_activity_ref"])

    def action_open_crm_log(self):
        """The customer's whole CRM log as a list, newest first; a click on
        a line opens the document it was written on."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("CRM Log: %(customer)s", customer=self.commercial_partner_id.display_name),
            "res_model": "mail.message",
            "view_mode": "list",
            "views": [(self.env.ref("customer_crm.mail_message_view_list_crm_log").id, "list")],
            "domain": [("crm_partner_id", "=", self.commercial_partner_id.id)],
            "context": {"create": False},
        }

    def action_open_last_activity(self):
        """Open the document of the customer's last activity."""
        self.ensure_one()
        if not self.last_activity_message_id:
            return False
        # sudo: only model and res_id are read here; the document itself is
        # checked against the user's access rights before it is opened
        message = self.sudo().last_activity_message_id
        return self.env["mail.message"]._crm_open_document_action(message.model, message.res_id)
