from lxml import html

from odoo.tests import HttpCase, tagged

from .common import CustomerCrmCase

LABELS = {"en_US": "Customer No.", "de_DE": "Kundennummer"}
STANDARD = "//div[@id='informations']/div[@name='customer_crm_debtor_number']"
DIN5008 = "//div[hasclass('information_block')]//tr[@name='customer_crm_debtor_number']"


@tagged("post_install", "-at_install")
class TestDebtorReport(CustomerCrmCase):
    """The debtor number on printed quotations, orders and invoices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.env["ir.module.module"].search([("name", "=", "customer_crm")])._update_translations("de_DE")
        cls.customer.sudo()._customer_crm_assign_debtor_numbers(cls.company)
        cls.prospect = cls.env["res.partner"].create({"name": "Interessent AG", "is_company": True, "customer_rank": 1})
        cls.din5008 = cls.env.ref("l10n_din5008.external_layout_din5008")
        cls.standard = cls.env.ref("web.external_layout_standard")

    def _render(self, report, record):
        content, __ = self.env["ir.actions.report"]._render_qweb_html(report, record.ids)
        return html.fromstring(content)

    def _cells(self, tree, xpath):
        return [" ".join(el.text_content().split()) for el in tree.xpath(xpath)]

    def _documents(self, partner):
        order = self._create_order(partner)
        invoice = self._create_invoice(partner)
        return [("sale.action_report_saleorder", order), ("account.account_invoices", invoice)]

    def test_number_in_information_block(self):
        """Company and contact person show the company's number, labelled in
        the document's language, in the standard and in the DIN 5008 layout."""
        number = self.customer.debtor_number
        for layout, xpath in ((self.standard, STANDARD), (self.din5008, DIN5008)):
            self.company.external_report_layout_id = layout
            for lang, label in LABELS.items():
                for partner in (self.customer, self.contact):
                    (self.customer | self.contact).lang = lang
                    for report, document in self._documents(partner):
                        with self.subTest(layout=layout.key, lang=lang, partner=partner.name, report=report):
                            cells = self._cells(self._render(report, document), xpath)
                            self.assertEqual(len(cells), 1)
                            self.assertIn(label, cells[0])
                            self.assertTrue(cells[0].endswith(number), cells[0])

    def test_prospect_shows_nothing(self):
        for layout in (self.standard, self.din5008):
            self.company.external_report_layout_id = layout
            for lang, label in LABELS.items():
                self.prospect.lang = lang
                for report, document in self._documents(self.prospect):
                    with self.subTest(layout=layout.key, lang=lang, report=report):
                        tree = self._render(report, document)
                        self.assertFalse(tree.xpath("//*[@name='customer_crm_debtor_number']"))
                        self.assertNotIn(label, tree.text_content())

    def test_reference_untouched(self):
        """The number is printed beside the reference, never put into it."""
        invoice = self._create_invoice(self.customer)
        self.assertFalse(invoice.ref)
        self.assertFalse(self.customer.ref)


@tagged("post_install", "-at_install")
class TestDebtorPortal(HttpCase, CustomerCrmCase):
    """The customer's portal pages of quotations and invoices show the number."""

    def test_portal_pages(self):
        self.customer.sudo()._customer_crm_assign_debtor_numbers(self.company)
        number = self.customer.debtor_number
        order = self._create_order(self.customer)
        order.action_quotation_sent()
        invoice = self._create_invoice(self.customer, post=True)
        for url in (order.get_portal_url(), invoice.get_portal_url()):
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                tree = html.fromstring(response.content)
                cells = [
                    " ".join(e.text_content().split()) for e in tree.xpath("//*[@name='customer_crm_debtor_number']")
                ]
                self.assertEqual(len(cells), 1, url)
                self.assertIn("Customer No.", cells[0])
                self.assertIn(number, cells[0])
