import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from psycopg2 import IntegrityError

from odoo import Command, api, fields
from odoo.api import Transaction
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import MAX_TRIES_ON_CONCURRENCY_FAILURE, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from .common import CustomerCrmCase


class DebtorNumberCase(CustomerCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sequence = cls.company._customer_crm_debtor_sequence()
        cls.status_prospect = cls.env.ref("customer_crm.customer_status_prospect")
        cls.status_customer = cls.env.ref("customer_crm.customer_status_customer")

    def _next(self, offset=0):
        """The number the company's debtor sequence will draw ``offset`` draws from now."""
        return self.sequence.get_next_char(self.sequence.number_next_actual + offset)

    def _new_customer(self, name="Neukunde KG", **vals):
        return self.env["res.partner"].create({"name": name, "is_company": True, "customer_rank": 1, **vals})


@tagged("post_install", "-at_install")
class TestDebtorNumber(DebtorNumberCase):
    """Drawing debtor numbers: triggers, scope, rights."""

    def test_sequence_defaults(self):
        self.assertEqual(self.sequence.implementation, "no_gap")
        self.assertEqual(self.sequence.padding, 5)
        self.assertFalse(self.sequence.prefix)
        self.assertEqual(self.sequence.company_id, self.company)
        company = self.env["res.company"].create({"name": "Zweigwerk GmbH"})
        sequence = company.debtor_sequence_id
        self.assertTrue(sequence, "a new company gets its own debtor sequence")
        first = company.debtor_number_first
        self.assertEqual(
            (sequence.implementation, sequence.padding, sequence.number_next_actual, sequence.company_id),
            ("no_gap", 5, first, company),
        )
        self.assertFalse(sequence.prefix, "a further company numbers in a numeric range of its own")
        self.assertEqual(first % 10000, 0)
        self.assertEqual(company.debtor_number_last, first + 9999)
        self.assertGreater(first, self.company.debtor_number_last or 19999, "the ranges do not overlap")
        self.assertLessEqual(company.debtor_number_last, 69999, "all in DATEV's range of debtor accounts")
        self.assertEqual(company.debtor_number_trigger, "invoice_posted")

    def test_company_ranges_do_not_overlap(self):
        company = self.env["res.company"].create({"name": "Zweigwerk GmbH"})
        with self.assertRaisesRegex(ValidationError, "overlap"):
            company.write({"debtor_number_first": 10000, "debtor_number_last": 10999})
        # a company that asks for a prefix has numbers of its own
        company.debtor_sequence_id.prefix = "Z-"
        company.write({"debtor_number_first": 10000, "debtor_number_last": 10999})
        with self.assertRaisesRegex(ValidationError, "ends before it starts"):
            company.write({"debtor_number_first": 11000})

    def test_company_inserted_without_the_addon_gets_the_default_trigger(self):
        """A company inserted by code that does not know this addon (an
        earlier module's tests or data while it is upgraded) gets the default
        trigger from the database instead of breaking on NOT NULL."""
        self.env.cr.execute(
            """SELECT column_default FROM information_schema.columns
                WHERE table_name = 'res_company' AND column_name = 'debtor_number_trigger'"""
        )
        self.assertEqual(self.env.cr.fetchone()[0], "'invoice_posted'::character varying")

    def test_second_company_numbers_do_not_collide(self):
        """Both companies number a customer; the numbers differ although
        both sequences start at 10000."""
        company = self.env["res.company"].create({"name": "Zweigwerk GmbH"})
        self.crm_manager.company_ids |= company
        first = self._new_customer("Erster Kunde")
        self._create_invoice(first, post=True)
        second = self._new_customer("Kunde des Zweigwerks", company_id=company.id)
        second.with_user(self.crm_manager).with_company(company).action_assign_debtor_number()
        self.assertEqual(first.debtor_number, self._next(-1))
        self.assertEqual(second.debtor_number, str(company.debtor_number_first))
        self.assertNotEqual(second.debtor_number[0], first.debtor_number[0], "each company in its own range")

    def test_new_customer_is_prospect(self):
        self.assertFalse(self.customer.debtor_number)
        self.assertEqual(self.customer.crm_status_id, self.status_prospect)
        self.assertFalse(self.contact.crm_status_id, "contact persons have no status of their own")

    def test_first_posted_invoice_draws_number(self):
        expected = self._next()
        invoice = self._create_invoice(self.customer)
        self.assertFalse(self.customer.debtor_number, "a draft invoice draws no number by default")
        invoice.action_post()
        self.assertEqual(self.customer.debtor_number, expected)
        self.assertEqual(self.customer.crm_status_id, self.status_customer)
        self.assertEqual(self._next(), self.sequence.get_next_char(int(expected) + 1), "no gap")
        log = self.customer.message_ids.filtered(lambda m: expected in (m.body or ""))
        self.assertTrue(log, "the customer's log tells which number it got")

    def test_second_invoice_keeps_number(self):
        self._create_invoice(self.customer, post=True)
        number = self.customer.debtor_number
        after_first = self.sequence.number_next_actual
        self._create_invoice(self.customer, post=True)
        self._create_invoice(self.customer, move_type="out_refund", post=True)
        self.assertEqual(self.customer.debtor_number, number)
        self.assertEqual(self.sequence.number_next_actual, after_first, "nothing drawn for later invoices")

    def test_refund_draws_number(self):
        expected = self._next()
        self._create_invoice(self.customer, move_type="out_refund", post=True)
        self.assertEqual(self.customer.debtor_number, expected)

    def test_vendor_bill_never_numbers(self):
        vendor = self._new_customer("Lieferant AG", customer_rank=0, supplier_rank=1)
        before = self.sequence.number_next_actual
        self._create_invoice(vendor, move_type="in_invoice", post=True, invoice_date=fields.Date.today())
        self._create_invoice(self.customer, move_type="in_refund", post=True, invoice_date=fields.Date.today())
        self.assertFalse(vendor.debtor_number)
        self.assertFalse(self.customer.debtor_number)
        self.assertEqual(self.sequence.number_next_actual, before)

    def test_contact_invoice_numbers_company(self):
        expected = self._next()
        self._create_invoice(self.contact, post=True)
        self.assertEqual(self.customer.debtor_number, expected)
        self.assertFalse(self.contact.debtor_number, "the number lives on the company")
        self.assertEqual(self.contact.commercial_debtor_number, expected, "the contact shows it")
        search_domain = [
            "|",
            ("debtor_number", "ilike", expected),
            ("commercial_partner_id.debtor_number", "ilike", expected),
        ]
        self.assertEqual(self.env["res.partner"].search(search_domain), self.customer | self.contact)

    def test_individual_customer_gets_own_number(self):
        person = self.env["res.partner"].create({"name": "Julia Privat", "customer_rank": 1})
        expected = self._next()
        self._create_invoice(person, post=True)
        self.assertEqual(person.debtor_number, expected)

    def test_batch_posting_draws_one_number_per_customer(self):
        other = self._new_customer()
        invoices = (
            self._create_invoice(self.customer)
            | self._create_invoice(self.contact)
            | self._create_invoice(other)
            | self._create_invoice(self.customer)
        )
        first = int(self._next())
        invoices.action_post()
        numbers = sorted(int(n) for n in (self.customer | other).mapped("debtor_number"))
        self.assertEqual(numbers, [first, first + 1])

    def test_trigger_invoice_created(self):
        self.company.debtor_number_trigger = "invoice_created"
        expected = self._next()
        self._create_invoice(self.customer)
        self.assertEqual(self.customer.debtor_number, expected, "creating the draft draws the number")
        other = self._new_customer()
        invoice = self.env["account.move"].create({"move_type": "out_invoice"})
        invoice.partner_id = other
        self.assertTrue(other.debtor_number, "setting the customer on a draft invoice draws it too")

    def test_trigger_invoice_posted(self):
        self.company.debtor_number_trigger = "invoice_posted"
        invoice = self._create_invoice(self.customer)
        self._create_order(self.customer).action_confirm()
        self.assertFalse(self.customer.debtor_number)
        invoice.action_post()
        self.assertTrue(self.customer.debtor_number)

    def test_trigger_order_confirmed(self):
        self.company.debtor_number_trigger = "order_confirmed"
        order = self._create_order(self.customer)
        self._create_invoice(self.customer)
        self.assertFalse(self.customer.debtor_number, "quotes and draft invoices draw nothing")
        expected = self._next()
        order.action_confirm()
        self.assertEqual(self.customer.debtor_number, expected)
        self.assertEqual(self.customer.crm_status_id, self.status_customer)
        # an invoice without an order still gets its customer a number when posted
        other = self._new_customer()
        self._create_invoice(other, post=True)
        self.assertTrue(other.debtor_number)

    def test_trigger_manual(self):
        self.company.debtor_number_trigger = "manual"
        self._create_order(self.customer).action_confirm()
        self._create_invoice(self.customer, post=True)
        self.assertFalse(self.customer.debtor_number, "nothing draws a number automatically")
        expected = self._next()
        self.customer.with_user(self.crm_manager).action_assign_debtor_number()
        self.assertEqual(self.customer.debtor_number, expected)
        self.assertEqual(self.customer.crm_status_id, self.status_customer)

    def test_template_customer_never_numbered(self):
        template = self._new_customer("Musterkunde", is_template_customer=True)
        before = self.sequence.number_next_actual
        self.assertFalse(template.sudo()._customer_crm_assign_debtor_numbers())
        with self.assertRaises(UserError):
            template.with_user(self.crm_manager).action_assign_debtor_number()
        self.assertFalse(template.debtor_number)
        self.assertEqual(self.sequence.number_next_actual, before)

    def test_user_cannot_write_number(self):
        customer = self.customer.with_user(self.crm_user)
        with self.assertRaisesRegex(AccessError, "Only customer file managers"):
            customer.write({"debtor_number": "4711"})
        with self.assertRaises(AccessError):
            customer.write({"name": "Umbenannt", "debtor_number": "4711"})
        self.assertFalse(self.customer.debtor_number)
        self.assertEqual(self.customer.name, "Testkunde GmbH", "nothing of a refused write is saved")
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.crm_user).create({"name": "Mit Nummer", "debtor_number": "4712"})
        with self.assertRaises(AccessError):
            customer.action_assign_debtor_number()
        self.assertFalse(self.customer.debtor_number)
        # an ordinary user posting an invoice still numbers the customer (the module does it)
        invoice = self._create_invoice(self.customer).with_user(self.crm_user)
        invoice.action_post()
        self.assertTrue(self.customer.debtor_number)
        number = self.customer.debtor_number
        with self.assertRaises(AccessError):
            customer.write({"debtor_number": False})
        self.assertEqual(self.customer.debtor_number, number)

    def test_manager_can_set_number(self):
        customer = self.customer.with_user(self.crm_manager)
        customer.write({"debtor_number": "70001"})
        self.assertEqual(self.customer.debtor_number, "70001")
        self.assertEqual(self.customer.crm_status_id, self.status_customer, "the status follows the number")
        other = self._new_customer().with_user(self.crm_manager)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            other.write({"debtor_number": "70001"})
            other.flush_recordset()
        customer.write({"debtor_number": False})
        self.assertEqual(self.customer.crm_status_id, self.status_prospect)

    def test_number_not_on_contacts(self):
        with self.assertRaises(ValidationError):
            self.contact.write({"debtor_number": "80001"})

    def test_number_not_copied(self):
        self._create_invoice(self.customer, post=True)
        copy = self.customer.copy()
        self.assertFalse(copy.debtor_number)

    def test_manager_button(self):
        expected = self._next()
        self.customer.with_user(self.crm_manager).action_assign_debtor_number()
        self.assertEqual(self.customer.debtor_number, expected)
        # a second click changes nothing
        self.customer.with_user(self.crm_manager).action_assign_debtor_number()
        self.assertEqual(self.customer.debtor_number, expected)
        self.assertEqual(self._next(), self.sequence.get_next_char(int(expected) + 1))

    def test_sequence_settings(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.debtor_number_trigger, "invoice_posted")
        settings.write(
            {
                "debtor_sequence_prefix": "D-",
                "debtor_sequence_padding": 6,
                "debtor_sequence_number_next": 20000,
                "debtor_number_trigger": "invoice_created",
            }
        )
        settings.execute()
        self.assertEqual(self.company.debtor_number_trigger, "invoice_created")
        self._create_invoice(self.customer)
        self.assertEqual(self.customer.debtor_number, "D-020000")

    def test_portal_has_no_access(self):
        partner = self.portal_user.partner_id
        with self.assertRaises(AccessError):
            self.env["customer_crm.status"].with_user(self.portal_user).search([])
        with self.assertRaises(AccessError):
            partner.with_user(self.portal_user).write({"debtor_number": "99999"})
        with self.assertRaises(AccessError):
            partner.with_user(self.portal_user).action_assign_debtor_number()
        with self.assertRaises(AccessError):
            self.env["customer_crm.debtor.number.assign"].with_user(self.portal_user).create({})
        self.assertFalse(partner.debtor_number)

    def test_first_number_in_four_queries(self):
        """A new customer's first number (what posting its first invoice
        adds): lock its row, draw from the sequence, write number and status,
        log the line; its log tells the number and both statuses."""
        partner = self._new_customer()
        self.assertEqual(partner.crm_status_id, self.status_prospect)
        expected = self._next()
        self.env.flush_all()
        with self.assertQueryCount(4):
            partner.sudo()._customer_crm_assign_debtor_numbers()
            self.env.flush_all()
        self.assertEqual(partner.debtor_number, expected)
        self.assertEqual(partner.crm_status_id, self.status_customer)
        line = partner.message_ids[0]
        self.assertIn(expected, line.body)
        self.assertIn(self.status_prospect.name, line.body)
        self.assertIn(self.status_customer.name, line.body)
        self.assertEqual(line.crm_partner_id, partner, "the line shows in the customer's CRM log")

    def test_batch_assignment_queries(self):
        """Numbering many customers costs a constant number of queries."""
        partners = self.env["res.partner"].create(
            [{"name": f"Kunde {i:03d}", "is_company": True, "customer_rank": 1} for i in range(50)]
        )
        partners.flush_recordset()
        partners.invalidate_recordset()
        first = int(self._next())
        with self.assertQueryCount(20):
            partners.sudo()._customer_crm_assign_debtor_numbers()
            self.env.flush_all()
        numbers = [int(n) for n in partners.mapped("debtor_number")]
        self.assertEqual(numbers, list(range(first, first + 50)), "in the given order, without gap")
        self.assertEqual(set(partners.mapped("crm_status_id")), {self.status_customer})


