from unittest.mock import patch

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from ..tools import install
from ..tools.install import indexes_built_after
from .common import CustomerCrmCase


class StatusCase(CustomerCrmCase):
    """The shipped statuses, by their role in the tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.prospect = ref("customer_crm.customer_status_prospect")
        cls.quote_sent = ref("customer_crm.customer_status_quote_sent")
        cls.customer_status = ref("customer_crm.customer_status_customer")
        cls.key_account = ref("customer_crm.customer_status_key_account")
        cls.dormant = ref("customer_crm.customer_status_dormant")
        cls.Status = cls.env["customer_crm.status"]
        cls.Partner = cls.env["res.partner"]


@tagged("post_install", "-at_install")
class TestCustomerStatus(StatusCase):
    """Customer statuses: kinds, defaults, tracking, kanban groups."""

    def test_shipped_statuses(self):
        self.assertEqual(
            [(s.name, s.kind, s.is_default) for s in self.prospect | self.quote_sent],
            [("Prospect", "prospect", True), ("Quote sent", "prospect", False)],
        )
        self.assertEqual(
            [(s.name, s.kind, s.is_default) for s in self.customer_status | self.key_account | self.dormant],
            [("Customer", "customer", True), ("Key account", "customer", False), ("Dormant", "customer", False)],
        )
        self.assertTrue(self.dormant.fold)

    def test_one_default_per_kind(self):
        self.quote_sent.is_default = True
        self.assertFalse(self.prospect.is_default, "the former default gives way")
        self.assertTrue(self.customer_status.is_default, "the other kind keeps its default")
        new = self.Status.create({"name": "Heiß", "kind": "prospect", "is_default": True})
        self.assertFalse(self.quote_sent.is_default)
        self.assertEqual(self.Status._customer_crm_default_status("prospect"), new)
        with self.assertRaises(ValidationError):
            self.env.cr.execute("UPDATE customer_crm_status SET is_default = true WHERE id = %s", [self.prospect.id])
            self.prospect.invalidate_recordset()
            self.prospect._check_one_default()

    def test_company_default_wins(self):
        other_company = self.env["res.company"].create({"name": "Filiale AG"})
        own = self.Status.create(
            {"name": "Filial-Interessent", "kind": "prospect", "is_default": True, "company_id": other_company.id}
        )
        self.assertTrue(self.prospect.is_default, "a company default does not untick the shared one")
        self.assertEqual(self.Status._customer_crm_default_status("prospect", other_company), own)
        self.assertEqual(self.Status._customer_crm_default_status("prospect", self.company), self.prospect)

    def test_new_partner_statuses(self):
        self.assertEqual(self.customer.crm_status_id, self.prospect)
        self.assertFalse(self.contact.crm_status_id)
        vendor = self.env["res.partner"].create({"name": "Nur Lieferant", "supplier_rank": 1})
        self.assertFalse(vendor.crm_status_id, "only customers get a status")
        from_app = (
            self.env["res.partner"].with_context(res_partner_search_mode="customer").create({"name": "Aus der App"})
        )
        self.assertEqual(from_app.crm_status_id, self.prospect)
        given = self.env["res.partner"].create(
            {"name": "Angebot", "customer_rank": 1, "crm_status_id": self.quote_sent.id}
        )
        self.assertEqual(given.crm_status_id, self.quote_sent)

    def test_wrong_kind_refused(self):
        with self.assertRaisesRegex(ValidationError, "has none yet"), self.env.cr.savepoint():
            self.customer.with_user(self.crm_manager).crm_status_id = self.key_account
        self.assertEqual(self.customer.crm_status_id, self.prospect)
        self.customer.with_user(self.crm_manager).crm_status_id = self.quote_sent
        self.assertEqual(self.customer.crm_status_id, self.quote_sent)
        self._create_invoice(self.customer, post=True)
        self.assertEqual(self.customer.crm_status_id, self.customer_status, "the number moves it to Customer")
        with self.assertRaisesRegex(ValidationError, "status for prospects"), self.env.cr.savepoint():
            self.customer.with_user(self.crm_manager).crm_status_id = self.prospect
        self.assertEqual(self.customer.crm_status_id, self.customer_status)
        self.customer.with_user(self.crm_manager).crm_status_id = self.dormant
        self.assertEqual(self.customer.crm_status_id, self.dormant)

    def test_customer_kind_status_kept_on_numbering(self):
        """A customer whose status was set by SQL (backfill, import) keeps a customer-kind status."""
        self.env.cr.execute(
            "UPDATE res_partner SET crm_status_id = %s WHERE id = %s", [self.key_account.id, self.customer.id]
        )
        self.customer.invalidate_recordset()
        self.customer.sudo()._customer_crm_assign_debtor_numbers()
        self.assertEqual(self.customer.crm_status_id, self.key_account)

    def test_status_tracked(self):
        partner = self.env["res.partner"].create({"name": "Verfolgt GmbH", "customer_rank": 1})
        self.assertEqual(partner.crm_status_id, self.prospect)
        self.env.flush_all()
        self.env.cr.precommit.run()  # as if the creation was committed
        partner.with_user(self.crm_manager).crm_status_id = self.quote_sent
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking is written when the transaction commits
        tracking = partner.message_ids.sudo().tracking_value_ids.filtered(lambda t: t.field_id.name == "crm_status_id")
        self.assertEqual(tracking.mapped("new_value_char"), ["Quote sent"], partner.message_ids.mapped("body"))

    def test_numbering_logged(self):
        self._create_invoice(self.customer, post=True)
        bodies = " ".join(self.customer.message_ids.mapped("body"))
        self.assertIn("status changed from Prospect to Customer", bodies)

    def test_kanban_groups(self):
        Partner = self.env["res.partner"]
        scope = Partner._customer_crm_scope_domain()
        groups = Partner.read_group([*scope, ("debtor_number", "!=", False)], ["crm_status_id"], ["crm_status_id"])
        statuses = [g["crm_status_id"][0] for g in groups]
        self.assertEqual(statuses, (self.customer_status | self.key_account | self.dormant).ids)
        self.assertEqual({g["crm_status_id"][0]: g["__fold"] for g in groups}[self.dormant.id], True)
        groups = Partner.read_group([*scope, ("debtor_number", "=", False)], ["crm_status_id"], ["crm_status_id"])
        self.assertEqual([g["crm_status_id"][0] for g in groups], (self.prospect | self.quote_sent).ids)
        groups = Partner.read_group(scope, ["crm_status_id"], ["crm_status_id"])
        self.assertGreaterEqual(len(groups), 5, "all statuses without a number filter")

    def test_search_by_status(self):
        self.customer.crm_status_id = self.quote_sent
        found = self.env["res.partner"].search([("crm_status_id", "ilike", "Quote sent")])
        self.assertIn(self.customer, found)
        arch = self.env["res.partner"].get_views([(False, "search")])["views"]["search"]["arch"]
        self.assertIn('name="crm_status_id"', arch, "a status search field names the status in the facet")
        self.assertIn("group_by_crm_status", arch)

    def test_backfill(self):
        numbered = self.env["res.partner"].create({"name": "Alt mit Nummer", "customer_rank": 1})
        numbered.sudo()._customer_crm_assign_debtor_numbers()
        self.env.cr.execute(
            "UPDATE res_partner SET crm_status_id = NULL WHERE id IN %s",
            [(numbered.id, self.customer.id, self.contact.id)],
        )
        self.env["res.partner"]._customer_crm_backfill_statuses()
        self.assertEqual(numbered.crm_status_id, self.customer_status)
        self.assertEqual(self.customer.crm_status_id, self.prospect)
        self.assertFalse(self.contact.crm_status_id)

    def test_install_backfill(self):
        """The install's one UPDATE of the partners (post_init_hook): status,
        short name with its initial, and last activity of partners from
        before the install; on a large table without its plain indexes,
        which are built again as they were."""
        self._check_install_backfill(rewrite=False)

    def test_install_backfill_rewrite(self):
        """On a large table the same values come from a rewrite of the table,
        which leaves no old row versions behind: every page of the table
        holds current rows (an UPDATE of every row would leave the table
        twice its size)."""
        self._check_install_backfill(rewrite=True)
        self.assertTableCompact("res_partner")

    def test_install_backfill_rewrite_refused(self):
        """Where PostgreSQL refuses the rewrite (a view reads one of the
        columns), the same values are set by an UPDATE."""
        self.env.cr.execute("CREATE VIEW customer_crm_test_short_names AS SELECT short_name FROM res_partner")
        with patch.object(install._logger, "info") as info:
            self._check_install_backfill(rewrite=True)
        self.assertIn("rewritten by an UPDATE instead", " ".join(str(call.args[0]) for call in info.call_args_list))

    def _check_install_backfill(self, rewrite):
        numbered = self.Partner.create({"name": "Öko Alt mit Nummer", "customer_rank": 1})
        numbered.sudo()._customer_crm_assign_debtor_numbers()
        note = numbered.message_post(body="Angebot besprochen", message_type="comment", subtype_xmlid="mail.mt_note")
        kept = self.Partner.create({"name": "Kurz und Gut GmbH", "short_name": "KuG", "customer_rank": 1})
        partners = numbered | self.customer | self.contact | kept
        untouched = self.Partner.create(
            {"name": "Bleibt So AG", "short_name": "BSA", "customer_rank": 1, "crm_status_id": self.quote_sent.id}
        )
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE res_partner SET crm_status_id = NULL, last_activity_date = NULL, last_activity_message_id = NULL,
                                      short_name = CASE WHEN id = %(kept)s THEN short_name END,
                                      name_initial = CASE WHEN id = %(kept)s THEN name_initial END
                WHERE id IN %(ids)s""",
            {"kept": kept.id, "ids": tuple(partners.ids)},
        )
        indexes = "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'res_partner' ORDER BY 1"
        self.env.cr.execute(indexes)
        before = self.env.cr.fetchall()
        with indexes_built_after(self.env.cr, "res_partner", min_rows=0) as large:
            self.assertTrue(large)
            self.env.cr.execute(indexes)
            self.assertLess(len(self.env.cr.fetchall()), len(before), "the plain indexes are dropped meanwhile")
            self.Partner._customer_crm_backfill_statuses(install=True, rewrite=rewrite)
        self.env.cr.execute(indexes)
        self.assertEqual(self.env.cr.fetchall(), before)
        self.env.invalidate_all()
        self.assertEqual(numbered.crm_status_id, self.customer_status)
        self.assertEqual((numbered.short_name, numbered.name_initial), ("Öko Alt mit Nummer", "O"))
        self.assertEqual(numbered.last_activity_message_id, note)
        self.assertEqual(numbered.last_activity_date, note.date)
        self.assertEqual(self.customer.crm_status_id, self.prospect)
        self.assertFalse(self.contact.crm_status_id)
        self.assertEqual(self.contact.short_name, self.contact.name)
        self.assertEqual((kept.short_name, kept.name_initial), ("KuG", "K"), "a short name given is kept")
        # a partner that needs nothing keeps what it has (the rewrite computes every row)
        self.assertEqual((untouched.crm_status_id, untouched.short_name), (self.quote_sent, "BSA"))

    def test_access(self):
        self.assertTrue(self.Status.with_user(self.crm_user).search([]))
        with self.assertRaises(AccessError):
            self.Status.with_user(self.crm_user).create({"name": "Neu", "kind": "prospect"})
        with self.assertRaises(AccessError):
            self.quote_sent.with_user(self.crm_user).write({"name": "Anders"})
        status = self.Status.with_user(self.crm_manager).create({"name": "Neu", "kind": "prospect"})
        self.assertEqual(status.kind, "prospect")
        with self.assertRaises(AccessError):
            self.Status.with_user(self.portal_user).search([])

    def test_statuses_menu_for_managers(self):
        menu = self.env.ref("customer_crm.customer_status_menu")
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.crm_manager)._visible_menu_ids())
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(self.crm_user)._visible_menu_ids())


