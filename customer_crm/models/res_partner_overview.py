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
        compute="_compute_open_amounts",
        currency_field="overview_currency_id",
        groups="account.group_account_invoice,account.group_account_readonly",
        help="What the posted customer invoices minus credit notes of this customer still owe, "
        "in the company currency.",
    )
    overdue_amount = fields.Monetary(
        compute="_compute_open_amounts",
        currency_field="overview_currency_id",
        groups="account.group_account_invoice,account.group_account_readonly",
        help="Part of the open amount whose due date has passed.",
    )
    invoice_count = fields.Integer(
        compute="_compute_invoice_count",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    quotation_count = fields.Integer(
        compute="_compute_overview_counts",
        groups="sales_team.group_sale_salesman",
    )
    unanswered_quote_count = fields.Integer(
        string="Unanswered Quotes",
        compute="_compute_overview_counts",
        groups="sales_team.group_sale_salesman",
        help="Quotations sent to the customer, neither confirmed nor cancelled.",
    )
    overview_open_move_ids = fields.Many2many(
        "account.move",
        string="Open Items",
        compute="_compute_overview_open_move_ids",
        help="The customer's oldest open items (posted, unpaid), overdue first.",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    overview_quote_ids = fields.Many2many(
        "sale.order",
        string="Unanswered Quotations",
        compute="_compute_overview_quote_ids",
        groups="sales_team.group_sale_salesman",
    )
    overview_activity_ids = fields.Many2many(
        "mail.activity",
        string="To Do",
        compute="_compute_overview_activity_ids",
    )
    overview_last_quote_ids = fields.Many2many(
        "sale.order",
        string="Last Quotations",
        compute="_compute_overview_last_orders",
        groups="sales_team.group_sale_salesman",
    )
    overview_last_order_ids = fields.Many2many(
        "sale.order",
        string="Last Orders",
        compute="_compute_overview_last_orders",
        groups="sales_team.group_sale_salesman",
    )
    overview_last_invoice_ids = fields.Many2many(
        "account.move",
        string="Last Invoices",
        compute="_compute_overview_last_invoice_ids",
        groups="account.group_account_invoice,account.group_account_readonly",
    )
    overview_contact_ids = fields.Many2many(
        "res.partner",
        string="Contact Persons",
        compute="_compute_overview_contact_ids",
    )
    overview_revenue = fields.Json(
        string="Revenue by Month",
        compute="_compute_overview_revenue",
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
    def _compute_open_amounts(self):
        partners = self.filtered("id")
        (self - partners).open_amount = 0.0
        (self - partners).overdue_amount = 0.0
        if not partners:
            return
        domain = partners._overview_open_move_domain()
        open_by_partner = dict(
            self.env["account.move"]._read_group(domain, ["commercial_partner_id"], ["amount_residual_signed:sum"])
        )
        today = fields.Date.context_today(self)
        overdue_by_partner = dict(
            self.env["account.move"]._read_group(
                [*domain, ("invoice_date_due", "<", today)],
                ["commercial_partner_id"],
                ["amount_residual_signed:sum"],
            )
        )
        for partner in partners:
            commercial = partner.commercial_partner_id
            partner.open_amount = open_by_partner.get(commercial, 0.0)
            partner.overdue_amount = overdue_by_partner.get(commercial, 0.0)

    @api.depends_context("company")
    def _compute_invoice_count(self):
        partners = self.filtered("id")
        (self - partners).invoice_count = 0
        if not partners:
            return
        invoices = dict(
            self.env["account.move"]._read_group(
                [*partners._overview_move_domain(), ("state", "!=", "cancel")],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in partners:
            partner.invoice_count = invoices.get(partner.commercial_partner_id, 0)

    @api.depends_context("company")
    def _compute_overview_counts(self):
        partners = self.filtered("id")
        (self - partners).quotation_count = 0
        (self - partners).unanswered_quote_count = 0
        if not partners:
            return
        quotes = defaultdict(int)
        sent = defaultdict(int)
        for partner, state, count in self.env["sale.order"]._read_group(
            [*partners._overview_order_domain(), ("state", "in", QUOTE_STATES)],
            ["partner_id", "state"],
            ["__count"],
        ):
            commercial = partner.commercial_partner_id
            quotes[commercial] += count
            if state == "sent":
                sent[commercial] += count
        for partner in partners:
            commercial = partner.commercial_partner_id
            partner.quotation_count = quotes[commercial]
            partner.unanswered_quote_count = sent[commercial]

    def _overview_group_ids(self, records, partner_of):
        """Spread ``records`` over ``self`` by commercial partner, in order."""
        by_partner = defaultdict(list)
        for record in records:
            by_partner[partner_of(record)].append(record.id)
        return by_partner

    @api.depends_context("company")
    def _compute_overview_open_move_ids(self):
        partners = self.filtered("id")
        (self - partners).overview_open_move_ids = False
        if not partners:
            return
        # Oldest due date first: overdue items lead the list.
        ids = partners._overview_last_ids(
            "account.move",
            partners._overview_open_move_domain(),
            SQL("t.invoice_date_due ASC NULLS LAST, t.id ASC"),
            limit=OPEN_ITEMS,
        )
        for partner in partners:
            partner.overview_open_move_ids = [fields.Command.set(ids[partner.commercial_partner_id.id])]

    @api.depends_context("company")
    def _compute_overview_quote_ids(self):
        partners = self.filtered("id")
        (self - partners).overview_quote_ids = False
        if not partners:
            return
        ids = partners._overview_last_ids(
            "sale.order",
            [*partners._overview_order_domain(), ("state", "=", "sent")],
            SQL("t.validity_date ASC NULLS LAST, t.id ASC"),
            limit=None,
        )
        for partner in partners:
            partner.overview_quote_ids = [fields.Command.set(ids[partner.commercial_partner_id.id])]

    @api.depends_context("company")
    def _compute_overview_last_orders(self):
        partners = self.filtered("id")
        (self - partners).overview_last_quote_ids = False
        (self - partners).overview_last_order_ids = False
        if not partners:
            return
        order = SQL("t.date_order DESC, t.id DESC")
        quotes = partners._overview_last_ids(
            "sale.order", [*partners._overview_order_domain(), ("state", "in", QUOTE_STATES)], order
        )
        orders = partners._overview_last_ids(
            "sale.order", [*partners._overview_order_domain(), ("state", "=", "sale")], order
        )
        for partner in partners:
            commercial = partner.commercial_partner_id.id
            partner.overview_last_quote_ids = [fields.Command.set(quotes[commercial])]
            partner.overview_last_order_ids = [fields.Command.set(orders[commercial])]

    @api.depends_context("company")
    def _compute_overview_last_invoice_ids(self):
        partners = self.filtered("id")
        (self - partners).overview_last_invoice_ids = False
        if not partners:
            return
        ids = partners._overview_last_ids(
            "account.move",
            [*partners._overview_move_domain(), ("state", "!=", "cancel")],
            SQL("COALESCE(t.invoice_date, t.date) DESC, t.id DESC"),
        )
        for partner in partners:
            partner.overview_last_invoice_ids = [fields.Command.set(ids[partner.commercial_partner_id.id])]

    def _overview_last_ids(self, model, domain, order, limit=LAST_DOCUMENTS):
        """Ids of ``model`` records matching ``domain`` per commercial partner.

        One query for the whole recordset: the ORM's subquery (with access
        rules) is ranked per commercial partner of the document's
        ``partner_id`` with a window function.

        :return: dict commercial partner id -> list of ids, in ``order``
        """
        Model = self.env[model]
        query = Model._search(domain)
        limit_sql = SQL("WHERE ranked.rank <= %s", limit) if limit else SQL()
        self.env.cr.execute(
            SQL(
                """
                SELECT ranked.id, ranked.commercial_partner_id
                  FROM (
                        SELECT t.id, p.commercial_partner_id,
                               row_number() OVER (PARTITION BY p.commercial_partner_id ORDER BY %(order)s) AS rank
                          FROM %(table)s t
                          JOIN res_partner p ON p.id = t.partner_id
                         WHERE t.id IN %(query)s
                       ) ranked
                %(limit)s
                 ORDER BY ranked.rank
                """,
                order=order,
                table=SQL.identifier(Model._table),
                query=query.subselect(),
                limit=limit_sql,
            )
        )
        result = defaultdict(list)
        for record_id, commercial_id in self.env.cr.fetchall():
            result[commercial_id].append(record_id)
        return result

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
        partners = self.filtered("id")
        (self - partners).overview_contact_ids = False
        if not partners:
            return
        contacts = self.search_fetch(
            [("parent_id", "in", partners.ids), ("type", "=", "contact")], ["parent_id"], order="name, id"
        )
        by_parent = self._overview_group_ids(contacts, lambda c: c.parent_id.id)
        for partner in partners:
            partner.overview_contact_ids = [fields.Command.set(by_parent[partner.id])]

    @api.depends_context("company")
    def _compute_overview_revenue(self):
        revenue = self._revenue_by_month_batch()
        for partner in self:
            partner.overview_revenue = {
                "months": revenue.get(partner.commercial_partner_id.id, []),
                "currency_id": self.env.company.currency_id.id,
            }

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
        months = max(int(months), 1)
        first = fields.Date.context_today(self).replace(day=1) - relativedelta(months=months - 1)
        keys = [(first + relativedelta(months=i)).strftime("%Y-%m") for i in range(months)]
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
        currency = self.env.company.currency_id
        result = defaultdict(lambda: [{"month": key, "amount": 0.0} for key in keys])
        for commercial_id, by_month in amounts.items():
            result[commercial_id] = [{"month": key, "amount": currency.round(by_month.get(key, 0.0))} for key in keys]
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
        action["name"] = self.env._("Unanswered Quotations")
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
        action["name"] = self.env._("Open Items")
        action["domain"] = self._overview_open_move_domain()
        return action

    def action_overview_overdue_items(self):
        action = self.action_overview_invoices()
        action["name"] = self.env._("Overdue Items")
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
        action["name"] = self.env._("New Order")
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
