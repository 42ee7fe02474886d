from odoo import api, models


class ResPartner(models.Model):
    """The customer file: what the capabilities of the Customers app share.

    Each capability extends ``res.partner`` in a file of its own
    (``res_partner_<capability>.py``).
    """

    _inherit = "res.partner"

    @api.model
    def _customer_crm_scope_domain(self):
        """Commercial partners that belong to the customer file."""
        return [
            ("parent_id", "=", False),
            ("customer_rank", ">", 0),
            ("is_template_customer", "=", False),
        ]
