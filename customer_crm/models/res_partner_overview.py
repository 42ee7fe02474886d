from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

INVOICE_TYPES = ("out_invoice", "out_refund")
QUOTE_STATES = ("draft", "sent")
LAST_DOCUMENTS = 10
# The overview lists the oldest open items; its heading opens all of them.
OPEN_ITEMS = 100
# The columns of account_move the overview's invoice query reads.
MOVE_COLUMNS = [
    "commercial_partner_id",
    "state",
    "date",
    "invoice_date",
    "invoice_date_due",
    "amount_residual_signed",
    "amount_untaxed_signed",
]
# The fields of the overview, as the form reads them (tests, bench).
OVERVIEW_FIELDS = [
    "open_amount",
    "overdue_amount",
    "invoice_count",
    "quotation_count",
    "order_count",
    "unanswered_quote_count",
    "overview_open_move_ids",
    "overview_quote_ids",
    "overview_activity_ids",
    "overview_last_quote_ids",
    "overview_last_order_ids",
    "overview_last_invoice_ids",
    "overview_contact_ids",
    "overview_revenue",
]


class ResPartner(models.Model):
    """The customer overview: statistics and the work at hand on the form.

    Every figure is computed for the whole recordset with grouped queries
    (``_read_group`` or one windowed SQL query over the ORM's access-checked
    subquery), so that the number of queries does not grow with the number
    of documents or of customers read.  Documents belong to the commercial
    partner and count for the current company only; amounts are in the
    current company's currency.
    """

    _inherit = "res.partner"

    overview_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_overview_currency_id",
    )
    open_amount = fields.Monetary(
        compute="_compute_overview_moves",
        currency_field="overview_currency_id",
        groups="account.group_account_invoice,account.group_account_readonly",
        help="What the posted customer invoices minus credit notes of this customer still owe, "
        "in the company currency.",
    )
    overdue_amount = fields.Monetary(
        compute="_compute_overview_moves",
        currency_field="overview_currency_id",
        groups="account.group_account_invoice,account.group_account_readonly",
        help="Part of the open amount whose due date has passed.",
    )
    invoice_count = fields.Integer(
        compute="_compute_overview_moves",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    quotation_count = fields.Integer(
        compute="_compute_overview_orders",
        groups="sales_team.group_sale_salesman",
    )
    order_count = fields.Integer(
        string="Orders",
        compute="_compute_overview_orders",
        groups="sales_team.group_sale_salesman",
        help="Confirmed sales orders of this customer.",
    )
    unanswered_quote_count = fields.Integer(
        string="Unanswered Quotes",
        compute="_compute_overview_orders",
        groups="sales_team.group_sale_salesman",
        help="Quotations sent to the customer, neither confirmed nor cancelled.",
    )
    overview_open_move_ids = fields.Many2many(
        "account.move",
        string="Open Items",
        compute="_compute_overview_moves",
        help="The customer's oldest open items (posted, unpaid), overdue first.",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    overview_quote_ids = fields.Many2many(
        "sale.order",
        string="Unanswered Quotations",
        compute="_compute_overview_orders",
        groups="sales_team.group_sale_salesman",
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
        groups="sales_team.group_sale_salesman",
    )
    overview_last_order_ids = fields.Many2many(
        "sale.order",
        string="Last Orders",
        compute="_compute_overview_orders",
        groups="sales_team.group_sale_salesman",
    )
    overview_last_invoice_ids = fields.Many2many(
        "account.move",
        string="Last Invoices",
        compute="_compute_overview_moves",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    overview_contact_ids = fields.Many2many(
        "res.partner",
        string="Contact Persons",
        compute="_compute_overview_contact_ids",
        groups="base.group_user",
    )
    overview_revenue = fields.Json(
        string="Revenue by Month",
        compute="_compute_overview_moves",
        groups="account.group_account_invoice,account.group_account_readonly",
    )

    # ------------------------------------------------------------------
    # domains
    # ------------------------------------------------------------------

    def _overview_move_domain(self):
        return [
            ("commercial_partner_id", "in", self.commercial_partner_id.ids),
            ("move_type", "in", INVOICE_TYPES),
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
    def _compute_overview_moves(self):
        """All figures and lists taken from customer invoices, in one query.

        The fields computed here share their access group, so a user who may
        read one of them may read account.move and gets all of them at once.
        """
        partners = self.filtered("id")
        empty = self - partners
        empty.open_amount = empty.overdue_amount = 0.0
        empty.invoice_count = 0
        empty.overview_open_move_ids = empty.overview_last_invoice_ids = False
        empty.overview_revenue = {"months": [], "currency_id": self.env.company.currency_id.id}
        if not partners:
            return
        figures, open_ids, last_ids = partners._overview_move_data()
        partners._overview_prefetch("account.move", [*open_ids.values(), *last_ids.values()])
        currency = self.env.company.currency_id
        for partner in partners:
            commercial = partner.commercial_partner_id.id
            totals = figures.get(commercial, {})
            partner.open_amount = totals.get("open", 0.0)
            partner.overdue_amount = totals.get("overdue", 0.0)
            partner.invoice_count = totals.get("count", 0)
            partner.overview_open_move_ids = [fields.Command.set(open_ids[commercial])]
            partner.overview_last_invoice_ids = [fields.Command.set(last_ids[commercial])]
            partner.overview_revenue = {
                "months": partners._overview_revenue_months(totals.get("months", {})),
                "currency_id": currency.id,
            }

    def _overview_prefetch(self, model, id_lists):
        """Read the first page (LAST_DOCUMENTS rows) of each overview list of
        ``model`` in one query, so that the form's lists of that model read
        their rows from the cache instead of one query per list."""
        ids = {record_id for id_list in id_lists for record_id in id_list[:LAST_DOCUMENTS]}
        if not ids:
            return
        Model = self.env[model]
        columns = [name for name, field in Model._fields.items() if field.store and field.prefetch is True]
        Model.browse(sorted(ids)).fetch(columns)

    def _overview_revenue_keys(self, months=24):
        months = max(int(months), 1)
        first = fields.Date.context_today(self).replace(day=1) - relativedelta(months=months - 1)
        return first, [(first + relativedelta(months=i)).strftime("%Y-%m") for i in range(months)]

    def _overview_revenue_months(self, by_month, months=24):
        currency = self.env.company.currency_id
        _first, keys = self._overview_revenue_keys(months)
        return [{"month": key, "amount": currency.round(by_month.get(key, 0.0))} for key in keys]

    def _overview_move_data(self):
        """Figures and lists of the customer invoices, per commercial partner,
        in one query over the ORM's access-checked query of the invoices
        (read once, then grouped and ranked):

        - open, overdue, invoice count and revenue per month;
        - the open items (oldest due first, at most OPEN_ITEMS);
        - the last LAST_DOCUMENTS invoices (newest first).

        :return: (dict commercial partner id -> {"open", "overdue", "count",
            "months"}, dict -> open item ids, dict -> last invoice ids)
        """
        first, _keys = self._overview_revenue_keys()
        query = self.env["account.move"]._search(self._overview_move_domain())
        # the raw query reads these columns (and the domain's): write pending changes first
        self.env["account.move"].flush_model([*MOVE_COLUMNS, "move_type", "company_id"])
        moves = query.select(SQL.identifier(query.table, "id"), *(SQL.identifier(query.table, c) for c in MOVE_COLUMNS))
        rows = self.env.execute_query(
            SQL(
                """
                WITH t AS MATERIALIZED (%(moves)s)
                SELECT 'figures', t.commercial_partner_id,
                       CASE WHEN t.state = 'posted' AND t.invoice_date >= %(first)s
                            THEN to_char(t.invoice_date, 'YYYY-MM') END,
                       COUNT(*) FILTER (WHERE t.state != 'cancel'),
                       SUM(t.amount_residual_signed) FILTER (WHERE t.state = 'posted'),
                       SUM(t.amount_residual_signed) FILTER (
                           WHERE t.state = 'posted' AND t.invoice_date_due < %(today)s),
                       SUM(t.amount_untaxed_signed) FILTER (WHERE t.state = 'posted')
                  FROM t
                 GROUP BY 2, 3
                 UNION ALL
                SELECT 'open', commercial_partner_id, NULL, id, rank, NULL, NULL
                  FROM (SELECT t.id, t.commercial_partner_id,
                               row_number() OVER (PARTITION BY t.commercial_partner_id
                                                  ORDER BY t.invoice_date_due ASC NULLS LAST, t.id ASC) AS rank
                          FROM t
                         WHERE t.state = 'posted' AND t.amount_residual_signed != 0) open_items
                 WHERE rank <= %(open_limit)s
                 UNION ALL
                SELECT 'last', commercial_partner_id, NULL, id, rank, NULL, NULL
                  FROM (SELECT t.id, t.commercial_partner_id,
                               row_number() OVER (PARTITION BY t.commercial_partner_id
                                                  ORDER BY COALESCE(t.invoice_date, t.date) DESC, t.id DESC) AS rank
                          FROM t
                         WHERE t.state != 'cancel') last_invoices
                 WHERE rank <= %(last_limit)s
                """,
                moves=moves,
                first=first,
                today=fields.Date.context_today(self),
                open_limit=OPEN_ITEMS,
                last_limit=LAST_DOCUMENTS,
            )
        )
        figures = defaultdict(lambda: {"open": 0.0, "overdue": 0.0, "count": 0, "months": {}})
        ranked = {"open": defaultdict(list), "last": defaultdict(list)}
        for kind, commercial_id, month, count_or_id, open_or_rank, overdue, revenue in rows:
            if kind != "figures":
                ranked[kind][commercial_id].append((open_or_rank, count_or_id))
                continue
            totals = figures[commercial_id]
            totals["count"] += count_or_id
            totals["open"] += open_or_rank or 0.0
            totals["overdue"] += overdue or 0.0
            if month:
                totals["months"][month] = revenue or 0.0
        open_ids, last_ids = (
            defaultdict(list, {key: [i for _r, i in sorted(pairs)] for key, pairs in ranked[kind].items()})
            for kind in ("open", "last")
        )
        return figures, open_ids, last_ids

    @api.depends_context("company")
    def _compute_overview_orders(self):
        """All counts and lists taken from sale orders, in one windowed query.

        The fields computed here share their access group (salespeople).
        """
        partners = self.filtered("id")
        empty = self - partners
        empty.quotation_count = empty.order_count = empty.unanswered_quote_count = 0
        empty.overview_quote_ids = empty.overview_last_quote_ids = empty.overview_last_order_ids = False
        if not partners:
            return
        query = self.env["sale.order"]._search(
            [*partners._overview_order_domain(), ("state", "in", (*QUOTE_STATES, "sale"))]
        )
        # the raw query reads these columns: write pending changes first
        self.env["sale.order"].flush_model(["partner_id", "state", "validity_date", "date_order", "company_id"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id, commercial_partner_id, state, validity_date, rank, kind_count
                  FROM (
                        SELECT t.id, p.commercial_partner_id, t.state, t.validity_date,
                               row_number() OVER (
                                   PARTITION BY p.commercial_partner_id, t.state = 'sale'
                                   ORDER BY t.date_order DESC, t.id DESC) AS rank,
                               COUNT(*) OVER (PARTITION BY p.commercial_partner_id, t.state = 'sale') AS kind_count
                          FROM sale_order t
                          JOIN res_partner p ON p.id = t.partner_id
                         WHERE t.id IN %(query)s
                       ) ranked
                 WHERE rank <= %(limit)s OR state = 'sent'
                """,
                query=query.subselect(),
                limit=LAST_DOCUMENTS,
            )
        )
        quote_count = defaultdict(int)
        order_count = defaultdict(int)
        quotes = defaultdict(list)
        orders = defaultdict(list)
        sent = defaultdict(list)
        for order_id, commercial_id, state, validity, rank, kind_count in rows:
            if state == "sent":
                sent[commercial_id].append((validity is None, validity or fields.Date.today(), order_id))
            if rank > LAST_DOCUMENTS:
                continue
            if state == "sale":
                orders[commercial_id].append((rank, order_id))
                order_count[commercial_id] = kind_count
            else:
                quotes[commercial_id].append((rank, order_id))
                quote_count[commercial_id] = kind_count
        sent_ids = {key: [i for *_k, i in sorted(rows)] for key, rows in sent.items()}
        quote_ids = {key: [i for _r, i in sorted(rows)] for key, rows in quotes.items()}
        order_ids = {key: [i for _r, i in sorted(rows)] for key, rows in orders.items()}
        partners._overview_prefetch("sale.order", [*sent_ids.values(), *quote_ids.values(), *order_ids.values()])
        for partner in partners:
            commercial = partner.commercial_partner_id.id
            partner.quotation_count = quote_count[commercial]
            partner.order_count = order_count[commercial]
            partner.unanswered_quote_count = len(sent[commercial])
            partner.overview_quote_ids = [fields.Command.set(sent_ids.get(commercial, []))]
            partner.overview_last_quote_ids = [fields.Command.set(quote_ids.get(commercial, []))]
            partner.overview_last_order_ids = [fields.Command.set(order_ids.get(commercial, []))]

    def _overview_group_ids(self, records, partner_of):
        """Spread ``records`` over ``self`` by commercial partner, in order."""
        by_partner = defaultdict(list)
        for record in records:
            by_partner[partner_of(record)].append(record.id)
        return by_partner

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
        if self.env["sale.order"].has_access("read"):
            orders = self.env["sale.order"]._search([("partner_id.commercial_partner_id", "in", commercial_ids)])
            documents.append([("res_model", "=", "sale.order"), ("res_id", "in", orders)])
        if self.env["account.move"].has_access("read"):
            moves = self.env["account.move"]._search(
                [("commercial_partner_id", "in", commercial_ids), ("move_type", "in", INVOICE_TYPES)]
            )
            documents.append([("res_model", "=", "account.move"), ("res_id", "in", moves)])
        activities = self.env["mail.activity"].search(expression.OR(documents), order="date_deadline ASC, id ASC")
        if len(partners.commercial_partner_id) == 1:
            partners.overview_activity_ids = activities
            return
        # Several customers: map each activity back to its customer, one
        # grouped read per document model.
        owner = {}
        by_model = defaultdict(list)
        for activity in activities:
            by_model[activity.res_model].append(activity.res_id)
        for model, res_ids in by_model.items():
            records = self.env[model].browse(res_ids)
            if model == "sale.order":
                owner.update({(model, r.id): r.partner_id.commercial_partner_id.id for r in records})
            else:  # res.partner, account.move
                owner.update({(model, r.id): r.commercial_partner_id.id for r in records})
        by_partner = self._overview_group_ids(activities, lambda a: owner.get((a.res_model, a.res_id)))
        for partner in partners:
            partner.overview_activity_ids = [fields.Command.set(by_partner[partner.commercial_partner_id.id])]

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
        return self._revenue_by_month_batch(months)[self.commercial_partner_id.id]

    def _revenue_by_month_batch(self, months=24):
        first, _keys = self._overview_revenue_keys(months)
        amounts = defaultdict(dict)
        partners = self.filtered("id")
        if partners:
            for commercial, month, amount in self.env["account.move"]._read_group(
                [
                    *partners._overview_move_domain(),
                    ("state", "=", "posted"),
                    ("invoice_date", ">=", first),
                ],
                ["commercial_partner_id", "invoice_date:month"],
                ["amount_untaxed_signed:sum"],
            ):
                amounts[commercial.id][month.strftime("%Y-%m")] = amount
        result = defaultdict(lambda: self._overview_revenue_months({}, months))
        for commercial_id, by_month in amounts.items():
            result[commercial_id] = self._overview_revenue_months(by_month, months)
        return result

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

    def action_overview_revenue(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_account_invoice_report_all")
        action.update(
            domain=[
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ("move_type", "in", INVOICE_TYPES),
                ("state", "=", "posted"),
                ("company_id", "=", self.env.company.id),
            ],
            context={
                "group_by": ["invoice_date:month"],
                "graph_measure": "price_subtotal",
            },
        )
        return action

    def action_overview_new_quotation(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Quotation"),
            "res_model": "sale.order",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": self._overview_context(),
        }

    def action_overview_new_order(self):
        action = self.action_overview_new_quotation()
        action["name"] = action["display_name"] = self.env._("New Order")
        return action

    def action_overview_new_invoice(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Invoice"),
            "res_model": "account.move",
            "view_mode": "form",
            "views": [(self.env.ref("account.view_move_form").id, "form")],
            "target": "current",
            "context": {**self._overview_context(), "default_move_type": "out_invoice"},
        }

    def action_overview_new_note(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log Note"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_composition_mode": "comment",
                "default_subtype_xmlid": "mail.mt_note",
            },
        }

    def action_overview_new_activity(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Schedule Activity"),
            "res_model": "mail.activity.schedule",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids, "active_id": self.id},
        }
