import importlib.util
import io
import json
import zipfile
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import file_path, mute_logger, sql
from odoo.tools.safe_eval import safe_eval

from .common import CustomerCrmCase


class GdprCase(CustomerCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.public_user = new_test_user(cls.env, login="crm_public", groups="base.group_public", name="Public User")
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Andere Firma AG", "is_company": True, "customer_rank": 1}
        )
        cls.Partner = cls.env["res.partner"].with_user(cls.crm_manager)

    def _note(self, record, body):
        return record.message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_note")

    def _pay(self, invoice):
        wizard = self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids)
        wizard.create({"payment_date": invoice.invoice_date}).action_create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))

    def _settled_invoice(self, partner, **vals):
        invoice = self._create_invoice(partner, post=True, **vals)
        self._pay(invoice)
        return invoice

    def _privacy_logs(self):
        return self.env["privacy.log"].sudo().search([], order="id")

    def _partner_messages(self, partners):
        return self.env["mail.message"].search([("model", "=", "res.partner"), ("res_id", "in", partners.ids)])


@tagged("post_install", "-at_install")
class TestGdprConsentArchive(GdprCase):
    def test_consent_defaults_and_tracking(self):
        customer = self.customer.with_env(self.env)  # tracking on
        self.assertEqual(customer.marketing_consent, "unknown")
        customer.write(
            {"marketing_consent": "yes", "marketing_consent_date": "2026-01-15", "marketing_consent_source": "Messe"}
        )
        self.env.cr.precommit.run()  # tracking values are written at commit
        tracked = customer.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("marketing_consent", tracked)
        self.assertIn("marketing_consent_source", tracked)

    def test_consent_in_the_form_is_dated(self):
        with Form(self.customer.with_user(self.crm_manager)) as form:
            form.marketing_consent = "yes"
        self.assertEqual(self.customer.marketing_consent_date, fields.Date.context_today(self.customer))

    def test_archive_asks_for_contacts_and_archives_them(self):
        ctx = {"res_partner_search_mode": "customer"}
        action = self.customer.with_user(self.crm_manager).with_context(**ctx).action_archive()
        self.assertEqual(action["res_model"], "customer_crm.archive.wizard")
        form = self.env.ref("customer_crm.customer_archive_wizard_view_form")
        self.assertEqual(action["views"], [(form.id, "form")], "the web client opens an action only with its views")
        self.assertTrue(self.customer.active, "nothing archived before the answer")
        wizard = self.env["customer_crm.archive.wizard"].with_user(self.crm_manager).browse(action["res_id"])
        self.assertEqual(wizard.contact_count, 1)
        wizard.action_confirm()
        self.assertFalse(self.customer.active)
        self.assertFalse(self.contact.active)
        # gone from Customers / Prospects, still under All Customers
        scope = self.env["res.partner"]._customer_crm_scope_domain()
        self.assertNotIn(self.customer, self.env["res.partner"].search(scope))
        self.assertIn(self.customer, self.env["res.partner"].with_context(active_test=False).search(scope))
        # restoring asks again and brings the contact back
        action = self.customer.with_context(**ctx).action_unarchive()
        self.assertEqual(action["res_model"], "customer_crm.archive.wizard")
        self.env["customer_crm.archive.wizard"].browse(action["res_id"]).action_confirm()
        self.assertTrue(self.customer.active)
        self.assertTrue(self.contact.active)

    def test_archived_customers_are_marked(self):
        list_arch = self.env["res.partner"].get_view(self.env.ref("base.view_partner_tree").id, "list")["arch"]
        self.assertIn('decoration-muted="not active"', list_arch)
        form_arch = self.env["res.partner"].get_view(self.env.ref("base.view_partner_form").id, "form")["arch"]
        self.assertIn('name="web_ribbon"', form_arch)
        self.assertIn('name="marketing_consent"', form_arch)

    def test_archive_without_contacts(self):
        self.customer.with_context(customer_crm_archive_contacts=False).action_archive()
        self.assertFalse(self.customer.active)
        self.assertTrue(self.contact.active)

    def test_archive_from_code_keeps_odoo_behaviour(self):
        self.assertFalse(self.customer.action_archive())
        self.assertFalse(self.customer.active)
        self.assertTrue(self.contact.active)


