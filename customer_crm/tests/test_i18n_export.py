import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_open
from odoo.tools.translate import TranslationModuleReader


@tagged("post_install", "-at_install")
class TestTranslationTemplate(TransactionCase):
    """i18n/customer_crm.pot holds exactly the terms Odoo exports for the addon
    (the German translation's completeness is checked by tests/test_i18n.py)."""

    def test_pot_matches_a_fresh_export(self):
        reader = TranslationModuleReader(self.env.cr, modules=["customer_crm"])
        exported = {source for module, _type, _name, _res_id, source, _value, _comments in reader}
        with file_open("customer_crm/i18n/customer_crm.pot") as fh:
            committed = {entry.msgid for entry in polib.pofile(fh.read())}
        self.assertTrue(exported, "the exporter found no term at all")
        self.assertEqual(
            sorted(exported - committed),
            [],
            "terms missing from i18n/customer_crm.pot: run scripts/i18n and translate them in de.po",
        )
        self.assertEqual(
            sorted(committed - exported),
            [],
            "terms of i18n/customer_crm.pot no longer in the code: run scripts/i18n",
        )

    def test_german_translations_load(self):
        """de.po imports into Odoo and translates the menus of the app."""
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"].search([("name", "=", "customer_crm")])._update_translations("de_DE")
        menu = self.env.ref("customer_crm.customer_crm_menu_prospects").with_context(lang="de_DE")
        self.assertEqual(menu.name, "Interessenten")
        field = self.env["ir.model.fields"]._get("res.partner", "debtor_number").with_context(lang="de_DE")
        self.assertEqual(field.field_description, "Debitorennummer")


@tagged("post_install", "-at_install")
class TestAppsDescription(TransactionCase):
    """The Apps menu shows static/description/index.html with its screenshots."""

    def test_description_page_shows_the_screenshots(self):
        module = self.env["ir.module.module"].search([("name", "=", "customer_crm")])
        html = str(module.description_html)
        self.assertIn("Customer File (CRM)", html)
        self.assertIn('src="/customer_crm/static/description/customer_list.png"', html)
        self.assertIn('src="/customer_crm/static/description/customer_form.png"', html)
