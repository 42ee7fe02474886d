from odoo import api, models


class ResUsers(models.Model):
    """The partner of a new user is not a customer: no template values."""

    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        return super(ResUsers, self.with_context(customer_crm_no_template=True)).create(vals_list).with_env(self.env)
