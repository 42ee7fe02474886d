import csv
import io

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from ..models.res_partner_datev import DATEV_DEBTOR_COLUMNS
from .common import CustomerCrmCase


@tagged("post_install", "-at_install")
class TestDatevExport(CustomerCrmCase):
    """DATEV master data (EXTF "Debitoren/Kreditoren") of numbered customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "datev_consultant_number": "1234567",
                "datev_client_number": "10001",
                "datev_account_length": 4,
                "fiscalyear_last_month": "12",
                "fiscalyear_last_day": 31,
            }
        )
        term = cls.env["account.payment.term"].create(
            {"name": "30 Tage", "line_ids": [(0, 0, {"value": "percent", "value_amount": 100, "nb_days": 30})]}
        )
        cls.customer.write(
            {
                "vat": "DE123456788",
                "street": "Hauptstraße 1",
                "street2": "Hinterhaus",
                "zip": "80331",
                "city": "München",
                "country_id": cls.env.ref("base.de").id,
                "phone": "+49 89 123456",
                "website": "https://testkunde.example",
                "short_name": "TESTKUNDE MÜNCHEN GMBH",
                "property_payment_term_id": term.id,
            }
        )
        bank = cls.env["res.bank"].create({"name": "Commerzbank", "bic": "COBADEFFXXX"})
        cls.env["res.partner.bank"].create(
            {"partner_id": cls.customer.id, "acc_number": "DE89 3704 0044 0532 0130 00", "bank_id": bank.id}
        )
        partners = cls.env["res.partner"]
        cls.person = partners.create({"name": "Jürgen Müller", "customer_rank": 1, "email": "jm@example.com"})
        cls.unsure = partners.create({"name": "Anna Maria von Berg", "customer_rank": 1})
        cls.prospect = partners.create({"name": "Interessent AG", "is_company": True, "customer_rank": 1})
        cls.numbered = cls.customer | cls.person | cls.unsure
        cls.numbered._customer_crm_assign_debtor_numbers(cls.company)

    def _export(self, partners):
        return partners.with_user(self.crm_manager).datev_debtor_export()

    def _parse(self, content):
        text = content.decode("cp1252")
        self.assertTrue(text.endswith("\r\n"))
        self.assertNotIn("\n", text.replace("\r\n", ""), "CRLF line ends only")
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"'))

    def test_file_parsed_back(self):
        export = self._export(self.numbered | self.prospect | self.contact)
        self.assertTrue(export["filename"].startswith("EXTF_"))
        self.assertEqual(export["skipped"], 1, "the prospect is left out")
        header, columns, *rows = self._parse(export["content"])
        self.assertEqual(len(header), 31)
        self.assertEqual(header[:5], ["EXTF", "700", "16", "Debitoren/Kreditoren", "5"])
        self.assertRegex(header[5], r"^\d{17}$")
        self.assertEqual(header[8], "CRM Manager")
        self.assertEqual(header[10:14], ["1234567", "10001", f"{header[5][:4]}0101", "4"])
        self.assertEqual(columns, DATEV_DEBTOR_COLUMNS)
        self.assertEqual(len(columns), 254)
        self.assertEqual(len(rows), 3, "each customer once (the contact stands for its company)")
        self.assertTrue(all(len(row) == len(columns) for row in rows))
        by_number = {row[0]: dict(zip(columns, row, strict=True)) for row in rows}
        company = by_number[self.customer.debtor_number]
        expected = {
            "Name (Adressatentyp Unternehmen)": "Testkunde GmbH",
            "Adressatentyp": "2",
            "Kurzbezeichnung": "TESTKUNDE MÜNCH",
            "EU-Land": "DE",
            "EU-USt-IdNr.": "123456788",
            "Adressart": "STR",
            "Straße": "Hauptstraße 1",
            "Adresszusatz": "Hinterhaus",
            "Postleitzahl": "80331",
            "Ort": "München",
            "Land": "DE",
            "Telefon": "+49 89 123456",
            "E-Mail": "info@testkunde.example",
            "Internet": "https://testkunde.example",
            "IBAN 1": "DE89370400440532013000",
            "SWIFT-Code 1": "COBADEFFXXX",
            "Bankbezeichnung 1": "Commerzbank",
            "Fälligkeit in Tagen (Debitor)": "30",
        }
        self.assertEqual({key: company[key] for key in expected}, expected)
        person = by_number[self.person.debtor_number]
        self.assertEqual(
            (
                person["Adressatentyp"],
                person["Vorname (Adressatentyp natürl. Person)"],
                person["Name (Adressatentyp natürl. Person)"],
            ),
            ("1", "Jürgen", "Müller"),
        )
        unsure = by_number[self.unsure.debtor_number]
        self.assertEqual(
            (unsure["Adressatentyp"], unsure["Name (Adressatentyp keine Angabe)"]), ("0", "Anna Maria von Berg")
        )
        self.assertEqual(unsure["Name (Adressatentyp natürl. Person)"], "")

    def test_text_quoted_numbers_not(self):
        content = self._export(self.customer)["content"]
        line = content.split(b"\r\n")[2].decode("cp1252")
        self.assertTrue(line.startswith(f'{self.customer.debtor_number};"Testkunde GmbH";;;;;2;'), line[:60])
        self.assertIn("Hauptstraße".encode("cp1252"), content, "umlauts in Windows-1252")

    def test_refusals(self):
        self.company.datev_client_number = False
        with self.assertRaisesRegex(UserError, "client number.*Settings"):
            self._export(self.customer)
        self.company.datev_client_number = "10001"
        self.person.with_user(self.crm_manager).write({"debtor_number": "D-4711"})
        self.unsure.with_user(self.crm_manager).write({"debtor_number": "700001"})
        with self.assertRaises(UserError) as caught:
            self._export(self.numbered)
        self.assertIn("Jürgen Müller (D-4711)", str(caught.exception))
        self.assertIn("Anna Maria von Berg (700001)", str(caught.exception))
        self.assertNotIn("Testkunde", str(caught.exception))
        with self.assertRaisesRegex(UserError, "nothing to export"):
            self._export(self.prospect)
        with self.assertRaises(AccessError):
            self.customer.with_user(self.crm_user).datev_debtor_export()

    def test_list_action_downloads(self):
        action = (self.customer | self.prospect).with_user(self.crm_manager).action_datev_export()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("1 customers without a debtor number left out", action["params"]["message"])
        download = action["params"]["next"]
        self.assertEqual(download["type"], "ir.actions.act_url")
        attachment = self.env["ir.attachment"].browse(int(download["url"].split("/")[3].split("?")[0]))
        header, __, row = self._parse(attachment.raw)
        self.assertEqual(row[0], self.customer.debtor_number)
        self.assertEqual(self.customer.with_user(self.crm_manager).action_datev_export()["type"], "ir.actions.act_url")
        everything = self.env["res.partner"].with_user(self.crm_manager).action_datev_export_all()
        attachment = self.env["ir.attachment"].browse(int(everything["url"].split("/")[3].split("?")[0]))
        numbers = [row[0] for row in self._parse(attachment.raw)[2:]]
        self.assertTrue(set(self.numbered.mapped("debtor_number")) <= set(numbers))

    def test_settings_warn_outside_datev_range(self):
        settings = self.env["res.config.settings"].create({})
        self.assertFalse(settings.debtor_datev_warning)
        settings.debtor_sequence_prefix = "D-"
        self.assertIn("prefix", settings.debtor_datev_warning)
        settings.debtor_sequence_prefix = False
        settings.debtor_sequence_number_next = 70000
        self.assertIn("10000 to 69999", settings.debtor_datev_warning)
        settings.datev_account_length = 5
        self.assertIn("it draws 70000 next", settings.debtor_datev_warning)


@tagged("post_install", "-at_install")
class TestDatevTour(HttpCase):
    """The DATEV settings and the export from the customer list, clicked."""

    def test_datev_tour(self):
        self.env.ref("base.user_admin").groups_id |= self.env.ref("customer_crm.group_customer_crm_manager")
        self.start_tour("/odoo", "customer_crm_datev_settings_tour", login="admin")
        company = self.env.ref("base.main_company")
        self.assertEqual((company.datev_consultant_number, company.datev_client_number), ("7654321", "20002"))
        partners = self.env["res.partner"]
        numbered = partners.create({"name": "Tourkunde GmbH", "is_company": True, "customer_rank": 1})
        numbered._customer_crm_assign_debtor_numbers(company)
        partners.create({"name": "Tourinteressent GmbH", "is_company": True, "customer_rank": 1})
        attachments = self.env["ir.attachment"].search([("name", "=like", "EXTF_%")])
        self.start_tour("/odoo", "customer_crm_datev_export_tour", login="admin")
        export = self.env["ir.attachment"].search([("name", "=like", "EXTF_%")]) - attachments
        self.assertEqual(len(export), 1, "the file was made for the download")
        self.assertIn(b"Tourkunde GmbH", export.raw)
        self.assertNotIn(b"Tourinteressent", export.raw)
