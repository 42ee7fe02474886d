from odoo import api, models


class AccountMoveLine(models.Model):
    """Lines of invoices made directly (not from an order) get the customer's
    default discount, as order lines do; invoices from orders take the
    discount of their order lines."""

    _inherit = "account.move.line"

    @api.onchange("product_id")
    def _onchange_product_id_customer_crm_discount(self):
        for line in self:
            discount = line._customer_crm_default_discount(line.move_id)
            if discount and line.product_id:
                line.discount = discount

    @api.model_create_multi
    def create(self, vals_list):
        # lines created through the API (or the form's onchange-less paths)
        # that name no discount of their own
        moves = self.env["account.move"].browse({vals["move_id"] for vals in vals_list if vals.get("move_id")})
        discounts = {move.id: self._customer_crm_default_discount(move) for move in moves}
        for vals in vals_list:
            if (
                "discount" not in vals
                and vals.get("product_id")
                and vals.get("display_type", "product") == "product"
                and discounts.get(vals.get("move_id"))
            ):
                vals["discount"] = discounts[vals["move_id"]]
        return super().create(vals_list)

    @api.model
    def _customer_crm_default_discount(self, move):
        """The default discount of ``move``'s customer, for customer invoices and refunds."""
        if move.move_type not in move.get_sale_types() or not move.partner_id:
            return 0.0
        # sudo: the default discount is an internal field of the customer file
        # that the invoicing user may not read itself (e.g. a portal payment)
        return move.partner_id.sudo()._customer_crm_default_discount()
