from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.addons.customer_crm.models.res_partner_payment import PAYMENT_FIELDS
from odoo.tests import tagged

from .common import CustomerCrmCase


@tagged("post_install", "-at_install")
class TestPaymentBehaviour(CustomerCrmCase):
    """How a customer pays: average days to pay, share paid on time, the
    "Pays Late" filter; payments registered on set dates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.punctual = cls.env["res.partner"].create({"name": "Pünktlich KG", "is_company": True})
        cls.newcomer = cls.env["res.partner"].create({"name": "Neukunde AG", "is_company": True})

    def _day(self, days_ago):
        return self.today - relativedelta(days=days_ago)

    def _invoice(self, partner, invoiced, due, amount=100.0, move_type="out_invoice"):
        """A posted invoice of ``invoiced`` days ago, due ``due`` days ago."""
        return self._create_invoice(
            partner,
            amount,
            move_type=move_type,
            post=True,
            invoice_date=self._day(invoiced),
            invoice_date_due=self._day(due),
        )

    def _pay(self, invoice, paid, amount=None):
        """Register a payment of ``invoice`` made ``paid`` days ago, as the
        "Register Payment" button does."""
        vals = {"payment_date": self._day(paid)}
        if amount is not None:
            vals["amount"] = amount
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(vals)
        )
        wizard._create_payments()

    def _paid_invoice(self, partner, invoiced, due, paid):
        invoice = self._invoice(partner, invoiced, due)
        self._pay(invoice, paid)
        return invoice

    def test_figures(self):
        """Days from invoice to full payment, share paid by the due date and
        days late, over the invoices paid in full in the last 12 months; the
        last of several payments decides; credit notes, reversed, partly paid
        and long-ago invoices do not count; contact persons count for their
        company and show its figures."""
        self._paid_invoice(self.customer, invoiced=40, due=26, paid=30)  # 10 days, on time
        self._paid_invoice(self.customer, invoiced=90, due=76, paid=60)  # 30 days, 16 late
        self._paid_invoice(self.contact, invoiced=50, due=20, paid=30)  # 20 days, on time
        in_two = self._invoice(self.customer, invoiced=80, due=66)
        self._pay(in_two, paid=75, amount=50.0)
        self._pay(in_two, paid=55)  # 25 days after the invoice, 11 late
        self._paid_invoice(self.customer, invoiced=420, due=406, paid=400)  # paid over a year ago
        refund = self._invoice(self.customer, invoiced=40, due=40, move_type="out_refund")
        self._pay(refund, paid=1)
        reversed_invoice = self._invoice(self.customer, invoiced=30, due=30)
        reversed_invoice._reverse_moves(cancel=True)
        partly = self._invoice(self.customer, invoiced=30, due=20)
        self._pay(partly, paid=10, amount=40.0)
        self._invoice(self.customer, invoiced=5, due=0)  # open
        self.assertEqual(in_two.payment_state in ("paid", "in_payment"), True)
        self.assertEqual(reversed_invoice.payment_state, "reversed")

        for partner in (self.customer, self.contact):
            with self.subTest(partner=partner.name):
                self.assertEqual(partner.payment_invoice_count, 4)
                # 21.25 days, shown to one decimal
                self.assertAlmostEqual(partner.payment_days_average, 21.3)
                self.assertAlmostEqual(partner.payment_on_time_rate, 50.0)
                self.assertAlmostEqual(partner.payment_days_late_average, 13.5)
                self.assertTrue(partner.payment_pays_late)

    def test_punctual_and_new_customers(self):
        """A customer paying by the due date does not pay late; one without
        paid invoices has no figures (count 0), and does not pay late."""
        self._paid_invoice(self.punctual, invoiced=30, due=16, paid=16)  # on the due date
        self._paid_invoice(self.punctual, invoiced=20, due=6, paid=18)
        self.assertEqual(self.punctual.payment_invoice_count, 2)
        self.assertAlmostEqual(self.punctual.payment_days_average, 8.0)
        self.assertAlmostEqual(self.punctual.payment_on_time_rate, 100.0)
        self.assertFalse(self.punctual.payment_days_late_average)
        self.assertFalse(self.punctual.payment_pays_late)
        self._invoice(self.newcomer, invoiced=10, due=5)  # overdue, but not paid
        self.assertEqual(self.newcomer.payment_invoice_count, 0)
        self.assertFalse(self.newcomer.payment_pays_late)

    def test_pays_late_filter(self):
        """The filter "Pays Late" of the customer list finds the company and
        its contact persons, not the punctual and the new customers."""
        self._paid_invoice(self.customer, invoiced=60, due=46, paid=20)
        self._paid_invoice(self.punctual, invoiced=60, due=46, paid=50)
        Partner = self.env["res.partner"].with_user(self.crm_user)
        scope = [("id", "in", (self.customer | self.contact | self.punctual | self.newcomer).ids)]
        late = Partner.search([*scope, ("payment_pays_late", "=", True)])
        self.assertEqual(late, self.customer | self.contact)
        not_late = Partner.search([*scope, ("payment_pays_late", "=", False)])
        self.assertEqual(not_late, self.punctual | self.newcomer)
        # the filter of the customer list's search view
        search_arch = Partner.get_views([(self.env.ref("customer_crm.res_partner_view_search").id, "search")])
        self.assertIn('name="customer_crm_pays_late"', search_arch["views"]["search"]["arch"])

    def test_overview_shows_figures(self):
        """The overview of the form shows the payment figures (not for a user
        without invoicing rights)."""
        Partner = self.env["res.partner"].with_user(self.crm_user)
        arch = Partner.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="payment_days_average"', arch)
        self.assertIn('name="payment_on_time_rate"', arch)

    def test_query_count_of_a_list_page(self):
        """Reading the figures of a list page costs the same queries for one
        customer as for four."""
        for partner in (self.customer, self.punctual, self.newcomer):
            self._paid_invoice(partner, invoiced=30, due=16, paid=10)
        one = self.customer
        page = self.customer | self.contact | self.punctual | self.newcomer
        page.with_user(self.crm_user).read(PAYMENT_FIELDS)  # warm-up: access rules of the models read
        counts = []
        for partners in (one, page):
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            values = partners.with_user(self.crm_user).read(PAYMENT_FIELDS)
            counts.append(self.cr.sql_log_count - start)
            self.assertEqual(values[0]["payment_invoice_count"], 1)
        self.assertEqual(counts[0], counts[1], "one query per customer")
