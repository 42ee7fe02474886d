from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .res_partner_overview import ACCOUNTING  # who sees invoice figures

# The figures cover the customer invoices paid in full in the last 12 months.
PAYMENT_MONTHS = 12
# A customer "pays late" when fewer than this share (%) of those invoices
# were paid by their due date.
PAYS_LATE_BELOW = 80.0
PAYMENT_FIELDS = [
    "payment_invoice_count",
    "payment_days_average",
    "payment_on_time_rate",
    "payment_days_late_average",
    "payment_pays_late",
]
# One row per commercial partner of the paid invoices ``invoices`` (id,
# commercial_partner_id, invoice_date, due): how many, average days to pay,
# how many on time, average days late of those paid late.
PAYMENT_STATS_SQL = """
WITH inv AS MATERIALIZED (%(invoices)s),
-- the last reconciliation decides; one before the period never is
-- the last one of an invoice paid since then
paid_on AS (
    SELECT line.move_id, part.max_date AS day
      FROM account_move_line line
      JOIN account_partial_reconcile part ON part.debit_move_id = line.id
     WHERE line.move_id IN (SELECT id FROM inv) AND line.display_type = 'payment_term'
       AND part.max_date >= %(since)s
     UNION ALL
    -- Odoo 18 payments without a journal entry (no outstanding account)
    SELECT rel.invoice_id, pay.date
      FROM account_move__account_payment rel
      JOIN account_payment pay ON pay.id = rel.payment_id AND pay.move_id IS NULL
     WHERE rel.invoice_id IN (SELECT id FROM inv) AND pay.date >= %(since)s
),
paid AS (
    SELECT inv.commercial_partner_id, inv.invoice_date, inv.due, MAX(paid_on.day) AS day
      FROM inv JOIN paid_on ON paid_on.move_id = inv.id
     GROUP BY inv.id, inv.commercial_partner_id, inv.invoice_date, inv.due
)
SELECT commercial_partner_id,
       COUNT(*) AS count,
       AVG(day - invoice_date) AS days,
       COUNT(*) FILTER (WHERE day <= due) AS on_time,
       AVG(day - due) FILTER (WHERE day > due) AS days_late
  FROM paid
 WHERE day >= %(since)s
 GROUP BY commercial_partner_id
"""


class ResPartner(models.Model):
    """How a customer pays ("Zahlungsverhalten").

    Over the customer invoices (no credit notes, no reversed invoices) of the
    commercial partner paid in full in the last 12 months: the payment date
    of an invoice is the latest date of the reconciliations of its receivable
    lines (account.partial.reconcile.max_date), or of the payments matched
    without a journal entry.  One grouped query for the whole recordset.
    """

    _inherit = "res.partner"

    payment_invoice_count = fields.Integer(
        string="Paid Invoices",
        compute="_compute_payment_behaviour",
        groups=ACCOUNTING,
        help="Customer invoices paid in full in the last 12 months that the payment figures are based on.",
    )
    payment_days_average = fields.Float(
        string="Average Days to Pay",
        digits=(16, 1),
        compute="_compute_payment_behaviour",
        groups=ACCOUNTING,
        help="Average days from the invoice date to the full payment, over the invoices paid in the last 12 months.",
    )
    payment_on_time_rate = fields.Float(
        string="Paid on Time (%)",
        digits=(16, 0),
        compute="_compute_payment_behaviour",
        groups=ACCOUNTING,
        help="Share of the invoices paid in the last 12 months that were paid by their due date.",
    )
    payment_days_late_average = fields.Float(
        string="Average Days Late",
        digits=(16, 1),
        compute="_compute_payment_behaviour",
        groups=ACCOUNTING,
        help="Average days after the due date, over the invoices paid late in the last 12 months.",
    )
    payment_pays_late = fields.Boolean(
        string="Pays Late",
        compute="_compute_payment_behaviour",
        search="_search_payment_pays_late",
        groups=ACCOUNTING,
        help="Fewer than 80 % of the invoices paid in the last 12 months were paid by their due date.",
    )

    @api.depends_context("company")
    def _compute_payment_behaviour(self):
        commercial_ids = {partner.commercial_partner_id.id for partner in self if partner.id}
        stats = {}
        if commercial_ids:
            query = self._payment_stats_query(sorted(commercial_ids))
            stats = {row[0]: row[1:] for row in self.env.execute_query(query)}
        for partner in self:
            count, days, on_time, days_late = stats.get(partner.commercial_partner_id.id, (0, 0.0, 0, 0.0))
            rate = 100.0 * on_time / count if count else 0.0
            partner.payment_invoice_count = count
            partner.payment_days_average = float(days or 0.0)
            partner.payment_on_time_rate = rate
            partner.payment_days_late_average = float(days_late or 0.0)
            partner.payment_pays_late = bool(count) and rate < PAYS_LATE_BELOW

    def _search_payment_pays_late(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        late = SQL(
            "(SELECT commercial_partner_id FROM (%s) stats WHERE 100.0 * on_time < %s * count)",
            self._payment_stats_query(),
            PAYS_LATE_BELOW,
        )
        positive = (operator == "=") == bool(value)
        return [("commercial_partner_id", "in" if positive else "not in", late)]

    def _payment_stats_query(self, commercial_ids=None):
        """SQL of one row per commercial partner: (commercial_partner_id,
        count, average days to pay, count paid on time, average days late of
        those paid late), over the ORM's access-checked query of the paid
        customer invoices of the current company."""
        domain = [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("paid", "in_payment")),
            ("company_id", "=", self.env.company.id),
        ]
        if commercial_ids is not None:
            domain.append(("commercial_partner_id", "in", commercial_ids))
        self._payment_flush()
        invoices = self.env["account.move"]._search(domain)
        table = invoices.table
        invoice_sql = invoices.select(
            SQL.identifier(table, "id"),
            SQL.identifier(table, "commercial_partner_id"),
            SQL.identifier(table, "invoice_date"),
            SQL(
                "COALESCE(%s, %s) AS due",
                SQL.identifier(table, "invoice_date_due"),
                SQL.identifier(table, "invoice_date"),
            ),
        )
        since = fields.Date.context_today(self) - relativedelta(months=PAYMENT_MONTHS)
        return SQL(PAYMENT_STATS_SQL, invoices=invoice_sql, since=since)

    def _payment_flush(self):
        """The raw query reads these columns: write pending changes first."""
        self.env["account.move"].flush_model(
            [
                "move_type",
                "state",
                "payment_state",
                "company_id",
                "commercial_partner_id",
                "invoice_date",
                "invoice_date_due",
                "matched_payment_ids",
            ]
        )
        self.env["account.move.line"].flush_model(["move_id", "display_type"])
        self.env["account.partial.reconcile"].flush_model(["debit_move_id", "max_date"])
        self.env["account.payment"].flush_model(["date", "move_id"])
