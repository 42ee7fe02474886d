import csv
import io
import json
import logging
import re
import zipfile

from psycopg2 import IntegrityError

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext, mute_logger

_logger = logging.getLogger(__name__)

# Fields of res.partner that hold personal data: the export must contain
# every one of them that exists in the database (tests check it).
GDPR_PERSONAL_FIELDS = (
    "name",
    "title",
    "function",
    "email",
    "phone",
    "mobile",
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "country_id",
    "partner_latitude",
    "partner_longitude",
    "vat",
    "company_registry",
    "company_name",
    "website",
    "comment",
    "lang",
    "tz",
    "ref",
    "barcode",
    "parent_id",
    "type",
    "is_company",
    "employee",
    "industry_id",
    "category_id",
    "bank_ids",
    "user_id",
    "active",
    "create_date",
    "debtor_number",
    "short_name",
    "marketing_consent",
    "marketing_consent_date",
    "marketing_consent_source",
)
# Technical or derived fields that say nothing about the person.
GDPR_SKIPPED_FIELDS = {
    "id",
    "display_name",
    "create_uid",
    "write_uid",
    "write_date",
    "color",
    "complete_name",
    "commercial_partner_id",
    "commercial_company_name",
    "partner_share",
    "same_vat_partner_id",
    "same_company_registry_partner_id",
    "email_normalized",
    "phone_sanitized",
    "message_bounce",
}
GDPR_SKIPPED_PREFIXES = ("message_", "activity_", "image_", "avatar_", "property_", "signup_", "website_message")
# Personal data that an anonymised customer keeps (the accounting needs it).
GDPR_KEPT_ON_ANONYMISE = {
    "name",
    "parent_id",
    "type",
    "is_company",
    "active",
    "create_date",
    "debtor_number",
    "user_id",
}
SALE_KEPT_STATES = ("sale",)
INVOICE_TYPES = ("out_invoice", "out_refund", "in_invoice", "in_refund", "out_receipt", "in_receipt")


