import io
import json
import re
import zipfile
from datetime import date, datetime
from decimal import Decimal

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import float_repr, format_date, format_datetime, html2plaintext, is_html_empty
from odoo.tools.translate import LazyTranslate

from ..tools.spreadsheet_csv import spreadsheet_csv
from .res_partner_gdpr_lookup import ROLES

_lt = LazyTranslate(__name__)

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
PARTS = ("contacts", "bank_accounts", "documents", "messages", "other_records", "attachments")
COLUMNS = {  # headings of the export's columns that are not a field of res.partner
    **{"field": _lt("Field"), "value": _lt("Value"), "partner": _lt("Contact"), "bank": _lt("Bank")},
    **{"account_number": _lt("Account Number"), "document": _lt("Document"), "date": _lt("Date")},
    **{"amount": _lt("Amount"), "currency": _lt("Currency"), "state": _lt("Status"), "role": _lt("Role")},
    **{"kind": _lt("Kind"), "author": _lt("Author"), "subject": _lt("Subject"), "text": _lt("Text")},
    **{"changes": _lt("Changes"), "attachments": _lt("Attachments"), "record": _lt("Record")},
    **{"file_type": _lt("File Type"), "size": _lt("Size (bytes)")},
}


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
        env, partners = customer.env, customer._gdpr_partners()
        automatic, _review = partners._gdpr_lookup()
        docs = [
            doc for model in DOCUMENT_MODELS for doc in env[model].browse(sorted(automatic.get(model, ()))).exists()
        ]
        messages = env["mail.message"].search(partners._gdpr_message_domain(), order="date, id")
        messages = messages.filtered(  # not the staff's notifications ("... assigned you")
            lambda m: m.message_type != "user_notification"
            and (not is_html_empty(m.body) or m.tracking_value_ids or m.attachment_ids)
        )
        on_partners = [("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)]
        attachments = env["ir.attachment"].search(on_partners) | messages.attachment_ids
        names = [name for name in PERSONAL_FIELDS if name in self._fields]
        return {
            "exported_at": fields.Datetime.now(),
            "exported_by": self.env.user.name,
            "customer": {name: customer._gdpr_value(customer, name) for name in names},
            "contacts": [{name: customer._gdpr_value(p, name) for name in names} for p in partners - customer],
            "bank_accounts": [
                {"partner": b.partner_id.display_name, "account_number": b.acc_number, "bank": b.bank_id.name or None}
                for b in env["res.partner.bank"].search([("partner_id", "in", partners.ids)])
            ],
            "documents": [customer._gdpr_document_row(doc, partners.ids) for doc in docs],
            "messages": [customer._gdpr_message_row(message) for message in messages],
            "other_records": customer._gdpr_found_rows(automatic),
            "attachments": [
                {"name": a.name, "file_type": a.mimetype, "size": a.file_size, "date": a.create_date}
                for a in attachments
            ],
        }

    def _gdpr_reader_lang(self):
        installed = dict(self.env["res.lang"].get_installed())
        return self.lang if self.lang in installed else self.env.user.lang

    def _gdpr_value(self, record, name):
        """A field's value as a person reads it: names, labels, plain text;
        numbers, dates and booleans stay typed."""
        field, value = record._fields[name], record[name]
        if field.type in ("boolean", "integer", "float", "monetary"):
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
        amount = doc.amount_total if "amount_total" in doc else doc.amount
        return {
            "document": self._gdpr_document_label(doc),
            "date": self._gdpr_document_date(doc),
            "amount": Decimal(float_repr(amount, doc.currency_id.decimal_places)),
            "currency": doc.currency_id.name,
            "state": self._gdpr_value(doc, "state"),
            "role": self.env._(ROLES[self._gdpr_role(doc, partner_ids)]),
        }

    def _gdpr_message_row(self, message):
        record = message.model in self.env and self.env[message.model].browse(message.res_id).exists()
        changes = [
            f"{c['changedField']}: {c['oldValue']['value'] or ''} → {c['newValue']['value'] or ''}"
            for c in message.tracking_value_ids._tracking_value_format()
        ]
        return {
            "date": message.date,
            "kind": message.subtype_id.name or self._gdpr_value(message, "message_type"),
            "author": message.author_id.display_name or message.email_from or None,
            "document": (record and self._gdpr_document_label(record)) or None,
            "subject": message.subject or None,
            "text": html2plaintext(message.body or "") or None,
            "changes": "; ".join(changes) or None,
            "attachments": ", ".join(message.attachment_ids.mapped("name")) or None,
        }

    def _gdpr_found_rows(self, automatic):
        """Records of other apps found by the lookup: one row per value."""
        rows = []
        for model, ids in sorted((model, ids) for model, ids in automatic.items() if model not in DOCUMENT_MODELS):
            Model = self.env[model].with_context(active_test=False)
            names = [n for n in FOUND_FIELDS if n in Model._fields and Model._fields[n].store]
            labels, kind = Model.fields_get(names, ["string"]), self.env["ir.model"]._get(model).name
            rows += [
                {"kind": kind, "record": record.display_name, "field": labels[n]["string"], "value": value}
                for record in Model.browse(sorted(ids))
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

    def _gdpr_export_zip(self):
        """The export as (ZIP bytes, file name): data.json for programs, one
        CSV file per part for the person, in its language."""
        tables = self._gdpr_export_tables()
        reader = self.with_context(lang=self._gdpr_reader_lang())
        labels = {key: reader.env._(label) for key, label in COLUMNS.items()}
        labels |= {
            name: info["string"] for name, info in reader.fields_get(list(tables["customer"]), ["string"]).items()
        }
        point = reader.env["res.lang"]._lang_get(reader.env.lang).decimal_point

        def csv(part, rows):
            columns = [
                c for c in dict.fromkeys(k for row in rows for k in row) if any(r.get(c) is not None for r in rows)
            ]
            values = [[reader._gdpr_readable(row.get(c)) for c in columns] for row in rows]
            return f"{part}.csv", spreadsheet_csv([labels[c] for c in columns], values, point)

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("data.json", json.dumps(tables, default=json_value, indent=2, ensure_ascii=False))
            customer = [{"field": labels[name], "value": value} for name, value in tables["customer"].items()]
            for part, rows in [("customer", customer), *((part, tables[part]) for part in PARTS)]:
                archive.writestr(*csv(part, rows))
        slug = re.sub(r"[^\w-]+", "_", self.display_name or "customer", flags=re.UNICODE).strip("_")
        return buffer.getvalue(), f"personal_data_{self.id}_{slug}.zip"

    def action_gdpr_export(self):
        """Download the personal data of one customer as a ZIP file."""
        if len(self) != 1:
            raise UserError(self.env._("Select exactly one customer to export its personal data."))
        self._gdpr_check_manager()
        return {"type": "ir.actions.act_url", "url": f"/customer_crm/gdpr_export/{self.id}", "target": "download"}