@tagged("post_install", "-at_install")
class TestGdprExport(GdprCase):
    def test_export_covers_every_personal_field(self):
        customer = self.customer
        customer.write(
            {
                "phone": "+49 30 111",
                "mobile": "+49 170 222",
                "street": "Teststraße 1",
                "street2": "Hinterhaus",
                "zip": "10115",
                "city": "Berlin",
                "country_id": self.env.ref("base.de").id,
                "vat": "DE123456788",
                "website": "https://testkunde.example",
                "comment": "<p>Mag keine Anrufe</p>",
                "ref": "K-77",
                "marketing_consent": "no",
                "marketing_consent_source": "Telefon",
            }
        )
        self.env["res.partner.bank"].create({"partner_id": customer.id, "acc_number": "DE02120300000000202051"})
        data = self.Partner.browse(customer.id).gdpr_export_data()
        # what a person must find about itself (a list of its own, not the export's)
        expected = ("name", "email", "phone", "mobile", "street", "street2", "zip", "city", "country_id", "vat")
        expected += ("website", "comment", "ref", "debtor_number", "marketing_consent", "marketing_consent_source")
        missing = [f for f in expected if f not in data["customer"]]
        self.assertFalse(missing, "personal fields missing from the export")
        self.assertNotIn("property_account_receivable_id", data["customer"], "technical fields stay out")
        text = json.dumps(data)  # JSON-serialisable
        for value in (
            "+49 170 222",
            "Hinterhaus",
            "DE123456788",
            "Mag keine Anrufe",
            "K-77",
            "Telefon",
            "DE02120300000000202051",
            "erika@testkunde.example",
        ):
            self.assertIn(value, text)
        self.assertEqual(data["contacts"][0]["name"], "Erika Mustermann")

    def test_export_lists_log_documents_and_attachments(self):
        order = self._create_order(self.customer)
        invoice = self._create_invoice(self.customer, post=True)
        self._note(self.customer, "Kunde wünscht Rückruf")
        self._note(order, "Angebot besprochen")
        self.env["ir.attachment"].create(
            {"name": "vertrag.pdf", "res_model": "res.partner", "res_id": self.customer.id, "raw": b"%PDF"}
        )
        data = self.Partner.browse(self.customer.id).gdpr_export_data()
        documents = [d["document"] for d in data["documents"]]
        self.assertIn(f"Quotation {order.name}", documents)
        self.assertIn(f"Invoice {invoice.name}", documents)
        bodies = " ".join(m["text"] or "" for m in data["messages"])
        self.assertIn("Kunde wünscht Rückruf", bodies)
        self.assertIn("Angebot besprochen", bodies)
        self.assertIn("vertrag.pdf", [a["name"] for a in data["attachments"]])

    def test_export_contains_tracked_changes(self):
        customer = self.customer.with_env(self.env)
        customer.marketing_consent = "yes"
        self.env.cr.precommit.run()
        data = self.Partner.browse(customer.id).gdpr_export_data()
        changes = [m["changes"] for m in data["messages"] if m["changes"]]
        self.assertTrue(any("Yes" in c for c in changes), changes)

    def test_export_zip(self):
        content, filename = self.Partner.browse(self.customer.id)._gdpr_export_zip()
        self.assertTrue(filename.endswith(".zip"))
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            self.assertTrue(
                {"data.json", "customer.csv", "contacts.csv", "documents.csv", "messages.csv"} <= names, names
            )
            self.assertIn("info@testkunde.example", archive.read("customer.csv").decode("utf-8-sig"))
            self.assertEqual(json.loads(archive.read("data.json"))["customer"]["name"], "Testkunde GmbH")

    def test_only_managers_export(self):
        for user in (self.crm_user, self.portal_user, self.public_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.customer.with_user(user).gdpr_export_data()
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.customer.with_user(user).action_gdpr_export()
        action = self.customer.with_user(self.crm_manager).action_gdpr_export()
        self.assertEqual(action["url"], f"/customer_crm/gdpr_export/{self.customer.id}")


@tagged("post_install", "-at_install")
class TestGdprErase(GdprCase):
    def test_dry_run_changes_nothing(self):
        quote = self._create_order(self.customer)
        self._note(self.customer, "Notiz")
        plan = self.Partner.browse(self.customer.id).gdpr_erase(dry_run=True)
        self.assertEqual(plan["result"], "planned")
        self.assertEqual(plan["outcome"], "deleted")
        actions = {(e["model"], tuple(e["ids"])): e["action"] for e in plan["plan"]}
        self.assertEqual(actions[("sale.order", (quote.id,))], "delete")
        self.assertEqual(actions[("res.partner", (self.contact.id,))], "delete")
        self.assertEqual(actions[("res.partner", (self.customer.id,))], "delete")
        self.assertTrue(quote.exists() and self.customer.exists() and self.contact.exists())
        self.assertTrue(self._partner_messages(self.customer))

    def test_erase_deletes_when_nothing_must_be_kept(self):
        quote = self._create_order(self.customer)
        sent_quote = self._create_order(self.customer)
        sent_quote.state = "sent"
        draft_invoice = self._create_invoice(self.customer)
        # the customer is only the delivery address of another customer's quote
        foreign = self._create_order(self.other_customer, partner_shipping_id=self.contact.id)
        foreign_invoice = self._create_invoice(self.other_customer, partner_shipping_id=self.customer.id)
        self._note(self.customer, "Vertrauliche Notiz")
        customer_id = self.customer.id
        result = self.Partner.browse(customer_id).gdpr_erase()
        self.assertEqual(result["result"], "deleted")
        self.assertIn("deleted", result["message"])
        self.assertFalse(self.customer.exists())
        self.assertFalse(self.contact.exists())
        self.assertFalse(quote.exists())
        self.assertFalse(sent_quote.exists())
        self.assertFalse(draft_invoice.exists())
        self.assertTrue(foreign.exists(), "a document where the customer is only an address is never deleted")
        self.assertEqual(foreign.partner_shipping_id, self.other_customer)
        self.assertEqual(foreign_invoice.partner_shipping_id, self.other_customer)
        relinked = {(e["model"], tuple(e["ids"])) for e in result["plan"] if e["action"] == "relink"}
        self.assertEqual(relinked, {("sale.order", (foreign.id,)), ("account.move", (foreign_invoice.id,))})
        self.assertFalse(self.env["mail.message"].search([("model", "=", "res.partner"), ("res_id", "=", customer_id)]))
        log = self.env["privacy.log"].browse(result["log_id"])
        self.assertEqual(log.user_id, self.crm_manager)
        self.assertEqual(log.anonymized_email, "i***@t********.example", "as privacy_lookup writes it")
        self.assertEqual(log.anonymized_name, "T******** G***")
        self.assertIn(f"#{quote.id}", log.execution_details)
        for personal in ("Testkunde", "Erika", "testkunde.example"):
            self.assertNotIn(personal, log.execution_details + log.records_description)

    def test_erase_refused_while_the_contract_is_open(self):
        invoice = self._create_invoice(self.customer, post=True)
        plan = self.Partner.browse(self.customer.id).gdpr_erase(dry_run=True)
        self.assertEqual(plan["result"], "refused")
        self.assertIn(invoice.name, plan["reason"])
        with self.assertRaisesRegex(UserError, invoice.name):
            self.Partner.browse(self.customer.id).gdpr_erase()
        self.assertEqual(self.customer.name, "Testkunde GmbH")
        order = self._create_order(self.customer)
        order.action_confirm()  # confirmed, not invoiced yet
        self._pay(invoice)
        with self.assertRaisesRegex(UserError, order.name):
            self.Partner.browse(self.customer.id).gdpr_erase()

    def test_erase_restricts_while_invoices_must_be_kept(self):
        self.customer.sudo().debtor_number = "10042"
        self.customer.write(
            {"phone": "+49 30 999", "street": "Geheimweg 3", "vat": "DE123456788", "marketing_consent": "yes"}
        )
        invoice = self._settled_invoice(self.customer, invoice_date="2026-03-01")
        quote = self._create_order(self.customer)
        self._note(self.customer, "Vertrauliche Notiz")
        plan = self.Partner.browse(self.customer.id).gdpr_erase(dry_run=True)
        self.assertEqual((plan["result"], plan["outcome"]), ("planned", "restricted"))
        self.assertEqual(plan["erase_after"], fields.Date.to_date("2036-12-31"))
        self.assertEqual(self.customer.name, "Testkunde GmbH", "the dry run changes nothing")
        result = self.Partner.browse(self.customer.id).gdpr_erase()
        self.assertEqual(result["result"], "restricted")
        customer = self.customer.with_context(active_test=False)
        self.assertEqual(customer.name, "Testkunde GmbH", "kept for the invoice")
        self.assertEqual(
            (customer.street, customer.vat, customer.debtor_number), ("Geheimweg 3", "DE123456788", "10042")
        )
        self.assertFalse(customer.email or customer.phone)
        self.assertEqual(customer.marketing_consent, "no")
        self.assertTrue(customer.gdpr_restricted)
        self.assertFalse(customer.active)
        self.assertEqual(customer.gdpr_erase_after, fields.Date.to_date("2036-12-31"))
        self.assertFalse(self.contact.exists(), "contacts not used on kept documents are removed")
        self.assertFalse(quote.exists())
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.partner_id, customer)
        messages = self._partner_messages(customer)
        self.assertFalse(messages.filtered(lambda m: "Vertrauliche" in (m.body or "")))
        self.assertFalse(messages.tracking_value_ids, "no tracking keeps the old values")
        # out of the normal lists, found by managers under All Customers with the filter
        scope = self.env["res.partner"]._customer_crm_scope_domain()
        self.assertNotIn(customer, self.env["res.partner"].search(scope))
        restricted = [*scope, ("gdpr_restricted", "=", True)]
        self.assertIn(customer, self.Partner.with_context(active_test=False).search(restricted))
        # the invoice renders unchanged
        html = self.env["ir.actions.report"]._render_qweb_html("account.account_invoices", invoice.ids)[0]
        self.assertIn(b"Testkunde GmbH", html)
        self.assertIn(b"Geheimweg 3", html)

    def test_restricted_customer_gets_no_new_documents(self):
        invoice = self._settled_invoice(self.customer)
        self.Partner.browse(self.customer.id).gdpr_erase()
        with self.assertRaisesRegex(UserError, "no new quotations"):
            self._create_order(self.customer)
        with self.assertRaisesRegex(UserError, "no new invoices"):
            self._create_invoice(self.customer)
        reversal = self.env["account.move.reversal"].with_context(active_model="account.move", active_ids=invoice.ids)
        reversal.create({"journal_id": invoice.journal_id.id}).refund_moves()
        self.assertTrue(invoice.reversal_move_ids, "a credit note reversing a kept invoice stays possible")

    def test_scheduled_action_anonymises_after_the_retention_period(self):
        self.company.gdpr_retention_years = 8
        self.customer.sudo().debtor_number = "10043"
        invoice = self._settled_invoice(self.customer, invoice_date="2017-05-01")
        self.Partner.browse(self.customer.id).gdpr_erase()
        customer = self.customer.with_context(active_test=False)
        self.assertEqual(customer.gdpr_erase_after, fields.Date.to_date("2025-12-31"))
        logs = self._privacy_logs()
        self.env.ref("customer_crm.ir_cron_gdpr_erase_expired").method_direct_trigger()
        self.assertEqual(customer.name, f"Erased customer {customer.id}")
        self.assertFalse(customer.street or customer.vat or customer.gdpr_restricted)
        self.assertEqual(customer.debtor_number, "10043")
        self.assertEqual(invoice.partner_id, customer)
        self.assertEqual(len(self._privacy_logs() - logs), 1)

    def test_scheduled_action_waits_for_the_date(self):
        self._settled_invoice(self.customer)
        self.Partner.browse(self.customer.id).gdpr_erase()
        self.env.ref("customer_crm.ir_cron_gdpr_erase_expired").method_direct_trigger()
        self.assertEqual(self.customer.with_context(active_test=False).name, "Testkunde GmbH")

    def test_erase_keeps_contact_used_on_kept_document(self):
        self._settled_invoice(self.customer, partner_shipping_id=self.contact.id)
        result = self.Partner.browse(self.customer.id).gdpr_erase()
        self.assertEqual(result["result"], "restricted")
        contact = self.contact.with_context(active_test=False)
        self.assertTrue(contact.exists())
        self.assertEqual(contact.name, "Erika Mustermann")
        self.assertTrue(contact.gdpr_restricted)
        self.assertFalse(contact.email)

    def test_erase_keeps_the_accounting_audit_trail(self):
        self.company.check_account_audit_trail = True
        customer = self.customer.with_env(self.env)
        customer.phone = "+49 30 555"  # tracked on the customer: part of the audit trail
        invoice = self._settled_invoice(customer)
        self.env.cr.precommit.run()
        audit = self.env["mail.message"].search(
            [("model", "=", "account.move"), ("res_id", "=", invoice.id), ("message_type", "=", "notification")]
        )
        self.assertTrue(audit)
        self._note(customer, "Vertrauliche Notiz")
        result = self.Partner.browse(customer.id).gdpr_erase()
        self.assertEqual(result["result"], "restricted")
        self.assertTrue(audit.exists())
        self.assertIn("keep", [e["action"] for e in result["plan"] if e["model"] == "mail.message"])
        self.assertFalse(self._partner_messages(customer).filtered(lambda m: "Vertrauliche" in (m.body or "")))

    def test_erase_anonymises_when_other_records_refer_to_it(self):
        """A reference the plan does not know (another module's table) makes
        the deletion fail: the customer is anonymised instead."""
        self.env.cr.execute("CREATE TABLE gdpr_test_ref (partner_id int REFERENCES res_partner(id) ON DELETE RESTRICT)")
        self.env.cr.execute("INSERT INTO gdpr_test_ref VALUES (%s)", [self.customer.id])
        plan = self.Partner.browse(self.customer.id).gdpr_erase(dry_run=True)
        self.assertEqual(plan["outcome"], "deleted")
        result = self.Partner.browse(self.customer.id).gdpr_erase()
        self.assertEqual(result["result"], "anonymised")
        self.assertIn("Other records", result["message"])
        customer = self.customer.with_context(active_test=False)
        self.assertEqual(customer.name, f"Erased customer {customer.id}")
        self.assertFalse(self.contact.exists())

    def test_failure_in_the_middle_changes_nothing(self):
        quote = self._create_order(self.customer)
        self._note(self.customer, "Notiz")
        messages = self._partner_messages(self.customer)
        logs = self._privacy_logs()
        Log = type(self.env["privacy.log"])
        with (
            patch.object(Log, "create", side_effect=RuntimeError("disk full")),
            self.assertRaisesRegex(RuntimeError, "disk full"),
        ):
            self.Partner.browse(self.customer.id).gdpr_erase()
        self.env.invalidate_all()
        self.assertTrue(self.customer.exists())
        self.assertEqual(self.customer.name, "Testkunde GmbH")
        self.assertEqual(self.customer.email, "info@testkunde.example")
        self.assertTrue(self.contact.exists())
        self.assertTrue(quote.exists())
        self.assertEqual(self._partner_messages(self.customer), messages)
        self.assertEqual(self._privacy_logs(), logs)

    def test_failure_while_restricting_changes_nothing(self):
        self._settled_invoice(self.customer)
        quote = self._create_order(self.customer)
        Partner = type(self.env["res.partner"])
        with (
            patch.object(Partner, "_gdpr_cleared_values", side_effect=UserError("boom")),
            self.assertRaises(UserError),
        ):
            self.Partner.browse(self.customer.id).gdpr_erase()
        self.env.invalidate_all()
        self.assertTrue(quote.exists())
        self.assertTrue(self.contact.exists())
        self.assertEqual(self.customer.email, "info@testkunde.example")

    def test_manager_without_sales_or_accounting_rights(self):
        """The manager group alone is enough to export and erase."""
        gdpr_only = new_test_user(
            self.env, login="gdpr_only", groups="base.group_user,customer_crm.group_customer_crm_manager"
        )
        self._settled_invoice(self.customer)
        self.env["res.partner.bank"].create({"partner_id": self.customer.id, "acc_number": "DE02500105170137075030"})
        customer = self.customer.with_user(gdpr_only)
        self.assertIn("DE02500105170137075030", json.dumps(customer.gdpr_export_data()))
        self.assertEqual(customer.gdpr_erase()["result"], "restricted")

    def test_resources_are_exported_and_erased(self):
        resource = self.env["customer_crm.resource"].create(
            {"name": "Wartungsvertrag", "partner_id": self.customer.id, "reference": "WV-2026-01"}
        )
        data = self.Partner.browse(self.customer.id).gdpr_export_data()
        self.assertIn("WV-2026-01", [r["value"] for r in data["other_records"]])
        plan = self.Partner.browse(self.customer.id).gdpr_erase(dry_run=True)
        self.assertIn(
            ("customer_crm.resource", [resource.id], "delete"),
            [(e["model"], e["ids"], e["action"]) for e in plan["plan"]],
        )
        self.Partner.browse(self.customer.id).gdpr_erase()
        self.assertFalse(resource.exists())

    def test_only_managers_erase(self):
        for user in (self.crm_user, self.portal_user, self.public_user):
            for dry_run in (True, False):
                with self.subTest(user=user.login, dry_run=dry_run), self.assertRaises(AccessError):
                    self.customer.with_user(user).gdpr_erase(dry_run=dry_run)
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["customer_crm.erase.wizard"].with_user(user).create({"partner_id": self.customer.id})
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["privacy.log"].with_user(user).search([])
        self.assertTrue(self.customer.exists())

    def test_refuses_customer_with_user_account(self):
        new_test_user(self.env, login="kundenportal", groups="base.group_portal", partner_id=self.contact.id)
        with self.assertRaisesRegex(UserError, "kundenportal"):
            self.Partner.browse(self.customer.id).gdpr_erase(dry_run=True)

    def test_wizard_dry_run_then_erase(self):
        self._create_order(self.customer)
        Wizard = self.env["customer_crm.erase.wizard"].with_user(self.crm_manager)
        action = self.env.ref("customer_crm.customer_erase_wizard_action")
        context = safe_eval(action.context, {"active_id": self.customer.id})
        wizard = Wizard.with_context(**context).create({})
        self.assertEqual(wizard.partner_id, self.customer)
        wizard.action_dry_run()
        self.assertEqual(wizard.state, "planned")
        self.assertEqual(wizard.outcome, "deleted")
        self.assertIn("delete", wizard.line_ids.mapped("action"))
        self.assertTrue(self.customer.exists())
        wizard.action_erase()
        self.assertEqual(wizard.state, "done")
        self.assertIn("deleted", wizard.result_message)
        self.assertEqual(wizard.log_id._name, "privacy.log")
        self.assertFalse([n for n in wizard.line_ids.mapped("record_name") if "Erika" in n or "Testkunde" in n])
        self.assertFalse(self.customer.exists())

    def test_wizard_shows_a_refusal(self):
        self._create_invoice(self.customer, post=True)
        wizard = (
            self.env["customer_crm.erase.wizard"].with_user(self.crm_manager).create({"partner_id": self.customer.id})
        )
        wizard.action_dry_run()
        self.assertEqual((wizard.state, wizard.outcome), ("refused", "refused"))
        self.assertIn("cannot be erased yet", wizard.reason)


