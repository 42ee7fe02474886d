import logging

import psycopg2
from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.modules.db import has_trigram
from odoo.tools import SQL, create_index
from odoo.tools.sql import index_exists

from ..tools.install import module_installing

_logger = logging.getLogger(__name__)

# Names at the same zip are similar from this trigram similarity (0-1) of
# their keys on; pg_trgm's "%" operator (0.3) selects them through the index.
NAME_SIMILARITY = 0.5
# Read by the form only while a customer is typed (see web_read).
DUPLICATE_FIELDS = {"duplicate_partner_ids", "duplicate_warning"}
# Words left out of a name key: legal forms and their parts ("GmbH & Co. KG").
LEGAL_FORMS = (
    "gmbh mbh ggmbh ag kg kgaa ohg gbr ug haftungsbeschraenkt ek ekfm ekfr ev eg se co "
    "ltd limited inc llc plc corp sarl sa srl spa bv nv ab as oy"
).split()
LEGAL_FORMS_RE = "|".join(LEGAL_FORMS)
# Immutable SQL functions of the keys, used both by the indexes and by the
# query, so that the query can use the indexes (made in init).
KEY_FUNCTIONS = {
    "customer_crm_name_key": f"""
        SELECT btrim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
            translate(
                replace(replace(replace(replace(lower($1), 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'ß', 'ss'),
                'áàâãåéèêëíìîïóòôõøúùûçñ', 'aaaaaeeeeiiiiooooouuucn'),
            '[.'']', '', 'g'),
            '[^[:alnum:]]+', ' ', 'g'),
            '\\m({LEGAL_FORMS_RE})\\M', '', 'g'),
            ' +', ' ', 'g'))
    """,
    "customer_crm_vat_key": "SELECT upper(regexp_replace($1, '[^[:alnum:]]', '', 'g'))",
    "customer_crm_zip_key": "SELECT upper(regexp_replace($1, '[^[:alnum:]]', '', 'g'))",
}
# The indexes on each key function (rebuilt when its definition changes).
KEY_INDEXES = {
    "customer_crm_name_key": "res_partner_customer_crm_name_trgm_idx",
    "customer_crm_vat_key": "res_partner_customer_crm_vat_key_idx",
    "customer_crm_zip_key": "res_partner_customer_crm_zip_key_idx",
}


