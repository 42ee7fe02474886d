from datetime import timedelta
from unittest.mock import patch

from lxml import etree
from markupsafe import Markup

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import format_date, formatLang

from ..tools import install
from .common import CustomerCrmCase


@tagged("post_install", "-at_install")
class TestActivityLog(CustomerCrmCase):
    """Messages on a customer's documents reach its CRM log and last activity."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Andere Firma AG", "is_company": True, "customer_rank": 1}
        )

    def _note(self, record, body="Called the customer", **kwargs):
        return record.message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_note", **kwargs)

    def _flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _set_last_activity(self, partner, date):
        """Put the customer's last activity at ``date`` (raw, like old data)."""
        self.env.cr.execute(
            "UPDATE res_partner SET last_activity_date = %s, last_activity_message_id = NULL WHERE id = %s",
            (date, partner.id),
        )
        partner.invalidate_recordset()

    # -- linking messages to the customer ---------------------------------

    def test_note_on_customer(self):
        message = self._note(self.customer)
        self.assertEqual(message.crm_partner_id, self.customer)
        self.assertEqual(self.customer.last_activity_message_id, message)
        self.assertEqual(self.customer.last_activity_date, message.date)
        self.assertIn(message, self.customer.crm_message_ids)

    def test_note_on_contact_person_goes_to_company(self):
        message = self._note(self.contact)
        self.assertEqual(message.crm_partner_id, self.customer)
        self.assertEqual(self.customer.last_activity_message_id, message)
        self.assertFalse(self.contact.last_activity_message_id)

    def test_note_on_quotation_order_and_invoice(self):
        order = self._create_order(self.contact)
        note = self._note(order, body="Quote discussed on the phone")
        self.assertEqual(note.crm_partner_id, self.customer, "contact's quotation belongs to the company")
        self.assertEqual(self.customer.last_activity_message_id, note)
        self.assertEqual(self.customer.last_activity_ref, f"Quotation {order.name}")
        self.assertEqual(note.crm_document_label, f"Quotation {order.name}")
        order.action_confirm()
        self.customer.invalidate_recordset(["last_activity_ref"])
        self.assertEqual(self.customer.last_activity_ref, f"Sales Order {order.name}")

        invoice = self._create_invoice(self.customer, post=True)
        note = self._note(invoice, body="Reminder sent by phone")
        self.assertEqual(note.crm_partner_id, self.customer)
        self.assertEqual(self.customer.last_activity_ref, f"Invoice {invoice.name}")
        refund = self._create_invoice(self.customer, move_type="out_refund", post=True)
        note = self._note(refund)
        self.assertEqual(note.crm_partner_id, self.customer)
        self.assertEqual(self.customer.last_activity_ref, f"Credit Note {refund.name}")
        # every message of the documents shows in the log, newest activity first
        logged = self.customer.crm_message_ids
        self.assertTrue(logged.filtered(lambda m: m.model == "sale.order" and m.res_id == order.id))
        self.assertTrue(logged.filtered(lambda m: m.model == "account.move" and m.res_id == invoice.id))

    def test_vendor_bill_and_other_models_are_not_logged(self):
        bill = self.env["account.move"].create(
            {"move_type": "in_invoice", "partner_id": self.customer.id, "invoice_date": fields.Date.today()}
        )
        self.assertFalse(self._note(bill).crm_partner_id)
        product_note = self._note(self.product.product_tmpl_id)
        self.assertFalse(product_note.crm_partner_id)
        self.assertFalse(self.customer.last_activity_message_id)

    def test_log_models_is_overridable(self):
        log_models = self.env["mail.message"]._crm_log_models()
        self.assertEqual(set(log_models), {"res.partner", "sale.order", "account.move"})
        self.assertEqual(log_models["sale.order"][0], "partner_id")

    # -- the counting rule ------------------------------------------------

    def test_counting_rule(self):
        """Notes, comments and e-mails count; tracking, notifications,
        auto comments, user notifications and other subtypes do not."""
        old = fields.Datetime.now() - timedelta(days=400)
        order = self._create_order(self.customer)
        cases = [
            ({"message_type": "notification", "body": "Quotation created"}, False),
            ({"message_type": "auto_comment", "body": "Thanks for your e-mail"}, False),
            ({"message_type": "user_notification", "body": "You were assigned"}, False),
            ({"message_type": "comment", "subtype_xmlid": "mail.mt_activities", "body": "x"}, False),
            ({"message_type": "comment", "subtype_xmlid": "mail.mt_note", "body": "A note"}, True),
            ({"message_type": "comment", "subtype_xmlid": "mail.mt_comment", "body": "Sent"}, True),
            ({"message_type": "email", "subtype_xmlid": "mail.mt_comment", "body": "Incoming"}, True),
            ({"message_type": "email_outgoing", "body": "Mailing"}, True),
        ]
        for values, counts in cases:
            with self.subTest(**values):
                self._set_last_activity(self.customer, old)
                vals = dict(values)
                subtype = vals.pop("subtype_xmlid", False)
                message = self.env["mail.message"].create(
                    {
                        "model": "sale.order",
                        "res_id": order.id,
                        "subtype_id": subtype and self.env.ref(subtype).id,
                        "reply_to": "info@example.com",
                        **vals,
                    }
                )
                self.assertEqual(message.crm_partner_id, self.customer, "every message is in the log")
                if counts:
                    self.assertEqual(self.customer.last_activity_message_id, message)
                    self.assertEqual(self.customer.last_activity_date, message.date)
                else:
                    self.assertFalse(self.customer.last_activity_message_id)
                    self.assertEqual(self.customer.last_activity_date, old)

    def test_tracking_does_not_count(self):
        order = self._create_order(self.customer)
        self._flush_tracking()  # tracking starts once the creation is committed
        self._set_last_activity(self.customer, fields.Datetime.now() - timedelta(days=10))
        order.action_confirm()
        self._flush_tracking()
        tracking = self.customer.crm_message_ids.filtered(lambda m: m.crm_log_type == "tracking")
        self.assertTrue(tracking, "the status change is in the log")
        self.assertIn("→", tracking[0].crm_summary)
        self.assertFalse(self.customer.last_activity_message_id, "a status change is no activity")
        # a tracking-only comment does not count either
        tracking_only = self.env["mail.message"].create(
            {
                "model": "sale.order",
                "res_id": order.id,
                "message_type": "comment",
                "subtype_id": self.env.ref("mail.mt_note").id,
                "body": "",
                "tracking_value_ids": [
                    (
                        0,
                        0,
                        {
                            "field_id": self.env["ir.model.fields"]._get("sale.order", "state").id,
                            "old_value_char": "Quotation",
                            "new_value_char": "Sales Order",
                        },
                    )
                ],
            }
        )
        self.assertEqual(tracking_only.crm_partner_id, self.customer)
        self.assertFalse(self.customer.last_activity_message_id)

    def test_activity_done_is_logged(self):
        order = self._create_order(self.customer)
        activity = order.activity_schedule("mail.mail_activity_data_call", summary="Call back")
        activity.action_feedback(feedback="Reached the customer")
        line = self.customer.crm_message_ids.filtered(lambda m: m.crm_log_type == "activity")
        self.assertTrue(line)
        self.assertIn("Reached the customer", line.crm_summary)

    def test_older_message_does_not_move_date_back(self):
        recent = self._note(self.customer)
        self.env["mail.message"].create(
            {
                "model": "res.partner",
                "res_id": self.customer.id,
                "message_type": "email",
                "body": "An old mail, imported",
                "date": fields.Datetime.now() - timedelta(days=100),
            }
        )
        self.assertEqual(self.customer.last_activity_message_id, recent)

    def test_last_activity_column_costs_one_query(self):
        """The list's "Last Activity On" column reads the messages and their
        documents of every model in one query, for one customer or a page."""
        third = self.env["res.partner"].create({"name": "Dritte Firma KG", "is_company": True, "customer_rank": 1})
        order = self._create_order(self.customer)
        self._note(order, body="Quote discussed")
        invoice = self._create_invoice(third, post=True)
        self._note(invoice, body="Reminder sent")
        self._note(self.other_customer, body="Called")
        partners = self.customer | third | self.other_customer
        self.env.flush_all()
        self.env.invalidate_all()
        partners.mapped("display_name")  # what the list has read already
        with self.assertQueryCount(1):
            labels = partners.mapped("last_activity_ref")
        self.assertEqual(labels, [f"Quotation {order.name}", f"Invoice {invoice.name}", "Andere Firma AG"])

    def test_update_cost_is_constant_per_batch(self):
        """Linking and the last activity cost the same few queries for 1 or
        20 messages: one query per model and one UPDATE per batch, no work
        per message, no recomputation over the customer's log."""
        orders = self.env["sale.order"]
        for i in range(20):
            orders |= self._create_order(self.customer if i % 2 else self.other_customer)
        Message = self.env["mail.message"]
        note = self.env.ref("mail.mt_note").id
        costs = []
        for batch in (orders[:1], orders):
            self.env.flush_all()
            batch.fetch(["partner_id"])  # documents and customers loaded: no query
            batch.partner_id.fetch(["commercial_partner_id"])
            count = self.env.cr.sql_log_count
            resolved = Message._crm_resolve_partners("sale.order", batch.ids)
            self.assertEqual(self.env.cr.sql_log_count, count, "documents and customers in the cache: no query")
            self.env.invalidate_all()
            count = self.env.cr.sql_log_count
            in_sql = Message._crm_resolve_partners("sale.order", batch.ids)
            self.assertEqual(dict(in_sql), dict(resolved), "the same in SQL")
            resolve_cost = self.env.cr.sql_log_count - count
            self.assertEqual(dict(resolved), {o.id: o.partner_id.id for o in batch})
            messages = Message.create(
                [
                    {"model": "sale.order", "res_id": o.id, "message_type": "comment", "subtype_id": note, "body": "n"}
                    for o in batch
                ]
            )
            self._set_last_activity(self.customer, fields.Datetime.now() - timedelta(days=1))
            self.env.flush_all()
            count = self.env.cr.sql_log_count
            messages._crm_touch_last_activity()
            costs.append((resolve_cost, self.env.cr.sql_log_count - count))
        self.assertEqual(costs[0], costs[1], "the cost does not grow with the batch")
        self.assertLessEqual(costs[1][0], 3)
        self.assertEqual(costs[1][1], 1, "one UPDATE for the batch")
        self.assertEqual(self.customer.last_activity_message_id.res_id, orders[-1].id)
        self.assertEqual(self.other_customer.last_activity_message_id.res_id, orders[-2].id)

    def test_message_text_and_types(self):
        long_text = "Wort " * 60
        message = self._note(self.customer, body=Markup("<p>Hello <b>there</b></p><p>%s</p>") % long_text)
        self.assertEqual(message.crm_log_type, "note")
        self.assertTrue(message.crm_summary.startswith("Hello there Wort"))
        self.assertLessEqual(len(message.crm_summary), 120)
        self.assertTrue(message.crm_summary.endswith("…"))
        mail = self.customer.message_post(body="Offer attached", message_type="email", subtype_xmlid="mail.mt_comment")
        self.assertEqual(mail.crm_log_type, "email")
        sent = self.customer.message_post(body="Hello", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.assertEqual(sent.crm_log_type, "message")

    def test_changes_read_as_the_form_shows_them(self):
        """A change of other data is a change, not a status change; its
        values read as the form shows them; the author is a name."""
        order = self._create_order(self.customer)
        Field = self.env["ir.model.fields"]
        currency = self.env.company.currency_id
        validity = fields.Date.to_date("2026-03-05")
        message = self.env["mail.message"].create(
            {
                "model": "sale.order",
                "res_id": order.id,
                "message_type": "notification",
                "body": "",
                "author_id": self.env.user.partner_id.id,
                "tracking_value_ids": [
                    Command.create(
                        {
                            "field_id": Field._get("sale.order", "require_signature").id,
                            "old_value_integer": 0,
                            "new_value_integer": 1,
                        }
                    ),
                    Command.create(
                        {
                            "field_id": Field._get("sale.order", "amount_total").id,
                            "old_value_float": 0.0,
                            "new_value_float": 482.0,
                            "currency_id": currency.id,
                        }
                    ),
                    Command.create(
                        {
                            "field_id": Field._get("sale.order", "validity_date").id,
                            "new_value_datetime": validity,
                        }
                    ),
                ],
            }
        )
        self.assertEqual(message.crm_log_type, "change")
        summary = message.crm_summary
        self.assertIn(": No → Yes", summary)
        self.assertIn(f"→ {formatLang(self.env, 482.0, currency_obj=currency)}", summary)
        self.assertIn(f"→ {format_date(self.env, validity)}", summary)
        self.assertNotIn("True", summary)
        self.assertNotIn("482.0;", summary)
        self.assertEqual(message.crm_author_name, self.env.user.partner_id.name)
        self._flush_tracking()
        order.action_confirm()
        self._flush_tracking()
        status = self.customer.crm_message_ids.filtered(lambda m: m.crm_log_type == "tracking")
        self.assertIn("Sales Order", status[:1].crm_summary)

    # -- moving documents and deleting messages ---------------------------

    def test_moving_a_quotation_moves_its_log(self):
        early = self._note(self.customer, body="First contact")
        order = self._create_order(self.customer)
        note = self._note(order)
        self.assertEqual(self.customer.last_activity_message_id, note)
        order.partner_id = self.other_customer
        self.assertEqual(note.crm_partner_id, self.other_customer)
        self.assertNotIn(note, self.customer.crm_message_ids)
        self.assertIn(note, self.other_customer.crm_message_ids)
        self.assertEqual(self.customer.last_activity_message_id, early, "falls back to the previous activity")
        self.assertEqual(self.other_customer.last_activity_message_id, note)

    def test_moving_an_invoice_moves_its_log(self):
        invoice = self._create_invoice(self.customer)
        note = self._note(invoice)
        invoice.partner_id = self.other_customer
        self.assertEqual(note.crm_partner_id, self.other_customer)
        self.assertFalse(self.customer.last_activity_message_id)
        self.assertFalse(self.customer.last_activity_date)
        self.assertEqual(self.other_customer.last_activity_message_id, note)

    def test_contact_moving_to_another_company(self):
        note = self._note(self.contact)
        self.contact.parent_id = self.other_customer
        self.assertEqual(note.crm_partner_id, self.other_customer)
        self.assertEqual(self.other_customer.last_activity_message_id, note)
        self.assertFalse(self.customer.last_activity_message_id)

    def test_contacts_follow_their_company(self):
        note = self._note(self.contact)
        self.customer.write({"is_company": False, "parent_id": self.other_customer.id})
        self.assertEqual(self.contact.commercial_partner_id, self.other_customer)
        self.assertEqual(note.crm_partner_id, self.other_customer)
        self.assertEqual(self.other_customer.last_activity_message_id, note)

    def test_deleting_the_last_message(self):
        first = self._note(self.customer, body="first")
        second = self._note(self.customer, body="second")
        self.assertEqual(self.customer.last_activity_message_id, second)
        second.unlink()
        self.assertEqual(self.customer.last_activity_message_id, first)

    # -- install backfill ---------------------------------------------------

    def test_backfill(self):
        self._check_backfill()

    def test_backfill_rewrite(self):
        """A large log is linked by a rewrite of the table: the same links, the
        same indexes, and no old row versions left behind (an UPDATE of a
        million messages would leave the table twice its size)."""
        indexes = "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'mail_message' ORDER BY 1"
        self.env.cr.execute(indexes)
        before = self.env.cr.fetchall()
        with patch.object(install, "LARGE_TABLE_ROWS", 0):
            self._check_backfill()
        self.env.cr.execute(indexes)
        self.assertEqual(self.env.cr.fetchall(), before)
        self.assertTableCompact("mail_message")

    def _check_backfill(self):
        order = self._create_order(self.contact)
        note = self._note(order)
        partner_note = self._note(self.contact)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE mail_message SET crm_partner_id = NULL WHERE id IN %s", ((note.id, partner_note.id),)
        )
        self.env.cr.execute("UPDATE res_partner SET last_activity_date = NULL, last_activity_message_id = NULL")
        self.env.invalidate_all()
        self.env["mail.message"]._crm_backfill()
        self.assertEqual(note.crm_partner_id, self.customer)
        self.assertEqual(partner_note.crm_partner_id, self.customer)
        self.assertEqual(self.customer.last_activity_message_id, partner_note)

    # -- filters ------------------------------------------------------------

    def test_no_activity_filters(self):
        self._set_last_activity(self.customer, fields.Datetime.now() - timedelta(days=45))
        self._set_last_activity(self.other_customer, fields.Datetime.now() - timedelta(days=5))
        view = self.env.ref("customer_crm.res_partner_view_search_activity")
        for name in ("customer_crm_no_activity_30", "customer_crm_no_activity_90", "customer_crm_no_activity_365"):
            self.assertIn(f'name="{name}"', view.arch_db)
        Partner = self.env["res.partner"]
        found = Partner.search(
            [
                ("id", "in", (self.customer | self.other_customer).ids),
                "|",
                ("last_activity_date", "=", False),
                ("last_activity_date", "<", fields.Date.to_string(fields.Date.today() - timedelta(days=30))),
            ]
        )
        self.assertEqual(found, self.customer)
        before = Partner.search([("last_activity_date", "<", "2026-01-01")])
        self.assertNotIn(self.customer, before)

    def test_filter_has_an_index(self):
        # Whether the planner uses it is measured on a seeded database by the
        # benchmark (bench/scenarios/activity.py, "last-activity filter").
        self.env.cr.execute(
            "SELECT pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indexrelid = 'res_partner__last_activity_date_index'::regclass"
        )
        (definition,) = self.env.cr.fetchone()
        self.assertIn("btree (last_activity_date)", definition)

    # -- access -------------------------------------------------------------

    def test_salesperson_sees_only_lines_of_readable_documents(self):
        own = new_test_user(self.env, login="own_sales", groups="base.group_user,sales_team.group_sale_salesman")
        other = new_test_user(self.env, login="other_sales", groups="base.group_user,sales_team.group_sale_salesman")
        my_order = self._create_order(self.customer, user_id=own.id)
        their_order = self._create_order(self.customer, user_id=other.id)
        mine = self._note(my_order, body="mine")
        theirs = self._note(their_order, body="theirs")
        on_customer = self._note(self.customer, body="on the customer")
        log = self.customer.with_user(own).crm_message_ids
        self.assertIn(mine, log)
        self.assertIn(on_customer, log)
        self.assertNotIn(theirs, log, "a document of another salesperson stays hidden")
        found = self.env["mail.message"].with_user(own).search([("crm_partner_id", "=", self.customer.id)])
        self.assertNotIn(theirs, found)
        self.assertEqual(self.customer.last_activity_message_id, on_customer)
        # a later note on their order: its date shows, not its document
        self._note(their_order, body="theirs, later")
        partner = self.customer.with_user(own)
        self.assertTrue(partner.last_activity_date)
        self.assertFalse(partner.last_activity_ref)
        with self.assertRaises(AccessError):
            partner.action_open_last_activity()
        self.assertTrue(self.customer.with_user(other).last_activity_ref)

    def test_portal_and_public_see_nothing(self):
        self._note(self.customer)
        portal_partner = self.portal_user.partner_id
        self._note(portal_partner, body="about the portal customer")
        public = self.env.ref("base.public_user")
        for user in (self.portal_user, public):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.env["mail.message"].with_user(user).search([("crm_partner_id", "!=", False)])
                with self.assertRaises(AccessError):
                    portal_partner.with_user(user).read(["last_activity_date"])
                with self.assertRaises(AccessError):
                    portal_partner.with_user(user).read(["crm_message_ids"])

    def test_open_document_action(self):
        order = self._create_order(self.customer)
        note = self._note(order)
        action = note.action_crm_open_document()
        self.assertEqual((action["res_model"], action["res_id"]), ("sale.order", order.id))
        action = self.customer.with_user(self.crm_user).action_open_last_activity()
        self.assertEqual((action["res_model"], action["res_id"]), ("sale.order", order.id))

    def test_full_log_action(self):
        """ "Open Full Log" lists the customer's log lines, newest first, the
        same from a contact person; a click on a line opens its document."""
        order = self._create_order(self.customer)
        old = self._note(order, body="older note")
        new = self._note(self.contact, body="newer note")
        self._note(self.other_customer, body="someone else's note")
        for partner in (self.customer, self.contact):
            action = partner.with_user(self.crm_user).action_open_crm_log()
            self.assertEqual(action["res_model"], "mail.message")
            view = self.env["ir.ui.view"].browse(action["views"][0][0])
            self.assertEqual(view, self.env.ref("customer_crm.mail_message_view_list_crm_log"))
            arch = etree.fromstring(view.arch)
            self.assertEqual((arch.get("action"), arch.get("type")), ("action_crm_open_document", "object"))
            lines = (
                self.env["mail.message"].with_user(self.crm_user).search(action["domain"], order="date desc, id desc")
            )
            self.assertEqual(
                lines,
                self.customer.with_user(self.crm_user).crm_message_ids.sorted(lambda m: (m.date, m.id), reverse=True),
            )
            self.assertIn(old, lines)
            self.assertIn(new, lines)
            self.assertTrue(all(line.crm_partner_id == self.customer for line in lines))


@tagged("post_install", "-at_install")
class TestActivityLogTour(HttpCase):
    """Post a note on a quotation in the web client, find it in the customer's log."""

    def test_activity_log_tour(self):
        customer = self.env.ref("customer_crm.res_partner_demo_mueller", raise_if_not_found=False)
        if not customer:
            self.skipTest("needs the demo data of customer_crm")
        product = self.env["product.product"].create({"name": "Wartungsvertrag", "list_price": 50.0})
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "client_order_ref": "CRM-LOG-TOUR",
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{order.id}",
            "customer_crm_activity_log_tour",
            login="admin",
        )
