from odoo import models


class MergePartnerAutomatic(models.TransientModel):
    """A merged customer keeps a status of the kind its debtor number says."""

    _inherit = "base.partner.merge.automatic.wizard"

    def _update_values(self, src_partners, dst_partner):
        # the merge writes the values of all partners onto the destination: a
        # status that does not fit the number it ends with is dropped (see
        # res.partner.write), and a customer left without one gets the default
        super()._update_values(src_partners, dst_partner.with_context(customer_crm_status_follows_number=True))
        dst_partner._customer_crm_give_statuses()
