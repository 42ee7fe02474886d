from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    """Default discount of a customer, applied to its new order lines."""

    _inherit = "res.partner"

    default_discount = fields.Float(
        string="Default Discount (%)",
        digits="Discount",
        tracking=True,
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

    def _customer_crm_default_discount(self):
        """The discount for documents of this partner: its own, else its company's."""
        self.ensure_one()
        return self.default_discount or self.commercial_partner_id.default_discount