@tagged("post_install", "-at_install")
class TestGdprReadableExport(GdprCase):
    def test_csv_reads_well_in_german(self):
        self.env["res.lang"]._activate_lang("de_DE")
        modules = self.env["ir.module.module"].search([("name", "in", ("base", "account", "sale", "customer_crm"))])
        modules._update_translations("de_DE")
        self.customer.write({"lang": "de_DE", "marketing_consent": "yes", "marketing_consent_date": "2026-01-15"})
        self._settled_invoice(self.customer, amount=1234.5, invoice_date="2026-02-03")
        content, _name = self.Partner.browse(self.customer.id)._gdpr_export_zip()
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            customer_csv = archive.read("customer.csv").decode("utf-8")
            documents_csv = archive.read("documents.csv").decode("utf-8")
        self.assertTrue(customer_csv.startswith("\ufeff"), "a BOM for spreadsheets")
        self.assertIn('"Feld";"Wert"', customer_csv)
        self.assertIn('"E-Mail";"info@testkunde.example"', customer_csv)
        self.assertIn("15.01.2026", customer_csv)
        self.assertIn('"Ist ein Unternehmen";"Ja"', customer_csv)
        self.assertIn('"1234,50"', documents_csv, "amounts with a decimal comma, still a number")
        self.assertIn("03.02.2026", documents_csv)
        self.assertIn("Ausgangsrechnung", documents_csv)
        self.assertNotIn("account.move,", documents_csv)

    def test_formula_cells_are_neutralised(self):
        self.customer.write({"street": '=HYPERLINK("http://evil.example")', "street2": "@SUM(A1)", "ref": "-42"})
        content, _name = self.Partner.browse(self.customer.id)._gdpr_export_zip()
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            text = archive.read("customer.csv").decode("utf-8-sig")
        self.assertIn('"\'=HYPERLINK(""http://evil.example"")"', text)
        self.assertIn('"\'@SUM(A1)"', text)
        self.assertIn('"\'-42"', text)

    def test_staff_notifications_stay_out(self):
        self.customer.message_notify(body="OdooBot assigned you", partner_ids=self.crm_manager.partner_id.ids)
        self._note(self.customer, "Kunde ruft zurück")
        texts = [m["text"] for m in self.Partner.browse(self.customer.id).gdpr_export_data()["messages"]]
        self.assertIn("Kunde ruft zurück", texts)
        self.assertNotIn("OdooBot assigned you", texts)


