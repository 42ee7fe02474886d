"""Helpers of the install backfills (see ``customer_crm/hooks.py``)."""

import contextlib
import logging
import time

import psycopg2

from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# from this many rows (the planner's estimate) a table counts as large for the
# install's backfills
LARGE_TABLE_ROWS = 100_000


def module_installing(cr, module="customer_crm"):
    """Whether ``module`` is being installed (not upgraded): then the
    ``post_init_hook`` runs after the tables are made, and backfills may
    leave their last step to it."""
    cr.execute("SELECT state FROM ir_module_module WHERE name = %s", [module])
    row = cr.fetchone()
    return bool(row) and row[0] == "to install"


@contextlib.contextmanager
def indexes_built_after(cr, table, min_rows=None):
    """Run the block without the plain indexes of ``table`` (not those of
    its constraints) and build them again after it, when the table has at
    least ``min_rows`` rows (the planner's estimate; by default
    ``LARGE_TABLE_ROWS``): a statement that writes most rows then writes the
    table only, each index is built once over the final rows instead of
    getting a new entry per row.  The same definitions
    (``pg_get_indexdef``), in the caller's transaction: DDL is transactional
    in PostgreSQL, an error rolls the drops back with everything else.
    Yields whether the table is that large."""
    min_rows = LARGE_TABLE_ROWS if min_rows is None else min_rows
    cr.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
    row = cr.fetchone()
    if not row or row[0] < min_rows:
        yield False
        return
    cr.execute(
        """SELECT c.relname, pg_get_indexdef(i.indexrelid)
             FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = %s::regclass
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
         ORDER BY c.relname""",
        [table],
    )
    indexes = cr.fetchall()
    for name, _definition in indexes:
        cr.execute(SQL("DROP INDEX %s", SQL.identifier(name)))
    yield True
    start = time.perf_counter()
    for _name, definition in indexes:
        cr.execute(definition)
    _logger.info(
        "customer_crm: %s indexes of %s built again in %.2fs", len(indexes), table, time.perf_counter() - start
    )


def set_columns(cr, table, values, where, rewrite=False):
    """Set columns of ``table`` in the rows matching ``where``: ``values``
    is ``{column: SQL expression}``, over the row's current values, written
    as ``table.column``.

    One UPDATE; with ``rewrite`` (a large table) one ``ALTER TABLE ...
    ALTER COLUMN ... TYPE ... USING`` instead, each column to its own type,
    which computes the expressions for every row: they must give a row
    outside ``where`` its current value (no subqueries: PostgreSQL refuses
    them there, a function may look values up).  PostgreSQL then writes the
    table anew, with one version of each row.  An UPDATE of most rows
    leaves the old versions behind: a table about twice its size, on disk,
    in backups and on replicas, until an administrator compacts it (``VACUUM
    FULL``, which no transaction can run).  The rewrite also builds the
    table's indexes once over the final rows, and takes less time than the
    UPDATE (1,000,000 messages: 3.8 s against 4.4 s).  Where the
    rewrite is refused (a view that reads one of the columns), the UPDATE
    runs instead."""
    table_sql = SQL.identifier(table)
    if rewrite:
        cr.execute(
            "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
            " WHERE attrelid = %s::regclass AND attname = ANY(%s) AND NOT attisdropped",
            [table, list(values)],
        )
        types = dict(cr.fetchall())
        alter = SQL(
            "ALTER TABLE %s %s",
            table_sql,
            SQL(", ").join(
                SQL(
                    "ALTER COLUMN %s TYPE %s USING %s",
                    SQL.identifier(column),
                    SQL(types[column]),  # a type name from the catalogue
                    expression,
                )
                for column, expression in values.items()
            ),
        )
        try:
            with cr.savepoint(flush=False):
                cr.execute(alter, log_exceptions=False)
            return
        except psycopg2.Error as error:
            _logger.info("customer_crm: %s rewritten by an UPDATE instead (%s)", table, error.pgerror)
    assignments = SQL(", ").join(SQL("%s = %s", SQL.identifier(column), value) for column, value in values.items())
    cr.execute(SQL("UPDATE %s SET %s WHERE %s", table_sql, assignments, where))


class Lookup:
    """Rows of a query selected once into a temporary table, read per row of
    another table by its key: in a rewrite of a table (``set_columns``),
    where PostgreSQL allows no subquery, through a function per column."""

    def __init__(self, cr, name, query, keys, columns):
        """``query`` selects the ``keys`` and then the ``columns`` (both
        ``{column name: SQL type}``, in that order) into the temporary table
        ``name``, unique on the keys."""
        self.cr, self.name, self.query, self.keys, self.columns = cr, name, query, keys, columns

    def __enter__(self):
        # names and types are the caller's constants, not input
        table = SQL.identifier(self.name)
        cr = self.cr
        names = SQL(", ").join(map(SQL.identifier, [*self.keys, *self.columns]))
        cr.execute(SQL("CREATE TEMPORARY TABLE %s (%s) AS %s", table, names, self.query))
        cr.execute(SQL("CREATE UNIQUE INDEX ON %s (%s)", table, SQL(", ").join(map(SQL.identifier, self.keys))))
        cr.execute(SQL("ANALYZE %s", table))
        where = SQL(" AND ").join(
            SQL("%s = $%s", SQL.identifier(key), SQL(str(i + 1))) for i, key in enumerate(self.keys)
        )
        for column, kind in self.columns.items():
            cr.execute(
                SQL(
                    "CREATE FUNCTION %s(%s) RETURNS %s LANGUAGE sql STABLE AS %s",
                    self._function(column),
                    self._arguments(),
                    SQL(kind),
                    # the body as a string literal: identifiers and $n only, no parameters
                    SQL("SELECT %s FROM %s WHERE %s", SQL.identifier(column), table, where).code,
                )
            )
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type:
            return  # the transaction's rollback removes them
        for column in self.columns:
            self.cr.execute(SQL("DROP FUNCTION %s(%s)", self._function(column), self._arguments()))
        self.cr.execute(SQL("DROP TABLE %s", SQL.identifier(self.name)))

    def _function(self, column):
        return SQL("pg_temp.%s", SQL.identifier(f"{self.name}_{column}"))

    def _arguments(self):
        """The functions' argument types: those of the keys."""
        return SQL(", ").join(SQL(kind) for kind in self.keys.values())

    def value(self, column, *keys):
        """SQL of ``column`` of the row with the key values ``keys`` (SQL), NULL without one."""
        return SQL("%s(%s)", self._function(column), SQL(", ").join(keys))

    def or_current(self, table, columns, *keys):
        """``{column of table: SQL}`` for ``set_columns``: each column of
        ``table`` (``{column: column of the lookup}``) gets the lookup's value
        for the row with the key values ``keys``, and keeps its own where
        the lookup has none."""
        return {
            column: SQL("COALESCE(%s, %s)", self.value(source, *keys), SQL.identifier(table, column))
            for column, source in columns.items()
        }

    def contains(self, *keys):
        """SQL condition: the table has a row with the key values ``keys``."""
        return SQL(
            "(%s) IN (SELECT %s FROM %s)",
            SQL(", ").join(keys),
            SQL(", ").join(map(SQL.identifier, self.keys)),
            SQL.identifier(self.name),
        )