@tagged("post_install", "-at_install")
class TestDebtorNumberWizard(DebtorNumberCase):
    """Bulk numbering from the customer list."""

    def _wizard(self, partners, **vals):
        context = {"active_model": "res.partner", "active_ids": partners.ids}
        return (
            self.env["customer_crm.debtor.number.assign"]
            .with_user(self.crm_manager)
            .with_context(**context)
            .create(vals)
        )

    def test_bound_to_partner_list(self):
        action = self.env.ref("customer_crm.debtor_number_assign_action")
        self.assertEqual(action.binding_model_id.model, "res.partner")
        self.assertEqual(action.groups_id, self.env.ref("customer_crm.group_customer_crm_manager"))

    def test_number_by_name(self):
        zeta, alpha, beta = (self._new_customer(name) for name in ("Zeta AG", "Alpha AG", "Beta AG"))
        numbered = self._new_customer("Schon Nummeriert")
        numbered.sudo()._customer_crm_assign_debtor_numbers()
        template = self._new_customer("Muster", is_template_customer=True)
        wizard = self._wizard(zeta | alpha | beta | numbered | template | self.contact, order="name")
        self.assertEqual(wizard.selected_count, 6)
        self.assertEqual(wizard.to_number_count, 4, "numbered customers and templates are skipped")
        first = int(self._next())
        self.assertEqual(wizard.next_number, str(first))
        wizard.action_assign()
        self.assertEqual(
            [alpha.debtor_number, beta.debtor_number, self.customer.debtor_number, zeta.debtor_number],
            [str(first + i) for i in range(4)],
        )
        self.assertFalse(template.debtor_number)

    def test_number_by_creation_date(self):
        partners = self.env["res.partner"]
        for name in ("Zeta AG", "Alpha AG"):
            partners |= self._new_customer(name)
        self.env.cr.execute(
            "UPDATE res_partner SET create_date = now() - interval '1 day' WHERE id = %s", [partners[0].id]
        )
        partners.invalidate_recordset(["create_date"])
        first = int(self._next())
        self._wizard(partners, order="create_date").action_assign()
        self.assertEqual(partners.mapped("debtor_number"), [str(first), str(first + 1)])

    def test_only_managers(self):
        wizard = self.env["customer_crm.debtor.number.assign"].with_user(self.crm_user)
        with self.assertRaises(AccessError):
            wizard.create({"partner_ids": [Command.set(self.customer.ids)]})

    def test_nothing_to_number(self):
        self.customer.sudo()._customer_crm_assign_debtor_numbers()
        wizard = self._wizard(self.customer)
        with self.assertRaises(UserError):
            wizard.action_assign()


