from odoo import fields, models
from odoo.exceptions import UserError

LABEL_MODELS = ("sale.order", "account.move", "res.partner")


class CustomerCrmLabelReapply(models.TransientModel):
    """Copy the customers' labels to selected documents again.

    Started on selected quotations/orders or invoices, it updates those; on
    selected customers, it updates their open documents (quotations not yet
    confirmed, draft invoices and credit notes).
    """

    _name = "customer_crm.label.reapply"
    _description = "Re-apply Customer Labels"

    restore_removed = fields.Boolean(
        string="Restore labels removed by hand",
        help="Also add back customer labels that a user removed from a document by hand. "
        "Labels added by hand always stay.",
    )

    def _documents(self):
        """The documents to update, by model."""
        model = self.env.context.get("active_model")
        ids = self.env.context.get("active_ids") or []
        if model not in LABEL_MODELS or not ids:
            raise UserError(self.env._("Select the documents or customers whose labels to re-apply."))
        records = self.env[model].browse(ids)
        if model == "res.partner":
            return records._customer_crm_open_label_documents()
        return (records,)

    def action_apply(self):
        self.ensure_one()
        changed = 0
        total = 0
        for records in self._documents():
            docs = records._customer_crm_label_documents()
            total += len(docs)
            changed += len(docs._customer_crm_reapply_labels(restore_removed=self.restore_removed))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Labels re-applied"),
                "message": self.env._(
                    "%(changed)s of %(total)s documents got new labels.", changed=changed, total=total
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