class ResPartner(models.Model):
    """A warning, while a customer is typed, that it probably exists already.

    Other commercial partners with the same VAT ID however written, the same
    e-mail in any case, or a similar name at the same zip (ignoring case,
    legal forms and umlaut spellings; pg_trgm's similarity when the database
    has it, the same name key otherwise).  Contact persons match as their
    company; a customer's own contact persons never do.  One query for the
    whole recordset, backed by the indexes made in ``init``; also for a
    record not saved yet (the form's onchange).
    """

    _inherit = "res.partner"

    duplicate_partner_ids = fields.Many2many(
        "res.partner",
        string="Possible Duplicates",
        compute="_compute_duplicate_partner_ids",
        help="Other customers with the same VAT ID or e-mail, or a similar name at the same zip.",
    )
    duplicate_warning = fields.Html(
        compute="_compute_duplicate_partner_ids",
        sanitize=False,
    )

    # ------------------------------------------------------------------
    # install: key functions and their indexes
    # ------------------------------------------------------------------

    def init(self):
        super().init()
        for name, body in KEY_FUNCTIONS.items():
            self._duplicate_define_key(name, body)
        if module_installing(self.env.cr):
            # the post_init_hook builds the indexes after its backfills: every
            # UPDATE of the partners would otherwise maintain them (the name
            # key's trigram index above all); pg_trgm now, for the matches of
            # the partners the install's own data creates
            self._duplicate_ensure_trigram()
        else:
            self._duplicate_create_indexes()  # pg_trgm included

    def _duplicate_create_indexes(self):
        """The indexes of the key functions, the e-mail and the names
        (``CREATE INDEX`` only where missing)."""
        cr = self.env.cr
        trigram = self._duplicate_ensure_trigram()
        table = self._table
        commercial = "id = commercial_partner_id"
        create_index(
            cr, "res_partner_customer_crm_vat_key_idx", table, ["customer_crm_vat_key(vat)"], where="vat IS NOT NULL"
        )
        create_index(
            cr,
            "res_partner_customer_crm_email_normalized_idx",
            table,
            ["email_normalized"],
            where="email_normalized IS NOT NULL",
        )
        create_index(
            cr,
            "res_partner_customer_crm_zip_key_idx",
            table,
            ["customer_crm_zip_key(zip)"],
            where=f"zip IS NOT NULL AND {commercial}",
        )
        if trigram:
            create_index(
                cr,
                "res_partner_customer_crm_name_trgm_idx",
                table,
                ["customer_crm_name_key(name) gin_trgm_ops"],
                method="gin",
                where=commercial,
            )

    def _duplicate_define_key(self, name, body):
        """(Re)define a key function; an index on an older definition is
        rebuilt, it would hold keys of the old one."""
        cr = self.env.cr
        cr.execute("SELECT prosrc FROM pg_proc WHERE proname = %s", [name])
        row = cr.fetchone()
        if row and row[0] == body:
            return
        cr.execute(
            SQL(
                "CREATE OR REPLACE FUNCTION %s(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS %s",
                SQL.identifier(name),
                body,
            )
        )
        if row and index_exists(cr, KEY_INDEXES[name]):
            cr.execute(SQL("REINDEX INDEX %s", SQL.identifier(KEY_INDEXES[name])))

    def _duplicate_ensure_trigram(self):
        """Whether pg_trgm is there; creates the extension when the database
        user may (a trusted extension since PostgreSQL 13)."""
        cr = self.env.cr
        if has_trigram(cr):
            return True
        try:
            with cr.savepoint(flush=False):
                cr.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except psycopg2.Error:  # no right to create it: exact name keys instead
            _logger.info("pg_trgm is not available: the duplicate warning compares exact name keys")
            return False
        return has_trigram(cr)

    # ------------------------------------------------------------------
    # compute
    # ------------------------------------------------------------------

    @api.depends("name", "vat", "email", "zip", "parent_id", "is_company")
    def _compute_duplicate_partner_ids(self):
        # only commercial partners have duplicates: contact persons are their
        # company's (base's rule; the form may send no commercial partner yet)
        checked = self.filtered(lambda p: (p.is_company or not p.parent_id) and (p.name or p.vat or p.email))
        found = checked._duplicate_matches() if checked else {}
        for partner in self:
            matches = found.get(partner, {})
            partner.duplicate_partner_ids = [fields.Command.set(list(matches))]
            partner.duplicate_warning = partner._duplicate_warning_html(matches)

    def _duplicate_matches(self):
        """{partner of self: {duplicate id: set of reasons}}, with one query
        over all of self and one search of the duplicates (access rules,
        archived ones left out)."""
        rows = self.env.execute_query(self._duplicate_query())
        records = list(self)
        ids = {row[1] for row in rows}
        visible = set(self.browse().search([("id", "in", list(ids))]).ids) if ids else set()
        found = {}
        for index, duplicate_id, reason in rows:
            if duplicate_id in visible:
                found.setdefault(records[index], {}).setdefault(duplicate_id, set()).add(reason)
        return found

    def _duplicate_query(self):
        """One row (index in self, duplicate commercial partner id, reason)
        per match, the values of each partner taken from the record (it may
        not be saved yet)."""
        self.env["res.partner"].flush_model(["name", "vat", "email_normalized", "zip", "commercial_partner_id"])
        values = {"index": [], "own": [], "name": [], "vat": [], "email": [], "zip": []}
        for index, partner in enumerate(self):
            values["index"].append(index)
            values["own"].append(partner._origin.id or 0)
            values["name"].append(partner.name or None)
            values["vat"].append(partner.vat or None)
            values["email"].append(tools.email_normalize(partner.email or "", strict=False) or None)
            values["zip"].append(partner.zip or None)
        if self.env.registry.has_trigram:
            # pg_trgm's "%" operator (the index's), escaped in a code-only SQL
            trigram_match = SQL("customer_crm_name_key(p.name) %% v.name_key")
            similar = SQL(
                "%s AND similarity(customer_crm_name_key(p.name), v.name_key) >= %s", trigram_match, NAME_SIMILARITY
            )
        else:
            similar = SQL("customer_crm_name_key(p.name) = v.name_key")
        return SQL(
            """
            SELECT v.i, m.id, m.reason
              FROM (SELECT u.i, u.own, customer_crm_name_key(u.name) AS name_key,
                           customer_crm_vat_key(u.vat) AS vat_key, u.email,
                           customer_crm_zip_key(u.zip) AS zip_key
                      FROM unnest(%(index)s::int[], %(own)s::int[], %(name)s::text[], %(vat)s::text[],
                                  %(email)s::text[], %(zip)s::text[]) AS u(i, own, name, vat, email, zip)) v
             CROSS JOIN LATERAL (
                SELECT p.commercial_partner_id AS id, 'vat' AS reason FROM res_partner p
                 WHERE v.vat_key != '' AND p.vat IS NOT NULL AND customer_crm_vat_key(p.vat) = v.vat_key
                 UNION
                SELECT p.commercial_partner_id, 'email' FROM res_partner p
                 WHERE p.email_normalized IS NOT NULL AND p.email_normalized = v.email
                 UNION
                SELECT p.id, 'name' FROM res_partner p
                 WHERE p.id = p.commercial_partner_id AND v.name_key != '' AND v.zip_key != ''
                   AND p.zip IS NOT NULL AND customer_crm_zip_key(p.zip) = v.zip_key AND %(similar)s
             ) m
             WHERE m.id != v.own
             ORDER BY v.i, m.id
            """,
            similar=similar,
            **values,
        )

    def _duplicate_warning_html(self, matches):
        """The banner's list: each duplicate as a link, with why it matched."""
        if not matches:
            return False
        reasons = {
            "vat": self.env._("same VAT ID"),
            "email": self.env._("same e-mail"),
            "name": self.env._("similar name at the same zip"),
        }
        items = Markup()
        for duplicate in self.browse(list(matches)):
            why = ", ".join(reasons[key] for key in ("vat", "email", "name") if key in matches[duplicate.id])
            place = " ".join(filter(None, [duplicate.zip, duplicate.city]))
            items += Markup('<li><a href="/odoo/res.partner/%s" target="_blank">%s</a>%s (%s)</li>') % (
                duplicate.id,
                duplicate.display_name,
                f", {place}" if place else "",
                why,
            )
        return Markup('<ul class="mb-0">%s</ul>') % items

    def web_read(self, specification):
        """The warning is for a customer being typed (the form's onchange):
        the form of a saved customer opens without running the check, its
        queries stay those of the overview (issue 7)."""
        skipped = DUPLICATE_FIELDS & specification.keys()
        if not skipped or not self._ids or not all(isinstance(id_, int) for id_ in self._ids):
            return super().web_read(specification)
        specification = {name: spec for name, spec in specification.items() if name not in skipped}
        result = super().web_read(specification)
        empty = {"duplicate_partner_ids": [], "duplicate_warning": False}
        for values in result:
            values.update({name: empty[name] for name in skipped})
        return result

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------

    def action_merge_duplicates(self):
        """Open Odoo's merge of contacts for this customer and its likely
        duplicates (the form saves a new customer first)."""
        self.ensure_one()
        if not self.env.user.has_group("base.group_partner_manager"):
            raise UserError(self.env._("Only users who may create contacts can merge them."))
        partners = self | self.duplicate_partner_ids
        if len(partners) < 2:
            raise UserError(self.env._("This customer has no likely duplicates to merge."))
        action = self.env["ir.actions.act_window"]._for_xml_id("base.action_partner_merge")
        action["context"] = {"active_model": "res.partner", "active_ids": partners.ids}
        return action
