from collections import Counter, defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

QUOTE_STATES = ("draft", "sent")
LAST_DOCUMENTS = 10
# The overview lists the oldest open items; its heading opens all of them.
OPEN_ITEMS = 100
# What the overview's lists show (and what their rows' names need): read with
# the search; a column added to a list by another module costs one query more.
MOVE_COLUMNS = ("name", "move_type", "state", "payment_state", "company_id", "currency_id", "invoice_date")
MOVE_COLUMNS += ("invoice_date_due", "amount_residual_signed", "amount_total_in_currency_signed")
ORDER_COLUMNS = ("name", "state", "invoice_status", "company_id", "currency_id", "date_order", "validity_date")
ORDER_COLUMNS += ("amount_total",)
# The fields of the overview, as the form reads them (tests, bench).
OVERVIEW_FIELDS = """open_amount overdue_amount invoice_count quotation_count order_count unanswered_quote_count
    overview_open_move_ids overview_quote_ids overview_activity_ids overview_last_quote_ids overview_last_order_ids
    overview_last_invoice_ids overview_contact_ids overview_revenue""".split()
ACCOUNTING = "account.group_account_invoice,account.group_account_readonly"
SALES = "sales_team.group_sale_salesman"


class ResPartner(models.Model):
    """The customer overview: statistics and the work at hand on the form.

    Figures come from grouped reads (``_read_group``; for the invoices a
    grouped query built on the ORM's ``_search``) for the whole recordset;
    the lists are the first rows of one search per customer (``search_fetch``
    with a limit), which reads the rows the form shows in the same query.
    Only the form reads these fields, one customer at a time.  Documents
    belong to the commercial partner and count for the current company only;
    amounts are in the current company's currency.
    """

    _inherit = "res.partner"

    overview_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_overview_currency_id",
    )
    open_amount = fields.Monetary(
        compute="_compute_overview_move_figures",
        currency_field="overview_currency_id",
        groups=ACCOUNTING,
        help="What the posted customer invoices minus credit notes of this customer still owe, "
        "in the company currency.",
    )
    overdue_amount = fields.Monetary(
        compute="_compute_overview_move_figures",
        currency_field="overview_currency_id",
        groups=ACCOUNTING,
        help="Part of the open amount whose due date has passed.",
    )
    invoice_count = fields.Integer(compute="_compute_overview_move_figures", groups=ACCOUNTING)
    quotation_count = fields.Integer(compute="_compute_overview_orders", groups=SALES)
    order_count = fields.Integer(
        string="Orders",
        compute="_compute_overview_orders",
        groups=SALES,
        help="Confirmed sales orders of this customer.",
    )
    unanswered_quote_count = fields.Integer(
        string="Unanswered Quotes",
        compute="_compute_overview_orders",
        groups=SALES,
        help="Quotations sent to the customer, neither confirmed nor cancelled.",
    )
    overview_open_move_ids = fields.Many2many(
        "account.move",
        string="Open Items",
        compute="_compute_overview_move_lists",
        help="The customer's oldest open items (posted, unpaid), overdue first.",
        groups=ACCOUNTING,
    )
    overview_quote_ids = fields.Many2many(
        "sale.order",
        string="Unanswered Quotations",
        compute="_compute_overview_orders",
        groups=SALES,
    )
    overview_activity_ids = fields.Many2many(
        "mail.activity",
        string="To Do",
        compute="_compute_overview_activity_ids",
        groups="base.group_user",
    )
    overview_last_quote_ids = fields.Many2many(
        "sale.order",
        string="Last Quotations",
        compute="_compute_overview_orders",
        groups=SALES,
    )
    overview_last_order_ids = fields.Many2many(
        "sale.order",
        string="Last Orders",
        compute="_compute_overview_orders",
        groups=SALES,
    )
    overview_last_invoice_ids = fields.Many2many(
        "account.move",
        string="Last Invoices",
        compute="_compute_overview_move_lists",
        groups=ACCOUNTING,
    )
    overview_contact_ids = fields.Many2many(
        "res.partner",
        string="Contact Persons",
        compute="_compute_overview_contact_ids",
        groups="base.group_user",
    )
    # salespeople see the chart too: revenue_by_month() reads the invoices
    # with the user's record rules, not the accountants' invoice analysis
    overview_revenue = fields.Json(
        string="Revenue by Month",
        compute="_compute_overview_move_figures",
        groups=f"{ACCOUNTING},{SALES}",
    )

    # ------------------------------------------------------------------
    # domains
    # ------------------------------------------------------------------

    def _overview_move_domain(self):
        return [
            ("commercial_partner_id", "in", self.commercial_partner_id.ids),
            ("move_type", "in", self.env["account.move"].get_sale_types()),
            ("company_id", "=", self.env.company.id),
        ]

    def _overview_open_move_domain(self):
        return [
            *self._overview_move_domain(),
            ("state", "=", "posted"),
            ("amount_residual_signed", "!=", 0),
        ]

    def _overview_order_domain(self):
        return [
            ("partner_id.commercial_partner_id", "in", self.commercial_partner_id.ids),
            ("company_id", "=", self.env.company.id),
        ]

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------

    @api.depends_context("company")
    def _compute_overview_currency_id(self):
        self.overview_currency_id = self.env.company.currency_id

    @api.depends_context("company")
    def _compute_overview_move_figures(self):
        """Open and overdue amounts, invoice count and revenue chart, from
        one grouped read."""
        figures = self._overview_move_figures()
        currency = self.env.company.currency_id
        for partner in self:
            totals = figures[partner.commercial_partner_id.id]
            partner.open_amount = totals["open"]
            partner.overdue_amount = totals["overdue"]
            partner.invoice_count = totals["count"]
            partner.overview_revenue = {
                "months": self._overview_revenue_months(totals["months"]),
                "currency_id": currency.id,
            }

    @api.depends_context("company")
    def _compute_overview_move_lists(self):
        """Open items (overdue first) and last invoices of each customer."""
        open_items = self._overview_latest(
            "account.move", self._overview_open_move_domain(), "invoice_date_due ASC, id ASC", OPEN_ITEMS, MOVE_COLUMNS
        )
        domain = [*self._overview_move_domain(), ("state", "!=", "cancel")]
        last = self._overview_latest("account.move", domain, "invoice_date DESC, id DESC", LAST_DOCUMENTS, MOVE_COLUMNS)
        for partner in self:
            partner.overview_open_move_ids = open_items[partner.commercial_partner_id.id]
            partner.overview_last_invoice_ids = last[partner.commercial_partner_id.id]

    def _overview_latest(self, model, domain, order, limit, columns):
        """dict commercial partner id -> its first ``limit`` records (all:
        None) of ``model`` in ``domain``, in ``order``, in one search: for
        one customer (the form) limited, with the ``columns`` its list shows;
        for several the ids of all their records, split per customer."""
        Model = self.env[model]
        result = defaultdict(Model.browse)
        commercials = self.filtered("id").commercial_partner_id
        if len(commercials) == 1:
            result[commercials.id] = Model.search_fetch(domain, columns, order=order, limit=limit)
            return result
        by_customer = defaultdict(list)
        for record in Model.search(domain, order=order):
            by_customer[
                record.commercial_partner_id.id
                if model == "account.move"
                else record.partner_id.commercial_partner_id.id
            ].append(record.id)
        for commercial_id, ids in by_customer.items():
            result[commercial_id] = Model.browse(ids[:limit])
        return result

    def _overview_move_figures(self):
        """Invoice figures per commercial partner, in one grouped query that
        the index of ``account_move_overview`` answers without the table: by
        state, invoice month and whether the due date has passed (a few rows
        per month invoiced, where grouping by due day gave one per day).

        :return: dict commercial partner id -> {"count": invoices not
            cancelled, "open": what posted ones still owe, "overdue": the
            part of it due before today, "months": {"YYYY-MM": untaxed
            revenue of the posted ones}}
        """
        figures = defaultdict(lambda: {"count": 0, "open": 0.0, "overdue": 0.0, "months": defaultdict(float)})
        partners = self.filtered("id")
        if not partners:
            return figures
        Move = self.env["account.move"]
        # the ORM's query, record rules included; _read_group cannot group by "due before today"
        query = Move._search([*partners._overview_move_domain(), ("state", "!=", "cancel")])

        def column(name):
            return Move._field_to_sql(query.table, name, query)

        query.groupby = SQL("1, 2, 3, 4")
        rows = self.env.execute_query(
            query.select(
                column("commercial_partner_id"),
                column("state"),
                # as a timestamp: date_trunc would take the date as a timestamp with
                # time zone, converted per row (half of the query's time)
                SQL("date_trunc('month', %s::timestamp)::date", column("invoice_date")),
                SQL("%s < %s", column("invoice_date_due"), fields.Date.context_today(self)),
                SQL("COUNT(*)"),
                SQL("SUM(%s)", column("amount_residual_signed")),
                SQL("SUM(%s)", column("amount_untaxed_signed")),
            )
        )
        for commercial_id, state, month, overdue, count, residual, untaxed in rows:
            totals = figures[commercial_id]
            totals["count"] += count
            if state != "posted":
                continue
            totals["open"] += residual
            totals["overdue"] += residual if overdue else 0.0
            if month:
                totals["months"][month.strftime("%Y-%m")] += untaxed
        return figures

    def _overview_revenue_months(self, by_month, months=24):
        """The last ``months`` calendar months (the current one included),
        oldest first, with the amounts of ``by_month`` ({"YYYY-MM": amount})."""
        currency = self.env.company.currency_id
        months = max(int(months), 1)
        first = fields.Date.context_today(self).replace(day=1) - relativedelta(months=months - 1)
        keys = [(first + relativedelta(months=i)).strftime("%Y-%m") for i in range(months)]
        return [{"month": key, "amount": currency.round(by_month.get(key, 0.0))} for key in keys]

    @api.depends_context("company")
    def _compute_overview_orders(self):
        """Counts (one grouped read) and lists (a search per kind) of orders."""
        self.quotation_count = self.order_count = self.unanswered_quote_count = 0
        self.overview_quote_ids = self.overview_last_quote_ids = self.overview_last_order_ids = False
        partners = self.filtered("id")
        if not partners:
            return
        counts = defaultdict(Counter)
        # a single customer (the form) needs no mapping of contacts to it
        single = partners.commercial_partner_id if len(partners.commercial_partner_id) == 1 else None
        for partner, state, count in self.env["sale.order"]._read_group(
            [*partners._overview_order_domain(), ("state", "in", (*QUOTE_STATES, "sale"))],
            ["partner_id", "state"],
            ["__count"],
        ):
            counts[(single or partner.commercial_partner_id).id][state] += count
        total = sum(counts.values(), Counter())
        SaleOrder = self.env["sale.order"]
        quotes = partners._overview_orders(QUOTE_STATES, total["draft"] + total["sent"])
        orders = partners._overview_orders(("sale",), total["sale"])
        sent = defaultdict(SaleOrder.browse, {k: q.filtered(lambda o: o.state == "sent") for k, q in quotes.items()})
        if any(len(sent[key]) < count["sent"] for key, count in counts.items()):  # older unanswered quotes
            sent = partners._overview_orders(("sent",), total["sent"], limit=None)
        for partner in partners:
            count, key = counts[partner.commercial_partner_id.id], partner.commercial_partner_id.id
            partner.quotation_count = count["draft"] + count["sent"]
            partner.order_count = count["sale"]
            partner.unanswered_quote_count = count["sent"]
            partner.overview_quote_ids = sent[key].sorted(
                lambda o: (not o.validity_date, o.validity_date or date.max, o.id)
            )
            partner.overview_last_quote_ids = quotes[key]
            partner.overview_last_order_ids = orders[key]

    def _overview_orders(self, states, count, limit=LAST_DOCUMENTS):
        """The newest orders of the customers in ``states``; no query when
        the grouped read counted none (``count``)."""
        if not count:
            return defaultdict(self.env["sale.order"].browse)
        domain = [*self._overview_order_domain(), ("state", "in", states)]
        return self._overview_latest("sale.order", domain, "date_order DESC, id DESC", limit, ORDER_COLUMNS)

    @api.model
    def _overview_with_activities(self, query, model):
        """``query`` (of the document model ``model``) narrowed to the
        documents that have activities, in SQL: a customer's 10,000 invoices
        are not all listed for the few activities there are (mail.activity's
        own search would run as a query of its own; its rules apply to the
        search of the activities themselves)."""
        query.add_where(
            SQL(
                "%s IN (SELECT res_id FROM mail_activity WHERE res_model = %s AND active)",
                SQL.identifier(query.table, "id"),
                model,
            )
        )
        return query

    def _compute_overview_activity_ids(self):
        partners = self.filtered("id")
        (self - partners).overview_activity_ids = False
        if not partners:
            return
        Partner = self.env["res.partner"].with_context(active_test=False)
        commercial_ids = partners.commercial_partner_id.ids
        # the customer's own activities, and those of the documents the user may read
        documents = [
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", Partner._search([("commercial_partner_id", "in", commercial_ids)])),
            ]
        ]
        sale_types = self.env["account.move"].get_sale_types()
        for model, domain in (
            ("sale.order", [("partner_id.commercial_partner_id", "in", commercial_ids)]),
            ("account.move", [("commercial_partner_id", "in", commercial_ids), ("move_type", "in", sale_types)]),
        ):
            if self.env[model].has_access("read"):
                query = self._overview_with_activities(self.env[model]._search(domain), model)
                documents.append([("res_model", "=", model), ("res_id", "in", query)])
        activities = self.env["mail.activity"].search(expression.OR(documents), order="date_deadline ASC, id ASC")
        if len(partners.commercial_partner_id) == 1:
            partners.overview_activity_ids = activities
            return
        # Several customers: map each activity back to its customer, one
        # grouped read per document model.
        owner = {}
        for model, group in activities.grouped("res_model").items():
            records = self.env[model].browse(group.mapped("res_id"))
            if model == "sale.order":
                owner.update({(model, r.id): r.partner_id.commercial_partner_id.id for r in records})
            else:  # res.partner, account.move
                owner.update({(model, r.id): r.commercial_partner_id.id for r in records})
        for partner in partners:
            commercial = partner.commercial_partner_id.id
            partner.overview_activity_ids = activities.filtered(
                lambda a, commercial=commercial: owner.get((a.res_model, a.res_id)) == commercial
            )

    def _compute_overview_contact_ids(self):
        # The form reads child_ids anyway (contact persons' kanban): the
        # active children, in the partners' order (by complete name, that is
        # by name under the same company), fetched for the whole batch in
        # one query; the contact persons among them cost no extra search.
        for partner in self:
            partner.overview_contact_ids = partner.child_ids.filtered(lambda child: child.type == "contact")

    # ------------------------------------------------------------------
    # business methods
    # ------------------------------------------------------------------

    def revenue_by_month(self, months=24):
        """Untaxed revenue of the customer per month, in company currency.

        Posted customer invoices minus credit notes of the commercial
        partner, for the current company, over the last ``months`` calendar
        months (the current one included).

        :return: list of ``{"month": "YYYY-MM", "amount": float}``, oldest first
        """
        self.ensure_one()
        by_month = self._overview_move_figures()[self.commercial_partner_id.id]["months"]
        return self._overview_revenue_months(by_month, months)

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------

    def _overview_context(self):
        return {"default_partner_id": self.id}

    def action_overview_quotations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_quotations_with_onboarding")
        action.update(
            domain=[*self._overview_order_domain(), ("state", "in", QUOTE_STATES)],
            context=self._overview_context(),
        )
        return action

    def action_overview_unanswered_quotations(self):
        action = self.action_overview_quotations()
        action["domain"] = [*self._overview_order_domain(), ("state", "=", "sent")]
        action["name"] = action["display_name"] = self.env._("Unanswered Quotations")
        return action

    def action_overview_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action.update(
            domain=[*self._overview_order_domain(), ("state", "=", "sale")],
            context=self._overview_context(),
        )
        return action

    def action_overview_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        action.update(
            domain=self._overview_move_domain(),
            context={**self._overview_context(), "default_move_type": "out_invoice"},
        )
        return action

    def action_overview_open_items(self):
        action = self.action_overview_invoices()
        action["name"] = action["display_name"] = self.env._("Open Items")
        action["domain"] = self._overview_open_move_domain()
        return action

    def action_overview_overdue_items(self):
        action = self.action_overview_invoices()
        action["name"] = action["display_name"] = self.env._("Overdue Items")
        action["domain"] = [
            *self._overview_open_move_domain(),
            ("invoice_date_due", "<", fields.Date.context_today(self)),
        ]
        return action

    def action_overview_activities(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("To Do"),
            "res_model": "mail.activity",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", self.overview_activity_ids.ids)],
            "context": {"create": False},
        }

    def action_overview_revenue(self, month=None):
        """The invoices and credit notes behind the revenue chart: posted,
        by month; those of ``month`` ("YYYY-MM", a bar of the chart) only."""
        action = self.action_overview_invoices()
        domain = [*self._overview_move_domain(), ("state", "=", "posted")]
        if month:
            first = fields.Date.to_date(f"{month}-01")
            domain += [("invoice_date", ">=", first), ("invoice_date", "<", first + relativedelta(months=1))]
        else:
            action["context"] = {**action["context"], "group_by": ["invoice_date:month"]}
        action["name"] = action["display_name"] = self.env._("Revenue by Month")
        action["domain"] = domain
        return action

    def _overview_form_action(self, name, model, context, view=False, target="current"):
        """A window action opening a new ``model`` record for this customer."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "views": [(view, "form")],
            "target": target,
            "context": context,
        }

    def action_overview_new_quotation(self):
        return self._overview_form_action(self.env._("New Quotation"), "sale.order", self._overview_context())

    def action_overview_new_order(self):
        return self._overview_form_action(self.env._("New Order"), "sale.order", self._overview_context())

    def action_overview_new_invoice(self):
        context = {**self._overview_context(), "default_move_type": "out_invoice"}
        view = self.env.ref("account.view_move_form").id
        return self._overview_form_action(self.env._("New Invoice"), "account.move", context, view)

    def action_overview_new_note(self):
        context = {
            "default_model": self._name,
            "default_res_ids": self.ids,
            "default_composition_mode": "comment",
            "default_subtype_xmlid": "mail.mt_note",
        }
        return self._overview_form_action(self.env._("Log Note"), "mail.compose.message", context, target="new")

    def action_overview_new_activity(self):
        context = {"active_model": self._name, "active_ids": self.ids, "active_id": self.id}
        return self._overview_form_action(
            self.env._("Schedule Activity"), "mail.activity.schedule", context, target="new"
        )
