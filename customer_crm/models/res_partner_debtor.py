import logging
from collections import Counter

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools.install import set_columns

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "customer_crm.group_customer_crm_manager"
# Up to this many customers numbered at once get a line in their log; bulk
# numbering of more (the wizard on thousands of customers) skips it: one
# mail.message per customer would cost more than the numbering itself.
LOG_LIMIT = 500


class ResPartner(models.Model):
    """Debtor numbers and statuses of customers.

    The debtor number belongs to the commercial partner (the company, or an
    individual without a company); its contact persons show it read-only.
    Numbers are drawn in one place, :meth:`_customer_crm_assign_debtor_numbers`,
    under a row lock of the commercial partners.
    """

    _inherit = "res.partner"

    # no index=True: the UNIQUE constraint's index serves every search by number
    debtor_number = fields.Char(
        copy=False,
        readonly=True,
        tracking=True,
        help="Number of the customer's debtor account, drawn from the company's debtor sequence.",
    )
    commercial_debtor_number = fields.Char(
        string="Company Debtor Number",
        related="commercial_partner_id.debtor_number",
        help="Debtor number of the company this contact belongs to.",
    )
    crm_status_id = fields.Many2one(
        "customer_crm.status",
        string="Status",
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_crm_status_ids",
        groups="base.group_user",
        help="Status of the customer. Customers without a debtor number have a prospect "
        "status, customers with one a customer status.",
    )
    crm_status_kind = fields.Selection(related="crm_status_id.kind", string="Status Kind", groups="base.group_user")
    crm_status_color = fields.Integer(related="crm_status_id.color", string="Status Color", groups="base.group_user")

    _sql_constraints = [
        (
            "debtor_number_unique",
            "UNIQUE(debtor_number)",
            "This debtor number is already used by another customer.",
        ),
    ]

    # ------------------------------------------------------------------
    # Group expand, constraints
    # ------------------------------------------------------------------

    @api.model
    def _read_group_crm_status_ids(self, statuses, domain):
        """Show every active status in the kanban, limited to one kind when the
        search is limited to customers with (or without) a debtor number."""
        kinds = set()
        for leaf in domain:
            if isinstance(leaf, list | tuple) and len(leaf) == 3 and leaf[0] == "debtor_number" and not leaf[2]:
                kinds.add("customer" if leaf[1] == "!=" else "prospect")
        status_domain = [("kind", "=", kinds.pop())] if len(kinds) == 1 else []
        return statuses.search(status_domain) | statuses

    @api.constrains("crm_status_id", "debtor_number")
    def _check_crm_status_kind(self):
        for partner in self:
            status = partner.crm_status_id
            if not status:
                continue
            if partner.debtor_number and status.kind != "customer":
                raise ValidationError(
                    self.env._(
                        "“%(status)s” is a status for prospects, but %(partner)s has a debtor number. "
                        "Choose a customer status.",
                        status=status.name,
                        partner=partner.display_name,
                    )
                )
            if not partner.debtor_number and status.kind != "prospect":
                raise ValidationError(
                    self.env._(
                        "“%(status)s” is a status for customers with a debtor number, but %(partner)s "
                        "has none yet. Choose a prospect status.",
                        status=status.name,
                        partner=partner.display_name,
                    )
                )

    @api.constrains("debtor_number", "parent_id")
    def _check_debtor_number_on_commercial_partner(self):
        for partner in self:
            if partner.debtor_number and partner.parent_id:
                raise ValidationError(
                    self.env._(
                        "The debtor number belongs to the company: set it on %(company)s, "
                        "not on its contact %(contact)s.",
                        company=partner.commercial_partner_id.display_name,
                        contact=partner.name or partner.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def _customer_crm_check_debtor_number_write(self):
        """Only customer file managers (and the module itself, as superuser)
        may set or change debtor numbers."""
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only customer file managers can set or change debtor numbers. "
                    "Debtor numbers are drawn automatically."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("debtor_number") for vals in vals_list):
            self._customer_crm_check_debtor_number_write()
            self._customer_crm_check_new_numbers(
                [vals["debtor_number"] for vals in vals_list if vals.get("debtor_number")]
            )
        is_customer_mode = self.env.context.get("res_partner_search_mode") == "customer"
        defaults = {}
        for vals in vals_list:
            # an empty status (the form sends crm_status_id: False) is no choice
            if (
                vals.get("crm_status_id")
                or vals.get("parent_id")
                or not (
                    vals.get("debtor_number")  # a customer taken over with its number (import)
                    or vals.get("customer_rank")
                    or (is_customer_mode and "customer_rank" not in vals)
                )
            ):
                continue
            kind = "customer" if vals.get("debtor_number") else "prospect"
            company_id = vals.get("company_id") or self.env.company.id
            if (kind, company_id) not in defaults:
                defaults[kind, company_id] = self.env["customer_crm.status"]._customer_crm_default_status(
                    kind, self.env["res.company"].browse(company_id)
                )
            if defaults[kind, company_id]:
                vals["crm_status_id"] = defaults[kind, company_id].id
        partners = super().create(vals_list)
        partners.filtered("debtor_number")._customer_crm_log_created_numbers()
        return partners

    @api.model
    def _customer_crm_check_new_numbers(self, numbers):
        """Refuse debtor numbers given twice or already used, naming them (an
        import reports this per row; the database constraint would not say
        which number)."""
        twice = sorted(number for number, count in Counter(numbers).items() if count > 1)
        if twice:
            raise UserError(self.env._("Debtor number %(numbers)s is given more than once.", numbers=", ".join(twice)))
        # sudo, no active test: numbers are unique across companies and archived customers
        used = self.sudo().with_context(active_test=False).search([("debtor_number", "in", numbers)])
        if used:
            raise UserError(
                self.env._(
                    "Debtor number %(numbers)s is already used by %(partners)s.",
                    numbers=", ".join(used.mapped("debtor_number")),
                    partners=", ".join(used.mapped("display_name")),
                )
            )

    def _customer_crm_log_created_numbers(self):
        """Tell in the log of customers created with their debtor number
        (imported from another system, say) where the number came from."""
        if not self or self.env.context.get("tracking_disable"):
            return
        imported = self.env.context.get("import_file")
        self._message_log_batch(
            {
                partner.id: self.env._("Debtor number %(number)s taken over on import.", number=partner.debtor_number)
                if imported
                else self.env._("Created with debtor number %(number)s.", number=partner.debtor_number)
                for partner in self
            }
        )

    def write(self, vals):
        if "debtor_number" not in vals or all(
            (partner.debtor_number or False) == (vals["debtor_number"] or False) for partner in self
        ):
            # an unchanged number (a merge writes the kept partner's own) needs no rights
            return super().write(self._customer_crm_fit_merged_status(vals))
        self._customer_crm_check_debtor_number_write()
        kind = "customer" if vals["debtor_number"] else "prospect"
        if "crm_status_id" in vals:
            fitted = self._customer_crm_fit_merged_status(vals, kind)
            if fitted is vals:
                return super().write(vals)
            vals = fitted
        # A manager sets or clears a number: move the status to the default
        # status of the new kind where the current one does not fit.
        misfits = self.filtered(lambda p: p.crm_status_id and p.crm_status_id.kind != kind)
        if not misfits:
            return super().write(vals)
        super(ResPartner, self - misfits).write(vals)
        company = self.env.company
        status = self.env["customer_crm.status"]._customer_crm_default_status(kind, company)
        return super(ResPartner, misfits).write(dict(vals, crm_status_id=status.id))

    def _customer_crm_fit_merged_status(self, vals, kind=None):
        """A merge takes a status of the wrong kind from a merged partner:
        leave it out of ``vals`` (the kept partner gets the default instead)."""
        if not (self.env.context.get("customer_crm_status_follows_number") and vals.get("crm_status_id")):
            return vals
        status = self.env["customer_crm.status"].browse(vals["crm_status_id"])
        kinds = {kind} if kind else {"customer" if p.debtor_number else "prospect" for p in self}
        if kinds == {status.kind}:
            return vals
        return {fname: value for fname, value in vals.items() if fname != "crm_status_id"}

    def copy_data(self, default=None):
        """A copy of a customer (Duplicate) is a customer too: customer rank,
        number and status are not copied, so the copy becomes a prospect with
        the default prospect status (see ``create``)."""
        vals_list = super().copy_data(default=default)
        for partner, vals in zip(self, vals_list, strict=True):
            if (
                partner.customer_rank
                and not partner.parent_id
                and not partner.is_template_customer
                and "customer_rank" not in (default or {})
            ):
                vals["customer_rank"] = 1
        return vals_list

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_assign_debtor_number(self):
        """Assign a debtor number to the commercial partners of ``self`` that
        have none yet (managers only)."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only customer file managers can assign debtor numbers."))
        templates = self.commercial_partner_id.filtered("is_template_customer")
        if templates:
            raise UserError(
                self.env._(
                    "%(names)s is a template customer. Template customers never get a debtor number.",
                    names=", ".join(templates.mapped("display_name")),
                )
            )
        # sudo: the caller is a customer file manager (checked above); the
        # numbers are drawn from the company's sequence by the module itself.
        self.sudo()._customer_crm_assign_debtor_numbers(self.env.company)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _customer_crm_assign_debtor_numbers(self, company=None):
        """Draw debtor numbers for the commercial partners of ``self`` that have
        none, in the order of ``self``, from ``company``'s sequence; move their
        prospect statuses to the company's default customer status.

        The one place where numbers are drawn.  Batch: one query locks the
        partners' rows and re-reads their numbers (a concurrent transaction that
        numbered one of them first makes this one fail with a serialization
        error, which Odoo retries; the retry sees the number and does nothing),
        one query draws all numbers from the gap-free sequence, one query writes
        numbers and statuses; each customer gets a line in its log (up to
        ``LOG_LIMIT`` customers at once).  Template customers are skipped.

        Callers run it as superuser (debtor numbers are read-only for users).

        :return: the partners that got a number
        """
        # keep the caller's order (the bulk wizard orders by name or date)
        ordered_ids = list(dict.fromkeys(p.commercial_partner_id.id for p in self))
        partners = self.browse(ordered_ids).filtered(lambda p: not p.debtor_number and not p.is_template_customer)
        if not partners:
            return self.browse()
        company = company or self.env.company
        # only what the SQL below reads and writes: flushing everything would
        # write the posting's pending invoice lines now and again later
        self.flush_model()
        self.env["customer_crm.status"].flush_model()
        current = partners._customer_crm_lock_for_numbers()
        to_number = [pid for pid in partners.ids if pid in current and not current[pid][0] and not current[pid][1]]
        if not to_number:
            self.invalidate_model(["debtor_number", "crm_status_id"])
            return self.browse()
        old_status = {pid: current[pid][2] for pid in to_number}
        numbers, rows = self._customer_crm_write_numbers(company, to_number, old_status)
        new_status = {pid: status_id for pid, status_id, __, __ in rows}
        status_names = {sid: name for __, sid, name, __ in rows if sid}
        status_names.update({old_status[pid]: name for pid, __, __, name in rows if old_status[pid]})
        numbered = self.browse(to_number)
        numbered.invalidate_recordset(["debtor_number", "crm_status_id", "write_date", "write_uid"])
        numbered.modified(["debtor_number", "crm_status_id"])
        if len(numbered) <= LOG_LIMIT:
            numbered._customer_crm_log_numbers(numbers, old_status, new_status, status_names)
        _logger.debug("Drew %s debtor numbers for company %s", len(numbers), company.id)
        return numbered

    def _customer_crm_lock_for_numbers(self):
        """Row-lock the partners ``self`` and re-read what numbering them
        depends on: ``{id: (debtor_number, is_template_customer, status id)}``."""
        self.env.cr.execute(
            SQL(
                "SELECT id, debtor_number, is_template_customer, crm_status_id FROM res_partner"
                " WHERE id IN %s ORDER BY id FOR UPDATE",
                tuple(self.ids),
            ),
            log_exceptions=False,  # a serialization failure here is retried by Odoo
        )
        return {row[0]: row[1:] for row in self.env.cr.fetchall()}

    def _customer_crm_write_numbers(self, company, to_number, old_status):
        """Draw numbers from ``company``'s sequence for the partner ids
        ``to_number`` and write them with their statuses; returns
        ``({id: number}, rows of _customer_crm_number_query)``.

        A number already in use (imported from another system, or set by a
        manager) is not written (see the query); its partner gets the next
        free numbers after it, and the sequence moves past them: no extra
        query while no number is in use."""
        # sudo: sequences are for administrators; the module draws the numbers
        sequence = company._customer_crm_debtor_sequence().sudo()
        drawn = sequence._customer_crm_draw(len(to_number))
        assigned, rows, pending = {}, [], to_number
        while pending:
            pairs = dict(zip(pending, drawn, strict=True))
            values = SQL(", ").join(SQL("(%s, %s, %s::int)", pid, pairs[pid], old_status[pid]) for pid in pending)
            try:
                written = self.env.execute_query(self._customer_crm_number_query(company, values))
            except pg_errors.UniqueViolation as exc:
                raise UserError(
                    self.env._(
                        "Debtor numbers %(first)s to %(last)s are already used by other customers. "
                        "Change the prefix or the next number of the debtor sequence of %(company)s in Settings.",
                        first=drawn[0],
                        last=drawn[-1],
                        company=company.name,
                    )
                ) from exc
            rows += written
            assigned.update({row[0]: pairs[row[0]] for row in written})
            pending = [pid for pid in pending if pid not in assigned]
            if pending and sequence.use_date_range:
                drawn = sequence._customer_crm_draw(len(pending))
            elif pending:
                drawn = sequence._customer_crm_draw_skipping(len(pending), self._table, "debtor_number")
        return assigned, rows

    def _customer_crm_number_query(self, company, values):
        """One UPDATE that writes the numbers ``values`` (``(id, number, old
        status id)`` rows) and moves prospect statuses (or none) to
        ``company``'s default customer status (a company's own default before
        a shared one, as ``_customer_crm_default_status``), under the row locks
        already taken.  Returns ``(id, new status id, its name, old status
        name)`` rows, names in the user's language."""
        lang = self.env.lang or "en_US"

        def name(alias):
            return SQL("coalesce(%s.name->>%s, %s.name->>'en_US')", SQL(alias), lang, SQL(alias))

        return SQL(
            "UPDATE res_partner p SET debtor_number = v.number,"
            " crm_status_id = coalesce("
            "   (SELECT s.id FROM customer_crm_status s WHERE s.id = v.status AND s.kind = 'customer'),"
            "   (SELECT s.id FROM customer_crm_status s WHERE s.kind = 'customer' AND s.is_default AND s.active"
            "     AND (s.company_id = %(company)s OR s.company_id IS NULL)"
            "     ORDER BY s.company_id NULLS LAST, s.sequence, s.id LIMIT 1)),"
            " write_date = now() at time zone 'UTC', write_uid = %(uid)s"
            " FROM (VALUES %(values)s) AS v(id, number, status) WHERE p.id = v.id"
            " AND NOT EXISTS (SELECT 1 FROM res_partner u WHERE u.debtor_number = v.number)"
            " RETURNING p.id, p.crm_status_id,"
            " (SELECT %(new_name)s FROM customer_crm_status n WHERE n.id = p.crm_status_id),"
            " (SELECT %(old_name)s FROM customer_crm_status o WHERE o.id = v.status)",
            company=company.id,
            uid=self.env.uid,
            values=values,
            new_name=name("n"),
            old_name=name("o"),
        )

    def _customer_crm_log_numbers(self, numbers, old_status, new_status, status_names):
        """Tell in each customer's log which number it got and how its status
        changed (``status_names``: ``{status id: name}``).  A batch log, not
        linked through a query: the numbered partners are commercial partners,
        each its own customer."""
        if self.env.context.get("tracking_disable"):
            return
        bodies = {}
        for pid, number in numbers.items():
            old, new = old_status.get(pid), new_status.get(pid)
            if old != new and new:
                bodies[pid] = self.env._(
                    "Debtor number %(number)s assigned; status changed from %(old)s to %(new)s.",
                    number=number,
                    old=status_names.get(old) or self.env._("none"),
                    new=status_names[new],
                )
            else:
                bodies[pid] = self.env._("Debtor number %(number)s assigned.", number=number)
        self.with_context(customer_crm_log_on_commercial_partners=True)._message_log_batch(bodies)

    def _customer_crm_make_customers(self, company):
        """The commercial partners of ``self`` get a quotation, an order or an
        invoice of ``company``: those created through the API or an import (no
        customer rank) become customers, and each gets a status of the kind its
        debtor number says (prospect without, customer with one)."""
        # sudo: the module classifies the customers of the documents a user
        # creates; sales users may not write partners themselves.
        partners = self.commercial_partner_id.sudo().filtered(lambda p: not p.is_template_customer)
        new = partners.filtered(lambda p: not p.customer_rank)
        if new:
            new.write({"customer_rank": 1})
        partners._customer_crm_give_statuses(company)

    def _customer_crm_give_statuses(self, company=None):
        """Give the customers in ``self`` without a status, or with one of the
        wrong kind, the default status of the kind their debtor number says."""
        customers = self.filtered(
            lambda p: not p.parent_id and not p.is_template_customer and (p.customer_rank or p.debtor_number)
        )
        Status = self.env["customer_crm.status"]
        for kind in ("prospect", "customer"):
            misfits = customers.filtered(
                lambda p, k=kind: bool(p.debtor_number) == (k == "customer") and p.crm_status_id.kind != k
            )
            status = misfits and Status._customer_crm_default_status(kind, company)
            if status:
                misfits.write({"crm_status_id": status.id})

    @api.model
    def _customer_crm_backfill_statuses(self, install=False, rewrite=False):
        """Give existing partners a status, in SQL: partners with a number the
        default customer status, other customers the default prospect status.
        With ``install`` (post_init_hook) the same statement sets the last
        activity of every partner with counted messages (mail.message
        ``_crm_activity_query``) and the short name and initial of the
        partners that have none (``_short_name_backfill``): each row is
        written once; with ``rewrite`` (a large table) as a rewrite of the
        table (``customer_crm.tools.install.set_columns``)."""
        status_model = self.env["customer_crm.status"]
        customer = status_model._customer_crm_default_status("customer")
        prospect = status_model._customer_crm_default_status("prospect")
        self.env.flush_all()
        status = SQL(
            """CASE WHEN res_partner.crm_status_id IS NOT NULL OR res_partner.parent_id IS NOT NULL
                    THEN res_partner.crm_status_id
                    WHEN res_partner.debtor_number IS NOT NULL THEN %s::int
                    WHEN res_partner.customer_rank > 0 AND res_partner.is_template_customer IS NOT TRUE
                    THEN %s::int END""",
            customer.id or None,
            prospect.id or None,
        )
        needs_status = SQL("res_partner.crm_status_id IS NULL AND (%s) IS NOT NULL", status)
        if not install:
            set_columns(self.env.cr, "res_partner", {"crm_status_id": status}, needs_status)
        else:
            short_names, without_short_name = self._short_name_backfill()
            with self.env["mail.message"]._crm_last_activity_lookup() as last:
                partner_id = SQL("res_partner.id")
                last_activity = last.or_current(
                    "res_partner", {"last_activity_date": "date", "last_activity_message_id": "id"}, partner_id
                )
                set_columns(
                    self.env.cr,
                    "res_partner",
                    {"crm_status_id": status, **short_names, **last_activity},
                    SQL("(%s OR %s OR %s)", last.contains(partner_id), without_short_name, needs_status),
                    rewrite=rewrite,
                )
        self.invalidate_model(
            ["crm_status_id", "last_activity_date", "last_activity_message_id", "short_name", "name_initial"]
        )
