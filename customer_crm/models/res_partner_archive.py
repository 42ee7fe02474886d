from odoo import models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    """Archive and delete: contact persons follow their customer into the
    archive; a partner that documents refer to is not deleted."""

    _inherit = "res.partner"

    def unlink(self):
        """Refuse to delete partners that documents refer to, naming them.

        Runs before sale's override, which would otherwise silently delete
        draft quotations where the partner is only the invoice or delivery
        address.  The erase wizard handles documents explicitly.
        """
        names, count = self._customer_crm_blocking_documents()
        if names:
            docs = ", ".join(names)
            if count > len(names):
                docs = self.env._("%(docs)s and %(count)s more", docs=docs, count=count - len(names))
            raise UserError(
                self.env._(
                    "%(partners)s cannot be deleted: these documents refer to it: %(docs)s.\n"
                    "Archive the customer instead, or use “Erase Customer (GDPR)” in its action menu to delete "
                    "or anonymise it while keeping the documents the law requires.",
                    partners=", ".join(self.mapped("display_name")),
                    docs=docs,
                )
            )
        return super().unlink()

    def _customer_crm_blocking_documents(self, limit=10):
        """Names of (at most ``limit`` of) the orders and journal entries that
        refer to these partners, and how many there are."""
        if not self.ids:
            return [], 0
        ids = self.ids
        fields_by_model = {
            "sale.order": ("partner_id", "partner_invoice_id", "partner_shipping_id"),
            "account.move": ("partner_id", "commercial_partner_id", "partner_shipping_id", "line_ids.partner_id"),
        }
        names, count = [], 0
        for model, field_names in fields_by_model.items():
            domain = ["|"] * (len(field_names) - 1) + [(name, "in", ids) for name in field_names]
            # sudo: only to name the documents that block the deletion
            docs = self.env[model].sudo().search(domain, limit=limit)
            names += docs.mapped("display_name")
            count += len(docs) if len(docs) < limit else self.env[model].sudo().search_count(domain)
        return names[:limit], count

    def _customer_crm_contacts(self, active):
        """Contact persons and addresses below these partners, by active state."""
        if not self.ids:
            return self.browse()
        return self.with_context(active_test=False).search(
            [("id", "child_of", self.ids), ("id", "not in", self.ids), ("active", "=", active)]
        )

    def _customer_crm_ask_contacts(self, archive):
        """In the Customers app, ask whether the contact persons follow."""
        ctx = self.env.context
        if "customer_crm_archive_contacts" in ctx or ctx.get("res_partner_search_mode") != "customer":
            return False
        return bool(self._customer_crm_contacts(active=archive))

    def action_archive(self):
        return self._customer_crm_set_active(False) or super().action_archive()

    def action_unarchive(self):
        return self._customer_crm_set_active(True) or super().action_unarchive()

    def _customer_crm_set_active(self, active):
        """Ask about the contact persons, or archive/restore them with their customers."""
        if self._customer_crm_ask_contacts(archive=not active):
            return self.env["customer_crm.archive.wizard"].action_open(self, archive=not active)
        if self and self.env.context.get("customer_crm_archive_contacts"):
            contacts = self._customer_crm_contacts(active=not active).with_context(customer_crm_archive_contacts=False)
            if active:
                contacts.action_unarchive()
            else:
                contacts.action_archive()
        return False
