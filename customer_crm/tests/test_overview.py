import csv
import io
import json

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields, http
from odoo.addons.customer_crm.models.res_partner_finding import name_initial
from odoo.addons.customer_crm.models.res_partner_overview import OVERVIEW_FIELDS
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CustomerCrmCase

# Queries the addon adds to the customer form (web_read of the form's fields
# of customer_crm, as the administrator, see test_form_query_count): the
# overview's figures and lists (its invoices 3, its orders up to 4), its
# To-Do list, statuses, resources and the other capabilities' fields.  The
# CRM log loads only when its page is opened; Odoo's "Sales" and "Invoiced"
# buttons are not on the form (the overview's buttons show their figures);
# the payment figures one grouped query (res_partner_payment.py).
ADDON_FORM_QUERIES = 14


@tagged("post_install", "-at_install")
class TestOverviewFigures(CustomerCrmCase):
    """The figures of the customer overview."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.other_customer = cls.env["res.partner"].create({"name": "Andere AG", "is_company": True})

    def _invoice(self, partner, amount, days_ago=0, move_type="out_invoice", post=True, **vals):
        day = self.today - relativedelta(days=days_ago)
        return self._create_invoice(
            partner, amount, move_type=move_type, post=post, invoice_date=day, invoice_date_due=day, **vals
        )

    def test_open_and_overdue_amounts(self):
        """Posted invoices minus credit notes, of the company and its contacts;
        drafts and paid invoices do not count; overdue = due before today."""
        overdue = self._invoice(self.customer, 100.0, days_ago=40)
        current = self._invoice(self.contact, 200.0)
        self._invoice(self.customer, 30.0, move_type="out_refund")
        self._invoice(self.customer, 500.0, post=False)
        paid = self._invoice(self.customer, 70.0, days_ago=60)
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=paid.ids).create(
            {}
        )._create_payments()
        self._invoice(self.other_customer, 999.0, days_ago=40)

        self.assertEqual(paid.payment_state in ("paid", "in_payment"), True)
        self.assertAlmostEqual(self.customer.open_amount, 270.0)
        self.assertAlmostEqual(self.customer.overdue_amount, 100.0)
        # the contact person shows the figures of its company
        self.assertAlmostEqual(self.contact.open_amount, 270.0)
        # open items: posted, unpaid, oldest due date (overdue) first
        items = self.customer.overview_open_move_ids
        self.assertEqual(items[:2], overdue | current)
        self.assertEqual(items[0], overdue)
        self.assertNotIn(paid, items)
        self.assertEqual(len(items), 3)
        self.assertEqual(self.customer.invoice_count, 5)

    def test_unanswered_quotes(self):
        """Sent quotations count; drafts, orders and cancelled ones do not."""
        draft = self._create_order(self.customer)
        sent = self._create_order(self.contact, validity_date=self.today + relativedelta(days=10))
        sent.action_quotation_sent()
        confirmed = self._create_order(self.customer)
        confirmed.action_confirm()
        cancelled = self._create_order(self.customer)
        cancelled.action_quotation_sent()
        cancelled._action_cancel()
        self.assertEqual(sent.state, "sent")
        self.assertEqual(self.customer.unanswered_quote_count, 1)
        self.assertEqual(self.customer.overview_quote_ids, sent)
        self.assertEqual(self.customer.quotation_count, 2)
        self.assertEqual(self.customer.order_count, 1)
        self.assertEqual(self.contact.order_count, 1, "a contact person shows its company's orders")
        self.assertEqual(self.customer.overview_last_quote_ids, draft | sent)
        self.assertEqual(self.customer.overview_last_order_ids, confirmed)

    def test_last_ten_documents(self):
        """The last 10 quotations and invoices, newest first."""
        orders = self.env["sale.order"]
        for days in range(12):
            orders |= self._create_order(self.customer, date_order=fields.Datetime.now() - relativedelta(days=days))
        last = self.customer.overview_last_quote_ids
        self.assertEqual(len(last), 10)
        self.assertEqual(last.ids, orders[:10].ids)
        moves = self.env["account.move"]
        for days in range(11):
            moves |= self._invoice(self.customer, 10.0, days_ago=days, post=False)
        self.assertEqual(self.customer.overview_last_invoice_ids.ids, moves[:10].ids)

    def test_revenue_by_month_refunds_and_currencies(self):
        """Untaxed, posted, invoices minus refunds, in company currency, per
        month for 24 months, oldest first; other currencies are converted."""
        company_currency = self.env.company.currency_id
        foreign = self.env.ref("base.EUR") if company_currency != self.env.ref("base.EUR") else self.env.ref("base.USD")
        foreign.active = True
        foreign.rate_ids.unlink()
        self.env["res.currency.rate"].create(
            {"currency_id": foreign.id, "name": "2000-01-01", "rate": 2.0, "company_id": self.env.company.id}
        )
        self._invoice(self.customer, 200.0, currency_id=foreign.id)  # 100 in company currency
        two_months_ago = self.today.replace(day=1) - relativedelta(months=2)
        self._create_invoice(self.customer, 100.0, post=True, invoice_date=two_months_ago)
        self._create_invoice(self.customer, 30.0, move_type="out_refund", post=True, invoice_date=two_months_ago)
        self._create_invoice(self.customer, 55.0, post=False, invoice_date=two_months_ago)
        self._create_invoice(self.customer, 1000.0, post=True, invoice_date=self.today - relativedelta(months=30))

        revenue = self.customer.revenue_by_month()
        self.assertEqual(len(revenue), 24)
        self.assertEqual(revenue[-1]["month"], self.today.strftime("%Y-%m"))
        self.assertEqual(revenue[0]["month"], (self.today - relativedelta(months=23)).strftime("%Y-%m"))
        by_month = {r["month"]: r["amount"] for r in revenue}
        self.assertAlmostEqual(by_month[self.today.strftime("%Y-%m")], 100.0)
        self.assertAlmostEqual(by_month[two_months_ago.strftime("%Y-%m")], 70.0)
        self.assertAlmostEqual(sum(by_month.values()), 170.0)
        self.assertEqual(len(self.customer.revenue_by_month(months=3)), 3)
        # the open amount is in company currency too (1000 + 100 + 100 - 30)
        self.assertAlmostEqual(self.customer.open_amount, 1170.0)
        self.assertEqual(self.customer.overview_revenue["months"], revenue)
        # a bar of the chart opens the posted invoices and refunds of its month
        action = self.customer.action_overview_revenue(month=two_months_ago.strftime("%Y-%m"))
        moves = self.env["account.move"].search(action["domain"])
        self.assertEqual(sorted(moves.mapped("amount_untaxed")), [30.0, 100.0])
        # salespeople without invoicing rights see the chart
        seller = new_test_user(
            self.env, login="ovw_seller", groups="base.group_user,sales_team.group_sale_salesman_all_leads"
        )
        customer = self.customer.with_user(seller)
        self.assertEqual(customer.overview_revenue["months"], revenue)
        self.assertEqual(customer.revenue_by_month(), revenue)
        action = customer.action_overview_revenue(month=two_months_ago.strftime("%Y-%m"))
        self.assertEqual(self.env["account.move"].with_user(seller).search_count(action["domain"]), 2)

    def test_activities_of_customer_and_documents(self):
        order = self._create_order(self.customer)
        invoice = self._invoice(self.contact, 10.0, post=False)
        todo = self.env.ref("mail.mail_activity_data_todo")
        activities = (
            self.customer.activity_schedule(activity_type_id=todo.id, summary="Call back")
            | self.contact.activity_schedule(activity_type_id=todo.id, summary="Send brochure")
            | order.activity_schedule(activity_type_id=todo.id, summary="Follow up quote")
            | invoice.activity_schedule(activity_type_id=todo.id, summary="Check invoice")
        )
        self.other_customer.activity_schedule(activity_type_id=todo.id, summary="Not ours")
        # computed on read, like a form opened after the activities were made
        self.env.invalidate_all()
        self.assertEqual(self.customer.overview_activity_ids, activities)
        # batch: each customer gets its own activities
        both = (self.customer | self.other_customer).with_context(test_batch=True)
        both.invalidate_recordset()
        self.assertEqual(both[0].overview_activity_ids, activities)
        self.assertEqual(len(both[1].overview_activity_ids), 1)

    def test_batch_read(self):
        """Reading several customers at once gives each its own figures and lists."""
        mine = self._invoice(self.customer, 100.0, days_ago=40)
        theirs = self._invoice(self.other_customer, 50.0)
        quote = self._create_order(self.contact)
        partners = self.customer | self.other_customer | self.contact
        partners.invalidate_recordset()
        data = {row["id"]: row for row in partners.read(["open_amount", "overdue_amount"])}
        self.assertEqual(data[self.customer.id]["open_amount"], 100.0)
        self.assertEqual(data[self.customer.id]["overdue_amount"], 100.0)
        self.assertEqual(data[self.other_customer.id]["open_amount"], 50.0)
        self.assertEqual(data[self.other_customer.id]["overdue_amount"], 0.0)
        self.assertEqual(data[self.contact.id]["open_amount"], 100.0)
        self.assertEqual(self.customer.overview_contact_ids, self.contact)
        partners.invalidate_recordset()
        fnames = ["overview_open_move_ids", "overview_last_invoice_ids", "overview_last_quote_ids", "quotation_count"]
        lists = {row["id"]: row for row in partners.read(fnames)}
        for partner, move, quotes in ((self.customer, mine, quote), (self.other_customer, theirs, quote.browse())):
            self.assertEqual(lists[partner.id]["overview_open_move_ids"], move.ids, partner.name)
            self.assertEqual(lists[partner.id]["overview_last_invoice_ids"], move.ids, partner.name)
            self.assertEqual(lists[partner.id]["overview_last_quote_ids"], quotes.ids, partner.name)
        self.assertEqual(lists[self.contact.id]["quotation_count"], 1)

    def test_sales_and_invoiced_buttons(self):
        """Odoo's "Sales" and "Invoiced" figures stay Odoo's (the addon hides
        their buttons on the form, it does not replace their computes): they
        count the partner and all its descendants (nested and archived
        contacts too), each partner of a batch its own tree, and respect the
        salesperson's own-documents rule."""
        assistant = self.env["res.partner"].create({"name": "Assistenz", "parent_id": self.contact.id})
        former = self.env["res.partner"].create({"name": "Ehemalig", "parent_id": self.customer.id, "active": False})
        for partner in (self.customer, self.contact, assistant, former, self.other_customer):
            self._create_order(partner)
            self._invoice(partner, 100.0)
        self._create_order(self.customer).action_confirm()
        self._invoice(self.customer, 999.0, post=False)
        self._invoice(self.customer, 30.0, move_type="out_refund")
        partners = self.customer | self.contact | assistant | self.other_customer
        partners.invalidate_recordset(["sale_order_count", "total_invoiced"])
        expected = {}
        for partner in partners:
            tree = self.env["res.partner"].with_context(active_test=False).search([("id", "child_of", partner.id)])
            expected[partner] = (
                self.env["sale.order"].search_count([("partner_id", "in", tree.ids)]),
                sum(
                    self.env["account.move"]
                    .search([("partner_id", "in", tree.ids), ("state", "=", "posted")])
                    .mapped("amount_untaxed_signed")
                ),
            )
        self.assertEqual(expected[self.customer], (5, 370.0))
        self.assertEqual(expected[self.contact], (2, 200.0))
        for partner in partners:
            self.assertEqual(partner.sale_order_count, expected[partner][0], partner.name)
            self.assertAlmostEqual(partner.total_invoiced, expected[partner][1], msg=partner.name)
        # a salesperson who sees only its own documents counts only those
        own = new_test_user(
            self.env, login="ovw_own", groups="base.group_user,sales_team.group_sale_salesman", name="Eigene"
        )
        self._create_order(self.contact, user_id=own.id)
        self.assertEqual(self.customer.with_user(own).sale_order_count, 1)

    def test_current_company_only(self):
        """The overview counts the documents of the current company."""
        self._invoice(self.customer, 100.0, days_ago=40)
        self.assertAlmostEqual(self.customer.open_amount, 100.0)
        other_company = self.env["res.company"].create({"name": "Zweite Firma GmbH"})
        customer = self.customer.with_company(other_company)
        self.assertEqual(customer.open_amount, 0.0)
        self.assertEqual(customer.invoice_count, 0)
        self.assertFalse(customer.overview_last_invoice_ids)
        self.assertEqual(customer.overview_currency_id, other_company.currency_id)

    def test_form_opens_for_each_role(self):
        """The customer form, overview included, opens for a salesperson
        without invoicing, an accountant without sales and a plain user."""
        self._invoice(self.customer, 100.0, days_ago=40)
        order = self._create_order(self.customer)
        order.activity_schedule(activity_type_id=self.env.ref("mail.mail_activity_data_todo").id, summary="Angebot")
        sales_groups = "base.group_user,sales_team.group_sale_salesman_all_leads"
        users = [
            self.crm_user,
            new_test_user(self.env, login="ovw_sales", groups=sales_groups),
            new_test_user(self.env, login="ovw_account", groups="base.group_user,account.group_account_invoice"),
            new_test_user(self.env, login="ovw_plain", groups="base.group_user"),
        ]
        for user in users:
            Partner = self.env["res.partner"].with_user(user)
            arch = etree.fromstring(Partner.get_views([(False, "form")])["views"]["form"]["arch"])
            names = {node.get("name") for node in arch.iter("field")} & set(Partner._fields)
            spec = {
                name: {"fields": {"display_name": {}}} if Partner._fields[name].relational else {} for name in names
            }
            self.env.invalidate_all()
            values = self.customer.with_user(user).web_read(spec)[0]
            can_sell = user.has_group("sales_team.group_sale_salesman")
            self.assertEqual("quotation_count" in values, can_sell, user.login)
            self.assertEqual("open_amount" in values, user.has_group("account.group_account_invoice"), user.login)
            # the quotation's to-do shows to whoever may read the quotation
            Order = self.env["sale.order"].with_user(user)
            may_read_order = Order.has_access("read") and Order.search_count([("id", "=", order.id)])
            self.assertEqual(bool(values["overview_activity_ids"]), bool(may_read_order), user.login)

    def test_user_rights(self):
        """A salesperson with invoicing rights sees the figures."""
        self._invoice(self.customer, 100.0, days_ago=40)
        customer = self.customer.with_user(self.crm_user)
        self.assertAlmostEqual(customer.overdue_amount, 100.0)
        self.assertEqual(len(customer.revenue_by_month()), 24)

    def test_new_buttons_set_the_customer(self):
        quote = Form(self.env["sale.order"].with_context(self.customer.action_overview_new_quotation()["context"]))
        self.assertEqual(quote.partner_id, self.customer)
        order = Form(self.env["sale.order"].with_context(self.customer.action_overview_new_order()["context"]))
        self.assertEqual(order.partner_id, self.customer)
        action = self.customer.action_overview_new_invoice()
        invoice = Form(self.env["account.move"].with_context(action["context"]), view="account.view_move_form")
        self.assertEqual(invoice.partner_id, self.customer)
        self.assertEqual(invoice.move_type, "out_invoice")
        action = self.customer.action_overview_new_note()
        composer = self.env["mail.compose.message"].with_context(action["context"]).create({"body": "Notiz"})
        composer._action_send_mail()
        note = self.customer.message_ids[0]
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        action = self.customer.action_overview_new_activity()
        wizard = (
            self.env["mail.activity.schedule"]
            .with_context(action["context"])
            .create({"activity_type_id": self.env.ref("mail.mail_activity_data_todo").id, "summary": "Anrufen"})
        )
        wizard.action_schedule_activities()
        self.assertEqual(self.customer.activity_ids.summary, "Anrufen")

    def test_headings_open_filtered_lists(self):
        self._invoice(self.customer, 100.0, days_ago=40)
        self._invoice(self.other_customer, 100.0, days_ago=40)
        for method, model, title in [
            ("action_overview_open_items", "account.move", "Open Items"),
            ("action_overview_overdue_items", "account.move", "Overdue Items"),
            ("action_overview_invoices", "account.move", None),
            ("action_overview_quotations", "sale.order", None),
            ("action_overview_unanswered_quotations", "sale.order", "Unanswered Quotations"),
            ("action_overview_orders", "sale.order", None),
            ("action_overview_activities", "mail.activity", "To Do"),
            ("action_overview_revenue", "account.move", "Revenue by Month"),
        ]:
            action = getattr(self.customer, method)()
            self.assertEqual(action["res_model"], model, method)
            if title:
                # the web client titles the list with display_name, else name
                self.assertEqual(action.get("display_name") or action["name"], title, method)
            records = self.env[model].search(action["domain"])
            if model == "account.move":
                self.assertEqual(len(records), 1, method)
                self.assertEqual(records.commercial_partner_id, self.customer, method)

    def test_query_count_does_not_grow_with_invoices(self):
        """Reading the overview costs the same number of queries for 5 and 50
        invoices, well under 30."""
        few = self.env["res.partner"].create({"name": "Wenig GmbH", "is_company": True})
        many = self.env["res.partner"].create({"name": "Viel GmbH", "is_company": True})
        self._create_moves(few, 5)
        self._create_moves(many, 50)
        # warm-up: access rules and caches of the models involved
        few.read(OVERVIEW_FIELDS)
        many.read(OVERVIEW_FIELDS)
        counts = []
        for partner in (few, many):
            values, count = self._cold_queries(lambda partner=partner: partner.read(OVERVIEW_FIELDS)[0])
            counts.append(count)
            self.assertTrue(values["overview_open_move_ids"])
        self.assertEqual(counts[0], counts[1], "query count grows with the number of invoices")
        self.assertLess(counts[1], 30)
        self.env.invalidate_all()
        with self.assertQueryCount(counts[1]):
            many.read(OVERVIEW_FIELDS)

    def _cold_queries(self, call):
        """The result of ``call()`` on a cold cache (a new request) and the
        number of queries it ran."""
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        result = call()
        return result, self.cr.sql_log_count - start

    def _form_spec(self, Partner):
        """The ``web_read`` specification the web client sends for the
        customer form: every field of the form view, many2ones with their
        display name, x2manys with the fields and limit of their sub-view."""

        def spec_of(model, arch):
            spec = {}
            for node in arch.iter("field"):
                owner = next((a for a in node.iterancestors() if a.tag in ("list", "kanban", "form")), None)
                if owner is not None and owner is not arch:
                    continue
                field = model._fields.get(node.get("name"))
                if field is None:
                    continue
                if field.type in ("one2many", "many2many"):
                    sub = next((child for child in node if child.tag in ("list", "kanban")), None)
                    if sub is None:
                        spec[field.name] = {"fields": {"display_name": {}}}
                    else:
                        spec[field.name] = {
                            "fields": spec_of(self.env[field.comodel_name], sub),
                            "limit": int(sub.get("limit", 40)),
                        }
                elif field.type == "many2one":
                    spec[field.name] = {"fields": {"display_name": {}}}
                else:
                    spec.setdefault(field.name, {})
            return spec

        arch = etree.fromstring(Partner.get_views([(False, "form")])["views"]["form"]["arch"])
        return spec_of(Partner, arch)

    def test_form_query_count(self):
        """The addon's part of the customer form (``web_read`` of its fields
        with the form's specification, as the administrator) costs the same
        number of queries for 5 and 50 posted invoices, with quotations,
        orders and a to-do on the customer."""
        admin = self.env.ref("base.user_admin")
        Partner = self.env["res.partner"].with_user(admin)
        form_spec = self._form_spec(Partner)
        # the CRM log loads when its page is opened, not with the form
        self.assertNotIn("crm_message_ids", form_spec)
        # Odoo's "Sales" and "Invoiced" buttons: the overview's buttons show their figures
        self.assertNotIn("sale_order_count", form_spec)
        self.assertNotIn("total_invoiced", form_spec)
        # the form without the addon's fields: what core costs
        core_spec = {
            name: value for name, value in form_spec.items() if Partner._fields[name]._module != "customer_crm"
        }
        self.assertIn("overview_open_move_ids", set(form_spec) - set(core_spec))
        customers = []
        for name, count in (("Wenig GmbH", 5), ("Viel GmbH", 50)):
            customer = self.env["res.partner"].create({"name": name, "is_company": True})
            self.env["res.partner"].create({"name": "Ansprechpartner", "parent_id": customer.id})
            self._create_moves(customer, count)
            for _i in range(3):
                self._create_order(customer).action_quotation_sent()
                self._create_order(customer).action_confirm()
            customer.activity_schedule(activity_type_id=self.env.ref("mail.mail_activity_data_todo").id)
            # The newest entries of the CRM log belong to invoices that the
            # overview lists do not show (cancelled), in both cases alike:
            # the log's access check then reads invoices that are not cached.
            for _i in range(3):
                self._create_invoice(customer, 10.0, post=False).button_cancel()
            customers.append((customer.with_user(admin), count))
        self.env.flush_all()
        for customer, _count in customers:  # warm-up: access rules, views, caches
            self.env.invalidate_all()
            customer.web_read(form_spec)
            customer.web_read(core_spec)
        added = []
        for customer, count in customers:
            _values, core = self._cold_queries(lambda customer=customer: customer.web_read(core_spec)[0])
            values, queries = self._cold_queries(lambda customer=customer: customer.web_read(form_spec)[0])
            added.append(queries - core)
            self.assertEqual(len(values["overview_open_move_ids"]), count)
            self.assertEqual(len(values["overview_last_order_ids"]), 3)
        self.assertEqual(added[0], added[1], "the form's query count grows with the number of invoices")
        self.assertLessEqual(added[1], ADDON_FORM_QUERIES, added)

    def test_form_of_customer_with_invoices_under_30_queries(self):
        """Issue 7: a customer with many invoices (and a contact person)
        opens in fewer than 30 queries, the whole form included; 10,000
        invoices are measured in bench/scenarios/overview.py."""
        admin = self.env.ref("base.user_admin")
        spec = self._form_spec(self.env["res.partner"].with_user(admin))
        customer = self.env["res.partner"].create({"name": "Rechnungsreich GmbH", "is_company": True})
        self.env["res.partner"].create({"name": "Buchhaltung", "parent_id": customer.id})
        self._create_moves(customer, 60)
        self.env.flush_all()
        customer = customer.with_user(admin)
        self.env.invalidate_all()
        customer.web_read(spec)  # warm-up: access rules, views, caches
        values, count = self._cold_queries(lambda: customer.web_read(spec)[0])
        self.assertEqual(values["invoice_count"], 60)
        self.assertLess(count, 30)

    def _create_moves(self, partner, count):
        today = self.today
        moves = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": today - relativedelta(days=i * 20),
                    "invoice_date_due": today - relativedelta(days=i * 20),
                    "invoice_line_ids": [
                        (0, 0, {"product_id": self.product.id, "quantity": 1, "price_unit": 10.0, "tax_ids": []})
                    ],
                }
                for i in range(count)
            ]
        )
        moves.action_post()
        return moves


