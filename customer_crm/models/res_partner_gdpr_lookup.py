from collections import defaultdict

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# Left to the erasure's own steps (partners, users, the log) or following
# their parent (lines); privacy_lookup skips the first ones too.
LOOKUP_SKIPPED = {"res.partner", "res.users", "res.company", "res.partner.bank", "sale.order.line"}
LOOKUP_SKIPPED_PREFIXES = ("ir.", "mail.", "discuss.", "bus.")
EMAIL_FIELDS = ("email_normalized", "email", "email_from", "company_email")
ROLES = {
    "customer": _lt("Customer"),
    "contact": _lt("Contact person"),
    "invoice": _lt("Invoice address only"),
    "delivery": _lt("Delivery address only"),
    "lines": _lt("Partner of journal items"),
}
DATE_FIELDS = ("invoice_date", "date", "date_order", "create_date")  # the date of a document, by preference


class ResPartner(models.Model):
    """GDPR: find a customer's personal data in every installed model.

    Odoo's privacy_lookup gives the candidates (by name and e-mail); only
    direct references to the customer and its contacts and exact e-mail
    matches are acted upon automatically, the rest is for a manager to check.
    """

    _inherit = "res.partner"

    def _gdpr_check_manager(self):
        if not self.env.su and not self.env.user.has_group("customer_crm.group_customer_crm_manager"):
            raise AccessError(self.env._("Only customer file managers may export or erase personal data."))

    def _gdpr_partners(self):
        """The partner and everything below it (contacts, addresses), archived included."""
        return self.with_context(active_test=False).search([("id", "child_of", self.ids)])

    @api.model
    def _gdpr_lookup_models(self):
        """The models of stored records that may hold a customer's personal data."""
        models = [self.env[name] for name in self.env.registry if not name.startswith(LOOKUP_SKIPPED_PREFIXES)]
        return [m for m in models if not (m._transient or m._abstract or not m._auto or m._name in LOOKUP_SKIPPED)]

    def _gdpr_lookup(self):
        """Records about these partners in every installed model, as two dicts
        ``{model: set of ids}``: (automatic, review).  Call on sudo records."""
        automatic = self._gdpr_direct_references()
        emails = set(filter(None, self.mapped("email_normalized")))
        review = defaultdict(set)
        for model, ids in self._gdpr_privacy_candidates().items():
            records = self.env[model].browse(ids - automatic[model]).exists()
            exact = records.filtered(
                lambda r: emails & {tools.email_normalize(r[f] or "") for f in EMAIL_FIELDS if f in r._fields}
            )
            automatic[model] |= set(exact.ids)
            review[model] |= set((records - exact).ids)
        lines = self.env["account.move.line"].browse(automatic.pop("account.move.line", ()))
        automatic["account.move"] |= set(lines.move_id.ids)
        return automatic, {model: ids for model, ids in review.items() if ids}

    def _gdpr_direct_references(self):
        """Every record whose stored many2one to res.partner points at these partners."""
        queries = []
        for model in self._gdpr_lookup_models():
            columns = [
                SQL("%s = ANY(%s)", SQL.identifier(name), self.ids)
                for name, field in model._fields.items()
                if field.type == "many2one"
                and field.comodel_name == "res.partner"
                and field.store
                and not field.company_dependent
            ]
            if columns:
                table = SQL.identifier(model._table)
                queries.append(SQL("SELECT %s, id FROM %s WHERE %s", model._name, table, SQL(" OR ").join(columns)))
        found = defaultdict(set)
        if queries:
            self.env.flush_all()
            self.env.cr.execute(SQL(" UNION ALL ").join(queries))
            for model, res_id in self.env.cr.fetchall():
                found[model].add(res_id)
        return found

    def _gdpr_privacy_candidates(self):
        """privacy_lookup's matches of each partner with an e-mail address:
        its name, its e-mail address as part of another."""
        found = defaultdict(set)
        self.env.flush_all()
        for partner in self.filtered("email"):  # privacy_lookup's query takes one name and address
            wizard = self.env["privacy.lookup.wizard"].new({"name": partner.name or "", "email": partner.email})
            self.env.cr.execute(wizard._get_query())
            for model_id, res_id, _active in self.env.cr.fetchall():
                found[model_id].add(res_id)
        models_by_id = {m.id: m.model for m in self.env["ir.model"].browse(list(found))}
        looked_up = {m._name for m in self._gdpr_lookup_models()}
        return {models_by_id[mid]: ids for mid, ids in found.items() if models_by_id[mid] in looked_up}

    def _gdpr_message_domain(self):
        """The customer's log: its own messages and notes, those linked to it,
        and the messages it wrote."""
        own = ["&", ("model", "=", "res.partner"), ("res_id", "in", self.ids)]
        return ["|", "|", ("crm_partner_id", "in", self.ids), ("author_id", "in", self.ids), *own]

    @api.model
    def _gdpr_document_date(self, record):
        """The date of a document: its invoice date, accounting date or order
        date, else the day it was made."""
        return fields.Date.to_date(next(record[f] for f in DATE_FIELDS if f in record._fields and record[f]))

    @api.model
    def _gdpr_document_label(self, record):
        """A document as a person names it, e.g. "Invoice INV/2026/00042"."""
        kind = record.type_name if "type_name" in record._fields else self.env["ir.model"]._get(record._name).name
        return f"{kind} {record.display_name}"

    def _gdpr_role(self, doc, partner_ids):
        """How a document refers to the customer: key of ROLES."""
        customer = doc.commercial_partner_id if doc._name == "account.move" else doc.partner_id
        if doc.partner_id.id in partner_ids or customer.id in partner_ids:
            return "customer"
        if doc._name == "sale.order" and doc.partner_invoice_id.id in partner_ids:
            return "invoice"
        return "delivery" if doc.partner_shipping_id.id in partner_ids else "lines"
