from odoo.tests import tagged

from .common import CustomerCrmCase


@tagged("post_install", "-at_install")
class TestDefaultTexts(CustomerCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.env["ir.config_parameter"].sudo().set_param("account.use_invoice_terms", True)
        cls.company.write({"terms_type": "plain", "invoice_terms": "<p>Company terms</p>"})
        cls.customer.write(
            {
                "lang": "de_DE",
                "default_quote_text": "<p>Quote text for the customer</p>",
                "default_invoice_text": "<p>Invoice text for the customer</p>",
            }
        )
        cls.customer.update_field_translations(
            "default_quote_text", {"de_DE": {"Quote text for the customer": "Angebotstext des Kunden"}}
        )

    def test_quotation_note_has_terms_then_quote_text(self):
        order = self._create_order(self.customer)
        self.assertIn("Company terms", order.note)
        self.assertIn("Angebotstext des Kunden", order.note, "in the customer's language")
        self.assertLess(order.note.index("Company terms"), order.note.index("Angebotstext"))

    def test_quotation_of_contact_person_uses_company_text(self):
        self.contact.lang = "en_US"
        order = self._create_order(self.contact)
        self.assertIn("Quote text for the customer", order.note)

    def test_quotation_without_invoice_terms(self):
        self.env["ir.config_parameter"].sudo().set_param("account.use_invoice_terms", False)
        order = self._create_order(self.customer)
        self.assertNotIn("Company terms", order.note)
        self.assertIn("Angebotstext des Kunden", order.note)

    def test_invoice_narration_has_terms_then_invoice_text(self):
        move = self._create_invoice(self.customer)
        self.assertIn("Company terms", move.narration)
        self.assertIn("Invoice text for the customer", move.narration)
        self.assertLess(move.narration.index("Company terms"), move.narration.index("Invoice text"))

    def test_refunds_and_bills_get_no_invoice_text(self):
        refund = self._create_invoice(self.customer, move_type="out_refund")
        self.assertNotIn("Invoice text for the customer", refund.narration or "")

    def test_customer_without_text_keeps_terms_only(self):
        other = self.env["res.partner"].create({"name": "Ohne Text", "customer_rank": 1})
        order = self._create_order(other)
        self.assertEqual(order.note, self.company.invoice_terms)
        move = self._create_invoice(other)
        self.assertNotIn("Invoice text", move.narration)

    def test_invoice_from_order_gets_invoice_text_not_quote_text(self):
        order = self._create_order(self.customer)
        order.action_confirm()
        move = order._create_invoices()
        self.assertIn("Company terms", move.narration)
        self.assertIn("Invoice text for the customer", move.narration)
        self.assertNotIn("Angebotstext", move.narration)
