from odoo import models
from odoo.tools import SQL


class IrSequence(models.Model):
    """Drawing many numbers of a sequence at once (bulk debtor numbering)."""

    _inherit = "ir.sequence"

    def _customer_crm_draw(self, count):
        """Draw ``count`` consecutive numbers of this sequence in one query.

        A gap-free sequence is advanced by one UPDATE, which row-locks the
        sequence until the transaction ends (a concurrent transaction waits,
        then fails with a serialization error and is retried by Odoo): the same
        guarantee as ``_next_do`` for ``no_gap``, for ``count`` numbers at once.
        Sequences with date ranges fall back to ``_next()`` per number.
        """
        self.ensure_one()
        if count <= 0:
            return []
        if self.use_date_range:
            return [self._next() for __ in range(count)]
        if self.implementation == "standard":
            self.env.cr.execute(
                SQL("SELECT nextval(%s) FROM generate_series(1, %s)", f"ir_sequence_{self.id:03d}", count)
            )
            return [self.get_next_char(row[0]) for row in self.env.cr.fetchall()]
        self.flush_recordset(["number_next", "number_increment"])
        self.env.cr.execute(
            SQL(
                "UPDATE ir_sequence SET number_next = number_next + number_increment * %s"
                " WHERE id = %s RETURNING number_next - number_increment * %s, number_increment",
                count,
                self.id,
                count,
            ),
            # a concurrent drawer makes this fail with a serialization error that
            # Odoo retries (logged at INFO); not an ERROR line per retry
            log_exceptions=False,
        )
        first, increment = self.env.cr.fetchone()
        self.invalidate_recordset(["number_next", "number_next_actual"])
        return [self.get_next_char(first + i * increment) for i in range(count)]

    def _customer_crm_draw_free(self, count, model="res.partner", field="debtor_number"):
        """Draw ``count`` numbers like :meth:`_customer_crm_draw`, skipping the
        numbers already used in ``model.field`` (numbers imported from another
        system, or set by a manager): the sequence moves past them instead of
        failing on the unique constraint.

        Costs one query more than a plain draw while no number is in use; on a
        collision one query finds the next free numbers in a window above the
        sequence, and the sequence is moved past the last one drawn (the row is
        still locked by the draw, until the transaction ends).
        """
        numbers = self._customer_crm_draw(count)
        if not numbers:
            return numbers
        table = self.env[model]._table
        self.env[model].flush_model([field])
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM %s WHERE %s IN %s",
                SQL.identifier(field),
                SQL.identifier(table),
                SQL.identifier(field),
                tuple(numbers),
            )
        )
        used = {row[0] for row in self.env.cr.fetchall()}
        if not used:
            return numbers
        if self.use_date_range:
            # numbers of a date range sequence cannot be searched in SQL: draw on
            kept = [number for number in numbers if number not in used]
            return kept + self._customer_crm_draw_free(count - len(kept), model, field)
        return [number for number in numbers if number not in used] + self._customer_crm_draw_skipping(
            len(used), table, field
        )

    def _customer_crm_draw_skipping(self, count, table, field, window=1000):
        """The next ``count`` numbers of this sequence that ``table.field``
        does not use, found in SQL; the sequence then continues after the last."""
        prefix, suffix = self._get_prefix_suffix()
        increment = self.number_increment or 1
        start = self.number_next_actual
        free = []
        while len(free) < count:
            self.env.cr.execute(
                SQL(
                    "SELECT n FROM generate_series(%(start)s, %(start)s + %(step)s * %(window)s, %(step)s) AS n"
                    " WHERE NOT EXISTS (SELECT 1 FROM %(table)s t WHERE t.%(field)s"
                    " = %(prefix)s || lpad(n::text, greatest(%(padding)s, length(n::text)), '0') || %(suffix)s)"
                    " ORDER BY n LIMIT %(limit)s",
                    start=start,
                    step=increment,
                    window=window,
                    table=SQL.identifier(table),
                    field=SQL.identifier(field),
                    prefix=prefix,
                    suffix=suffix,
                    padding=self.padding,
                    limit=count - len(free),
                )
            )
            free += [row[0] for row in self.env.cr.fetchall()]
            start += increment * (window + 1)
        self.write({"number_next": free[-1] + increment})
        self.invalidate_recordset(["number_next", "number_next_actual"])
        return [self.get_next_char(number) for number in free]
