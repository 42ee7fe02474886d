import json
import string
import unicodedata
from urllib.parse import urlencode

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

from ..tools.install import module_installing, set_columns

INITIALS = [(letter, letter) for letter in string.ascii_uppercase] + [("#", "#")]
# Above this many selected customers the export link carries the list's
# domain instead of the ids (selecting "all" selects the whole domain).
EXPORT_MAX_IDS = 1000


def name_initial(text):
    """First letter of ``text`` for the A-Z filter: accents dropped
    ("Ö" -> "O"), "#" for digits and other characters, False when empty."""
    text = (text or "").strip()
    if not text:
        return False
    letter = unicodedata.normalize("NFKD", text[0])[0].upper()
    return letter if letter in string.ascii_uppercase else "#"


class ResPartner(models.Model):
    """Finding customers: short name, first-letter filter, one search field
    over the customer's names and numbers, CSV export for a mail merge."""

    _inherit = "res.partner"
    # name_search (picking a customer on a quote) also finds short names and
    # debtor numbers; the first five are the ones of base.
    _rec_names_search = ["complete_name", "email", "ref", "vat", "company_registry", "short_name", "debtor_number"]

    short_name = fields.Char(
        index=True,
        help="Short name (Kurzname) the customer is known by; the name when left empty.",
    )
    name_initial = fields.Selection(
        INITIALS,
        string="Initial",
        compute="_compute_name_initial",
        store=True,
        index=True,
        help="First letter of the short name; # for digits and other characters.",
    )
    customer_search = fields.Char(
        string="Customer",
        compute="_compute_customer_search",
        search="_search_customer_search",
        help="Searches name, short name, debtor number, e-mail, phone, city, labels, status and salesperson.",
    )
    mail_merge_contact_id = fields.Many2one(
        "res.partner",
        string="Contact Person",
        compute="_compute_mail_merge_contact",
        groups="base.group_user",
        help="First contact person of a company, for letters and mail merges.",
    )
    mail_merge_salutation = fields.Char(
        string="Salutation",
        compute="_compute_mail_merge_contact",
        groups="base.group_user",
        help="Title of the contact person of a company, or of the person itself.",
    )

    # ------------------------------------------------------------------
    # install: new columns filled with SQL, not by an ORM loop
    # ------------------------------------------------------------------

    def _auto_init(self):
        cr = self.env.cr
        new_short_name = not column_exists(cr, self._table, "short_name")
        new_initial = not column_exists(cr, self._table, "name_initial")
        for name in [name for name, new in (("short_name", new_short_name), ("name_initial", new_initial)) if new]:
            create_column(cr, self._table, name, "varchar")
        if module_installing(cr):
            pass  # the post_init_hook fills both in its one statement on every partner (_short_name_backfill)
        elif new_short_name:  # the name as short name, with its initial
            set_columns(cr, "res_partner", *self._short_name_backfill())
        elif new_initial:
            self._backfill_name_initial()
        return super()._auto_init()

    def _initials_by_first_character(self, source, where=None):
        """``{first character: initial}`` of the distinct first characters of
        ``source`` in the partners matching ``where`` (the compute's rule, in
        Python, once per character), as JSON for SQL's ``->>``."""
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT left(btrim(%s), 1) FROM res_partner WHERE btrim(%s) != '' AND %s",
                source,
                source,
                where or SQL("TRUE"),
            )
        )
        return json.dumps({row[0]: name_initial(row[0]) for row in self.env.cr.fetchall()})

    def _backfill_name_initial(self):
        """Set name_initial of all partners from their short names, in one UPDATE."""
        initials = self._initials_by_first_character(SQL("res_partner.short_name"))
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET name_initial = %s::jsonb ->> left(btrim(res_partner.short_name), 1)"
                " WHERE res_partner.short_name IS NOT NULL",
                initials,
            )
        )

    @api.model
    def _short_name_backfill(self):
        """``(values, condition)`` for ``tools.install.set_columns`` on
        res_partner: the name as short name and its initial, for partners
        that have no short name (those of before the install)."""
        missing = SQL("res_partner.short_name IS NULL AND res_partner.name IS NOT NULL")
        initials = self._initials_by_first_character(SQL("res_partner.name"), missing)
        values = {
            "short_name": SQL("COALESCE(res_partner.short_name, res_partner.name)"),
            "name_initial": SQL(
                """CASE WHEN res_partner.short_name IS NULL THEN %s::jsonb ->> left(btrim(res_partner.name), 1)
                        ELSE res_partner.name_initial END""",
                initials,
            ),
        }
        return values, SQL("(%s)", missing)

    # ------------------------------------------------------------------
    # computes and searches
    # ------------------------------------------------------------------

    @api.depends("short_name")
    def _compute_name_initial(self):
        for partner in self:
            partner.name_initial = name_initial(partner.short_name)

    def _compute_customer_search(self):
        self.customer_search = False

    def _customer_search_fields(self):
        names = [
            "complete_name",
            "short_name",
            "debtor_number",
            "email",
            "phone",
            "mobile",
            "city",
            "category_id",
            "user_id",
            "crm_status_id",  # the status capability adds it
        ]
        return [name for name in names if name in self._fields]

    def _search_customer_search(self, operator, value):
        negative = operator in expression.NEGATIVE_TERM_OPERATORS
        positive_operator = {"not ilike": "ilike", "not like": "like", "!=": "="}.get(operator, operator)
        domain = expression.OR([[(name, positive_operator, value)] for name in self._customer_search_fields()])
        return ["!", *domain] if negative else domain

    def _compute_mail_merge_contact(self):
        partners = self.filtered("id")
        contacts = self.search_fetch(
            [("parent_id", "in", partners.ids), ("type", "=", "contact")], ["parent_id", "title"], order="id"
        )
        first_contact = {}
        for contact in contacts:
            first_contact.setdefault(contact.parent_id.id, contact)
        for partner in self:
            contact = first_contact.get(partner.id, self.browse())
            partner.mail_merge_contact_id = contact
            title = contact.title if partner.is_company else partner.title
            partner.mail_merge_salutation = title.name or False

    # ------------------------------------------------------------------
    # CRUD: the short name defaults from the name
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("short_name") and vals.get("name"):
                vals["short_name"] = vals["name"]
        return super().create(vals_list)

    def write(self, vals):
        follow = self.browse()
        if "name" in vals and "short_name" not in vals:
            # a short name that was the old name (the default) follows the name
            follow = self.filtered(lambda p: not p.short_name or p.short_name == p.name)
        res = super().write(vals)
        if follow and vals.get("name"):
            super(ResPartner, follow).write({"short_name": vals["name"]})
        if "short_name" in vals and not vals["short_name"]:
            for name, partners in self.filtered("name").grouped("name").items():
                super(ResPartner, partners).write({"short_name": name})
        return res

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------

    def action_export_mail_merge(self):
        """Download the selected customers, or the whole filtered list when
        none is selected, as CSV for a mail merge (see the controller)."""
        params = {}
        if self and len(self) <= EXPORT_MAX_IDS:
            params["ids"] = ",".join(str(pid) for pid in self.ids)
        else:
            params["domain"] = json.dumps(self.env.context.get("active_domain") or [("id", "in", self.ids)])
        return {
            "type": "ir.actions.act_url",
            "url": f"/customer_crm/export/mail_merge?{urlencode(params)}",
            "target": "download",
        }
