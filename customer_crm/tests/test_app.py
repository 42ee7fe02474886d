from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import CustomerCrmCase


@tagged("post_install", "-at_install")
class TestCustomersApp(CustomerCrmCase):
    """The Customers app and its access groups."""

    def test_internal_users_are_crm_users(self):
        self.assertTrue(self.crm_user.has_group("customer_crm.group_customer_crm_user"))
        self.assertFalse(self.crm_user.has_group("customer_crm.group_customer_crm_manager"))

    def test_manager_implies_user(self):
        self.assertTrue(self.crm_manager.has_group("customer_crm.group_customer_crm_user"))

    def test_portal_users_are_not_crm_users(self):
        self.assertFalse(self.portal_user.has_group("customer_crm.group_customer_crm_user"))

    def test_menus_by_group(self):
        menus = self.env["ir.ui.menu"]
        root = self.env.ref("customer_crm.customer_crm_menu_root")
        config = self.env.ref("customer_crm.customer_crm_menu_config")
        user_menus = menus.with_user(self.crm_user)._visible_menu_ids()
        manager_menus = menus.with_user(self.crm_manager)._visible_menu_ids()
        self.assertIn(root.id, user_menus)
        # Portal users cannot read menus at all; the app's groups exclude them too.
        self.assertFalse(root.groups_id & self.portal_user.groups_id)
        self.assertNotIn(config.id, user_menus)
        for xmlid in (
            "customer_crm_menu_customers",
            "customer_crm_menu_prospects",
            "customer_crm_menu_all_customers",
            "customer_crm_menu_templates",
        ):
            self.assertIn(self.env.ref(f"customer_crm.{xmlid}").id, user_menus, xmlid)
        # Configuration has entries for managers once capabilities add them.
        if config.child_id:
            self.assertIn(config.id, manager_menus)

    def _action_records(self, xmlid):
        action = self.env.ref(xmlid)
        ctx = safe_eval(action.context or "{}")
        domain = safe_eval(action.domain or "[]")
        return self.env["res.partner"].with_context(**ctx).search(domain)

    def test_prospects_and_all_customers_lists(self):
        prospects = self._action_records("customer_crm.res_partner_action_prospects")
        all_customers = self._action_records("customer_crm.res_partner_action_all_customers")
        self.assertIn(self.customer, all_customers)
        self.assertNotIn(self.contact, all_customers, "contact persons are not customers of their own")
        self.customer.action_archive()
        self.assertIn(self.customer, self._action_records("customer_crm.res_partner_action_all_customers"))
        self.assertNotIn(self.customer, self._action_records("customer_crm.res_partner_action_prospects"))
        self.assertTrue(prospects)
