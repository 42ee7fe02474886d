from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL


class MergePartnerAutomatic(models.TransientModel):
    """Merging customers never loses a debtor number: two numbers are refused,
    one number moves to the partner that is kept, and the kept customer has a
    status of the kind its number says."""

    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        partners = self.env["res.partner"].browse(partner_ids).exists()
        numbered = partners.filtered("debtor_number")
        if len(numbered) > 1:
            raise UserError(
                self.env._(
                    "%(partners)s have different debtor numbers (%(numbers)s), each one a personal account "
                    "in the accounting. Merging them would lose one. Merge the accounts in the accounting "
                    "first and clear one number (customer file managers can), or keep both customers.",
                    partners=", ".join(numbered.mapped("display_name")),
                    numbers=", ".join(numbered.mapped("debtor_number")),
                )
            )
        return super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)

    def _update_values(self, src_partners, dst_partner):
        source = src_partners.filtered("debtor_number")[:1]
        if dst_partner.debtor_number or not source:
            # the kept partner's number comes back unchanged among the merged
            # values; a status that does not fit the number it ends with is
            # dropped (see res.partner.write), and one left without gets the default
            res = super()._update_values(
                src_partners, dst_partner.with_context(customer_crm_status_follows_number=True)
            )
            dst_partner._customer_crm_give_statuses()
            return res
        number, status = source.debtor_number, source.crm_status_id
        # The number leaves the source (deleted after the merge) before the
        # destination takes it: the number is unique, and the source's customer
        # status must not reach a destination without its number.
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET debtor_number = NULL, crm_status_id = NULL WHERE id IN %s",
                tuple(source.ids),
            )
        )
        source.invalidate_recordset(["debtor_number", "crm_status_id"])
        res = super()._update_values(src_partners, dst_partner)
        if status.kind != "customer":
            status = self.env["customer_crm.status"]._customer_crm_default_status("customer", dst_partner.company_id)
        # sudo: debtor numbers are read-only for users; the merge moves an
        # existing number, it draws or invents none.
        dst_partner.sudo().write({"debtor_number": number, "crm_status_id": status.id})
        dst_partner._message_log(
            body=self.env._(
                "Debtor number %(number)s taken over from %(partner)s, merged into this customer; "
                "status %(status)s.",
                number=number,
                partner=source.display_name,
                status=status.name or self.env._("none"),
            )
        )
        return res
