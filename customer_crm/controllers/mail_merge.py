import json

from odoo import http
from odoo.addons.web.controllers.export import ExportFormat
from odoo.http import request
from odoo.osv import expression

from ..tools.spreadsheet_csv import spreadsheet_csv

PRESET_XMLID = "customer_crm.ir_exports_mail_merge"


class MailMergeExport(ExportFormat, http.Controller):
    """CSV for a mail merge, through Odoo's export machinery.

    The columns are those of the ``ir.exports`` preset "Mail merge"; rows
    come from ``ExportFormat.base`` (``export_data`` on the selected ids or
    the list's domain, with the user's access rights).  Only the CSV dialect
    differs from ``/web/export/csv``: UTF-8 with BOM and ``;`` separators,
    which spreadsheet programs in German locales open as columns.

    Not a subclass of ``CSVExport`` (whose ``from_data`` it follows): that would make this class the leaf
    controller serving ``/web/export/csv`` too and change its dialect.
    """

    @http.route("/customer_crm/export/mail_merge", type="http", auth="user", methods=["GET"])
    def export_mail_merge(self, ids=None, domain=None):
        Partner = request.env["res.partner"]
        requested = [int(pid) for pid in ids.split(",") if pid] if ids else []
        # customers restricted under the GDPR (Art. 18) get no mail
        record_ids = Partner.browse(requested).filtered(lambda p: not p.gdpr_restricted).ids
        domain = json.loads(domain) if domain and not requested else [("id", "in", record_ids)]
        params = {
            "model": Partner._name,
            "fields": self._mail_merge_fields(),
            "ids": record_ids,
            "domain": expression.AND([domain, [("gdpr_restricted", "=", False)]]),
            "import_compat": False,
        }
        return self.base(json.dumps(params))

    def _mail_merge_fields(self):
        """Columns of the preset, with their labels in the user's language;
        paths to fields this database lacks are skipped."""
        env = request.env
        preset = env.ref(PRESET_XMLID)
        Partner = env["res.partner"]
        field_info = Partner.fields_get(attributes=["string"])
        columns = []
        for line in preset.export_fields:
            first = line.name.split("/")[0]
            if first not in field_info:
                continue
            columns.append({"name": line.name, "label": field_info[first]["string"]})
        return columns

    @property
    def content_type(self):
        return "text/csv;charset=utf-8"

    @property
    def extension(self):
        return ".csv"

    def filename(self, base):
        return request.env._("Mail merge")

    def from_data(self, fields, columns_headers, rows):
        # the addon's one spreadsheet dialect (formula guard included)
        return spreadsheet_csv(columns_headers, rows)
