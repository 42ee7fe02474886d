"""Bad input at the entry points of the customer file.

A matrix of wrong types, unknown references, out-of-range values, over-long
strings and HTML/script in text fields, sent through the ORM (what forms and
JSON-RPC ``create``/``write`` call), through ``load`` (the import of
customers with status, labels, template and discount columns) and through
real JSON-RPC requests.  Each case must end in a clear error or in safe
storage, and a failing call must write nothing, not even its good rows.

A bad value counts as refused only when the user gets a clear message: a
business error (UserError, ValidationError, AccessError), Odoo's own import
messages, or the violation of one of the addon's own named SQL constraints
(whose message Odoo shows).  Values of the wrong type or unknown ids, which no
form sends, are refused by the ORM itself: those checks name the exact error
of the field, so that a crash anywhere else fails them.
"""

import json
import re
from contextlib import contextmanager

import psycopg2

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import CustomerCrmCase

LONG = "Ü" * 5000
SCRIPT = '<script>alert("x")</script>'
REFUSED = (UserError, ValidationError, AccessError)
# what a JSON-RPC client may get for bad input: a message, not a crash
CLEAR_ERRORS = ("odoo.exceptions.ValidationError", "odoo.exceptions.UserError", "odoo.exceptions.MissingError")


@tagged("post_install", "-at_install")
class TestBadInputOrm(CustomerCrmCase):
    """create/write as forms and JSON-RPC call them."""

    @contextmanager
    def _refused(self, exceptions=REFUSED, orm_error=None):
        """The block is refused with a clear message (one of ``exceptions``, or
        the violation of one of the addon's named SQL constraints), or, with
        ``orm_error`` = (exception class, message pattern), with exactly that
        error of the ORM; what it did is rolled back."""
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                yield
                self.env.flush_all()
        except exceptions:
            return
        except (psycopg2.Error, ValueError) as exc:
            own = isinstance(exc, psycopg2.IntegrityError) and exc.diag.constraint_name in self._own_constraints()
            if not (own or self._is_orm_error(exc, orm_error)):
                raise
            return
        finally:
            self.env.invalidate_all()
        self.fail("the bad value was accepted")

    def _own_constraints(self):
        """Names of the SQL constraints customer_crm declares."""
        constraints = self.env["ir.model.constraint"].search([("module.name", "=", "customer_crm"), ("type", "=", "u")])
        return set(constraints.mapped("name"))

    @staticmethod
    def _is_orm_error(exc, orm_error):
        return bool(orm_error) and isinstance(exc, orm_error[0]) and bool(re.search(orm_error[1], str(exc)))

    def _assert_refused(self, vals, name, orm_error=None):
        """Creating a customer with ``vals`` fails and leaves nothing behind."""
        Partner = self.env["res.partner"]
        with self._refused(orm_error=orm_error):
            Partner.create([{"name": f"{name} ok", "is_company": True}, {"name": name, "is_company": True, **vals}])
            self.env.flush_all()
        self.env.invalidate_all()
        self.assertFalse(Partner.search([("name", "in", [name, f"{name} ok"])]), "a refused batch wrote nothing")

    @staticmethod
    def _wrong_value(field, value):
        """The ORM's refusal of ``value``, of the wrong type for ``field``:
        its conversion error, or the database's for a Many2one (which the ORM
        passes on unconverted)."""
        return (
            (ValueError, psycopg2.errors.InvalidTextRepresentation),
            rf"Wrong value for res\.partner\.{field}: |invalid literal for int\(\) with base 10: '{value}'|"
            rf"could not convert string to float: '{value}'|invalid input syntax for type integer: \"{value}\"",
        )

    def _assert_wrong_type(self, field, value, name):
        self._assert_refused({field: value}, name, self._wrong_value(field, value))

    @staticmethod
    def _unknown_id(field):
        """The database's refusal of an unknown id in ``field`` (a JSON-RPC
        client gets it as a ValidationError)."""
        return psycopg2.errors.ForeignKeyViolation, rf'"res_partner(_res_partner_category_rel)?_{field}_fkey"'

    def test_wrong_types(self):
        self._assert_wrong_type("category_id", "VIP", "Falscher Typ Labels")
        self._assert_wrong_type("customer_rank", "viele", "Falscher Typ Rang")
        self._assert_wrong_type("parent_id", "Mutter GmbH", "Falscher Typ Firma")

    def test_unknown_references(self):
        self._assert_refused(
            {"category_id": [(6, 0, [987654321])]}, "Unbekanntes Label", self._unknown_id("category_id")
        )
        self._assert_refused({"parent_id": 987654321}, "Unbekannte Firma", self._unknown_id("parent_id"))
        self._assert_refused({"user_id": 987654321}, "Unbekannter Verkäufer", self._unknown_id("user_id"))
        # (company-dependent fields such as property_payment_term_id are jsonb
        # in Odoo 18 and take unknown ids without complaint: core behaviour)

    def test_unknown_status(self):
        self._assert_refused({"crm_status_id": 987654321}, "Unbekannter Status", self._unknown_id("crm_status_id"))
        self._assert_wrong_type("crm_status_id", "Neu", "Status als Text")

    def test_discount_out_of_range(self):
        for value in (-5.0, 100.5, 1e9):
            self._assert_refused({"default_discount": value}, f"Rabatt {value}")
        self._assert_wrong_type("default_discount", "zehn", "Rabatt als Text")
        partner = self.env["res.partner"].create({"name": "Rabatt ok", "default_discount": 12.5})
        self.assertEqual(partner.default_discount, 12.5)
        with self._refused((ValidationError, UserError)):
            partner.write({"default_discount": 101})
        self.assertEqual(partner.default_discount, 12.5, "a refused write changes nothing")

    def test_documents_without_customer(self):
        """A form saved before the customer is chosen sends partner_id False
        (Odoo's own invoice tests do): no SQL error, no labels."""
        move = self.env["account.move"].create({"move_type": "out_invoice", "partner_id": False})
        order = self.env["sale.order"].with_context(default_partner_id=False).create({"partner_id": self.customer.id})
        self.assertFalse(move.partner_id)
        self.assertEqual(order.partner_id, self.customer)

    def test_order_customer_cleared_then_set(self):
        """sale's partner warning clears the customer in the cache only (Odoo's
        TestSaleOnchanges.test_sale_warnings); nothing may flush that."""
        other = self.env["res.partner"].create({"name": "Neuer Kunde", "is_company": True})
        order = self._create_order(self.customer)
        order.partner_id = False
        order.partner_id = other
        self.env.flush_all()
        self.assertEqual(order.partner_id, other)

    def test_over_long_strings_are_stored_whole(self):
        vals = {"name": LONG, "street": LONG, "city": LONG, "email": f"{'a' * 300}@example.com", "short_name": LONG}
        partner = self.env["res.partner"].create(vals)
        self.env.invalidate_all()
        for fname, value in vals.items():
            self.assertEqual(partner[fname], value, f"{fname} is stored whole, not cut")

    def test_script_in_text_fields_is_stored_safely(self):
        partner = self.env["res.partner"].create({"name": SCRIPT, "comment": f"<p>Hinweis</p>{SCRIPT}"})
        self.env.invalidate_all()
        self.assertEqual(partner.name, SCRIPT, "plain text is stored as typed (the client escapes it)")
        self.assertNotIn("<script", partner.comment or "", "HTML is sanitized")
        self.assertIn("Hinweis", partner.comment)
        # every HTML field customer_crm adds to a customer is sanitized too
        html_fields = [
            name
            for name, field in self.env["res.partner"]._fields.items()
            if field.type == "html" and field.store and "customer_crm" in (field._modules or ())
        ]
        if html_fields:
            partner.write(dict.fromkeys(html_fields, f"<p>Text</p>{SCRIPT}<img src=x onerror=alert(1)>"))
            self.env.invalidate_all()
            for fname in html_fields:
                self.assertNotIn("<script", partner[fname] or "", fname)
                self.assertNotIn("onerror", partner[fname] or "", fname)
        message = partner.message_post(body=f"<p>Notiz</p>{SCRIPT}", subtype_xmlid="mail.mt_note")
        self.assertNotIn("<script", message.body)

    def test_debtor_number_guarded(self):
        other = self.env["res.partner"].create({"name": "Zweitkunde", "is_company": True, "customer_rank": 1})
        self.customer.with_user(self.crm_manager).action_assign_debtor_number()
        number = self.customer.debtor_number
        self.assertTrue(number)
        with self._refused():
            other.with_user(self.crm_manager).write({"debtor_number": number})
        with self._refused((UserError, AccessError, ValidationError)):
            other.with_user(self.crm_user).write({"debtor_number": "4711"})
        self.assertFalse(other.debtor_number, "a refused number is not written")

    def test_template_customer_cannot_be_invoiced(self):
        template = self.env["res.partner"].create(
            {"name": "Musterkunde", "is_company": True, "is_template_customer": True}
        )
        with self._refused((UserError, ValidationError)):
            self._create_invoice(template, post=True)
        self.assertFalse(
            self.env["account.move"].search([("partner_id", "=", template.id), ("state", "=", "posted")]),
            "no posted invoice for a template customer",
        )