@tagged("post_install", "-at_install", "customer_crm_apps")
class TestGdprWithCrm(GdprCase):
    """With CRM installed: the customer's leads are found, by link or by exact e-mail only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Lead = cls.env["crm.lead"]
        cls.linked = Lead.create({"name": "Anfrage Wartung", "partner_id": cls.customer.id})
        cls.contact_lead = Lead.create({"name": "Rückruf", "partner_id": cls.contact.id})
        cls.by_email = Lead.create({"name": "Webformular", "email_from": "Erika <ERIKA@testkunde.example>"})
        cls.namesake = Lead.create({"name": "Testkunde GmbH", "email_from": "info@andere-testkunde.example"})
        cls.similar = Lead.create({"name": "Anna", "email_from": "anna.erika@testkunde.example"})

    def test_export_lists_the_leads(self):
        records = {r["record"] for r in self.Partner.browse(self.customer.id).gdpr_export_data()["other_records"]}
        self.assertTrue({"Anfrage Wartung", "Rückruf", "Webformular"} <= records, records)
        self.assertFalse({"Anna"} & records)

    def test_dry_run_asks_about_the_namesake(self):
        plan = self.Partner.browse(self.customer.id).gdpr_erase(dry_run=True)
        actions = {i: e["action"] for e in plan["plan"] if e["model"] == "crm.lead" for i in e["ids"]}
        for lead in self.linked | self.contact_lead | self.by_email:
            self.assertEqual(actions[lead.id], "delete", lead.name)
        self.assertEqual(actions[self.namesake.id], "review")
        self.assertNotIn(self.similar.id, actions)

    def test_erase_deletes_the_leads_and_leaves_the_others(self):
        result = self.Partner.browse(self.customer.id).gdpr_erase()
        self.assertEqual(result["result"], "deleted")
        self.assertFalse((self.linked | self.contact_lead | self.by_email).exists())
        self.assertEqual(self.namesake.exists() | self.similar.exists(), self.namesake | self.similar)
        log = self.env["privacy.log"].browse(result["log_id"])
        self.assertIn(f"#{self.by_email.id}", log.execution_details)

    def test_customer_without_email(self):
        (self.customer | self.contact).write({"email": False})
        result = self.Partner.browse(self.customer.id).gdpr_erase()
        self.assertEqual(result["result"], "deleted")
        self.assertFalse((self.linked | self.contact_lead).exists())
        self.assertTrue((self.by_email | self.namesake | self.similar).exists(), "nothing found by an address it lacks")
        log = self.env["privacy.log"].browse(result["log_id"])
        self.assertTrue(log.anonymized_email.endswith("@n*******.invalid"), log.anonymized_email)

    def test_ticked_namesake_is_deleted_too(self):
        wizard = (
            self.env["customer_crm.erase.wizard"].with_user(self.crm_manager).create({"partner_id": self.customer.id})
        )
        wizard.action_dry_run()
        line = wizard.line_ids.filtered(lambda ln: ln.action == "review" and ln.res_id == self.namesake.id)
        line.selected = True
        wizard.action_erase()
        self.assertFalse(self.namesake.exists())
        self.assertTrue(self.similar.exists())


@tagged("post_install", "-at_install", "customer_crm_apps")
class TestGdprWithPurchase(GdprCase):
    """With Purchase installed: a customer who is also a vendor."""

    def test_purchase_orders_are_kept_and_the_customer_restricted(self):
        product = self.env["product.product"].create({"name": "Schrauben", "purchase_ok": True})
        line = Command.create({"product_id": product.id, "product_qty": 3, "price_unit": 2.0})
        order = self.env["purchase.order"].create({"partner_id": self.customer.id, "order_line": [line]})
        order.button_confirm()
        plan = self.Partner.browse(self.customer.id).gdpr_erase(dry_run=True)
        actions = {(e["model"], i): e["action"] for e in plan["plan"] for i in e["ids"]}
        self.assertEqual(actions[("purchase.order", order.id)], "keep", "a business letter the law keeps")
        self.assertEqual((plan["outcome"], actions[("res.partner", self.customer.id)]), ("restricted", "restrict"))
        self.assertEqual(self.Partner.browse(self.customer.id).gdpr_erase()["result"], "restricted")
        customer = self.customer.with_context(active_test=False)
        self.assertEqual((order.exists(), order.partner_id), (order, customer))
        self.assertEqual((customer.name, customer.email, customer.gdpr_restricted), ("Testkunde GmbH", False, True))


@tagged("post_install", "-at_install")
class TestGdprDelete(GdprCase):
    def test_delete_refused_naming_documents(self):
        quote = self._create_order(self.customer)
        with self.assertRaisesRegex(UserError, "Erase Customer") as caught:
            self.customer.unlink()
        self.assertIn(quote.name, str(caught.exception))
        self.assertTrue(quote.exists())

    def test_delete_refused_when_only_an_address(self):
        """Odoo would silently delete this draft quotation of another customer."""
        foreign = self._create_order(self.other_customer, partner_invoice_id=self.contact.id)
        with self.assertRaisesRegex(UserError, foreign.name):
            self.contact.unlink()
        self.assertTrue(foreign.exists())

    def test_delete_refused_for_posted_invoice(self):
        invoice = self._create_invoice(self.customer, post=True)
        with self.assertRaisesRegex(UserError, invoice.name):
            self.customer.unlink()

    def test_delete_message_names_ten_documents_and_counts_the_rest(self):
        orders = self.env["sale.order"].create(
            [
                {"partner_id": self.customer.id, "order_line": [(0, 0, {"product_id": self.product.id})]}
                for _i in range(12)
            ]
        )
        with self.assertRaisesRegex(UserError, "and 2 more"):
            self.customer.unlink()
        self.assertEqual(len(orders.exists()), 12)

    def test_delete_without_documents(self):
        self.contact.unlink()
        self.assertFalse(self.contact.exists())


@tagged("post_install", "-at_install")
class TestGdprHttp(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="gdpr_manager", groups="base.group_user,customer_crm.group_customer_crm_manager"
        )
        cls.user = new_test_user(cls.env, login="gdpr_user", groups="base.group_user")
        cls.portal = new_test_user(cls.env, login="gdpr_portal", groups="base.group_portal")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Download Kunde GmbH", "is_company": True, "customer_rank": 1, "email": "dl@kunde.example"}
        )

    def test_export_download(self):
        self.authenticate("gdpr_manager", "gdpr_manager")
        response = self.url_open(f"/customer_crm/gdpr_export/{self.customer.id}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/zip")
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            self.assertIn("dl@kunde.example", archive.read("customer.csv").decode("utf-8-sig"))

    def test_mail_merge_leaves_out_restricted_customers(self):
        other = self.env["res.partner"].create({"name": "Serienbrief Kunde", "customer_rank": 1, "is_company": True})
        self.customer.gdpr_restricted = True
        self.authenticate("admin", "admin")
        response = self.url_open(f"/customer_crm/export/mail_merge?ids={self.customer.id},{other.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Serienbrief Kunde", response.text)
        self.assertNotIn("Download Kunde", response.text)

    @mute_logger("odoo.http")
    def test_export_download_refused_for_users(self):
        for login in ("gdpr_user", "gdpr_portal", None):
            with self.subTest(login=login):
                self.authenticate(login, login)
                response = self.url_open(f"/customer_crm/gdpr_export/{self.customer.id}", allow_redirects=False)
                self.assertNotEqual(response.status_code, 200)
                self.assertNotIn(b"dl@kunde.example", response.content)


@tagged("post_install", "-at_install", "customer_crm_apps")
class TestGdprTour(HttpCase):
    def test_erase_tour(self):
        """Dry run, tick a namesake's lead, erase: the customer with a settled invoice is restricted."""
        customer = self.env["res.partner"].create(
            {"name": "Tour Löschkunde GmbH", "is_company": True, "customer_rank": 1, "email": "tour@kunde.example"}
        )
        self.env["res.partner"].create({"name": "Tina Tour", "parent_id": customer.id})
        product = self.env["product.product"].create({"name": "Tourberatung", "list_price": 50.0})
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_line_ids": [(0, 0, {"product_id": product.id})],
            }
        )
        invoice.action_post()
        register = self.env["account.payment.register"]
        register.with_context(active_model="account.move", active_ids=invoice.ids).create({}).action_create_payments()
        namesake = self.env["crm.lead"].create(
            {"name": "Tour Löschkunde GmbH", "email_from": "other@elsewhere.example"}
        )
        self.start_tour(f"/odoo/customer-file-all/{customer.id}", "customer_crm_gdpr_erase_tour", login="admin")
        self.assertTrue(customer.gdpr_restricted)
        self.assertFalse(namesake.exists(), "the ticked namesake's lead is deleted too")


