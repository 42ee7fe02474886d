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
        numbers = self._customer_crm_draw_no_gap(count)
        if numbers is not None:
            return numbers
        if self.use_date_range:
            return [self._next() for __ in range(count)]
        # a standard (non gap-free) sequence: PostgreSQL's own sequence
        self.env.cr.execute(SQL("SELECT nextval(%s) FROM generate_series(1, %s)", f"ir_sequence_{self.id:03d}", count))
        return [self.get_next_char(row[0]) for row in self.env.cr.fetchall()]

    def _customer_crm_draw_no_gap(self, count):
        """The gap-free case of :meth:`_customer_crm_draw` in one query: the
        UPDATE that advances and row-locks the sequence returns what the
        numbers are formatted with (no SELECT of the sequence first).  None
        when the sequence is not a plain gap-free one."""
        self.flush_recordset(["number_next", "number_increment", "implementation", "use_date_range"])
        self.env.cr.execute(
            SQL(
                "UPDATE ir_sequence SET number_next = number_next + number_increment * %s"
                " WHERE id = %s AND implementation = 'no_gap' AND NOT coalesce(use_date_range, false)"
                " RETURNING number_next - number_increment * %s, number_increment, prefix, suffix, padding",
                count,
                self.id,
                count,
            ),
            # a concurrent drawer makes this fail with a serialization error that
            # Odoo retries (logged at INFO); not an ERROR line per retry
            log_exceptions=False,
        )
        row = self.env.cr.fetchone()
        if not row:
            return None
        first, increment, prefix, suffix, padding = row
        self.invalidate_recordset(["number_next", "number_next_actual"])
        for fname, value in (("prefix", prefix), ("suffix", suffix), ("padding", padding)):
            self.env.cache.insert_missing(self, self._fields[fname], [value])
        return [self.get_next_char(first + i * increment) for i in range(count)]

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
