from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import CustomerCrmCase

# Fields of the customer file that are for internal users only.
INTERNAL_FIELDS = (
    "crm_status_id",
    "crm_status_kind",
    "crm_status_color",
    "default_discount",
    "is_template_customer",
    "template_customer_id",
    "default_quote_text",
    "default_invoice_text",
    "last_activity_date",
    "last_activity_ref",
    "customer_resource_ids",
    "customer_resource_count",
    "mail_merge_contact_id",
    "mail_merge_salutation",
    "overview_activity_ids",
    "overview_contact_ids",
)


class PortalCase(CustomerCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the portal user is a contact person of the customer
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.customer.write({"default_discount": 5.0, "default_quote_text": "<p>Intern</p>"})


@tagged("post_install", "-at_install")
class TestPortalAccess(PortalCase):
    def test_portal_reads_no_internal_field(self):
        customer = self.customer.with_user(self.portal_user)
        self.assertEqual(customer.read(["name"])[0]["name"], "Testkunde GmbH", "the customer itself stays readable")
        for fname in INTERNAL_FIELDS:
            with self.subTest(field=fname), self.assertRaises(AccessError):
                customer.read([fname])
        fields = self.env["res.partner"].with_user(self.portal_user).fields_get()
        self.assertFalse(set(INTERNAL_FIELDS) & set(fields), "nor does it see them in fields_get")

    def test_internal_user_reads_them(self):
        values = self.customer.with_user(self.crm_user).read(list(INTERNAL_FIELDS))[0]
        self.assertEqual(values["default_discount"], 5.0)
        self.assertTrue(values["crm_status_id"])


@tagged("post_install", "-at_install")
class TestPortalPages(HttpCase, PortalCase):
    def test_portal_pages_render(self):
        order = self._create_order(self.customer)
        order.action_quotation_sent()
        invoice = self._create_invoice(self.customer, post=True)
        self.portal_user.password = "crm_portal_pw"
        self.authenticate("crm_portal", "crm_portal_pw")
        urls = (
            "/my",
            "/my/account",
            "/my/quotes",
            "/my/invoices",
            f"/my/orders/{order.id}",
            f"/my/invoices/{invoice.id}",
        )
        for url in urls:
            with self.subTest(url=url):
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("Traceback", response.text)
        # the portal chatter of the quotation loads and takes a message
        token = order._portal_ensure_token()
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "sale.order",
                "thread_id": order.id,
                "post_data": {"body": "Frage vom Kunden", "message_type": "comment"},
                "token": token,
            },
        )
        self.make_jsonrpc_request(
            "/mail/chatter_fetch", {"thread_model": "sale.order", "thread_id": order.id, "token": token}
        )
        message = order.message_ids.filtered(lambda m: "Frage vom Kunden" in m.body)
        self.assertEqual(message.crm_partner_id, self.customer, "the customer's log shows the question")
