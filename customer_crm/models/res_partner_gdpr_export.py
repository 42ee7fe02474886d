import io
import json
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import float_repr, format_date, format_datetime, html2plaintext, is_html_empty

from ..tools.spreadsheet_csv import spreadsheet_csv

# What a person learns about themselves, in this order (fields this database lacks are left out).
PERSONAL_FIELDS = (
    *("name", "title", "function", "email", "phone", "mobile", "street", "street2", "zip", "city", "state_id"),
    *("country_id", "vat", "company_registry", "website", "comment", "lang", "ref", "parent_id", "type"),
    *("is_company", "category_id", "user_id", "create_date", "active", "debtor_number", "short_name"),
    *("marketing_consent", "marketing_consent_date", "marketing_consent_source", "gdpr_restricted", "gdpr_erase_after"),
)
# What records of other apps (leads, resources, ...) hold about the person.
FOUND_FIELDS = (
    *("name", "partner_name", "contact_name", "email_from", "email", "phone", "mobile", "street", "zip", "city"),
    *("reference", "resource_type", "date_start", "date_end", "description", "note", "create_date"),
)
DOCUMENT_MODELS = ("sale.order", "account.move", "account.payment")


def json_value(value):
    """Dates as ISO text, amounts as numbers, for data.json."""
    if isinstance(value, Decimal):
        return float(value)
    return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()


