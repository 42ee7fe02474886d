from odoo import models


class ResPartner(models.Model):
    """Labels of customers on their open documents."""

    _inherit = "res.partner"

    def _customer_crm_open_label_documents(self):
        """Open documents of these customers: quotations not yet confirmed
        and draft customer invoices and credit notes."""
        commercial = self.commercial_partner_id
        orders = self.env["sale.order"].search(
            [("partner_id", "child_of", commercial.ids), ("state", "in", ("draft", "sent"))]
        )
        moves = self.env["account.move"].search(
            [
                ("commercial_partner_id", "in", commercial.ids),
                ("move_type", "in", self.env["account.move"].get_sale_types()),
                ("state", "=", "draft"),
            ]
        )
        return orders, moves