@tagged("post_install", "-at_install")
class TestBadInputImport(CustomerCrmCase):
    """Import of customers (``load``, what the import dialog runs)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tag_vip = cls.env["res.partner.category"].create({"name": "VIP Import"})

    def _columns(self):
        """Importable columns of the capabilities that are installed."""
        status = self.env["customer_crm.status"].search([], limit=1)
        columns = ["name", "is_company", "category_id", "is_template_customer", "crm_status_id", "default_discount"]
        good = ["Import Gut GmbH", "1", "VIP Import", "0", status.name, "5"]
        return columns, good

    def _assert_import_refused(self, column, value):
        columns, good = self._columns()
        bad = list(good)
        bad[0] = f"Import Schlecht {column}"
        bad[columns.index(column)] = value
        result = self.env["res.partner"].load(columns, [good, bad])
        errors = [m for m in result["messages"] if m["type"] == "error"]
        self.assertTrue(errors, f"{column}={value!r} is refused with a message")
        self.assertTrue(all(m.get("message") for m in errors), "the message says what is wrong")
        self.assertFalse(result["ids"])
        self.assertFalse(
            self.env["res.partner"].search([("name", "in", [good[0], bad[0]])]), "nothing of the file is imported"
        )

    def test_good_file_imports(self):
        columns, good = self._columns()
        result = self.env["res.partner"].load(columns, [good])
        self.assertFalse([m for m in result["messages"] if m["type"] == "error"], result["messages"])
        partner = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(partner.name, "Import Gut GmbH")
        self.assertEqual(partner.category_id, self.tag_vip)

    def test_unknown_label(self):
        self._assert_import_refused("category_id", "Gibt es nicht")

    def test_bad_template_flag(self):
        self._assert_import_refused("is_template_customer", "vielleicht")

    def test_unknown_status(self):
        self._assert_import_refused("crm_status_id", "Unbekannter Status")

    def test_bad_discount(self):
        self._assert_import_refused("default_discount", "zehn")

    def test_discount_out_of_range(self):
        self._assert_import_refused("default_discount", "150")

    def test_script_in_name_is_stored_as_text(self):
        columns, good = self._columns()
        good[0] = SCRIPT
        result = self.env["res.partner"].load(columns, [good])
        self.assertTrue(result["ids"], result["messages"])
        self.assertEqual(self.env["res.partner"].browse(result["ids"]).name, SCRIPT)


@tagged("post_install", "-at_install")
class TestBadInputJsonRpc(HttpCase):
    """Real /jsonrpc requests: a failing call answers with an error and
    rolls back everything it did."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = new_test_user(
            cls.env,
            login="rpc_user",
            groups="base.group_user,base.group_partner_manager,sales_team.group_sale_salesman",
            name="RPC User",
        )

    def _rpc(self, model, method, *args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [self.env.cr.dbname, self.user.id, "rpc_user", model, method, list(args)],
            },
        }
        response = self.url_open("/jsonrpc", data=json.dumps(payload), headers={"Content-Type": "application/json"})
        self.assertEqual(response.status_code, 200)
        return response.json()

    def _assert_error(self, reply, names=CLEAR_ERRORS, text=""):
        """An error answer of one of the types ``names`` that names the
        problem (not a missing right, not a crash)."""
        self.assertIn("error", reply)
        data = reply["error"]["data"]
        self.assertTrue(data["message"])
        self.assertIn(data["name"], names, data["message"])
        self.assertIn(text, data["message"])

    def test_rpc_create_with_bad_row_writes_nothing(self):
        with mute_logger("odoo.http", "odoo.sql_db"):
            reply = self._rpc(
                "res.partner",
                "create",
                [{"name": "RPC Gut GmbH"}, {"name": "RPC Schlecht GmbH", "category_id": [(6, 0, [987654321])]}],
            )
        self._assert_error(reply)
        self.assertFalse(self.env["res.partner"].search([("name", "in", ["RPC Gut GmbH", "RPC Schlecht GmbH"])]))

    def test_rpc_wrong_type(self):
        with mute_logger("odoo.http"):
            reply = self._rpc("res.partner", "create", [{"name": "RPC Typ", "customer_rank": "viele"}])
        # the ORM's own refusal of a value no form sends
        self._assert_error(reply, names=("builtins.ValueError",), text="'viele'")
        self.assertFalse(self.env["res.partner"].search([("name", "=", "RPC Typ")]))

    def test_rpc_script_is_stored_safely(self):
        reply = self._rpc("res.partner", "create", [{"name": SCRIPT, "comment": f"<p>x</p>{SCRIPT}"}])
        self.assertNotIn("error", reply, reply)
        partner = self.env["res.partner"].browse(reply["result"])
        self.assertEqual(partner.name, SCRIPT)
        self.assertNotIn("<script", partner.comment)

    def test_rpc_discount_out_of_range(self):
        with mute_logger("odoo.http"):
            reply = self._rpc("res.partner", "create", [{"name": "RPC Rabatt", "default_discount": 250}])
        self._assert_error(reply)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "RPC Rabatt")]))
