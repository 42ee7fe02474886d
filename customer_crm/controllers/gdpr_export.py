from odoo import http
from odoo.http import content_disposition, request


class GdprExportController(http.Controller):
    @http.route("/customer_crm/gdpr_export/<int:partner_id>", type="http", auth="user", methods=["GET"])
    def gdpr_export(self, partner_id):
        """One ZIP file with the personal data of a customer (managers only:
        gdpr_export_data checks the group and the record rules)."""
        partner = request.env["res.partner"].browse(partner_id).exists()
        if not partner:
            raise request.not_found()
        content, filename = partner._gdpr_export_zip()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", "application/zip"),
                ("Content-Length", len(content)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
