from odoo.tests import Form, HttpCase, tagged

from .common import CustomerCrmCase


@tagged("post_install", "-at_install")
class TestDuplicateWarning(CustomerCrmCase):
    """The warning, while a customer is typed, that it probably exists."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        # creating contacts and Odoo's merge are for users with "Contact Creation" (most have it)
        cls.crm_manager.groups_id += cls.env.ref("base.group_partner_manager")
        cls.mueller = Partner.create(
            {
                "name": "Müller Bau GmbH",
                "is_company": True,
                "customer_rank": 1,
                "zip": "10115",
                "city": "Berlin",
                "vat": "DE123456788",
                "email": "Info@Mueller-Bau.example",
            }
        )
        cls.mueller_contact = Partner.create(
            {"name": "Hans Schulz", "parent_id": cls.mueller.id, "email": "hans@schulz.example"}
        )
        cls.schmidt = Partner.create(
            {"name": "Schmidt Elektro KG", "is_company": True, "customer_rank": 1, "zip": "20095"}
        )
        cls.archived = Partner.create({"name": "Alt & Co. GmbH", "is_company": True, "zip": "50667", "active": False})

    def _typed(self, user=None, **values):
        """A new customer typed in the form (onchanges, not saved)."""
        Partner = self.env["res.partner"].with_user(user or self.crm_user)
        form = Form(Partner.with_context(default_is_company=True))
        for name, value in values.items():
            setattr(form, name, value)
        return form

    def test_matches_while_typing(self):
        """Same VAT ID however written, same e-mail in any case (also of a
        contact person: its company), similar name at the same zip ignoring
        case, legal forms and umlaut spellings."""
        cases = [
            ({"name": "Mueller Bau", "zip": "10115"}, self.mueller),
            ({"name": "MÜLLER-BAU e.K.", "zip": "10 115"}, self.mueller),
            ({"name": "Müller Bau GmbH", "zip": "80331"}, None),
            ({"name": "Neubau AG", "vat": "de 123 456 788"}, self.mueller),
            ({"name": "Neubau AG", "vat": "DE-123.456.788"}, self.mueller),
            ({"name": "Neubau AG", "email": "INFO@mueller-bau.example"}, self.mueller),
            ({"name": "Neubau AG", "email": "Hans Schulz <Hans@Schulz.example>"}, self.mueller),
            ({"name": "Schmidt Elektro GmbH & Co. KG", "zip": "20095"}, self.schmidt),
            ({"name": "Schmitt Gartenbau", "zip": "20095"}, None),
            ({"name": "Alt GmbH", "zip": "50667"}, None),  # archived
        ]
        for values, expected in cases:
            with self.subTest(**values):
                form = self._typed(**values)
                duplicates = form.duplicate_partner_ids
                if expected:
                    self.assertEqual(duplicates.ids, expected.ids)
                    self.assertIn(f'href="/odoo/res.partner/{expected.id}"', str(form.duplicate_warning))
                else:
                    self.assertFalse(duplicates)
                    self.assertFalse(form.duplicate_warning)

    def test_own_contacts_are_not_duplicates(self):
        """A customer is not the duplicate of itself or of its own contact
        persons (they share its VAT ID); a contact person typed for it has
        no duplicates."""
        self.env["res.partner"].create(
            {"name": "Anna Müller", "parent_id": self.mueller.id, "email": "info@mueller-bau.example"}
        )
        self.assertFalse(self.mueller.duplicate_partner_ids)
        with Form(self.env["res.partner"]) as contact:
            contact.parent_id = self.mueller
            contact.name = "Müller Bau"
            contact.email = "info@mueller-bau.example"
            self.assertFalse(contact.duplicate_partner_ids)
        # a saved second customer with the same VAT ID sees the first, and back
        twin = self.env["res.partner"].create({"name": "Zweitfirma", "is_company": True, "vat": "DE 123456788"})
        self.assertEqual(twin.duplicate_partner_ids, self.mueller)
        self.assertEqual(self.mueller.duplicate_partner_ids, twin)

    def test_create_anyway(self):
        """The warning does not stop saving the new customer."""
        form = self._typed(user=self.crm_manager, name="Müller Bau", zip="10115")
        self.assertEqual(form.duplicate_partner_ids.ids, self.mueller.ids)
        partner = form.save()
        self.assertTrue(partner.exists())
        self.assertEqual(partner.duplicate_partner_ids, self.mueller)

    def test_banner_and_merge(self):
        """The form's banner shows while duplicates exist; a manager's button
        opens Odoo's merge for the customer and its duplicates, a user has no
        button."""
        for user, has_button in ((self.crm_manager, True), (self.crm_user, False)):
            arch = self.env["res.partner"].with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
            with self.subTest(user=user.login):
                self.assertIn('name="warning_duplicates"', arch)
                self.assertEqual('name="action_merge_duplicates"' in arch, has_button)
        twin = self.env["res.partner"].create({"name": "Mueller-Bau", "is_company": True, "zip": "10115"})
        action = twin.with_user(self.crm_manager).action_merge_duplicates()
        self.assertEqual(action["res_model"], "base.partner.merge.automatic.wizard")
        wizard = self.env[action["res_model"]].with_user(self.crm_manager).with_context(**action["context"]).create({})
        self.assertEqual(wizard.partner_ids, twin | self.mueller)

    def test_constant_queries(self):
        """Checking one customer or four costs the same queries."""
        Partner = self.env["res.partner"].with_user(self.crm_user)
        few = Partner.browse(self.mueller.ids)
        many = Partner.browse((self.mueller | self.schmidt | self.customer | self.mueller_contact).ids)
        many.mapped("duplicate_partner_ids")  # warm-up: access rules
        counts = []
        for partners in (few, many):
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            partners.mapped("duplicate_partner_ids")
            counts.append(self.cr.sql_log_count - start)
        self.assertEqual(counts[0], counts[1])

    def test_indexes(self):
        """The check's conditions have their indexes (on the same key
        functions as the query), so that it stays fast on large tables."""
        self.cr.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'res_partner' AND indexname LIKE %s",
            ["res_partner_customer_crm_%"],
        )
        indexes = dict(self.cr.fetchall())
        typed = self.env["res.partner"].new({"name": "Mueller Bau", "zip": "10115", "is_company": True})
        query = typed._duplicate_query().code
        for name, key in (
            ("res_partner_customer_crm_vat_key_idx", "customer_crm_vat_key("),
            ("res_partner_customer_crm_zip_key_idx", "customer_crm_zip_key("),
            ("res_partner_customer_crm_name_trgm_idx", "customer_crm_name_key("),
            ("res_partner_customer_crm_email_normalized_idx", "email_normalized"),
        ):
            with self.subTest(index=name):
                self.assertIn(key, indexes[name])
                self.assertIn(key, query)
        self.assertIn("gin_trgm_ops", indexes["res_partner_customer_crm_name_trgm_idx"])


@tagged("post_install", "-at_install")
class TestDuplicateWarningTour(HttpCase):
    def test_duplicate_warning_tour(self):
        """Typing a customer that exists shows the warning; saving still works."""
        existing = self.env["res.partner"].create(
            {"name": "Tour Müller Bau GmbH", "is_company": True, "customer_rank": 1, "zip": "10115"}
        )
        self.env.flush_all()  # the browser's requests read the table with SQL
        self.start_tour("/odoo/customer-file", "customer_crm_duplicate_warning_tour", login="admin")
        typed = self.env["res.partner"].search([("name", "=", "Tour Mueller-Bau e.K.")])
        self.assertEqual(len(typed), 1)
        self.assertEqual(typed.duplicate_partner_ids, existing)
