from datetime import timedelta

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, HttpCase, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CustomerCrmCase


@tagged("post_install", "-at_install")
class TestCustomerResource(CustomerCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["customer_crm.resource"])
        cls.type_domain = cls.env["customer_crm.resource.type"].create(
            {"name": "Webdomain", "icon": "fa-globe", "color": 4}
        )
        cls.resource = cls.env["customer_crm.resource"].create(
            {
                "name": "testkunde.example",
                "partner_id": cls.customer.id,
                "resource_type": cls.type_domain.id,
                "reference": "DOM-1",
                "date_start": cls.today - timedelta(days=300),
                "date_end": cls.today + timedelta(days=65),
            }
        )

    def _create(self, **vals):
        return self.env["customer_crm.resource"].create({"name": "Heizung", "partner_id": self.customer.id, **vals})

    def test_unlimited_resources_per_customer_on_the_form(self):
        self._create(name="Wartungsvertrag")
        self._create(name="Server")
        self.assertEqual(len(self.customer.customer_resource_ids), 3)
        self.assertEqual(self.customer.customer_resource_count, 3)
        action = self.customer.action_open_customer_resources()
        resources = self.env["customer_crm.resource"].search(action["domain"])
        self.assertEqual(resources, self.customer.customer_resource_ids)
        self.assertEqual(self.resource.type_icon, "fa-globe")

    def test_resource_added_in_the_customer_form(self):
        with Form(self.customer) as form, form.customer_resource_ids.new() as line:
            line.name = "Wärmepumpe"
            line.reference = "WP-42"
        self.assertIn("Wärmepumpe", self.customer.customer_resource_ids.mapped("name"))

    def test_end_before_start_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot end"), self.env.cr.savepoint():
            self._create(name="Falsch", date_start=self.today, date_end=self.today - timedelta(days=1))
        self.assertFalse(self.env["customer_crm.resource"].search([("name", "=", "Falsch")]))
        with self.assertRaisesRegex(ValidationError, "cannot end"), self.env.cr.savepoint():
            self.resource.date_end = self.resource.date_start - timedelta(days=1)
        self.resource.invalidate_recordset()
        self.assertEqual(self.resource.date_end, self.today + timedelta(days=65), "nothing was written")
        same_day = self._create(date_start=self.today, date_end=self.today)
        self.assertEqual(same_day.date_end, same_day.date_start)

    def test_expiring_in_30_days_filter(self):
        soon = self._create(name="Bald", date_end=self.today + timedelta(days=10))
        today = self._create(name="Heute", date_end=self.today)
        expired = self._create(name="Abgelaufen", date_end=self.today - timedelta(days=1))
        arch = self.env.ref("customer_crm.customer_resource_view_search").arch
        node = etree.fromstring(arch).xpath("//filter[@name='expiring_30_days']")[0]
        domain = safe_eval(
            node.get("domain"),
            {"context_today": lambda: self.today, "relativedelta": relativedelta},
        )
        found = self.env["customer_crm.resource"].search(domain)
        self.assertIn(soon, found)
        self.assertIn(today, found)
        self.assertNotIn(expired, found)
        self.assertNotIn(self.resource, found, "ends in 65 days")

    def test_changes_tracked_in_chatter(self):
        resource = self._create(name="Vertrag", reference="V-1")
        self.env.flush_all()
        self.env.cr.flush()  # records created in this transaction are not tracked yet
        resource.write({"reference": "V-2", "date_end": self.today + timedelta(days=400)})
        self.env.flush_all()
        self.env.cr.flush()  # tracking values are written on flush
        tracked = self.env["mail.tracking.value"].search(
            [("mail_message_id.model", "=", resource._name), ("mail_message_id.res_id", "=", resource.id)]
        )
        self.assertIn("reference", tracked.field_id.mapped("name"))
        self.assertIn("date_end", tracked.field_id.mapped("name"))

    def test_archive(self):
        self.resource.action_archive()
        self.assertFalse(self.customer.customer_resource_ids)
        self.assertIn(self.resource, self.env["customer_crm.resource"].with_context(active_test=False).search([]))

    def test_access(self):
        resource = (
            self.env["customer_crm.resource"]
            .with_user(self.crm_user)
            .create({"name": "Vom Benutzer", "partner_id": self.customer.id, "resource_type": self.type_domain.id})
        )
        resource.reference = "U-1"
        with self.assertRaises(AccessError):
            self.env["customer_crm.resource.type"].with_user(self.crm_user).create({"name": "Nicht erlaubt"})
        self.env["customer_crm.resource.type"].with_user(self.crm_manager).create({"name": "Vertrag"})
        with self.assertRaises(AccessError):
            self.env["customer_crm.resource"].with_user(self.portal_user).search([])

    def test_multi_company_rule(self):
        other_company = self.env["res.company"].create({"name": "Andere Firma"})
        foreign = self._create(name="Fremd", company_id=other_company.id)
        visible = self.env["customer_crm.resource"].with_user(self.crm_user).search([])
        self.assertIn(self.resource, visible)
        self.assertNotIn(foreign, visible)
        shared = self._create(name="Gemeinsam", company_id=False)
        self.assertIn(shared, self.env["customer_crm.resource"].with_user(self.crm_user).search([]))

    def test_deleted_with_customer(self):
        partner = self.env["res.partner"].create({"name": "Kurzzeitkunde"})
        resource = self._create(partner_id=partner.id)
        partner.unlink()
        self.assertFalse(resource.exists())


@tagged("post_install", "-at_install")
class TestCustomerResourceTour(HttpCase):
    def test_customer_resource_tour(self):
        if not self.env.ref("customer_crm.customer_resource_demo_mueller_domain", raise_if_not_found=False):
            self.skipTest("needs the demo data of customer_crm")
        self.start_tour("/odoo/customer-resources", "customer_crm_resource_tour", login="admin")
