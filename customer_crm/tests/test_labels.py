from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, HttpCase, tagged

from .common import CustomerCrmCase


class LabelsCase(CustomerCrmCase):
    """A customer with two propagating tags and one kept off documents, and a
    second customer sharing one of the tags."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Category = cls.env["res.partner.category"]
        cls.tag_vip, cls.tag_wholesale, cls.tag_internal, cls.tag_north, cls.tag_manual = Category.create(
            [
                {"name": "CRM Test VIP", "color": 1},
                {"name": "CRM Test Wholesale", "color": 2},
                {"name": "CRM Test Internal", "color": 3, "propagate": False},
                {"name": "CRM Test North", "color": 4},
                {"name": "CRM Test Manual", "color": 5},
            ]
        )
        cls.customer.category_id = cls.tag_vip | cls.tag_wholesale | cls.tag_internal
        cls.customer_b = cls.env["res.partner"].create(
            {
                "name": "Zweitkunde AG",
                "is_company": True,
                "customer_rank": 1,
                "category_id": [Command.set((cls.tag_vip | cls.tag_north).ids)],
            }
        )
        cls.customer_tags = cls.tag_vip | cls.tag_wholesale

    def assertLabels(self, doc, labels, msg=None):
        self.assertEqual(doc.label_ids, labels, msg)


@tagged("post_install", "-at_install")
class TestLabels(LabelsCase):
    """Customer tags carried onto quotations, orders, invoices and credit notes."""

    # --- the tags themselves ---------------------------------------------

    def test_propagate_defaults_to_true(self):
        tag = self.env["res.partner.category"].create({"name": "CRM Test New"})
        self.assertTrue(tag.propagate)
        self.assertEqual(self.env["res.partner.category"]._fields["propagate"].string, "Copy to documents")

    # --- documents get the customer's labels ------------------------------

    def test_order_created_by_api_gets_propagating_tags(self):
        order = self._create_order(self.customer)
        self.assertLabels(order, self.customer_tags, "tags not marked 'Copy to documents' stay on the customer")

    def test_order_for_contact_person_gets_company_tags(self):
        self.contact.category_id = self.tag_north  # the person's own tags do not count
        order = self._create_order(self.contact)
        self.assertLabels(order, self.customer_tags)

    def test_order_with_explicit_labels_keeps_them(self):
        order = self._create_order(self.customer, label_ids=[Command.set(self.tag_manual.ids)])
        self.assertLabels(order, self.customer_tags | self.tag_manual)
        order.partner_id = self.customer_b
        self.assertLabels(order, self.tag_vip | self.tag_north | self.tag_manual, "hand-set label stays")

    def test_batch_create_for_several_customers(self):
        orders = self.env["sale.order"].create(
            [{"partner_id": self.customer.id}, {"partner_id": self.customer_b.id}, {"partner_id": self.contact.id}]
        )
        self.assertEqual(
            [order.label_ids for order in orders],
            [self.customer_tags, self.tag_vip | self.tag_north, self.customer_tags],
        )

    def test_order_default_partner_from_context(self):
        order = self.env["sale.order"].with_context(default_partner_id=self.customer.id).create({})
        self.assertLabels(order, self.customer_tags)

    def test_salesperson_gets_labels_on_quotation_and_invoice(self):
        order = self.env["sale.order"].with_user(self.crm_user).create({"partner_id": self.customer.id})
        self.assertLabels(order, self.customer_tags)
        order.write({"order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})]})
        order.label_ids -= self.tag_vip
        order.action_confirm()
        invoice = order._create_invoices()
        self.assertLabels(invoice, self.tag_wholesale)

    def test_customer_without_tags(self):
        order = self._create_order(self.env["res.partner"].create({"name": "Ohne Tags"}))
        self.assertFalse(order.label_ids)

    def test_quotation_form_shows_labels_before_saving(self):
        form = Form(self.env["sale.order"])
        form.partner_id = self.customer
        self.assertEqual(set(form.label_ids.ids), set(self.customer_tags.ids), "shown before saving")
        form.partner_id = self.customer_b
        self.assertEqual(set(form.label_ids.ids), {self.tag_vip.id, self.tag_north.id})
        order = form.save()
        self.assertLabels(order, self.tag_vip | self.tag_north)

    def test_quotation_form_hand_edits_before_saving(self):
        form = Form(self.env["sale.order"])
        form.partner_id = self.customer
        form.label_ids.remove(self.tag_vip.id)
        form.label_ids.add(self.tag_manual)
        order = form.save()
        self.assertLabels(order, self.tag_wholesale | self.tag_manual)
        self.assertEqual(order.label_excluded_ids, self.tag_vip, "removed by hand")
        # the removed label is not added back by a later change of customer
        with Form(order) as form:
            form.partner_id = self.customer_b
            self.assertEqual(set(form.label_ids.ids), {self.tag_north.id, self.tag_manual.id})
        self.assertLabels(order, self.tag_north | self.tag_manual)

    def test_quotation_form_change_customer_of_saved_order(self):
        order = self._create_order(self.customer)
        with Form(order) as form:
            form.partner_id = self.customer_b
        self.assertLabels(order, self.tag_vip | self.tag_north)
        self.assertFalse(order.label_excluded_ids, "labels replaced by the change are not 'removed by hand'")
        order.partner_id = self.customer
        self.assertLabels(order, self.customer_tags)

    def test_import_without_label_column(self):
        result = self.env["sale.order"].load(["partner_id/.id"], [[str(self.customer.id)]])
        self.assertFalse(result["messages"], result["messages"])
        self.assertLabels(self.env["sale.order"].browse(result["ids"]), self.customer_tags)

    def test_import_with_label_column(self):
        result = self.env["sale.order"].load(
            ["partner_id/.id", "label_ids"],
            [[str(self.customer.id), "CRM Test Manual"], [str(self.customer_b.id), ""]],
        )
        self.assertFalse(result["messages"], result["messages"])
        first, second = self.env["sale.order"].browse(result["ids"])
        self.assertLabels(first, self.customer_tags | self.tag_manual)
        self.assertLabels(second, self.tag_vip | self.tag_north)
        first.partner_id = self.customer_b
        self.assertLabels(first, self.tag_vip | self.tag_north | self.tag_manual, "imported label is kept")

    def test_copy_gets_labels_and_current_customer_tags(self):
        order = self._create_order(self.customer)
        order.label_ids -= self.tag_wholesale
        order.label_ids |= self.tag_manual
        self.customer.category_id |= self.tag_north
        copy = order.copy()
        self.assertLabels(copy, self.tag_vip | self.tag_north | self.tag_manual)
        self.assertEqual(copy.label_excluded_ids, self.tag_wholesale)

    def test_documents_existing_at_install_get_labels(self):
        order = self._create_order(self.customer)
        invoice = self._create_invoice(self.contact, post=True)
        bill = self._create_invoice(self.customer, move_type="in_invoice")
        self.env.cr.execute(
            "DELETE FROM customer_crm_sale_order_label_rel WHERE order_id = %s;"
            "DELETE FROM customer_crm_sale_order_label_auto_rel WHERE order_id = %s;"
            "DELETE FROM customer_crm_account_move_label_rel WHERE move_id = %s;"
            "DELETE FROM customer_crm_account_move_label_auto_rel WHERE move_id = %s",
            [order.id, order.id, invoice.id, invoice.id],
        )
        self.env.invalidate_all()
        self.assertFalse(order.label_ids | invoice.label_ids)
        self.env["sale.order"]._customer_crm_backfill_labels()
        self.env["account.move"]._customer_crm_backfill_labels()
        self.assertLabels(order, self.customer_tags)
        self.assertEqual(order.label_auto_ids, self.customer_tags)
        self.assertLabels(invoice, self.customer_tags)
        self.assertFalse(bill.label_ids)
        order.partner_id = self.customer_b
        self.assertLabels(order, self.tag_vip | self.tag_north, "backfilled labels count as the customer's")

    # --- manual edits -----------------------------------------------------

    def test_change_customer_replaces_only_labels_from_old_customer(self):
        order = self._create_order(self.customer)
        order.label_ids |= self.tag_manual
        order.partner_id = self.customer_b
        self.assertLabels(order, self.tag_vip | self.tag_north | self.tag_manual)
        self.assertEqual(order.label_auto_ids, self.tag_vip | self.tag_north)

    def test_change_customer_and_labels_in_one_write(self):
        order = self._create_order(self.customer)
        order.write({"partner_id": self.customer_b.id, "label_ids": [Command.link(self.tag_manual.id)]})
        self.assertLabels(order, self.tag_vip | self.tag_north | self.tag_manual)
        self.assertEqual(order.label_auto_ids, self.tag_vip | self.tag_north)

    def test_label_removed_by_hand_is_not_added_again(self):
        order = self._create_order(self.customer)
        order.write({"label_ids": [Command.unlink(self.tag_vip.id)]})
        self.assertEqual(order.label_excluded_ids, self.tag_vip)
        order.partner_id = self.customer_b  # has VIP too
        self.assertLabels(order, self.tag_north)
        order._customer_crm_reapply_labels()
        self.assertLabels(order, self.tag_north, "re-applying respects the removal")
        order._customer_crm_reapply_labels(restore_removed=True)
        self.assertLabels(order, self.tag_vip | self.tag_north)
        self.assertFalse(order.label_excluded_ids)

    def test_label_added_back_by_hand_is_no_longer_excluded(self):
        order = self._create_order(self.customer)
        order.label_ids -= self.tag_vip
        order.label_ids |= self.tag_vip
        self.assertFalse(order.label_excluded_ids)
        self.assertLabels(order, self.customer_tags)

    def test_tag_changes_on_customer_do_not_touch_existing_documents(self):
        order = self._create_order(self.customer)
        self.customer.category_id = self.tag_north
        self.assertLabels(order, self.customer_tags, "only 'Re-apply labels' updates existing documents")

    # --- invoices ---------------------------------------------------------

    def _confirmed_order(self, partner=None, **vals):
        order = self._create_order(partner or self.customer, **vals)
        order.label_ids -= self.tag_wholesale
        order.label_ids |= self.tag_manual
        order.action_confirm()
        return order

    def test_invoice_from_order_gets_order_labels(self):
        order = self._confirmed_order()
        invoice = order._create_invoices()
        self.assertLabels(invoice, self.tag_vip | self.tag_manual)
        self.assertEqual(invoice.label_excluded_ids, self.tag_wholesale, "removed by hand on the order")

    def test_down_payment_and_final_invoice_get_order_labels(self):
        order = self._confirmed_order()
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "percentage", "amount": 30, "sale_order_ids": [Command.set(order.ids)]})
        )
        wizard.create_invoices()
        down_payment = order.invoice_ids
        self.assertEqual(len(down_payment), 1)
        self.assertLabels(down_payment, self.tag_vip | self.tag_manual)
        down_payment.action_post()
        final = order._create_invoices(final=True)
        self.assertLabels(final, self.tag_vip | self.tag_manual)

    def test_partial_invoicing_gets_order_labels(self):
        self.product.invoice_policy = "delivery"
        order = self._confirmed_order()
        order.order_line.product_uom_qty = 3
        order.order_line.qty_delivered = 1
        first = order._create_invoices()
        order.order_line.qty_delivered = 3
        second = order._create_invoices()
        self.assertNotEqual(first, second)
        self.assertLabels(first, self.tag_vip | self.tag_manual)
        self.assertLabels(second, self.tag_vip | self.tag_manual)

    def test_invoice_grouping_orders_gets_all_their_labels(self):
        first = self._create_order(self.customer)
        second = self._create_order(self.customer)
        second.label_ids |= self.tag_north
        first.label_ids -= self.tag_vip
        (first | second).action_confirm()
        invoice = (first | second)._create_invoices()
        self.assertEqual(len(invoice), 1)
        self.assertLabels(invoice, self.customer_tags | self.tag_north)

    def test_invoice_created_by_api_and_in_form(self):
        invoice = self._create_invoice(self.contact)
        self.assertLabels(invoice, self.customer_tags)
        form = Form(self.env["account.move"].with_context(default_move_type="out_invoice"))
        form.partner_id = self.customer_b
        self.assertEqual(set(form.label_ids.ids), {self.tag_vip.id, self.tag_north.id})
        with form.invoice_line_ids.new() as line:
            line.product_id = self.product
        self.assertLabels(form.save(), self.tag_vip | self.tag_north)

    def test_invoice_change_customer(self):
        invoice = self._create_invoice(self.customer)
        invoice.label_ids |= self.tag_manual
        invoice.partner_id = self.customer_b
        self.assertLabels(invoice, self.tag_vip | self.tag_north | self.tag_manual)

    def test_credit_note_gets_invoice_labels(self):
        invoice = self._create_invoice(self.customer)
        invoice.label_ids -= self.tag_vip
        invoice.label_ids |= self.tag_manual
        invoice.action_post()
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "Test", "journal_id": invoice.journal_id.id})
        )
        reversal.refund_moves()
        refund = invoice.reversal_move_ids
        self.assertEqual(refund.move_type, "out_refund")
        self.assertLabels(refund, self.tag_wholesale | self.tag_manual)
        refund_api = self._create_invoice(self.customer, move_type="out_refund")
        self.assertLabels(refund_api, self.customer_tags)

    def test_vendor_bills_and_entries_get_no_labels(self):
        bill = self._create_invoice(self.customer, move_type="in_invoice", invoice_date="2026-01-01")
        self.assertFalse(bill.label_ids)
        bill.partner_id = self.customer_b
        self.assertFalse(bill.label_ids)
        form = Form(self.env["account.move"].with_context(default_move_type="in_invoice"))
        form.partner_id = self.customer
        self.assertFalse(form.label_ids)

    # --- re-apply ---------------------------------------------------------

    def _reapply(self, records, user=None, **vals):
        wizard = (
            self.env["customer_crm.label.reapply"]
            .with_user(user or self.crm_manager)
            .with_context(active_model=records._name, active_ids=records.ids)
            .create(vals)
        )
        return wizard.action_apply()

    def test_reapply_on_selected_documents(self):
        quote = self._create_order(self.customer)
        quote.label_ids |= self.tag_manual
        invoice = self._create_invoice(self.customer)
        bill = self._create_invoice(self.customer, move_type="in_invoice")
        self.customer.category_id = self.tag_vip | self.tag_north
        self._reapply(quote)
        self.assertLabels(quote, self.tag_vip | self.tag_north | self.tag_manual)
        action = self._reapply(invoice | bill)
        self.assertIn("1 of 1", action["params"]["message"])
        self.assertLabels(invoice, self.tag_vip | self.tag_north)
        self.assertFalse(bill.label_ids)

    def test_reapply_from_customers_updates_open_documents(self):
        quote = self._create_order(self.contact)
        confirmed = self._create_order(self.customer)
        confirmed.action_confirm()
        draft_invoice = self._create_invoice(self.customer)
        posted_invoice = self._create_invoice(self.customer, post=True)
        other = self._create_order(self.customer_b)
        self.customer.category_id = self.tag_north
        self._reapply(self.customer)
        self.assertLabels(quote, self.tag_north)
        self.assertLabels(draft_invoice, self.tag_north)
        self.assertLabels(confirmed, self.customer_tags, "confirmed orders are not open documents")
        self.assertLabels(posted_invoice, self.customer_tags)
        self.assertLabels(other, self.tag_vip | self.tag_north)

    def test_reapply_wizard_form(self):
        self._create_order(self.customer)
        self.customer.category_id = self.tag_north
        wizard_model = (
            self.env["customer_crm.label.reapply"]
            .with_user(self.crm_manager)
            .with_context(active_model="res.partner", active_ids=self.customer.ids)
        )
        with Form(wizard_model) as form:
            form.restore_removed = True
        action = form.record.action_apply()
        self.assertEqual(action["params"]["message"], "1 of 1 documents got new labels.")
        with self.assertRaises(UserError):
            wizard_model.with_context(active_model="res.users").create({}).action_apply()

    def test_reapply_is_for_managers(self):
        order = self._create_order(self.customer)
        with self.assertRaises(AccessError):
            self._reapply(order, user=self.crm_user)
        actions = self.env["ir.actions.act_window"].search(
            [("res_model", "=", "customer_crm.label.reapply"), ("binding_model_id", "!=", False)]
        )
        self.assertEqual(set(actions.binding_model_id.mapped("model")), {"sale.order", "account.move", "res.partner"})
        manager_group = self.env.ref("customer_crm.group_customer_crm_manager")
        self.assertTrue(all(action.groups_id == manager_group for action in actions))

    def test_reapply_is_batch_efficient(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Kunde {i}", "category_id": [Command.set(self.customer_tags.ids)]} for i in range(20)]
        )
        orders = self.env["sale.order"].create([{"partner_id": partner.id} for partner in partners])
        orders[:10].label_ids |= self.tag_manual
        partners.category_id = self.tag_north
        self.env.invalidate_all()
        with self.assertQueryCount(10):
            orders._customer_crm_reapply_labels()
        self.assertEqual(set(orders.mapped(lambda order: order.label_ids - self.tag_manual)), {self.tag_north})

    # --- views ------------------------------------------------------------

    def test_views_show_labels(self):
        for model, view_types in (
            ("sale.order", ("form", "list", "search")),
            ("account.move", ("form", "list", "search")),
        ):
            views = self.env[model].get_views([(False, view_type) for view_type in view_types])["views"]
            for view_type in view_types:
                self.assertIn('name="label_ids"', views[view_type]["arch"], f"{model} {view_type}")
            self.assertIn("'group_by': 'label_ids'", views["search"]["arch"])
        for xmlid in ("sale.view_quotation_tree", "sale.view_order_tree", "account.view_out_invoice_tree"):
            arch = self.env["sale.order" if "sale" in xmlid else "account.move"].get_view(self.env.ref(xmlid).id)[
                "arch"
            ]
            self.assertIn('name="label_ids"', arch, xmlid)
        partner_form = self.env["res.partner"].get_view(self.env.ref("base.view_partner_form").id)["arch"]
        self.assertIn("color_field", partner_form)
        tag_list = self.env["res.partner.category"].get_view(self.env.ref("base.view_partner_category_list").id)
        self.assertIn('name="propagate"', tag_list["arch"])

    def test_search_and_group_by_label(self):
        orders = self._create_order(self.customer) | self._create_order(self.customer_b)
        SaleOrder = self.env["sale.order"]
        self.assertEqual(SaleOrder.search([("id", "in", orders.ids), ("label_ids", "=", self.tag_north.id)]), orders[1])
        groups = dict(
            SaleOrder._read_group([("id", "in", orders.ids)], ["label_ids"], ["__count"]),
        )
        self.assertEqual(groups[self.tag_vip], 2)
        self.assertEqual(groups[self.tag_wholesale], 1)


@tagged("post_install", "-at_install")
class TestLabelsQueries(LabelsCase):
    """Propagation adds a constant few queries to creating documents."""

    # What labels add to creating 1 or 10 documents (caches cold, each for
    # another customer), whatever core and the other capabilities cost: one
    # INSERT each into the relations of label_ids and label_auto_ids.  The
    # customers' tags (one query for any number of customers) are the query
    # the lines' analytic distribution reads them with in core: shared.
    ADDED_QUERIES = 2

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partners = cls.env["res.partner"].create(
            [
                {"name": f"Mengenkunde {i}", "category_id": [Command.set(cls.customer_tags.ids)], "customer_rank": 1}
                for i in range(10)
            ]
        )

    def _order_vals(self, count):
        return [
            {
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1, "tax_id": []})],
            }
            for partner in self.partners[:count]
        ]

    def _move_vals(self, count):
        return [
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_line_ids": [
                    Command.create({"product_id": self.product.id, "quantity": 1, "price_unit": 10, "tax_ids": []})
                ],
            }
            for partner in self.partners[:count]
        ]

    def _count(self, model, vals_list, propagate=True):
        Model = self.env[model].with_context(customer_crm_label_sync=not propagate)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        records = Model.create(vals_list)
        self.env.flush_all()
        return self.env.cr.sql_log_count - before, records

    def _check(self, model, vals_method):
        self._count(model, vals_method(1))  # warm up the caches of the registry
        added = {}
        for count in (1, 10):
            plain, _records = self._count(model, vals_method(count), propagate=False)
            labelled, records = self._count(model, vals_method(count))
            self.assertEqual(records[-1].label_ids, self.customer_tags)
            added[count] = labelled - plain
            self.assertLessEqual(added[count], self.ADDED_QUERIES, f"{model}: {count} records")
        self.assertEqual(added[1], added[10], "a batch of 10 adds the same queries as a batch of 1")

    def test_sale_order_create_queries(self):
        self._check("sale.order", self._order_vals)

    def test_account_move_create_queries(self):
        self._check("account.move", self._move_vals)


@tagged("post_install", "-at_install")
class TestLabelsTour(HttpCase):
    """A customer's two tags show on a new quotation and on its invoice."""

    def test_labels_tour(self):
        customer = self.env.ref("customer_crm.res_partner_demo_mueller", raise_if_not_found=False)
        if not customer:
            self.skipTest("needs the demo data of customer_crm")
        self.assertEqual(len(customer.category_id.filtered("propagate")), 2)
        self.start_tour("/odoo/action-sale.action_quotations", "customer_crm_labels_tour", login="admin")
        order = self.env["sale.order"].search([("partner_id", "=", customer.id)], order="id desc", limit=1)
        self.assertEqual(order.label_ids, customer.category_id)
        self.assertEqual(order.invoice_ids.label_ids, customer.category_id)
