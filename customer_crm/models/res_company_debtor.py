from odoo import api, fields, models
from odoo.tools import SQL

DEBTOR_SEQUENCE_CODE = "customer_crm.debtor_number"


class ResCompany(models.Model):
    """Debtor number sequence and trigger of a company."""

    _inherit = "res.company"

    debtor_sequence_id = fields.Many2one(
        "ir.sequence",
        string="Debtor Number Sequence",
        copy=False,
        help="Gap-free sequence the debtor numbers of this company are drawn from.",
    )
    debtor_number_trigger = fields.Selection(
        [
            ("invoice_posted", "First invoice posted"),
            ("invoice_created", "First invoice created"),
            ("order_confirmed", "First order confirmed"),
            ("manual", "Manually only"),
        ],
        string="Draw Debtor Number",
        default="invoice_posted",
        required=True,
        help="When a customer gets its debtor number. Whatever is chosen here (except "
        "“Manually only”), posting a customer invoice always numbers a customer that "
        "has no number yet, so that accounting always has one.",
    )

    def init(self):
        # Code that runs with a registry loaded only up to an earlier module
        # (that module's at_install tests or data during "-u sale", say)
        # inserts companies without this column: the database default keeps
        # them from failing on its NOT NULL constraint.
        self.env.cr.execute(
            SQL(
                "ALTER TABLE res_company ALTER COLUMN debtor_number_trigger SET DEFAULT %s",
                self._fields["debtor_number_trigger"].default(self),
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._customer_crm_create_debtor_sequences()
        return companies

    def _customer_crm_create_debtor_sequences(self):
        """Give every company in ``self`` (all companies when empty) its gap-free
        debtor number sequence.  Called at install for existing companies."""
        companies = self or self.search([])
        missing = companies.filtered(lambda c: not c.debtor_sequence_id).sorted("id")
        # Debtor numbers are unique across companies (a customer may be shared
        # by them): the first company numbers from 10000, every further one
        # gets its own prefix ("2-10000") so that their numbers never collide.
        # sudo: only whether any company has a debtor sequence yet
        first_without_prefix = (
            not self.env["ir.sequence"].sudo().search_count([("code", "=", DEBTOR_SEQUENCE_CODE)], limit=1)
        )
        # sudo: creating sequences is reserved to administrators; this only
        # creates the company's own debtor sequence with fixed defaults.
        sequences = (
            self.env["ir.sequence"]
            .sudo()
            .create(
                [
                    {
                        "name": self.env._("Debtor Numbers (%(company)s)", company=company.name),
                        "code": DEBTOR_SEQUENCE_CODE,
                        "implementation": "no_gap",
                        "prefix": False if first_without_prefix and index == 0 else f"{company.id}-",
                        "padding": 5,
                        "number_next": 10000,
                        "number_increment": 1,
                        "company_id": company.id,
                    }
                    for index, company in enumerate(missing)
                ]
            )
        )
        for company, sequence in zip(missing, sequences, strict=True):
            # sudo: writing a company is for administrators; this links only
            # the sequence just made for it
            company.sudo().debtor_sequence_id = sequence

    def _customer_crm_debtor_sequence(self):
        """The company's debtor sequence, created on first use if missing."""
        self.ensure_one()
        if not self.debtor_sequence_id:
            self._customer_crm_create_debtor_sequences()
        return self.debtor_sequence_id