class ResPartner(models.Model):
    """GDPR: the export of a customer's personal data, for the person to read."""

    _inherit = "res.partner"

    def gdpr_export_data(self):
        """All personal data of the customer, its contacts, log and documents.

        Returns a JSON-serialisable dict; managers only.
        """
        return json.loads(json.dumps(self._gdpr_export_tables(), default=json_value))

    def _gdpr_export_tables(self):
        """The export as rows of typed values, in the language of the customer
        (or of the user), after the manager check."""
        self.ensure_one()
        self._gdpr_check_manager()
        self.check_access("read")
        # sudo: the manager group may lack Sales or Accounting rights on some records; the export must be complete
        customer = self.sudo().with_context(active_test=False, lang=self._gdpr_reader_lang())
        partners = customer._gdpr_partners()
        automatic, _review = partners._gdpr_lookup()
        names = [name for name in PERSONAL_FIELDS if name in self._fields]
        docs = [
            doc for model in DOCUMENT_MODELS for doc in customer.env[model].browse(sorted(automatic.get(model, ())))
        ]
        messages = customer.env["mail.message"].search(partners._gdpr_message_domain(), order="date, id")
        messages = messages.filtered(  # not the staff's notifications ("... assigned you")
            lambda m: m.message_type != "user_notification"
            and (not is_html_empty(m.body) or m.tracking_value_ids or m.attachment_ids)
        )
        Attachment = customer.env["ir.attachment"]
        attachments = Attachment.search([("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)])
        banks = customer.env["res.partner.bank"].search([("partner_id", "in", partners.ids)])
        return {
            "exported_at": fields.Datetime.now(),
            "exported_by": self.env.user.name,
            "customer": {name: customer._gdpr_value(customer, name) for name in names},
            "contacts": [{name: customer._gdpr_value(p, name) for name in names} for p in partners - customer],
            "bank_accounts": [
                {"partner": b.partner_id.display_name, "account_number": b.acc_number, "bank": b.bank_id.name or None}
                for b in banks
            ],
            "documents": [customer._gdpr_document_row(doc, partners.ids) for doc in docs if doc.exists()],
            "messages": [customer._gdpr_message_row(message) for message in messages],
            "other_records": customer._gdpr_found_rows(automatic),
            "attachments": [
                {"name": a.name, "file_type": a.mimetype, "size": a.file_size, "date": a.create_date}
                for a in attachments | messages.attachment_ids
            ],
        }

    def _gdpr_reader_lang(self):
        installed = dict(self.env["res.lang"].get_installed())
        return self.lang if self.lang in installed else self.env.user.lang

    def _gdpr_value(self, record, name):
        """A field's value as a person reads it: names, labels, plain text;
        numbers, dates and booleans stay typed."""
        field, value = record._fields[name], record[name]
        if field.type == "boolean" or field.type in ("integer", "float", "monetary"):
            return value
        if field.type in ("many2many", "one2many"):
            return ", ".join(value.mapped("display_name")) or None
        if not value:
            return None
        if field.type == "many2one":
            return value.display_name
        if field.type == "selection":
            return dict(field._description_selection(record.env)).get(value, value)
        return html2plaintext(value) if field.type == "html" else value

    def _gdpr_document_row(self, doc, partner_ids):
        dates = ("invoice_date", "date_order", "date", "create_date")
        when = next(doc[f] for f in dates if f in doc._fields and doc[f])
        return {
            "document": self._gdpr_document_label(doc),
            "date": when.date() if isinstance(when, datetime) else when,
            "amount": Decimal(
                float_repr(doc.amount_total if "amount_total" in doc else doc.amount, doc.currency_id.decimal_places)
            ),
            "currency": doc.currency_id.name,
            "state": self._gdpr_value(doc, "state"),
            "role": self._gdpr_role(doc, partner_ids),
        }

    def _gdpr_message_row(self, message):
        record = message.model in self.env and self.env[message.model].browse(message.res_id).exists()
        changes = message.tracking_value_ids._tracking_value_format()
        return {
            "date": message.date,
            "kind": message.subtype_id.name or self._gdpr_value(message, "message_type"),
            "author": message.author_id.display_name or message.email_from or None,
            "document": (record and self._gdpr_document_label(record)) or None,
            "subject": message.subject or None,
            "text": html2plaintext(message.body or "") or None,
            "changes": "; ".join(
                f"{c['changedField']}: {c['oldValue']['value'] or ''} → {c['newValue']['value'] or ''}" for c in changes
            )
            or None,
            "attachments": ", ".join(message.attachment_ids.mapped("name")) or None,
        }

    def _gdpr_found_rows(self, automatic):
        """Records of other apps found by the lookup: one row per value."""
        rows = []
        for model, ids in sorted(automatic.items()):
            Model = self.env[model].with_context(active_test=False)
            names = [n for n in FOUND_FIELDS if n in Model._fields and Model._fields[n].store]
            if model in DOCUMENT_MODELS or not names:
                continue
            labels = Model.fields_get(names, ["string"])
            kind = self.env["ir.model"]._get(model).name
            for record in Model.browse(sorted(ids)):
                rows += [
                    {"kind": kind, "record": record.display_name, "field": labels[n]["string"], "value": value}
                    for n in names
                    if (value := self._gdpr_value(record, n)) not in (None, False, "")
                ]
        return rows

    def _gdpr_readable(self, value):
        if isinstance(value, bool):
            return self.env._("Yes") if value else self.env._("No")
        if isinstance(value, datetime):
            return format_datetime(self.env, value, tz=self.env.user.tz)
        return format_date(self.env, value) if isinstance(value, date) else value

    def _gdpr_labels(self):
        _ = self.env._
        fields_info = self.fields_get([n for n in PERSONAL_FIELDS if n in self._fields], ["string"])
        return {
            **{name: info["string"] for name, info in fields_info.items()},
            **{"field": _("Field"), "value": _("Value"), "partner": _("Contact"), "bank": _("Bank")},
            **{"account_number": _("Account Number"), "document": _("Document"), "date": _("Date")},
            **{"amount": _("Amount"), "currency": _("Currency"), "state": _("Status"), "role": _("Role")},
            **{"kind": _("Kind"), "author": _("Author"), "subject": _("Subject"), "text": _("Text")},
            **{"changes": _("Changes"), "attachments": _("Attachments"), "record": _("Record")},
            **{"file_type": _("File Type"), "size": _("Size (bytes)")},
        }

    def _gdpr_export_zip(self):
        """The export as (ZIP bytes, file name): data.json for programs, one
        CSV file per part for the person, in its language."""
        tables = self._gdpr_export_tables()
        reader = self.with_context(lang=self._gdpr_reader_lang())
        labels = reader._gdpr_labels()
        decimal_point = reader.env["res.lang"]._lang_get(reader.env.lang).decimal_point
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("data.json", json.dumps(tables, default=json_value, indent=2, ensure_ascii=False))
            rows = [[labels[name], reader._gdpr_readable(value)] for name, value in tables["customer"].items()]
            archive.writestr("customer.csv", spreadsheet_csv([labels["field"], labels["value"]], rows, decimal_point))
            for part in ("contacts", "bank_accounts", "documents", "messages", "other_records", "attachments"):
                columns = list(dict.fromkeys(k for row in tables[part] for k in row))
                columns = [c for c in columns if any(row.get(c) is not None for row in tables[part])]
                rows = [[reader._gdpr_readable(row.get(c)) for c in columns] for row in tables[part]]
                archive.writestr(f"{part}.csv", spreadsheet_csv([labels[c] for c in columns], rows, decimal_point))
        slug = re.sub(r"[^\w-]+", "_", self.display_name or "customer", flags=re.UNICODE).strip("_")
        return buffer.getvalue(), f"personal_data_{self.id}_{slug}.zip"

    def action_gdpr_export(self):
        """Download the personal data of one customer as a ZIP file."""
        if len(self) != 1:
            raise UserError(self.env._("Select exactly one customer to export its personal data."))
        self._gdpr_check_manager()
        return {"type": "ir.actions.act_url", "url": f"/customer_crm/gdpr_export/{self.id}", "target": "download"}