@tagged("post_install", "-at_install")
class TestFindingCustomers(CustomerCrmCase):
    """Short name, first-letter filter, search, name_search."""

    def test_short_name_defaults_from_name(self):
        Partner = self.env["res.partner"]
        zeta = Partner.create({"name": "Zeta Werkzeuge AG"})
        self.assertEqual(zeta.short_name, "Zeta Werkzeuge AG")
        self.assertEqual(zeta.name_initial, "Z")
        zeta.name = "Zeta Tools AG"
        self.assertEqual(zeta.short_name, "Zeta Tools AG", "a defaulted short name follows the name")
        zeta.short_name = "Zeta"
        zeta.name = "Zeta Tools International AG"
        self.assertEqual(zeta.short_name, "Zeta", "a short name set by hand stays")
        zeta.short_name = False
        self.assertEqual(zeta.short_name, "Zeta Tools International AG", "an emptied short name is the name again")
        given = Partner.create({"name": "Österreichische Bau GmbH", "short_name": "ÖBG"})
        self.assertEqual(given.short_name, "ÖBG")
        self.assertEqual(given.name_initial, "O")

    def test_customer_lists_sorted_by_name(self):
        """The Customers app lists customers by name, not by Odoo's
        invoicing rank that its customer search mode would sort by."""
        Partner = self.env["res.partner"]
        busy = Partner.create({"name": "Zander KG", "is_company": True, "customer_rank": 50})
        for xmlid in (
            "res_partner_action_customers",
            "res_partner_action_prospects",
            "res_partner_action_all_customers",
        ):
            action = self.env["ir.actions.act_window"]._for_xml_id(f"customer_crm.{xmlid}")
            context = safe_eval(action["context"])
            # the list of the action's views, as the web client opens it
            list_view = next(view_id for view_id, view_type in action["views"] if view_type == "list")
            views = Partner.with_context(context).get_views([(list_view, "list")])
            order = etree.fromstring(views["views"]["list"]["arch"]).get("default_order")
            names = (
                Partner.with_context(context)
                .search(safe_eval(action["domain"]), order=order)
                .filtered(lambda p, names=(busy | self.customer).ids: p.id in names)
                .mapped("name")
            )
            self.assertEqual(names, ["Testkunde GmbH", "Zander KG"], xmlid)

    def test_name_initial(self):
        self.assertEqual(name_initial("Müller"), "M")
        self.assertEqual(name_initial("ärger"), "A")
        self.assertEqual(name_initial("  zeta"), "Z")
        self.assertEqual(name_initial("3D Druck"), "#")
        self.assertEqual(name_initial("@home"), "#")
        self.assertFalse(name_initial(""))
        self.assertFalse(name_initial(False))

    def test_backfill_on_install(self):
        """Partners that existed before the install got short name and
        initial from SQL; the SQL backfill gives the compute's result."""
        partner = self.env.ref("base.res_partner_1", raise_if_not_found=False) or self.env.ref("base.main_partner")
        self.assertEqual(partner.short_name, partner.name)
        self.assertEqual(partner.name_initial, name_initial(partner.name))
        self.customer.short_name = "1a Fenster"
        self.env.flush_all()
        self.cr.execute("UPDATE res_partner SET name_initial = NULL WHERE id = %s", [self.customer.id])
        self.env["res.partner"]._backfill_name_initial()
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.name_initial, "#")

    def test_one_search_field(self):
        Partner = self.env["res.partner"]
        self.customer.write(
            {
                "debtor_number": "D-4711",
                "city": "Würzburg",
                "short_name": "TK",
                "phone": "+49 931 123",
                "user_id": self.crm_user.id,
                "category_id": [(0, 0, {"name": "Großhandel"})],
            }
        )
        for term in ["D-4711", "würzburg", "TK", "931 123", "Großhandel", "CRM User", "testkunde.example", "Testkunde"]:
            found = Partner.search([("customer_search", "ilike", term)])
            self.assertIn(self.customer, found, term)
        self.assertNotIn(self.customer, Partner.search([("customer_search", "not ilike", "D-4711")]))

    def test_name_search_by_debtor_number_and_short_name(self):
        """Picking a customer on a quote finds it by debtor number."""
        self.customer.write({"debtor_number": "D-0815", "short_name": "Testi"})
        SaleOrder = self.env["sale.order"].with_user(self.crm_user)
        names = SaleOrder.env["res.partner"].name_search("D-0815")
        self.assertIn(self.customer.id, [pid for pid, _name in names])
        names = self.env["res.partner"].name_search("Testi")
        self.assertIn(self.customer.id, [pid for pid, _name in names])
        order = Form(SaleOrder)
        order.partner_id = self.customer
        self.assertEqual(order.partner_id, self.customer)


