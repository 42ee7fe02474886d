from odoo.tests import TransactionCase, new_test_user
from odoo.tools import SQL


class CustomerCrmCase(TransactionCase):
    """Shared fixtures of the customer_crm tests.

    Users of each group, a customer company with a contact person, and a
    product to quote and invoice.  Tracking is off while building them.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.crm_user = new_test_user(
            cls.env,
            login="crm_user",
            groups="base.group_user,sales_team.group_sale_salesman_all_leads,account.group_account_invoice",
            name="CRM User",
        )
        cls.crm_manager = new_test_user(
            cls.env,
            login="crm_manager",
            groups="base.group_user,customer_crm.group_customer_crm_manager,sales_team.group_sale_manager,account.group_account_manager",
            name="CRM Manager",
        )
        cls.portal_user = new_test_user(cls.env, login="crm_portal", groups="base.group_portal", name="Portal User")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Testkunde GmbH",
                "is_company": True,
                "customer_rank": 1,
                "email": "info@testkunde.example",
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Erika Mustermann", "parent_id": cls.customer.id, "email": "erika@testkunde.example"}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Beratung", "type": "service", "list_price": 100.0, "invoice_policy": "order"}
        )
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))

    @classmethod
    def _create_invoice(cls, partner, amount=100.0, move_type="out_invoice", post=False, **vals):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_line_ids": [
                    (0, 0, {"product_id": cls.product.id, "quantity": 1, "price_unit": amount, "tax_ids": []})
                ],
                **vals,
            }
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def _create_order(cls, partner, amount=100.0, **vals):
        return cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    (
                        0,
                        0,
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_id": [],
                        },
                    )
                ],
                **vals,
            }
        )

    def assertTableCompact(self, table):
        """Every page of ``table`` holds current rows: no old row versions
        left behind (as after a rewrite of the table, not an UPDATE)."""
        self.env.cr.execute(
            SQL(
                """SELECT count(DISTINCT (ctid::text::point)[0]),
                          pg_relation_size(%s) / current_setting('block_size')::int
                     FROM %s""",
                table,
                SQL.identifier(table),
            )
        )
        pages_with_rows, pages = self.env.cr.fetchone()
        self.assertEqual(pages_with_rows, pages, f"{table} has pages of old row versions only")
