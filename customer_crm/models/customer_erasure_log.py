from odoo import fields, models


class CustomerErasureLog(models.Model):
    """Audit entry of a GDPR erasure: who erased which customer when, and
    what happened to its records, without the erased personal data."""

    _name = "customer_crm.erasure.log"
    _description = "Customer Erasure Log"
    _order = "create_date desc, id desc"
    _rec_name = "partner_ref"

    partner_ref = fields.Integer(string="Customer ID", readonly=True, help="Database ID the erased customer had.")
    debtor_number = fields.Char(readonly=True, index=True)
    result = fields.Selection([("deleted", "Deleted"), ("anonymised", "Anonymised")], required=True, readonly=True)
    reason = fields.Text(readonly=True)
    user_id = fields.Many2one("res.users", string="Erased by", default=lambda self: self.env.user, readonly=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, readonly=True, index=True)
    contact_count = fields.Integer(string="Contacts", readonly=True)
    message_count = fields.Integer(string="Messages", readonly=True)
    document_deleted_count = fields.Integer(string="Documents Deleted", readonly=True)
    document_kept_count = fields.Integer(string="Documents Kept", readonly=True)
    document_relinked_count = fields.Integer(string="Documents Relinked", readonly=True)
    details = fields.Text(readonly=True, help="What happened to each linked record, by number or ID.")
