from contextlib import contextmanager

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CustomerCrmCase


class TemplateCustomerCase(CustomerCrmCase):
    """A default template customer with a value in every template field."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("de_DE")
        cls.term_30 = cls.env["account.payment.term"].create({"name": "Musterziel 30 Tage"})
        cls.term_other = cls.env["account.payment.term"].create({"name": "Anderes Ziel"})
        cls.pricelist = cls.env["product.pricelist"].create({"name": "Musterpreisliste"})
        cls.fiscal_position = cls.env["account.fiscal.position"].create({"name": "Muster-Steuerzuordnung"})
        cls.label = cls.env["res.partner.category"].create({"name": "Musterlabel"})
        cls.label_other = cls.env["res.partner.category"].create({"name": "Anderes Label"})
        cls.industry = cls.env["res.partner.industry"].create({"name": "Haustechnik"})
        cls.template = cls.env["res.partner"].create(
            {
                "name": "Musterkunde",
                "is_company": True,
                "is_template_customer": True,
                "property_payment_term_id": cls.term_30.id,
                "property_product_pricelist": cls.pricelist.id,
                "property_account_position_id": cls.fiscal_position.id,
                "user_id": cls.crm_user.id,
                "lang": "de_DE",
                "category_id": [Command.set(cls.label.ids)],
                "default_discount": 7.5,
                "default_quote_text": "<p>Quote text of the template</p>",
                "default_invoice_text": "<p>Invoice text of the template</p>",
                "website": "https://muster.example",
                "industry_id": cls.industry.id,
            }
        )
        cls.company.default_template_customer_id = cls.template

    def assertTemplateValues(self, partner):
        self.assertEqual(partner.property_payment_term_id, self.term_30)
        self.assertEqual(partner.property_product_pricelist, self.pricelist)
        self.assertEqual(partner.property_account_position_id, self.fiscal_position)
        self.assertEqual(partner.user_id, self.crm_user)
        self.assertEqual(partner.lang, "de_DE")
        self.assertEqual(partner.category_id, self.label)
        self.assertEqual(partner.default_discount, 7.5)
        self.assertIn("Quote text of the template", partner.default_quote_text)
        self.assertIn("Invoice text of the template", partner.default_invoice_text)

    @contextmanager
    def assertRefused(self, regex):
        """A ValidationError matching ``regex``, and nothing written."""
        with self.assertRaisesRegex(ValidationError, regex), self.env.cr.savepoint():
            yield
        self.env.invalidate_all()

    def assertNoTemplateValues(self, partner):
        self.assertFalse(partner.property_payment_term_id)
        self.assertFalse(partner.specific_property_product_pricelist)
        self.assertFalse(partner.property_account_position_id)
        self.assertFalse(partner.category_id)
        self.assertFalse(partner.default_discount)
        self.assertFalse(partner.default_quote_text)


@tagged("post_install", "-at_install")
class TestTemplateCustomer(TemplateCustomerCase):
    # ------------------------------------------------------------------
    # New customers by API
    # ------------------------------------------------------------------

    def test_create_takes_default_template(self):
        partner = self.env["res.partner"].create({"name": "Neukunde GmbH", "is_company": True})
        self.assertTemplateValues(partner)
        self.assertFalse(partner.is_template_customer, "the template flag is never copied")

    def test_create_from_customers_app_context(self):
        partner = (
            self.env["res.partner"]
            .with_context(res_partner_search_mode="customer", default_is_company=True)
            .create({"name": "Kunde aus der App"})
        )
        self.assertTemplateValues(partner)
        self.assertEqual(partner.customer_rank, 1)

    def test_explicit_values_win(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Eigenwillig GmbH",
                "property_payment_term_id": self.term_other.id,
                "lang": "en_US",
                "category_id": [Command.set(self.label_other.ids)],
                "default_discount": 3.0,
            }
        )
        self.assertEqual(partner.property_payment_term_id, self.term_other)
        self.assertEqual(partner.lang, "en_US")
        self.assertEqual(partner.category_id, self.label_other)
        self.assertEqual(partner.default_discount, 3.0)
        # what was not given still comes from the template
        self.assertEqual(partner.property_account_position_id, self.fiscal_position)
        self.assertEqual(partner.user_id, self.crm_user)

    def test_explicit_empty_value_stays_empty(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Leer GmbH",
                "property_payment_term_id": False,
                "property_account_position_id": False,
                "user_id": False,
                "category_id": [],
                "default_discount": 0.0,
                "default_quote_text": False,
            }
        )
        self.assertFalse(partner.property_payment_term_id)
        self.assertFalse(partner.property_account_position_id)
        self.assertFalse(partner.user_id)
        self.assertFalse(partner.category_id)
        self.assertEqual(partner.default_discount, 0.0)
        self.assertFalse(partner.default_quote_text)
        self.assertEqual(partner.lang, "de_DE", "a key not given is still filled")

    def test_context_default_wins_over_template(self):
        partner = self.env["res.partner"].with_context(default_lang="en_US").create({"name": "Kontext GmbH"})
        self.assertEqual(partner.lang, "en_US")
        self.assertEqual(partner.property_payment_term_id, self.term_30)

    def _queries_to_create(self, count, template):
        """Queries to create ``count`` customers, from the template or given its values."""
        self.company.default_template_customer_id = template
        fnames = self.env["res.partner"]._customer_crm_template_fnames()
        values = {} if template else self.template._customer_crm_template_values(fnames)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.env["res.partner"].create([{"name": f"Serie {i}", "is_company": True, **values} for i in range(count)])
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_template_costs_no_queries_per_customer(self):
        # what the values themselves cost (followers, commercial sync) is the
        # same either way; taking them from the template must not add per customer
        extra_small = self._queries_to_create(5, self.template) - self._queries_to_create(5, False)
        extra_large = self._queries_to_create(40, self.template) - self._queries_to_create(40, False)
        self.assertLessEqual(
            extra_large - extra_small, 5, f"template: {extra_small} extra queries for 5, {extra_large} for 40"
        )

    def test_no_default_template_no_values(self):
        self.company.default_template_customer_id = False
        partner = self.env["res.partner"].create({"name": "Ohne Vorlage GmbH"})
        self.assertNoTemplateValues(partner)

    def test_contact_persons_and_addresses_take_nothing(self):
        company = self.env["res.partner"].create(
            {"name": "Firma ohne Werte", "category_id": [], "default_discount": 0, "user_id": False}
        )
        contact = self.env["res.partner"].create({"name": "Max Kontakt", "parent_id": company.id})
        address = self.env["res.partner"].create({"name": "Lager", "parent_id": company.id, "type": "delivery"})
        from_context = (
            self.env["res.partner"].with_context(default_parent_id=company.id).create({"name": "Kontext Kontakt"})
        )
        for partner in contact | address | from_context:
            self.assertFalse(partner.category_id, partner.name)
            self.assertFalse(partner.default_discount, partner.name)
            self.assertFalse(partner.default_quote_text, partner.name)
            self.assertNotEqual(partner.user_id, self.crm_user, partner.name)

    def test_contact_persons_not_copied_from_template(self):
        self.env["res.partner"].create({"name": "Kontakt der Vorlage", "parent_id": self.template.id})
        partner = self.env["res.partner"].create({"name": "Neukunde mit Kontakten?"})
        self.assertFalse(partner.child_ids)

    def test_new_template_and_user_partners_take_nothing(self):
        template = self.env["res.partner"].create({"name": "Zweite Vorlage", "is_template_customer": True})
        self.assertNoTemplateValues(template)
        user = self.env["res.users"].create({"name": "Neuer Benutzer", "login": "tpl_new_user"})
        self.assertNoTemplateValues(user.partner_id)
        company = self.env["res.company"].create({"name": "Neue Firma"})
        self.assertNoTemplateValues(company.partner_id)

    def test_translations_of_texts_are_copied(self):
        self.template.update_field_translations(
            "default_quote_text", {"de_DE": {"Quote text of the template": "Angebotstext der Vorlage"}}
        )
        partner = self.env["res.partner"].create({"name": "Zweisprachig GmbH"})
        self.assertIn("Quote text of the template", partner.with_context(lang="en_US").default_quote_text)
        self.assertIn("Angebotstext der Vorlage", partner.with_context(lang="de_DE").default_quote_text)

    # ------------------------------------------------------------------
    # Import
    # ------------------------------------------------------------------

    def test_import_without_values_takes_template(self):
        result = self.env["res.partner"].load(["name"], [["Import GmbH"]])
        self.assertFalse(result["messages"])
        self.assertTemplateValues(self.env["res.partner"].browse(result["ids"]))

    def test_import_with_explicit_values(self):
        result = self.env["res.partner"].load(
            ["name", "property_payment_term_id", "lang", "category_id", "user_id"],
            [
                ["Import Eigen GmbH", "Anderes Ziel", "English (US)", "Anderes Label", ""],
            ],
        )
        self.assertFalse(result["messages"], result["messages"])
        partner = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(partner.property_payment_term_id, self.term_other)
        self.assertEqual(partner.lang, "en_US")
        self.assertEqual(partner.category_id, self.label_other)
        self.assertFalse(partner.user_id, "an empty column stays empty")
        self.assertEqual(partner.property_account_position_id, self.fiscal_position)

    def test_import_with_empty_columns(self):
        result = self.env["res.partner"].load(
            ["name", "property_payment_term_id", "category_id"], [["Import Leer GmbH", "", ""]]
        )
        self.assertFalse(result["messages"], result["messages"])
        partner = self.env["res.partner"].browse(result["ids"])
        self.assertFalse(partner.property_payment_term_id)
        self.assertFalse(partner.category_id)
        self.assertEqual(partner.default_discount, 7.5)

    # ------------------------------------------------------------------
    # Company-dependent fields and more companies
    # ------------------------------------------------------------------

    def test_company_dependent_fields_per_company(self):
        other_company = self.env["res.company"].create({"name": "Zweitfirma"})
        term_other_company = self.env["account.payment.term"].create(
            {"name": "Ziel Zweitfirma", "company_id": other_company.id}
        )
        self.template.with_company(other_company).property_payment_term_id = term_other_company
        partner = self.env["res.partner"].create({"name": "Firmenabhängig GmbH"})
        self.assertEqual(partner.property_payment_term_id, self.term_30)
        self.assertFalse(
            partner.with_company(other_company).property_payment_term_id,
            "the template's value of another company is not copied",
        )
        # in the other company, without a default template there, nothing is taken
        partner_b = self.env["res.partner"].with_company(other_company).create({"name": "Kunde der Zweitfirma"})
        self.assertFalse(partner_b.with_company(other_company).property_payment_term_id)
        other_company.default_template_customer_id = self.template
        partner_c = self.env["res.partner"].with_company(other_company).create({"name": "Zweiter Kunde der Zweitfirma"})
        self.assertEqual(partner_c.with_company(other_company).property_payment_term_id, term_other_company)
        self.assertFalse(partner_c.with_company(self.company).property_payment_term_id)

    def test_user_without_access_to_the_template(self):
        other_company = self.env["res.company"].create({"name": "Vorlagenfirma"})
        self.template.company_id = other_company
        self.assertNotIn(other_company, self.crm_manager.company_ids)
        with self.assertRaises(AccessError):
            self.template.with_user(self.crm_manager).check_access("read")
        partner = self.env["res.partner"].with_user(self.crm_manager).create({"name": "Kunde des Benutzers"})
        self.assertEqual(partner.sudo().default_discount, 7.5)
        self.assertEqual(partner.sudo().category_id, self.label)

    def test_pricelist_only_when_template_has_one(self):
        self.template.specific_property_product_pricelist = False
        fallback = self.env["res.partner"].create({"name": "Referenz"}).property_product_pricelist
        partner = self.env["res.partner"].create({"name": "Standardpreisliste GmbH"})
        self.assertEqual(partner.property_product_pricelist, fallback)
        self.assertFalse(partner.specific_property_product_pricelist)

    # ------------------------------------------------------------------
    # Fields listed in the Settings
    # ------------------------------------------------------------------

    def _partner_fields(self, *names):
        return self.env["ir.model.fields"].search([("model", "=", "res.partner"), ("name", "in", names)])

    def test_settings_field_list(self):
        self.assertFalse(self.env["res.partner"].create({"name": "Vorher"}).website)
        settings = self.env["res.config.settings"].create(
            {"customer_crm_template_field_ids": [Command.set(self._partner_fields("website", "industry_id").ids)]}
        )
        settings.execute()
        self.assertEqual(self.company.template_field_ids, self._partner_fields("website", "industry_id"))
        partner = self.env["res.partner"].create({"name": "Nachher GmbH"})
        self.assertEqual(partner.website, "https://muster.example")
        self.assertEqual(partner.industry_id, self.industry)
        explicit = self.env["res.partner"].create({"name": "Explizit GmbH", "website": False})
        self.assertFalse(explicit.website)

    def test_settings_field_list_refuses_computed_fields(self):
        for name in ("commercial_partner_id", "child_ids", "debtor_number", "name"):
            with self.subTest(field=name), self.assertRaises(ValidationError):
                self.company.template_field_ids = self._partner_fields(name)
        self.company.invalidate_recordset()
        self.assertFalse(self.company.template_field_ids)

    def test_settings_default_template(self):
        other = self.env["res.partner"].create({"name": "Andere Vorlage", "is_template_customer": True})
        settings = self.env["res.config.settings"].create({"customer_crm_template_customer_id": other.id})
        settings.execute()
        self.assertEqual(self.company.default_template_customer_id, other)

    # ------------------------------------------------------------------
    # Web client form: default template and "New from template"
    # ------------------------------------------------------------------

    def test_form_shows_default_template_values(self):
        form = Form(self.env["res.partner"].with_context(res_partner_search_mode="customer", default_is_company=True))
        self.assertEqual(form.property_payment_term_id, self.term_30)
        self.assertEqual(form.user_id, self.crm_user)
        self.assertEqual(form.lang, "de_DE")
        self.assertIn(self.label, form.category_id)
        form.name = "Formular GmbH"
        form.category_id.clear()
        partner = form.save()
        self.assertEqual(partner.property_payment_term_id, self.term_30)
        self.assertFalse(partner.category_id, "a label removed in the form stays removed")
        self.assertEqual(partner.default_discount, 7.5)

    def test_form_new_from_template(self):
        other = self.env["res.partner"].create(
            {
                "name": "Vorlage Ausland",
                "is_template_customer": True,
                "property_payment_term_id": self.term_other.id,
                "category_id": [Command.set(self.label_other.ids)],
                "lang": "en_US",
                "default_discount": 12.0,
            }
        )
        form = Form(self.env["res.partner"])
        form.template_customer_id = other
        self.assertEqual(form.property_payment_term_id, self.term_other)
        self.assertEqual(form.lang, "en_US")
        self.assertEqual(form.default_discount, 12.0)
        form.name = "Auslandskunde Ltd"
        partner = form.save()
        self.assertEqual(partner.property_payment_term_id, self.term_other)
        self.assertEqual(partner.category_id, self.label_other)
        self.assertEqual(partner.default_discount, 12.0)

    def test_create_with_chosen_template(self):
        other = self.env["res.partner"].create(
            {"name": "Vorlage B", "is_template_customer": True, "default_discount": 20.0}
        )
        partner = self.env["res.partner"].create({"name": "Kunde B", "template_customer_id": other.id})
        self.assertEqual(partner.default_discount, 20.0)
        self.assertFalse(partner.property_payment_term_id, "the chosen template replaces the default one")
        self.assertEqual(partner.lang, "en_US")

    def test_create_with_a_non_template_refused(self):
        with self.assertRaisesRegex(UserError, "not a template customer"), self.env.cr.savepoint():
            self.env["res.partner"].create({"name": "Kunde C", "template_customer_id": self.customer.id})
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Kunde C")]))

    # ------------------------------------------------------------------
    # Templates stay out of lists, documents and numbering
    # ------------------------------------------------------------------

    def test_templates_hidden_from_customer_lists(self):
        self.template.customer_rank = 1
        for xmlid in (
            "res_partner_action_customers",
            "res_partner_action_prospects",
            "res_partner_action_all_customers",
        ):
            action = self.env.ref(f"customer_crm.{xmlid}")
            domain = safe_eval(action.domain)
            found = self.env["res.partner"].with_context(active_test=False).search(domain)
            self.assertNotIn(self.template, found, xmlid)
        templates_action = self.env.ref("customer_crm.res_partner_action_templates")
        self.assertIn(self.template, self.env["res.partner"].search(safe_eval(templates_action.domain)))
        self.assertNotIn(
            self.template, self.env["res.partner"].search(self.env["res.partner"]._customer_crm_scope_domain())
        )

    def test_template_refused_on_orders(self):
        orders = self.env["sale.order"].search_count([])
        with self.assertRefused("Musterkunde is a template customer"):
            self._create_order(self.template)
        order = self._create_order(self.customer)
        with self.assertRefused("template customer"):
            order.partner_id = self.template
        self.assertEqual(self.env["sale.order"].search_count([]), orders + 1)

    def test_template_refused_on_invoices(self):
        moves = self.env["account.move"].search_count([])
        with self.assertRefused("Musterkunde is a template customer"):
            self._create_invoice(self.template)
        self.assertEqual(self.env["account.move"].search_count([]), moves)
        contact = self.env["res.partner"].create({"name": "Kontakt Vorlage", "parent_id": self.template.id})
        with self.assertRefused("template customer"):
            self._create_invoice(contact)

    def test_numbered_customer_cannot_become_template(self):
        self.customer.debtor_number = "TPL-90001"
        with self.assertRefused("debtor number"):
            self.customer.is_template_customer = True
        with self.assertRefused("debtor number"):
            self.template.debtor_number = "TPL-90002"

    def test_default_template_must_be_a_template(self):
        with self.assertRefused("not a template customer"):
            self.company.default_template_customer_id = self.customer
        with self.assertRefused("default template"):
            self.template.is_template_customer = False

    def test_contact_person_cannot_be_template(self):
        with self.assertRefused("contact person"):
            self.contact.is_template_customer = True


@tagged("post_install", "-at_install")
class TestTemplateApply(TemplateCustomerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.default_template_customer_id = False
        cls.customers = cls.env["res.partner"].create(
            [
                {"name": "Bestand A", "customer_rank": 1, "lang": "en_US"},
                {"name": "Bestand B", "customer_rank": 1, "lang": "de_DE", "user_id": cls.crm_manager.id},
                {
                    "name": "Bestand C",
                    "customer_rank": 1,
                    "lang": "de_DE",
                    "property_payment_term_id": cls.term_other.id,
                    "default_discount": 2.0,
                },
            ]
        )
        cls.env.company.default_template_customer_id = cls.template

    def _wizard(self, **vals):
        return (
            self.env["customer_crm.template.apply"]
            .with_user(self.crm_manager)
            .with_context(active_model="res.partner", active_ids=(self.customers | self.template).ids)
            .create(vals)
        )

    def test_preview_counts_changes_per_field(self):
        wizard = self._wizard()
        self.assertEqual(wizard.template_id, self.template, "the company's default template is proposed")
        self.assertEqual(wizard.partner_ids, self.customers, "templates are not among the customers")
        rows = {row["field"]: row["count"] for row in wizard._preview_rows()}
        self.assertEqual(rows["property_payment_term_id"], 3)
        self.assertEqual(rows["lang"], 1)
        self.assertEqual(rows["user_id"], 3)
        self.assertEqual(rows["default_discount"], 3)
        self.assertIn("Payment Terms", wizard.preview)
        wizard.only_empty = True
        rows = {row["field"]: row["count"] for row in wizard._preview_rows()}
        self.assertEqual(rows["property_payment_term_id"], 2)
        self.assertNotIn("lang", rows)
        self.assertEqual(rows["user_id"], 2)
        self.assertEqual(rows["default_discount"], 2)
        # nothing is written by the preview
        self.assertFalse(self.customers[0].property_payment_term_id)

    def test_apply_overwrites(self):
        self._wizard().action_apply()
        for partner in self.customers:
            self.assertTemplateValues(partner)

    def test_apply_only_empty_fields(self):
        self._wizard(only_empty=True).action_apply()
        a, b, c = self.customers
        self.assertEqual(a.property_payment_term_id, self.term_30)
        self.assertEqual(a.lang, "en_US")
        self.assertEqual(b.user_id, self.crm_manager)
        self.assertEqual(c.property_payment_term_id, self.term_other)
        self.assertEqual(c.default_discount, 2.0)
        self.assertEqual(c.category_id, self.label)

    def _queries_to_apply(self, count):
        self.env.company.default_template_customer_id = False
        partners = self.env["res.partner"].create([{"name": f"Masse {i}", "customer_rank": 1} for i in range(count)])
        self.env.company.default_template_customer_id = self.template
        wizard = self._wizard()
        wizard.partner_ids = partners
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        wizard.action_apply()
        self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(len(partners.filtered(lambda p: p.property_payment_term_id == self.term_30)), count)
        return queries

    def test_apply_batches_writes(self):
        # one write per group of customers; what remains per customer is
        # res.partner's own write (commercial sync to contacts, tracking)
        small, large = self._queries_to_apply(5), self._queries_to_apply(50)
        self.assertLess((large - small) / 45, 40, f"{small} queries for 5 customers, {large} for 50")

    def test_status_copied_only_where_it_fits(self):
        status = self.env["customer_crm.status"].create({"name": "Musterstatus", "kind": "prospect"})
        self.template.crm_status_id = status
        prospect = self.env["res.partner"].create({"name": "Interessent GmbH", "customer_rank": 1})
        self.assertEqual(prospect.crm_status_id, status)
        numbered = self.env["res.partner"].create(
            {"name": "Altkunde GmbH", "customer_rank": 1, "debtor_number": "TPL-90003"}
        )
        self.assertNotEqual(numbered.crm_status_id, status, "a prospect status does not fit a numbered customer")
        self.assertEqual(numbered.default_discount, 7.5, "the other values are taken")
        self.customers[2].debtor_number = "TPL-90004"
        wizard = self._wizard()
        rows = {row["field"]: row["count"] for row in wizard._preview_rows()}
        self.assertEqual(rows["crm_status_id"], 2)
        wizard.action_apply()
        self.assertEqual(self.customers[:2].crm_status_id, status)
        self.assertNotEqual(self.customers[2].crm_status_id, status)

    def test_only_managers(self):
        with self.assertRaises(AccessError):
            self.env["customer_crm.template.apply"].with_user(self.crm_user).create({"template_id": self.template.id})


@tagged("post_install", "-at_install")
class TestTemplateCustomerTour(HttpCase):
    def test_template_customer_tour(self):
        term = self.env["account.payment.term"].create({"name": "Tour-Zahlungsziel"})
        label = self.env["res.partner.category"].create({"name": "Tour-Label"})
        template = self.env["res.partner"].create(
            {
                "name": "Tour-Musterkunde",
                "is_company": True,
                "is_template_customer": True,
                "property_payment_term_id": term.id,
                "category_id": [Command.set(label.ids)],
                "default_discount": 4.0,
            }
        )
        self.env.company.default_template_customer_id = template
        self.start_tour("/odoo/customer-file", "customer_crm_template_customer_tour", login="admin")
        partner = self.env["res.partner"].search([("name", "=", "Tour-Neukunde GmbH")])
        self.assertEqual(len(partner), 1)
        self.assertEqual(partner.property_payment_term_id, term)
        self.assertEqual(partner.category_id, label)
        self.assertEqual(partner.default_discount, 4.0)
        self.assertEqual(partner.customer_rank, 1)

    def test_template_apply_tour(self):
        mueller = self.env.ref("customer_crm.res_partner_demo_mueller", raise_if_not_found=False)
        if not mueller:
            self.skipTest("needs the demo data of customer_crm")
        template = self.env["res.partner"].create(
            {"name": "Tour-Vorlage", "is_template_customer": True, "default_discount": 6.0}
        )
        self.env.company.default_template_customer_id = template
        self.start_tour("/odoo/customer-file-all", "customer_crm_template_apply_tour", login="admin")
        self.assertEqual(mueller.default_discount, 6.0)
