from odoo import models


class MailThread(models.AbstractModel):
    """Moving a document to another customer moves its CRM log lines."""

    _inherit = "mail.thread"

    def write(self, vals):
        res = super().write(vals)
        if self and vals.keys() & self._crm_log_relink_fields():
            documents = self
            if self._name == "res.partner":
                # contact persons follow their company to its new commercial partner;
                # sudo: only their ids are used, to re-link their log lines
                documents = self.sudo().with_context(active_test=False).search([("id", "child_of", self.ids)])
            self.env["mail.message"]._crm_relink_documents(documents)
        return res

    def _crm_log_relink_fields(self):
        """Fields whose change may move the documents of this model to another
        customer: the partner field of the log, what it depends on, and the
        fields of the log's domain."""
        log_models = self.env["mail.message"]._crm_log_models()
        if self._name not in log_models:
            return set()
        partner_field, domain = log_models[self._name]
        names = {partner_field} | {leaf[0].split(".")[0] for leaf in domain if isinstance(leaf, list | tuple)}
        for dependency in self.pool.field_depends.get(self._fields[partner_field], ()):
            names.add(dependency.split(".")[0])
        if self._name == "res.partner":
            names |= {"parent_id", "is_company"}
        return names - {"id"}