@tagged("post_install", "-at_install")
class TestCustomerStatusPaths(StatusCase):
    """Every way a partner becomes a customer gives it a status of the kind its number says."""

    def _web_save(self, vals, user=None, **ctx):
        """Save a new customer as the web client does from the Customers app:
        ``web_save`` with every field of the form, an empty status as False."""
        Partner = self.Partner.with_user(user or self.crm_manager).with_context(
            res_partner_search_mode="customer", default_is_company=True, **ctx
        )
        values = {"name": "Formkunde GmbH", "is_company": True, "crm_status_id": False, "category_id": [], **vals}
        [record] = Partner.web_save(values, {"crm_status_id": {"fields": {"display_name": {}}}})
        return self.Partner.browse(record["id"]), record

    def _prospects(self):
        """What the Prospects menu lists (its domain and default filter)."""
        return self.Partner.search([*self.Partner._customer_crm_scope_domain(), ("debtor_number", "=", False)])

    def test_form_without_status_gets_the_default(self):
        partner, record = self._web_save({})
        self.assertEqual(partner.crm_status_id, self.prospect)
        self.assertEqual(record["crm_status_id"]["display_name"], "Prospect", "the form shows it after saving")
        self.assertIn(partner, self._prospects())

    def test_form_with_a_status_keeps_it(self):
        partner, __ = self._web_save({"crm_status_id": self.quote_sent.id})
        self.assertEqual(partner.crm_status_id, self.quote_sent)

    def test_sales_create_and_edit(self):
        """Sales, customer field, "Create and edit..." opens the form in customer mode."""
        partner, __ = self._web_save({"name": "Aus dem Angebot"}, user=self.crm_manager, show_address=1)
        self.assertEqual(partner.crm_status_id, self.prospect)

    def test_template_status(self):
        template = self.Partner.create(
            {"name": "Vorlage Angebot", "is_template_customer": True, "crm_status_id": self.quote_sent.id}
        )
        partner, __ = self._web_save({"template_customer_id": template.id})
        self.assertEqual(partner.crm_status_id, self.quote_sent, "New from Template: the template's status")
        self.env.company.default_template_customer_id = template
        partner, __ = self._web_save({"name": "Mit Standardvorlage"})
        self.assertEqual(partner.crm_status_id, self.quote_sent, "the default template's status")

    def test_template_without_status(self):
        template = self.Partner.create({"name": "Vorlage ohne Status", "is_template_customer": True})
        partner, __ = self._web_save({"template_customer_id": template.id})
        self.assertEqual(partner.crm_status_id, self.prospect)
        self.env.company.default_template_customer_id = template
        partner, __ = self._web_save({"name": "Mit Standardvorlage"})
        self.assertEqual(partner.crm_status_id, self.prospect)

    def test_first_quotation_makes_a_prospect(self):
        partner = self.Partner.create({"name": "API-Partner"})
        self.assertFalse(partner.crm_status_id)
        self._create_order(partner)
        self.assertEqual(partner.customer_rank, 1)
        self.assertEqual(partner.crm_status_id, self.prospect)
        self.assertIn(partner, self._prospects())

    def test_imported_partner_with_first_invoice(self):
        result = self.Partner.load(["name", "is_company"], [["Importkunde AG", "1"]])
        partner = self.Partner.browse(result["ids"])
        self.assertFalse(partner.crm_status_id)
        self._create_invoice(partner)
        self.assertEqual(partner.crm_status_id, self.prospect, "a draft invoice: a prospect")
        self.assertIn(partner, self._prospects())
        self._create_invoice(partner, post=True)
        self.assertTrue(partner.debtor_number)
        self.assertEqual(partner.crm_status_id, self.customer_status)

    def test_numbered_on_creation_gets_a_customer_status(self):
        self.company.debtor_number_trigger = "invoice_created"
        partner = self.Partner.create({"name": "Sofort-Nummer"})
        self._create_invoice(partner)
        self.assertTrue(partner.debtor_number)
        self.assertEqual(partner.crm_status_id, self.customer_status)

    def test_vendor_bill_makes_no_customer(self):
        partner = self.Partner.create({"name": "Lieferant"})
        self._create_invoice(partner, move_type="in_invoice", invoice_date="2026-01-01")
        self.assertFalse(partner.crm_status_id)
        self.assertFalse(partner.customer_rank)

    def test_duplicate_is_a_prospect(self):
        self._create_invoice(self.customer, post=True)
        self.customer.crm_status_id = self.key_account
        copy = self.customer.copy()
        self.assertFalse(copy.debtor_number)
        self.assertEqual(copy.crm_status_id, self.prospect)
        self.assertIn(copy, self._prospects())
        contact_copy = self.contact.copy()
        self.assertFalse(contact_copy.crm_status_id, "contact persons have no status")

    def test_merged_customer_status_fits_its_number(self):
        numbered = self.Partner.create({"name": "Nummer GmbH", "customer_rank": 1})
        numbered.sudo()._customer_crm_assign_debtor_numbers()
        self.env.cr.execute("UPDATE res_partner SET crm_status_id = NULL WHERE id = %s", [numbered.id])
        numbered.invalidate_recordset()
        prospect = self.Partner.create({"name": "Nummer GmbH (alt)", "customer_rank": 1})
        prospect.crm_status_id = self.quote_sent
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge((numbered | prospect).ids, numbered)
        self.assertFalse(prospect.exists())
        self.assertEqual(numbered.crm_status_id, self.customer_status, "a customer status for a numbered customer")

    def test_merged_prospects_keep_a_prospect_status(self):
        first = self.Partner.create({"name": "Doppelt", "customer_rank": 1})
        second = self.Partner.create({"name": "Doppelt", "customer_rank": 1, "crm_status_id": self.quote_sent.id})
        self.env.cr.execute("UPDATE res_partner SET crm_status_id = NULL WHERE id = %s", [first.id])
        first.invalidate_recordset()
        self.env["base.partner.merge.automatic.wizard"].create({})._merge((first | second).ids, first)
        self.assertEqual(first.crm_status_id, self.quote_sent)
