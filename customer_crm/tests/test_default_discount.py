from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import CustomerCrmCase


@tagged("post_install", "-at_install")
class TestDefaultDiscount(CustomerCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.default_discount = 10.0
        cls.env["res.config.settings"].create({"group_discount_per_so_line": True}).execute()
        cls.discount_pricelist = cls.env["product.pricelist"].create(
            {
                "name": "Rabattliste",
                "item_ids": [
                    Command.create({"applied_on": "3_global", "compute_price": "percentage", "percent_price": 25.0})
                ],
            }
        )
        cls.plain_pricelist = cls.env["product.pricelist"].create({"name": "Ohne Rabatt"})

    def _line(self, partner, **order_vals):
        order = self._create_order(partner, **order_vals)
        return order.order_line

    def test_discount_validated(self):
        for value in (-1.0, 100.5, 250.0):
            with self.subTest(value=value), self.assertRaisesRegex(ValidationError, "between 0 and 100"):
                with self.env.cr.savepoint():
                    self.customer.default_discount = value
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.default_discount, 10.0, "nothing was written")
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"), self.env.cr.savepoint():
            self.env["res.partner"].create({"name": "Zu viel Rabatt", "default_discount": 120.0})
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Zu viel Rabatt")]))
        for value in (0.0, 100.0):
            self.customer.default_discount = value
            self.assertEqual(self.customer.default_discount, value)

    def test_new_line_gets_customer_discount(self):
        line = self._line(self.customer, pricelist_id=self.plain_pricelist.id)
        self.assertEqual(line.discount, 10.0)
        self.assertAlmostEqual(line.price_subtotal, 90.0)

    def test_contact_person_inherits_company_discount(self):
        line = self._line(self.contact, pricelist_id=self.plain_pricelist.id)
        self.assertEqual(line.discount, 10.0)

    def test_contact_person_own_discount(self):
        self.contact.default_discount = 15.0
        line = self._line(self.contact, pricelist_id=self.plain_pricelist.id)
        self.assertEqual(line.discount, 15.0)
        self.assertEqual(self.customer.default_discount, 10.0, "the company keeps its own discount")

    def test_no_discount_without_customer_discount(self):
        self.customer.default_discount = 0.0
        line = self._line(self.customer, pricelist_id=self.plain_pricelist.id)
        self.assertEqual(line.discount, 0.0)

    def test_customer_discount_wins_over_pricelist_by_default(self):
        self.assertFalse(self.company.pricelist_discount_wins)
        line = self._line(self.customer, pricelist_id=self.discount_pricelist.id)
        self.assertEqual(line.discount, 10.0)

    def test_pricelist_discount_wins_when_set(self):
        settings = self.env["res.config.settings"].create({"customer_crm_pricelist_discount_wins": True})
        settings.execute()
        self.assertTrue(self.company.pricelist_discount_wins)
        line = self._line(self.customer, pricelist_id=self.discount_pricelist.id)
        self.assertEqual(line.discount, 25.0)
        # a pricelist without a discount rule leaves the customer's discount
        line = self._line(self.customer, pricelist_id=self.plain_pricelist.id)
        self.assertEqual(line.discount, 10.0)

    def test_discount_in_the_order_form(self):
        form = Form(self.env["sale.order"])
        form.partner_id = self.customer
        with form.order_line.new() as line:
            line.product_id = self.product
            self.assertEqual(line.discount, 10.0)
        order = form.save()
        self.assertEqual(order.order_line.discount, 10.0)

    def test_discount_on_the_customer_form(self):
        form = Form(self.customer)
        form.default_discount = 5.5
        form.save()
        self.assertEqual(self.customer.default_discount, 5.5)

    def test_direct_invoice_lines_get_the_discount(self):
        """Invoicing, New, or New Invoice on the customer: the lines the user adds."""
        form = Form(self.env["account.move"].with_context(default_move_type="out_invoice"))
        form.partner_id = self.contact
        with form.invoice_line_ids.new() as line:
            line.product_id = self.product
            self.assertEqual(line.discount, 10.0)
        invoice = form.save()
        self.assertEqual(invoice.invoice_line_ids.discount, 10.0)
        self.assertAlmostEqual(invoice.invoice_line_ids.price_subtotal, 90.0)

    def test_api_invoice_lines_get_the_discount(self):
        invoice = self._create_invoice(self.customer)
        self.assertEqual(invoice.invoice_line_ids.discount, 10.0)
        given = self._create_invoice(
            self.customer,
            invoice_line_ids=[
                Command.create({"product_id": self.product.id, "price_unit": 50.0, "discount": 2.0, "tax_ids": []})
            ],
        )
        self.assertEqual(given.invoice_line_ids.discount, 2.0, "a discount given is kept")
        bill = self._create_invoice(self.customer, move_type="in_invoice", invoice_date="2026-01-01")
        self.assertEqual(bill.invoice_line_ids.discount, 0.0, "vendor bills take no customer discount")

    def test_invoice_from_order_keeps_the_order_discount(self):
        order = self._create_order(self.customer, pricelist_id=self.plain_pricelist.id)
        order.order_line.discount = 3.0
        order.action_confirm()
        invoice = order._create_invoices()
        self.assertEqual(invoice.invoice_line_ids.discount, 3.0)

    def test_a_default_discount_shows_the_discount_column(self):
        group = self.env.ref("sale.group_discount_per_so_line")
        group_user = self.env.ref("base.group_user")
        group_user.implied_ids -= group
        self.env["res.partner"].create({"name": "Ohne Rabatt", "customer_rank": 1})
        self.assertNotIn(group, group_user.implied_ids)
        self.customer.with_user(self.crm_manager).default_discount = 5.0
        self.assertIn(group, group_user.implied_ids, "Odoo's discount group is turned on, as in the Sales settings")
        self.assertTrue(self.crm_user.has_group("sale.group_discount_per_so_line"))
        arch = self.env["sale.order"].with_user(self.crm_user).get_view(self.env.ref("sale.view_order_form").id)["arch"]
        self.assertIn('name="discount"', arch, "quotations show the discount column")
        arch = (
            self.env["account.move"]
            .with_user(self.crm_user)
            .get_view(self.env.ref("account.view_move_form").id)["arch"]
        )
        self.assertRegex(arch, r'name="discount"[^>]*optional="show"', "invoices show it too")