@tagged("post_install", "-at_install")
class TestDebtorNumberConcurrency(TransactionCase):
    """Two real transactions, in two threads, post the first invoices of the
    same new customer at the same time: exactly one number, no gap."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True})
            company = env.company
            sequence = company._customer_crm_debtor_sequence()
            partners = env["res.partner"].create(
                [{"name": f"Gleichzeitig {i} GmbH", "is_company": True, "customer_rank": 1} for i in range(2)]
            )
            product = env["product.product"].create({"name": "Parallel", "type": "service", "list_price": 10})
            moves = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": partner.id,
                        "invoice_line_ids": [
                            Command.create({"product_id": product.id, "price_unit": 10, "tax_ids": []})
                        ],
                    }
                    for partner in (partners[0], partners[0], partners[1], partners[1])
                ]
            )
            self.data = {
                "partner_ids": partners.ids,
                "move_ids": moves.ids,
                "product_id": product.id,
                "sequence_id": sequence.id,
                "number_next": sequence.number_next_actual,
            }
            cr.commit()
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True})
            moves = env["account.move"].browse(self.data["move_ids"]).exists()
            moves.filtered(lambda m: m.state == "posted").button_draft()
            moves.posted_before = False
            moves.with_context(force_delete=True).unlink()
            env["res.partner"].browse(self.data["partner_ids"]).unlink()
            env["product.product"].browse(self.data["product_id"]).product_tmpl_id.unlink()
            env["ir.sequence"].browse(self.data["sequence_id"]).number_next = self.data["number_next"]
            cr.commit()

    def _run_in_parallel(self, move_groups):
        """Post each group of invoices in its own transaction and thread, all
        starting together.  A concurrency failure is retried like Odoo's RPC
        layer does (``odoo.service.model.retrying``: roll back, wait, try
        again, at most 5 times); any other error fails the test."""
        barrier = threading.Barrier(len(move_groups))
        retries = []

        def post(move_ids):
            with self.registry.cursor() as cr:
                # The test runner holds the registry lock: give the cursor its
                # transaction so that the environment does not wait for it.
                cr.transaction = Transaction(self.registry)
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                env.cr.execute("SELECT 1")  # both transactions take their snapshot now
                barrier.wait(timeout=10)
                for attempt in range(MAX_TRIES_ON_CONCURRENCY_FAILURE):
                    try:
                        env["account.move"].browse(move_ids).action_post()
                        env.cr.commit()
                        return True
                    except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                        env.cr.rollback()
                        env.transaction.clear()
                        retries.append(attempt)
                        time.sleep(random.uniform(0.0, 0.5 * 2**attempt))  # noqa: S311  (back-off jitter)
            return False

        with mute_logger("odoo.sql_db"), ThreadPoolExecutor(max_workers=len(move_groups)) as executor:
            futures = [executor.submit(post, ids) for ids in move_groups]
            results = [future.result(timeout=120) for future in futures]
        return results, retries

    def test_same_new_customer_in_two_transactions(self):
        moves = self.data["move_ids"]
        results, retries = self._run_in_parallel([[moves[0]], [moves[1]]])
        self.assertEqual(results, [True, True], "both postings succeed, retried if needed, no user error")
        self.assertTrue(retries, "the transactions did overlap: one of them had to be retried")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            partner = env["res.partner"].browse(self.data["partner_ids"][0])
            sequence = env["ir.sequence"].browse(self.data["sequence_id"])
            self.assertEqual(env["account.move"].browse(moves[:2]).mapped("state"), ["posted", "posted"])
            self.assertEqual(partner.debtor_number, sequence.get_next_char(self.data["number_next"]))
            self.assertEqual(sequence.number_next_actual, self.data["number_next"] + 1, "exactly one number drawn")

    def test_two_new_customers_in_two_transactions(self):
        moves = self.data["move_ids"]
        results, __ = self._run_in_parallel([[moves[0], moves[2]], [moves[3], moves[1]]])
        self.assertEqual(results, [True, True])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            partners = env["res.partner"].browse(self.data["partner_ids"])
            numbers = sorted(int(n) for n in partners.mapped("debtor_number"))
            start = self.data["number_next"]
            self.assertEqual(numbers, [start, start + 1], "two numbers, no duplicate, no gap")


@tagged("post_install", "-at_install")
class TestDebtorNumberTour(HttpCase):
    """A first invoice posted in the web client gives the customer its number."""

    def test_debtor_number_tour(self):
        prospect = self.env.ref("customer_crm.res_partner_demo_becker", raise_if_not_found=False)
        if not prospect:
            self.skipTest("needs the demo data of customer_crm")
        self.assertFalse(prospect.debtor_number)
        sequence = self.env.company._customer_crm_debtor_sequence()
        expected = sequence.get_next_char(sequence.number_next_actual)
        self.start_tour("/odoo", "customer_crm_debtor_number_tour", login="admin")
        self.assertEqual(prospect.debtor_number, expected)
        self.assertEqual(prospect.crm_status_id, self.env.ref("customer_crm.customer_status_customer"))


@tagged("post_install", "-at_install")
class TestDebtorNumberImport(DebtorNumberCase):
    """Migration: customers imported with their numbers from another system."""

    FIELDS = ["name", "is_company", "debtor_number", "email"]

    def _load(self, rows, user=None):
        partners = self.env["res.partner"].with_user(user or self.crm_manager).with_context(import_file=True)
        return partners.load(self.FIELDS, rows)

    def test_import_keeps_numbers_and_sequence_skips_them(self):
        start = self.sequence.number_next_actual
        numbers = [self.sequence.get_next_char(start + i) for i in range(500)]
        rows = [[f"Altkunde {i:03d} GmbH", "1", number, f"kunde{i}@alt.example"] for i, number in enumerate(numbers)]
        result = self._load(rows)
        self.assertFalse([m for m in result["messages"] if m["type"] == "error"], result["messages"])
        imported = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(imported.mapped("debtor_number"), numbers, "the numbers are kept")
        self.assertEqual(set(imported.crm_status_id.mapped("kind")), {"customer"})
        self.assertEqual(imported[0].crm_status_id, self.status_customer)
        self.assertIn(f"Debtor number {numbers[0]} taken over on import.", imported[0].message_ids.mapped("preview"))
        # the first posting for a new customer draws the next free number, no error
        new = self._new_customer()
        self._create_invoice(new, post=True)
        self.assertEqual(new.debtor_number, self.sequence.get_next_char(start + 500))
        self.assertEqual(self._next(), self.sequence.get_next_char(start + 501))

    def test_sequence_skips_a_gap_of_used_numbers(self):
        """A few numbers in use ahead of the sequence are skipped; the free
        ones between them are still drawn."""
        start = self.sequence.number_next_actual
        used = {start + 1, start + 2, start + 4}
        self._load([[f"Altkunde {n}", "1", self.sequence.get_next_char(n), ""] for n in sorted(used)])
        customers = self.env["res.partner"].create(
            [{"name": f"Neukunde {i}", "is_company": True, "customer_rank": 1} for i in range(3)]
        )
        customers._customer_crm_assign_debtor_numbers(self.company)
        self.assertEqual(
            customers.mapped("debtor_number"), [self.sequence.get_next_char(n) for n in (start, start + 3, start + 5)]
        )

    def test_user_cannot_import_numbers(self):
        result = self._load([["Altkunde GmbH", "1", "12345", ""]], user=self.crm_user)
        self.assertFalse(result["ids"])
        self.assertIn("Only customer file managers", " ".join(m["message"] for m in result["messages"]))
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Altkunde GmbH")]))

    def test_bad_numbers_reported_per_row(self):
        self.customer.write({"debtor_number": "19999"})
        rows = [
            ["Altkunde A", "1", "18000", ""],
            ["Altkunde B", "1", "18001", ""],
            ["Altkunde C", "1", "18001", ""],
            ["Altkunde D", "1", "19999", ""],
        ]
        result = self._load(rows)
        self.assertFalse(result["ids"], "nothing is imported")
        errors = {m["record"]: m["message"] for m in result["messages"] if m["type"] == "error" and "record" in m}
        # rows 2 and 3 (counted from 0), and the error of the whole batch first
        self.assertEqual(set(errors) - {0}, {2, 3}, result["messages"])
        self.assertIn("Debtor number 18001 is given more than once.", errors.get(0, ""))
        self.assertIn("18001", errors[2])
        self.assertIn("19999", errors[3])
        self.assertIn("Testkunde GmbH", errors[3])
        self.assertFalse(self.env["res.partner"].search([("name", "like", "Altkunde")]))


@tagged("post_install", "-at_install")
class TestDebtorNumberMerge(DebtorNumberCase):
    """Odoo's merge of contacts never loses a debtor number."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo lets "Contact Creation" users merge contacts
        cls.crm_user.groups_id |= cls.env.ref("base.group_partner_manager")

    def _merge(self, partners, destination, user):
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(user)
            .with_context(active_model="res.partner", active_ids=partners.ids)
            .create({"partner_ids": [Command.set(partners.ids)], "dst_partner_id": destination.id})
        )
        return wizard.action_merge()

    def test_two_numbers_refused(self):
        other = self._new_customer("Testkunde (Dublette)", email=self.customer.email)
        (self.customer | other)._customer_crm_assign_debtor_numbers(self.company)
        numbers = (self.customer | other).mapped("debtor_number")
        for user in (self.env.ref("base.user_admin"), self.crm_user):
            with self.subTest(user=user.login), self.assertRaises(UserError) as caught:
                self._merge(self.customer | other, self.customer, user)
            for number in numbers:
                self.assertIn(number, str(caught.exception))
            self.assertIn("accounting", str(caught.exception))
        self.assertTrue(other.exists())
        self.assertEqual((self.customer | other).mapped("debtor_number"), numbers)

    def test_number_moves_to_the_kept_customer(self):
        vip = self.env["customer_crm.status"].create({"name": "Stammkunde", "kind": "customer"})
        numbered = self._new_customer("Testkunde (alt)", email=self.customer.email)
        numbered._customer_crm_assign_debtor_numbers(self.company)
        numbered.crm_status_id = vip
        number = numbered.debtor_number
        self._merge(self.customer | numbered, self.customer, self.crm_user)
        self.assertFalse(numbered.exists())
        self.assertEqual(self.customer.debtor_number, number)
        self.assertEqual(self.customer.crm_status_id, vip, "the customer-kind status moves with the number")
        self.assertIn(
            f"Debtor number {number} taken over from Testkunde (alt)",
            " ".join(self.customer.message_ids.mapped("preview")),
        )

    def test_number_stays_on_the_numbered_destination(self):
        self.customer._customer_crm_assign_debtor_numbers(self.company)
        number = self.customer.debtor_number
        prospect = self._new_customer("Testkunde (Interessent)", email=self.customer.email)
        self._merge(self.customer | prospect, self.customer, self.crm_user)
        self.assertEqual(self.customer.debtor_number, number)
        self.assertEqual(self.customer.crm_status_id.kind, "customer")
