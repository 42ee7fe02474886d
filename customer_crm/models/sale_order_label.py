from odoo import fields, models
from odoo.fields import Command


class SaleOrder(models.Model):
    """Labels on quotations and sales orders, passed on to their invoices."""

    _name = "sale.order"
    _inherit = ["sale.order", "customer_crm.label.mixin"]

    label_ids = fields.Many2many(
        relation="customer_crm_sale_order_label_rel", column1="order_id", column2="category_id"
    )
    label_auto_ids = fields.Many2many(
        relation="customer_crm_sale_order_label_auto_rel", column1="order_id", column2="category_id"
    )
    label_excluded_ids = fields.Many2many(
        relation="customer_crm_sale_order_label_excl_rel", column1="order_id", column2="category_id"
    )

    def _prepare_invoice(self):
        # Invoices, down payments included, get the order's labels and their
        # bookkeeping, so that labels removed by hand stay removed.
        values = super()._prepare_invoice()
        values.update(self._customer_crm_label_invoice_vals())
        return values

    def _create_account_invoices(self, invoice_vals_list, final):
        # An invoice grouping several orders carries the labels of all of them
        # (``_prepare_invoice`` only gave it those of the first order).
        lines = self.env["sale.order.line"]
        for invoice_vals in invoice_vals_list:
            line_ids = set()
            for command in invoice_vals.get("invoice_line_ids", ()):
                if command[0] == Command.CREATE:
                    for sub in command[2].get("sale_line_ids", ()):
                        if sub[0] == Command.LINK:
                            line_ids.add(sub[1])
                        elif sub[0] == Command.SET:
                            line_ids.update(sub[2])
            orders = lines.browse(sorted(line_ids)).order_id
            if len(orders) > 1:
                invoice_vals.update(orders._customer_crm_label_invoice_vals())
        return super()._create_account_invoices(invoice_vals_list, final)

    def _customer_crm_label_invoice_vals(self):
        """Label values of an invoice made from the orders ``self``."""
        labels = set(self.label_ids.ids)
        auto = set(self.label_auto_ids.ids) & labels
        excluded = set(self.label_excluded_ids.ids) - labels
        return {
            "label_ids": [Command.set(sorted(labels))],
            "label_auto_ids": [Command.set(sorted(auto))],
            "label_excluded_ids": [Command.set(sorted(excluded))],
        }
