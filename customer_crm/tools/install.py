"""Helpers of the install backfills (see ``customer_crm/hooks.py``)."""

import contextlib
import logging
import time

from odoo.tools import SQL

_logger = logging.getLogger(__name__)


def module_installing(cr, module="customer_crm"):
    """Whether ``module`` is being installed (not upgraded): then the
    ``post_init_hook`` runs after the tables are made, and backfills may
    leave their last step to it."""
    cr.execute("SELECT state FROM ir_module_module WHERE name = %s", [module])
    row = cr.fetchone()
    return bool(row) and row[0] == "to install"


@contextlib.contextmanager
def indexes_built_after(cr, table, min_rows=100_000):
    """Run the block without the plain indexes of ``table`` (not those of
    its constraints) and build them again after it, when the table has at
    least ``min_rows`` rows (the planner's estimate): an UPDATE of most rows
    then writes the table only, each index is built once over the final
    rows instead of getting a new entry per row.  The same definitions
    (``pg_get_indexdef``), in the caller's transaction: DDL is transactional
    in PostgreSQL, an error rolls the drops back with everything else."""
    cr.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
    row = cr.fetchone()
    if not row or row[0] < min_rows:
        yield
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
    yield
    start = time.perf_counter()
    for _name, definition in indexes:
        cr.execute(definition)
    _logger.info(
        "customer_crm: %s indexes of %s built again in %.2fs", len(indexes), table, time.perf_counter() - start
    )
