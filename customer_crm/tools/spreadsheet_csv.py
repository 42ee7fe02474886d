"""The one CSV dialect of the addon, for spreadsheet programs: UTF-8 with BOM,
``;`` separators (German locales open it as columns), every cell quoted, and
text cells that a spreadsheet would run as a formula neutralised with a leading
apostrophe, as Odoo's own CSV export does.  The mail merge and the GDPR export
both write through it."""

import csv
import io
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@")


def spreadsheet_cell(value, decimal_point="."):
    """One cell: numbers stay numbers (with the reader's decimal point),
    text starting like a formula gets a leading apostrophe."""
    if value is None or value is False:
        return ""
    if isinstance(value, bytes):
        value = value.decode()
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value).replace(".", decimal_point)
    value = str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def spreadsheet_csv(headers, rows, decimal_point="."):
    """The CSV text of a table: a list of headings and rows of cell values."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_ALL)
    writer.writerow([spreadsheet_cell(header) for header in headers])
    writer.writerows([spreadsheet_cell(value, decimal_point) for value in row] for row in rows)
    return out.getvalue()
