from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    """Default discount of a customer, applied to its new order lines."""

    _inherit = "res.partner"

    default_discount = fields.Float(
        string="Default Discount (%)",
        digits="Discount",
        tracking=True,
        groups="base.group_user",
        help="Discount given on new sales order lines of this customer. "
        "A contact person's own discount replaces the company's.",
    )

    @api.constrains("default_discount")
    def _check_default_discount(self):
        for partner in self:
            if not 0.0 <= partner.default_discount <= 100.0:
                raise ValidationError(
                    self.env._(
                        "The default discount of %(name)s must be between 0 and 100%%, not %(discount)s.",
                        name=partner.display_name,
                        discount=partner.default_discount,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        if any(vals.get("default_discount") for vals in vals_list):
            self._customer_crm_show_discounts()
        return partners

    def write(self, vals):
        res = super().write(vals)
        if vals.get("default_discount"):
            self._customer_crm_show_discounts()
        return res

    @api.model
    def _customer_crm_show_discounts(self):
        """A customer with a default discount turns on Odoo's discounts on
        order lines (Sales settings), whose group shows the discount column
        on quotations and orders: a line then never reads its price without
        the discount that makes its amount. Odoo turns on pricelists for a
        second currency the same way."""
        group = self.env.ref("sale.group_discount_per_so_line", raise_if_not_found=False)
        if group and not self.env.ref("base.group_user").sudo().implied_ids & group:
            # sudo: the same change as ticking "Discounts" in the Sales settings,
            # caused by a user who may set a customer's discount
            self.env.ref("base.group_user").sudo()._apply_group(group)

    def _customer_crm_default_discount(self):
        """The discount for documents of this partner: its own, else its company's."""
        self.ensure_one()
        return self.default_discount or self.commercial_partner_id.default_discount
