from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCustomerCrmTours(HttpCase):
    """Tours in headless Chromium (skipped by Odoo when no browser exists)."""

    def test_smoke_tour(self):
        """Open the Customers app, open a demo customer, see its form."""
        if not self.env.ref("customer_crm.res_partner_demo_mueller", raise_if_not_found=False):
            self.skipTest("needs the demo data of customer_crm")
        self.start_tour("/odoo", "customer_crm_smoke_tour", login="admin")


@tagged("post_install", "-at_install")
class TestCustomerPathsTours(HttpCase):
    """The paths a user clicks (issue 14), in English and German."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.env["ir.module.module"].search([("name", "=", "customer_crm")])._update_translations("de_DE")
        cls.admin = cls.env.ref("base.user_admin")
        cls.prospect = cls.env.ref("customer_crm.customer_status_prospect")
        cls.quote_sent = cls.env.ref("customer_crm.customer_status_quote_sent")

    def _in_languages(self, run):
        for lang in ("en_US", "de_DE"):
            with self.subTest(lang=lang):
                self.admin.lang = lang
                run(lang)

    def test_new_customer_tour(self):
        """Customers, New; and New from Template (a template without a status)."""
        template = self.env["res.partner"].create(
            {"name": "Tour-Vorlage ohne Status", "is_template_customer": True, "default_discount": 4.0}
        )

        def run(lang):
            self.start_tour("/odoo/customer-file", "customer_crm_new_customer_tour", login="admin")
            partner = self.env["res.partner"].search([("name", "=", "Tour-Formkunde GmbH")])
            self.assertEqual(partner.crm_status_id, self.prospect)
            self.assertEqual(partner.customer_rank, 1)
            from_template = self.env["res.partner"].search([("name", "=", "Tour-Vorlagenkunde GmbH")])
            self.assertEqual(from_template.crm_status_id, self.prospect)
            self.assertEqual(from_template.default_discount, template.default_discount, "the template was used")
            (partner | from_template).unlink()

        self._in_languages(run)

    def test_archive_and_restore_tours(self):
        Partner = self.env["res.partner"]

        def run(lang):
            form_customer, list_customer = Partner.create(
                [
                    {"name": "Tour-Archivkunde GmbH", "is_company": True, "customer_rank": 1},
                    {"name": "Tour-Listenkunde AG", "is_company": True, "customer_rank": 1},
                ]
            )
            contacts = Partner.create(
                [
                    {"name": "Anton Archiv", "parent_id": form_customer.id},
                    {"name": "Lisa Liste", "parent_id": list_customer.id},
                ]
            )
            self.start_tour(f"/odoo/customer-prospects/{form_customer.id}", "customer_crm_archive_tour", login="admin")
            self.assertFalse(form_customer.active, "archived from the form")
            self.assertFalse(list_customer.active, "archived from the list")
            self.assertFalse(any(contacts.mapped("active")), "with their contact persons")
            self.start_tour("/odoo/customer-file-all", "customer_crm_restore_tour", login="admin")
            self.assertTrue(list_customer.active)
            self.assertTrue(contacts[1].active, "its contact person is back too")
            (form_customer | list_customer).with_context(active_test=False).write({"name": f"Done {lang}"})

        self._in_languages(run)

    def test_invoice_discount_tour(self):
        self.env["res.partner"].create(
            {"name": "Tour-Rabattkunde", "is_company": True, "customer_rank": 1, "default_discount": 5.0}
        )
        self.env["product.product"].create({"name": "Tour-Rabattprodukt", "list_price": 120.5, "taxes_id": []})
        self.start_tour(
            "/odoo/action-account.action_move_out_invoice_type", "customer_crm_invoice_discount_tour", login="admin"
        )
        line = self.env["account.move.line"].search([("product_id.name", "=", "Tour-Rabattprodukt")])
        self.assertEqual(line.discount, 5.0)
        self.start_tour("/odoo/action-sale.action_quotations", "customer_crm_quotation_discount_tour", login="admin")
        order_line = self.env["sale.order.line"].search([("product_id.name", "=", "Tour-Rabattprodukt")])
        self.assertEqual(order_line.discount, 5.0)

    def test_search_activity_tour(self):
        Partner = self.env["res.partner"].with_context(tracking_disable=True)
        old, new = Partner.create(
            [
                {"name": "Tour-Altkunde", "is_company": True, "customer_rank": 1},
                {"name": "Tour-Neukunde", "is_company": True, "customer_rank": 1},
            ]
        )
        new.with_context(tracking_disable=True).crm_status_id = self.quote_sent
        old.last_activity_date = "2017-05-01 10:00:00"
        new.last_activity_date = "2018-03-01 10:00:00"

        def run(lang):
            self.start_tour("/odoo/customer-file-all", "customer_crm_search_activity_tour", login="admin")

        self._in_languages(run)
