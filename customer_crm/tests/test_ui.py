from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCustomerCrmTours(HttpCase):
    """Tours in headless Chromium (skipped by Odoo when no browser exists)."""

    def test_smoke_tour(self):
        """Open the Customers app, open a demo customer, see its form."""
        if not self.env.ref("customer_crm.res_partner_demo_mueller", raise_if_not_found=False):
            self.skipTest("needs the demo data of customer_crm")
        self.start_tour("/odoo", "customer_crm_smoke_tour", login="admin")