class ResPartner(models.Model):
    """Archive, delete and GDPR: consent, personal data export, erasure."""

    _inherit = "res.partner"

    marketing_consent = fields.Selection(
        [("yes", "Yes"), ("no", "No"), ("unknown", "Unknown")],
        default="unknown",
        index=True,
        tracking=True,
        help="Whether the person agreed to receive marketing (newsletters, offers).",
    )
    marketing_consent_date = fields.Date(string="Consent Date", tracking=True)
    marketing_consent_source = fields.Char(
        string="Consent Source",
        tracking=True,
        help="Where or how the consent was given or refused, e.g. web form, phone call, signed letter.",
    )

    @api.onchange("marketing_consent")
    def _onchange_marketing_consent(self):
        """A consent given or refused in the form is dated today."""
        for partner in self:
            if partner.marketing_consent in ("yes", "no"):
                partner.marketing_consent_date = fields.Date.context_today(partner)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

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
        domains = {
            "sale.order": [
                "|",
                "|",
                ("partner_id", "in", ids),
                ("partner_invoice_id", "in", ids),
                ("partner_shipping_id", "in", ids),
            ],
            "account.move": [
                "|",
                "|",
                "|",
                ("partner_id", "in", ids),
                ("commercial_partner_id", "in", ids),
                ("partner_shipping_id", "in", ids),
                ("line_ids.partner_id", "in", ids),
            ],
        }
        names, count = [], 0
        for model, domain in domains.items():
            # sudo: only to name the documents that block the deletion
            docs = self.env[model].sudo().search(domain, limit=limit)
            names += docs.mapped("display_name")
            count += len(docs) if len(docs) < limit else self.env[model].sudo().search_count(domain)
        return names[:limit], count

    # ------------------------------------------------------------------
    # Archive / unarchive with the contact persons
    # ------------------------------------------------------------------

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
        if self._customer_crm_ask_contacts(archive=True):
            return self.env["customer_crm.archive.wizard"].action_open(self, archive=True)
        res = super().action_archive()
        if self and self.env.context.get("customer_crm_archive_contacts"):
            self._customer_crm_contacts(active=True).with_context(customer_crm_archive_contacts=False).action_archive()
        return res

    def action_unarchive(self):
        if self._customer_crm_ask_contacts(archive=False):
            return self.env["customer_crm.archive.wizard"].action_open(self, archive=False)
        res = super().action_unarchive()
        if self and self.env.context.get("customer_crm_archive_contacts"):
            self._customer_crm_contacts(active=False).with_context(
                customer_crm_archive_contacts=False
            ).action_unarchive()
        return res

    # ------------------------------------------------------------------
    # GDPR: shared helpers
    # ------------------------------------------------------------------

    def _gdpr_check_manager(self):
        if not self.env.su and not self.env.user.has_group("customer_crm.group_customer_crm_manager"):
            raise AccessError(self.env._("Only customer file managers may export or erase personal data."))

    def _gdpr_partners(self):
        """The partner and everything below it (contacts, addresses), archived included."""
        return self.with_context(active_test=False).search([("id", "child_of", self.ids)])

    @api.model
    def _gdpr_export_field_names(self):
        """Stored fields of res.partner exported as personal data."""
        names = []
        for name, field in self._fields.items():
            if name in GDPR_PERSONAL_FIELDS:
                names.append(name)
                continue
            if (
                not field.store
                or field.groups
                or field.type in ("binary", "one2many", "many2many", "many2one_reference", "properties", "json")
                or name in GDPR_SKIPPED_FIELDS
                or name.startswith(GDPR_SKIPPED_PREFIXES)
            ):
                continue
            names.append(name)
        return names

    @api.model
    def _gdpr_value(self, record, name):
        """A JSON-friendly, readable value of one field of a record."""
        field = record._fields[name]
        value = record[name]
        if field.type in ("boolean", "binary"):
            return bool(value)
        if field.type in ("integer", "float", "monetary"):
            return value
        if field.type in ("one2many", "many2many"):
            return value.mapped("display_name")
        if not value:
            return None
        converters = {
            "many2one": lambda v: v.display_name,
            "date": fields.Date.to_string,
            "datetime": fields.Datetime.to_string,
            "html": html2plaintext,
            "selection": lambda v: dict(field._description_selection(record.env)).get(v, v),
        }
        return converters.get(field.type, lambda v: v)(value)

    def _gdpr_record_dict(self, record, names):
        return {name: self._gdpr_value(record, name) for name in names if name in record._fields}

    def _gdpr_orders(self, partner_ids):
        # sudo: scoped to the customer's own documents; callers checked the manager group
        return (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    "|",
                    "|",
                    ("partner_id", "in", partner_ids),
                    ("partner_invoice_id", "in", partner_ids),
                    ("partner_shipping_id", "in", partner_ids),
                ],
                order="date_order, id",
            )
        )

    def _gdpr_moves(self, partner_ids, with_lines=True):
        domain = [
            ("partner_id", "in", partner_ids),
            ("commercial_partner_id", "in", partner_ids),
            ("partner_shipping_id", "in", partner_ids),
        ]
        if with_lines:
            domain.append(("line_ids.partner_id", "in", partner_ids))
        domain = ["|"] * (len(domain) - 1) + domain
        # sudo: scoped to the customer's own documents; callers checked the manager group
        return self.env["account.move"].sudo().search(domain, order="date, id")

    def _gdpr_role(self, doc, partner_ids):
        if doc.partner_id.id in partner_ids:
            return "customer"
        if doc._name == "account.move" and doc.commercial_partner_id.id in partner_ids:
            return "customer"
        if doc._name == "sale.order" and doc.partner_invoice_id.id in partner_ids:
            return "invoice_address"
        if doc.partner_shipping_id.id in partner_ids:
            return "delivery_address"
        return "journal_item"

    def _gdpr_role_label(self, role):
        return {
            "customer": self.env._("Customer"),
            "invoice_address": self.env._("Invoice address only"),
            "delivery_address": self.env._("Delivery address only"),
            "journal_item": self.env._("Partner of journal items"),
        }[role]

    def _gdpr_message_domain(self, partner_ids, orders=None, moves=None):
        """The customer's log: its own messages and notes, the messages it
        wrote, and those linked to it (crm_partner_id) or, without that link,
        the messages of its documents."""
        domain = [
            "|",
            "&",
            ("model", "=", "res.partner"),
            ("res_id", "in", partner_ids),
            ("author_id", "in", partner_ids),
        ]
        if "crm_partner_id" in self.env["mail.message"]._fields:
            domain = ["|", ("crm_partner_id", "in", partner_ids), *domain]
        else:
            for docs in (orders, moves):
                if docs:
                    domain = ["|", "&", ("model", "=", docs._name), ("res_id", "in", docs.ids), *domain]
        return domain

    # ------------------------------------------------------------------
    # GDPR: export
    # ------------------------------------------------------------------

    def gdpr_export_data(self):
        """All personal data of the customer, its contacts, log and documents.

        Returns a JSON-serialisable dict; managers only.
        """
        self.ensure_one()
        self._gdpr_check_manager()
        self.check_access("read")
        # sudo: the manager group may lack the rights of Sales or Accounting
        # on some fields (bank accounts, ...); the export must be complete
        customer = self.sudo()
        partners = customer._gdpr_partners()
        ids = partners.ids
        names = self._gdpr_export_field_names()
        children = partners - customer
        orders = self._gdpr_orders(ids)
        moves = self._gdpr_moves(ids, with_lines=False).filtered(lambda m: m.move_type in INVOICE_TYPES)
        # sudo: reads the log of this customer only, after the manager check
        messages = (
            self.env["mail.message"].sudo().search(self._gdpr_message_domain(ids, orders, moves), order="date, id")
        )
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search(["&", ("res_model", "=", "res.partner"), ("res_id", "in", ids)], order="id")
        ) | messages.attachment_ids
        address_fields = [
            "type",
            "name",
            "street",
            "street2",
            "zip",
            "city",
            "state_id",
            "country_id",
            "email",
            "phone",
        ]
        data = {
            "format": "customer_crm.gdpr_export/1",
            "exported_at": fields.Datetime.to_string(fields.Datetime.now()),
            "exported_by": self.env.user.name,
            "customer": self._gdpr_record_dict(customer, names),
            "contacts": [self._gdpr_record_dict(c, names) for c in children.filtered(lambda p: p.type == "contact")],
            "addresses": [
                self._gdpr_record_dict(p, address_fields)
                for p in customer | children.filtered(lambda p: p.type != "contact")
            ],
            "bank_accounts": [
                {
                    "partner": bank.partner_id.display_name,
                    "account_number": bank.acc_number,
                    "holder": bank.acc_holder_name or None,
                    "bank": bank.bank_id.display_name or None,
                }
                # sudo: bank accounts of this customer only
                for bank in self.env["res.partner.bank"]
                .sudo()
                .with_context(active_test=False)
                .search([("partner_id", "in", ids)])
            ],
            "resources": [],
            "messages": [
                {
                    "date": fields.Datetime.to_string(msg.date),
                    "type": msg.message_type,
                    "subtype": msg.subtype_id.name or None,
                    "author": msg.author_id.display_name or msg.email_from or None,
                    "document": msg.record_name or (msg.model and f"{msg.model},{msg.res_id}") or None,
                    "subject": msg.subject or None,
                    "body": html2plaintext(msg.body or ""),
                    "changes": [
                        f"{change['changedField']}: {change['oldValue']['value'] or ''} → "
                        f"{change['newValue']['value'] or ''}"
                        for change in msg.tracking_value_ids._tracking_value_format()
                    ],
                    "attachments": msg.attachment_ids.mapped("name"),
                }
                for msg in messages
            ],
            "documents": [
                {
                    "type": doc.type_name,
                    "number": doc.name,
                    "date": fields.Date.to_string(
                        doc.date_order.date() if doc._name == "sale.order" else (doc.invoice_date or doc.date)
                    ),
                    "amount": doc.amount_total,
                    "currency": doc.currency_id.name,
                    "state": dict(doc._fields["state"]._description_selection(self.env)).get(doc.state),
                    "role": self._gdpr_role_label(self._gdpr_role(doc, ids)),
                }
                for doc in [*orders, *moves]
            ],
            "attachments": [
                {
                    "name": att.name,
                    "type": att.mimetype,
                    "size": att.file_size,
                    "date": fields.Datetime.to_string(att.create_date),
                }
                for att in attachments
            ],
        }
        if "customer_crm.resource" in self.env:
            Resource = self.env["customer_crm.resource"]
            resource_fields = [
                f
                for f in ("name", "resource_type", "reference", "date_start", "date_end", "note", "active")
                if f in Resource._fields
            ]
            # sudo: resources of this customer only, after the manager check
            resources = Resource.sudo().with_context(active_test=False).search([("partner_id", "in", ids)])
            data["resources"] = [self._gdpr_record_dict(res, resource_fields) for res in resources]
        return data

    def _gdpr_export_zip(self):
        """The export as (ZIP bytes, file name): data.json plus one readable
        CSV file per part."""
        data = self.gdpr_export_data()
        labels = self._gdpr_csv_labels()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False, default=str))
            rows = [{"field": labels["partner"].get(k, k), "value": v} for k, v in data["customer"].items()]
            archive.writestr("customer.csv", self._gdpr_csv(rows, labels["customer"]))
            for part in ("contacts", "addresses", "bank_accounts", "resources", "messages", "documents", "attachments"):
                archive.writestr(f"{part}.csv", self._gdpr_csv(data[part], labels.get(part, labels["partner"])))
        slug = re.sub(r"[^\w-]+", "_", self.display_name or "customer", flags=re.UNICODE).strip("_")
        return buffer.getvalue(), f"personal_data_{self.id}_{slug}.zip"

    @api.model
    def _gdpr_csv_labels(self):
        """Column headings of the CSV files, per part."""
        _ = self.env._

        def field_labels(model):
            return {name: info["string"] for name, info in self.env[model].fields_get(attributes=["string"]).items()}

        labels = {
            "partner": field_labels("res.partner"),
            "customer": {"field": _("Field"), "value": _("Value")},
            "bank_accounts": {
                "partner": _("Contact"),
                "account_number": _("Account Number"),
                "holder": _("Account Holder"),
                "bank": _("Bank"),
            },
            "messages": {
                "date": _("Date"),
                "type": _("Type"),
                "subtype": _("Subtype"),
                "author": _("Author"),
                "document": _("Document"),
                "subject": _("Subject"),
                "body": _("Text"),
                "changes": _("Changes"),
                "attachments": _("Attachments"),
            },
            "documents": {
                "type": _("Type"),
                "number": _("Number"),
                "date": _("Date"),
                "amount": _("Amount"),
                "currency": _("Currency"),
                "state": _("Status"),
                "role": _("Role"),
            },
            "attachments": {"name": _("Name"), "type": _("File Type"), "size": _("Size (bytes)"), "date": _("Date")},
        }
        if "customer_crm.resource" in self.env:
            labels["resources"] = field_labels("customer_crm.resource")
        return labels

    @api.model
    def _gdpr_csv(self, rows, labels):
        """CSV text (UTF-8 with BOM for spreadsheets) of a list of dicts."""
        columns = []
        for row in rows:
            columns += [key for key in row if key not in columns]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([labels.get(col, col) for col in columns])
        for row in rows:
            writer.writerow([self._gdpr_csv_cell(row.get(col)) for col in columns])
        return "\ufeff" + out.getvalue()

    @api.model
    def _gdpr_csv_cell(self, value):
        if value is None:
            return ""
        if isinstance(value, list | tuple):
            return "; ".join(str(v) for v in value)
        return str(value)

    def action_gdpr_export(self):
        """Download the personal data of one customer as a ZIP file."""
        if len(self) != 1:
            raise UserError(self.env._("Select exactly one customer to export its personal data."))
        self._gdpr_check_manager()
        return {
            "type": "ir.actions.act_url",
            "url": f"/customer_crm/gdpr_export/{self.id}",
            "target": "download",
        }

    # ------------------------------------------------------------------
    # GDPR: erase
    # ------------------------------------------------------------------

    def _gdpr_entry(self, records, action, reason, role=None, name=None):
        return {
            "model": records._name,
            "ids": records.ids,
            "name": name or ", ".join(records.mapped("display_name")),
            "role": role,
            "action": action,
            "reason": reason,
        }

    def _gdpr_check_no_users(self, partners):
        # sudo: checking for user accounts of this customer only
        users = (
            self.env["res.users"].sudo().with_context(active_test=False).search([("partner_id", "in", partners.ids)])
        )
        if users:
            raise UserError(
                self.env._(
                    "%(customer)s has user accounts (%(users)s). Delete or archive them in Settings first.",
                    customer=self.display_name,
                    users=", ".join(users.mapped("login")),
                )
            )

    @api.model
    def _gdpr_document_partners(self, docs):
        """Every partner a document refers to."""
        if docs._name == "sale.order":
            return docs.partner_id | docs.partner_invoice_id | docs.partner_shipping_id
        if docs._name == "account.move":
            return docs.partner_id | docs.commercial_partner_id | docs.partner_shipping_id | docs.line_ids.partner_id
        return docs.partner_id

    def _gdpr_plan_order(self, order, partner_ids):
        _ = self.env._
        role = self._gdpr_role(order, partner_ids)
        if order.state in SALE_KEPT_STATES or order.locked:
            return self._gdpr_entry(order, "keep", _("Confirmed order: kept for the records."), role=role)
        if role == "customer":
            return self._gdpr_entry(order, "delete", _("Quotation or cancelled order: deleted."), role=role)
        reason = _(
            "Belongs to another customer (%(customer)s): kept, the address is replaced by that customer's.",
            customer=order.partner_id.display_name,
        )
        return self._gdpr_entry(order, "relink", reason, role=role)

    def _gdpr_plan_move(self, move, partner_ids):
        _ = self.env._
        role = self._gdpr_role(move, partner_ids)
        if move.state == "posted" or move.posted_before or move.origin_payment_id or move.statement_line_id:
            return self._gdpr_entry(move, "keep", _("Posted accounting document: kept as the law requires."), role=role)
        if role in ("customer", "journal_item"):
            return self._gdpr_entry(move, "delete", _("Never posted: deleted."), role=role)
        reason = _(
            "Belongs to another customer (%(customer)s): kept, the delivery address is replaced by that customer's.",
            customer=move.partner_id.display_name,
        )
        return self._gdpr_entry(move, "relink", reason, role=role)

    def _gdpr_plan_documents(self, partner_ids):
        """Plan entries of the orders, journal entries and payments."""
        # sudo: payments of this customer only
        payments = self.env["account.payment"].sudo().search([("partner_id", "in", partner_ids)])
        return (
            [self._gdpr_plan_order(order, partner_ids) for order in self._gdpr_orders(partner_ids)]
            + [self._gdpr_plan_move(move, partner_ids) for move in self._gdpr_moves(partner_ids)]
            + [
                self._gdpr_entry(payment, "keep", self.env._("Payment: kept as the law requires."), role="customer")
                for payment in payments
            ]
        )

    def _gdpr_plan_banks(self, partner_ids, anonymise):
        _ = self.env._
        # sudo: bank accounts of this customer only
        banks = self.env["res.partner.bank"].sudo().with_context(active_test=False)
        banks = banks.search([("partner_id", "in", partner_ids)])
        used = banks.browse()
        if banks and anonymise:
            domain = [("partner_bank_id", "in", banks.ids)]
            # sudo: only to learn which of the customer's bank accounts kept documents use
            used = (
                self.env["account.move"].sudo().search(domain).partner_bank_id
                | self.env["account.payment"].sudo().search(domain).partner_bank_id
            ) & banks
        entries = []
        if banks - used:
            entries.append(self._gdpr_entry(banks - used, "delete", _("Bank account: deleted.")))
        if used:
            entries.append(self._gdpr_entry(used, "archive", _("Bank account used on kept documents: archived.")))
        return entries

    def _gdpr_plan_log(self, partner_ids, deleted_docs, kept_docs):
        """Plan entries of the customer's resources, messages and attachments."""
        _ = self.env._
        entries = []
        if "customer_crm.resource" in self.env:
            # sudo: resources of this customer only
            resources = self.env["customer_crm.resource"].sudo().with_context(active_test=False)
            entries += [
                self._gdpr_entry(resource, "delete", _("Resource: deleted."))
                for resource in resources.search([("partner_id", "in", partner_ids)])
            ]
        orders = self.env["sale.order"].browse([e["ids"][0] for e in deleted_docs if e["model"] == "sale.order"])
        moves = self.env["account.move"].browse([e["ids"][0] for e in deleted_docs if e["model"] == "account.move"])
        # sudo: the log of this customer only
        messages = self.env["mail.message"].sudo().search(self._gdpr_message_domain(partner_ids, orders, moves))
        kept = self._gdpr_kept_messages(messages, kept_docs)
        if messages - kept:
            name = _("%(count)s messages and notes", count=len(messages - kept))
            reason = _("Messages and notes of the customer's log: deleted.")
            entries.append(self._gdpr_entry(messages - kept, "delete", reason, name=name))
        if kept:
            name = _("%(count)s messages", count=len(kept))
            reason = _("History of kept documents or part of the accounting audit trail: kept as the law requires.")
            entries.append(self._gdpr_entry(kept, "keep", reason, name=name))
        # sudo: attachments of this customer only
        attachments = self.env["ir.attachment"].sudo().search(self._gdpr_attachment_domain(partner_ids))
        if attachments:
            name = _("%(count)s attachments", count=len(attachments))
            entries.append(
                self._gdpr_entry(attachments, "delete", _("Attachments of the customer: deleted."), name=name)
            )
        return entries

    @api.model
    def _gdpr_kept_messages(self, messages, kept_docs):
        """Messages an erasure must keep: the history of kept documents (all
        but internal notes) and the accounting audit trail."""
        kept_ids = {}
        for entry in kept_docs:
            kept_ids.setdefault(entry["model"], set()).update(entry["ids"])
        note = self.env.ref("mail.mt_note")
        kept = messages.filtered(lambda m: m.res_id in kept_ids.get(m.model, ()) and m.subtype_id != note)
        return kept | self._gdpr_audit_trail_messages(messages - kept)

    @api.model
    def _gdpr_audit_trail_messages(self, messages):
        """The messages account's audit trail forbids deleting (same rules
        as ``mail.message._except_audit_log``)."""
        if "account_audit_log_activated" not in messages._fields:
            return messages.browse()
        audit = messages.filtered(
            lambda m: m.account_audit_log_activated
            and not (m.account_audit_log_move_id and not m.account_audit_log_move_id.posted_before)
        )
        partner_messages = audit.filtered("account_audit_log_partner_id")
        if partner_messages:
            # sudo: only counts the audited journal entries of these partners
            has_move = (
                self.env["account.move"]
                .sudo()
                .search_count(
                    [
                        ("partner_id", "in", partner_messages.account_audit_log_partner_id.ids),
                        ("company_id.check_account_audit_trail", "=", True),
                    ],
                    limit=1,
                )
            )
            if not has_move:
                audit -= partner_messages
        return audit

    @api.model
    def _gdpr_attachment_domain(self, partner_ids):
        return [("res_model", "=", "res.partner"), ("res_id", "in", partner_ids)]

    def _gdpr_erase_plan(self):
        """What erasing this customer does to each linked record, without doing it."""
        self.ensure_one()
        _ = self.env._
        partners = self._gdpr_partners()
        self._gdpr_check_no_users(partners)
        ids = partners.ids
        documents = self._gdpr_plan_documents(ids)
        keep = [e for e in documents if e["action"] == "keep"]
        # sudo: the customer's own log only
        partner_messages = (
            self.env["mail.message"].sudo().search([("model", "=", "res.partner"), ("res_id", "in", ids)])
        )
        anonymise = bool(keep or self._gdpr_kept_messages(partner_messages, keep))
        kept_ids = {}
        for entry in keep:
            kept_ids.setdefault(entry["model"], []).extend(entry["ids"])
        kept_partner_ids = set()
        for model, doc_ids in kept_ids.items():
            kept_partner_ids.update(self._gdpr_document_partners(self.env[model].sudo().browse(doc_ids)).ids)
        plan = [
            self._gdpr_entry(
                self,
                "anonymise" if anonymise else "delete",
                _("Anonymised (name, contact data cleared; debtor number kept) and archived.")
                if anonymise
                else _("Deleted with its personal data."),
                role="customer",
            ),
            *documents,
        ]
        for child in partners - self:
            if anonymise and child.id in kept_partner_ids:
                reason = _("Contact person used on kept documents: anonymised and archived.")
                plan.append(self._gdpr_entry(child, "anonymise", reason, role="contact"))
            else:
                plan.append(self._gdpr_entry(child, "delete", _("Contact person: deleted."), role="contact"))
        plan += self._gdpr_plan_banks(ids, anonymise)
        plan += self._gdpr_plan_log(ids, [e for e in documents if e["action"] == "delete"], keep)
        if keep:
            reason = _(
                "%(count)s document(s) must be kept (posted invoices, payments or confirmed orders), so the "
                "customer is anonymised and archived instead of deleted.",
                count=len(keep),
            )
        elif anonymise:
            reason = _(
                "The accounting audit trail of the customer must be kept, so the customer is anonymised and "
                "archived instead of deleted."
            )
        else:
            reason = _("No document must be kept, so the customer and its personal data are deleted.")
        return {
            "result": "planned",
            "outcome": "anonymised" if anonymise else "deleted",
            "partner_id": self.id,
            "reason": reason,
            "plan": plan,
        }

    def gdpr_erase(self, dry_run=False):
        """Erase the customer: delete it, or anonymise it where documents must be kept.

        Returns a dict with ``result`` (``deleted``, ``anonymised``, or
        ``planned`` on a dry run), ``reason`` and ``plan``, one entry per
        linked record.  All or nothing; managers only.
        """
        self.ensure_one()
        self._gdpr_check_manager()
        self.check_access("read")  # record rules: a customer of the manager's companies
        plan = self._gdpr_erase_plan()
        if dry_run:
            return plan
        with self.env.cr.savepoint():
            result = self._gdpr_erase_execute(plan)
        return result

    def _gdpr_erase_execute(self, plan):
        """Carry out a plan of :meth:`_gdpr_erase_plan`."""
        env = self.env(su=True)  # sudo: the manager check is done, the plan only holds this customer's records
        partner = env["res.partner"].with_context(active_test=False).browse(self.id)
        by_action = {}
        for entry in plan["plan"]:
            key = (entry["model"], entry["action"])
            records = env[entry["model"]].with_context(active_test=False).browse(entry["ids"])
            by_action[key] = by_action.get(key, records.browse()) | records

        def get(model, action):
            return by_action.get((model, action), env[model])

        debtor_number = partner.debtor_number
        partners = partner._gdpr_partners()
        messages = partner._gdpr_erase_log(partners, get("mail.message", "delete"), get("mail.message", "keep"))
        partner._gdpr_erase_documents(partners, get)
        outcome, reason = partner._gdpr_erase_partners(plan, get)
        log = env["customer_crm.erasure.log"].create(
            {
                "partner_ref": partner.id,
                "debtor_number": debtor_number,
                "result": outcome,
                "reason": reason,
                "contact_count": len(partners) - 1,
                "message_count": len(messages),
                "document_deleted_count": len(get("sale.order", "delete")) + len(get("account.move", "delete")),
                "document_kept_count": len(get("sale.order", "keep"))
                + len(get("account.move", "keep"))
                + len(get("account.payment", "keep")),
                "document_relinked_count": len(get("sale.order", "relink")) + len(get("account.move", "relink")),
                "details": "\n".join(self._gdpr_log_line(entry) for entry in plan["plan"]),
            }
        )
        if outcome == "deleted":
            message = self.env._("The customer was deleted with its personal data. %(reason)s", reason=reason)
        else:
            message = self.env._("The customer was anonymised and archived, not deleted. %(reason)s", reason=reason)
        return {**plan, "result": outcome, "reason": reason, "message": message, "log_id": log.id}

    def _gdpr_erase_log(self, partners, planned_messages, kept_messages):
        """Delete the log: messages and notes, activities, followers, attachments."""
        env = self.env
        messages = env["mail.message"].search(self._gdpr_message_domain(partners.ids)) | planned_messages
        messages = messages.exists() - kept_messages
        messages -= self._gdpr_audit_trail_messages(messages)
        messages.unlink()
        env["mail.activity"].search([("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)]).unlink()
        env["mail.followers"].search(
            [
                "|",
                ("partner_id", "in", partners.ids),
                "&",
                ("res_model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
            ]
        ).unlink()
        env["ir.attachment"].search(self._gdpr_attachment_domain(partners.ids)).unlink()
        return messages

    def _gdpr_erase_documents(self, partners, get):
        """Delete the documents planned for deletion, remove the address links."""
        for order in get("sale.order", "relink"):
            vals = {}
            if order.partner_invoice_id in partners:
                vals["partner_invoice_id"] = order.partner_id.id
            if order.partner_shipping_id in partners:
                vals["partner_shipping_id"] = order.partner_id.id
            order.write(vals)
        for move in get("account.move", "relink"):
            move.partner_shipping_id = move.partner_id
        orders = get("sale.order", "delete")
        orders.filtered(lambda o: o.state != "cancel").write({"state": "cancel"})
        orders.unlink()
        get("account.move", "delete").unlink()
        if "customer_crm.resource" in self.env:
            get("customer_crm.resource", "delete").unlink()
        get("res.partner.bank", "delete").unlink()
        get("res.partner.bank", "archive").write({"active": False})

    def _gdpr_erase_partners(self, plan, get):
        """Delete or anonymise the customer and its contacts; (outcome, reason)."""
        partner = self
        outcome, reason = plan["outcome"], plan["reason"]
        deleted_contacts = get("res.partner", "delete") - partner
        anonymised = get("res.partner", "anonymise")
        if outcome == "deleted":
            try:
                with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                    (deleted_contacts | partner).unlink()
            except IntegrityError:
                _logger.info("GDPR erase: partner %s still referenced, anonymising it instead", partner.id)
                outcome = "anonymised"
                reason = self.env._(
                    "Other records still refer to the customer, so it is anonymised and archived instead of deleted."
                )
                deleted_contacts.exists().unlink()
                anonymised = partner
        else:
            deleted_contacts.unlink()
        if outcome == "anonymised":
            for record in anonymised:
                record.with_context(tracking_disable=True, mail_notrack=True).write(record._gdpr_anonymised_values())
            # writing may have logged messages (e.g. by other modules): remove them too
            residue = self.env["mail.message"].search([("model", "=", "res.partner"), ("res_id", "in", anonymised.ids)])
            (residue - self._gdpr_audit_trail_messages(residue)).unlink()
        return outcome, reason

    def _gdpr_log_line(self, entry):
        """One line of the audit log, without personal data: documents by
        number, partners and log entries by id only."""
        if entry["model"] in ("sale.order", "account.move", "account.payment"):
            label = entry["name"]
        else:
            label = ", ".join(str(i) for i in entry["ids"][:50])
        return f"{entry['model']} [{label}]: {entry['action']}"

    def _gdpr_anonymised_values(self):
        """Values that clear the personal data of an erased partner."""
        self.ensure_one()
        if self.parent_id:
            vals = {"name": self.env._("Erased contact %(id)s", id=self.id)}
        else:
            vals = {"name": self.env._("Erased customer %(id)s", id=self.id)}
        vals["active"] = False
        for name in GDPR_PERSONAL_FIELDS:
            field = self._fields.get(name)
            if not field or name in GDPR_KEPT_ON_ANONYMISE or (field.readonly and not field.inverse):
                continue
            if field.type in ("one2many",):
                continue
            if field.type == "many2many":
                vals[name] = [Command.clear()]
            elif field.type == "boolean":
                vals[name] = False
            elif field.type in ("float", "integer", "monetary"):
                vals[name] = 0
            elif name == "marketing_consent":
                vals[name] = "no"
            elif name in ("lang", "tz"):
                continue
            else:
                vals[name] = False
        vals["image_1920"] = False
        return vals