@tagged("post_install", "-at_install")
class TestMailMergeExport(HttpCase, CustomerCrmCase):
    """CSV for a mail merge: Odoo's export with BOM and ';'."""

    def _get_csv(self, url):
        self.authenticate("admin", "admin")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return response

    def test_csv_bytes(self):
        self.customer.write({"debtor_number": "D-1000", "street": "Domplatz 1", "zip": "97070", "city": "Würzburg"})
        self.contact.title = self.env.ref("base.res_partner_title_madam")
        self.env.flush_all()
        action = self.customer.action_export_mail_merge()
        self.assertEqual(action["type"], "ir.actions.act_url")
        response = self._get_csv(action["url"])
        self.assertIn("text/csv", response.headers["Content-Type"])
        self.assertIn(".csv", response.headers["Content-Disposition"])
        content = response.content
        self.assertTrue(content.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM")
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
        header = rows[0]
        self.assertEqual(
            header[:9],
            ["Salutation", "Name", "Contact Person", "Street", "Zip", "City", "Country", "Email", "Debtor Number"],
        )
        self.assertEqual(header[9], "Status")
        self.assertEqual(len(rows), 2)
        row = dict(zip(header, rows[1], strict=True))
        self.assertEqual(row["Name"], "Testkunde GmbH")
        self.assertEqual(row["Contact Person"], "Erika Mustermann")
        self.assertEqual(row["Salutation"], "Madam")
        self.assertEqual(row["City"], "Würzburg")
        self.assertEqual(row["Debtor Number"], "D-1000")
        self.assertIn(b'"Testkunde GmbH";"Erika Mustermann"', content)

    def test_csv_of_filtered_list(self):
        """Without a selection the list's domain is exported."""
        self.customer.city = "Bamberg"
        other = self.env["res.partner"].create({"name": "Bamberger Hof", "is_company": True, "city": "Bamberg"})
        self.env.flush_all()
        action = (
            self.env["res.partner"]
            .with_context(active_domain=[("city", "=", "Bamberg"), ("parent_id", "=", False)])
            .action_export_mail_merge()
        )
        rows = list(csv.reader(io.StringIO(self._get_csv(action["url"]).text.lstrip("\ufeff")), delimiter=";"))
        self.assertEqual(sorted(r[1] for r in rows[1:]), sorted([self.customer.name, other.name]))

    def test_preset_in_export_dialog(self):
        """The preset "Mail merge" loads in Odoo's export dialog."""
        self.authenticate("admin", "admin")
        preset = self.env.ref("customer_crm.ir_exports_mail_merge")
        fields_info = self.make_jsonrpc_request(
            "/web/export/namelist", {"model": "res.partner", "export_id": preset.id}
        )
        ids = [info["id"] for info in fields_info]
        self.assertEqual(ids[:3], ["mail_merge_salutation", "name", "mail_merge_contact_id/name"])
        self.assertIn("debtor_number", ids)

    def test_standard_csv_export_unchanged(self):
        """/web/export/csv keeps its comma dialect."""
        self.authenticate("admin", "admin")
        data = json.dumps(
            {
                "model": "res.partner",
                "fields": [{"name": "name", "label": "Name"}, {"name": "city", "label": "City"}],
                "ids": self.customer.ids,
                "domain": [],
                "import_compat": False,
            }
        )
        response = self.url_open("/web/export/csv", data={"data": data, "csrf_token": http.Request.csrf_token(self)})
        self.assertTrue(response.content.startswith(b'"Name","City"'), response.content[:50])


@tagged("post_install", "-at_install")
class TestOverviewTour(HttpCase):
    def test_overview_tour(self):
        """Open a demo customer, click each heading of the overview and New Quotation."""
        mueller = self.env.ref("customer_crm.res_partner_demo_mueller", raise_if_not_found=False)
        if not mueller:
            self.skipTest("needs the demo data of customer_crm")
        # a to-do of one of the customer's documents, after the customer's own
        quotation = self.env["sale.order"].search([("partner_id", "child_of", mueller.id)], limit=1)
        quotation.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=fields.Date.today() + relativedelta(days=30),
            summary="Follow up the quotation (tour)",
        )
        self.start_tour("/odoo", "customer_crm_overview_tour", login="admin")