@tagged("post_install", "-at_install")
class TestGdprMigration(TransactionCase):
    def _migrate(self, script):
        path = file_path(f"customer_crm/migrations/18.0.1.1.0/{script}")
        spec = importlib.util.spec_from_file_location(script.replace("-", "_"), path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.migrate(self.env.cr, "18.0.1.0.0")

    def test_erasure_log_moves_into_privacy_log(self):
        cr, uid = self.env.cr, self.env.uid
        cr.execute(
            "CREATE TABLE customer_crm_erasure_log (id serial, partner_ref int, debtor_number varchar, "
            "result varchar, reason text, user_id int, company_id int, details text, create_uid int, "
            "create_date timestamp, write_uid int, write_date timestamp)"
        )
        cr.execute(
            "INSERT INTO customer_crm_erasure_log (partner_ref, debtor_number, result, reason, user_id, details, "
            "create_uid, create_date, write_uid, write_date) VALUES (42, '10042', 'anonymised', 'Invoices kept', "
            "%s, 'res.partner [42]: anonymise', %s, '2026-01-05 10:00', %s, now())",
            [uid, uid, uid],
        )
        self._migrate("pre-migration.py")
        self.assertFalse(sql.table_exists(cr, "customer_crm_erasure_log"))
        self._migrate("post-migration.py")
        log = self.env["privacy.log"].search([("anonymized_name", "=", "Customer #42")])
        self.assertEqual(len(log), 1)
        self.assertEqual(log.anonymized_email, "customer-42@no-email.invalid")
        self.assertEqual((log.user_id.id, str(log.date)), (uid, "2026-01-05 10:00:00"))
        self.assertEqual(log.execution_details, "res.partner [42]: anonymise")
        self.assertIn("10042", log.additional_note)
        self.assertFalse(sql.table_exists(cr, "customer_crm_erasure_log_moved"))
