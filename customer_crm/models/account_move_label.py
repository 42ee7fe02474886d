from odoo import api, fields, models
from odoo.tools import SQL


class AccountMove(models.Model):
    """Labels on customer invoices and credit notes.

    Credit notes are copies of their invoice (``_reverse_moves``), so they
    carry its labels.  Vendor bills and journal entries get none.
    """

    _name = "account.move"
    _inherit = ["account.move", "customer_crm.label.mixin"]

    label_ids = fields.Many2many(
        relation="customer_crm_account_move_label_rel", column1="move_id", column2="category_id"
    )
    label_auto_ids = fields.Many2many(
        relation="customer_crm_account_move_label_auto_rel", column1="move_id", column2="category_id"
    )
    label_excluded_ids = fields.Many2many(
        relation="customer_crm_account_move_label_excl_rel", column1="move_id", column2="category_id"
    )

    @api.model
    def _customer_crm_label_backfill_where(self):
        return SQL("doc.move_type IN %s", tuple(self.get_sale_types()))

    @api.model
    def _customer_crm_label_applies_to_vals(self, vals):
        move_type = vals.get("move_type", self.env.context.get("default_move_type", "entry"))
        return move_type in self.get_sale_types()

    def _customer_crm_label_documents(self):
        return self.filtered(lambda move: move.move_type in self.get_sale_types())
