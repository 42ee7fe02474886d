from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

DEBTOR_SEQUENCE_CODE = "customer_crm.debtor_number"
# DATEV personal accounts of debtors run from 10^L to 7*10^L - 1 (L: the
# length of the general ledger accounts, "Sachkontenlänge"): 10000-69999 for L=4.
DATEV_DEBTOR_SLOTS = 6


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
    debtor_number_first = fields.Integer(
        string="Debtor Numbers From",
        copy=False,
        help="First number of this company's own range of debtor numbers. Companies "
        "numbering without a prefix each number in a range of their own.",
    )
    debtor_number_last = fields.Integer(
        string="Debtor Numbers To",
        copy=False,
        help="Last number of this company's own range of debtor numbers.",
    )
    datev_consultant_number = fields.Char(
        string="DATEV Consultant Number",
        help="Beraternummer of the tax consultant in DATEV (4 to 7 digits).",
    )
    datev_client_number = fields.Char(
        string="DATEV Client Number",
        help="Mandantennummer of this company in DATEV (1 to 5 digits).",
    )
    datev_account_length = fields.Integer(
        string="DATEV Account Length",
        default=4,
        help="Length of the general ledger accounts in DATEV (Sachkontenlänge). "
        "Debtor accounts have one digit more: 10000-69999 for length 4.",
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

    @api.constrains("datev_consultant_number", "datev_client_number", "datev_account_length")
    def _check_datev_numbers(self):
        for company in self:
            consultant, client = company.datev_consultant_number, company.datev_client_number
            if consultant and not (consultant.isdigit() and 4 <= len(consultant) <= 7):
                raise ValidationError(self.env._("The DATEV consultant number has 4 to 7 digits."))
            if client and not (client.isdigit() and 1 <= len(client) <= 5):
                raise ValidationError(self.env._("The DATEV client number has 1 to 5 digits."))
            if not 4 <= company.datev_account_length <= 8:
                raise ValidationError(self.env._("The DATEV account length is between 4 and 8."))

    @api.constrains("debtor_number_first", "debtor_number_last", "debtor_sequence_id")
    def _check_debtor_number_range(self):
        """Companies whose numbers share a prefix (or have none) number in
        ranges that do not overlap: a customer's number names one company."""
        for company in self.filtered("debtor_number_last"):
            if company.debtor_number_first > company.debtor_number_last:
                raise ValidationError(
                    self.env._(
                        "The range of debtor numbers of %(company)s ends before it starts.", company=company.name
                    )
                )
            prefix = company.debtor_sequence_id.prefix or ""
            # sudo: the ranges of companies the user cannot see still count
            others = (
                self.sudo()
                .search(
                    [
                        ("id", "!=", company.id),
                        ("debtor_number_last", ">=", company.debtor_number_first),
                        ("debtor_number_first", "<=", company.debtor_number_last),
                    ]
                )
                .filtered(lambda c, prefix=prefix: (c.debtor_sequence_id.prefix or "") == prefix)
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "The debtor numbers of %(company)s (%(first)s-%(last)s) overlap those of %(others)s. "
                        "Give each company a range of its own.",
                        company=company.name,
                        first=company.debtor_number_first,
                        last=company.debtor_number_last,
                        others=", ".join(others.mapped("name")),
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
        ranges = self._customer_crm_free_debtor_ranges(len(missing))
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
                        "prefix": False if first else f"{company.id}-",
                        "padding": company.datev_account_length + 1,
                        "number_next": first or 10**company.datev_account_length,
                        "number_increment": 1,
                        "company_id": company.id,
                    }
                    for company, (first, __) in zip(missing, ranges, strict=True)
                ]
            )
        )
        for company, sequence, (first, last) in zip(missing, sequences, ranges, strict=True):
            # sudo: writing a company is for administrators; this links only
            # the sequence just made for it and its range
            company.sudo().write(
                {"debtor_sequence_id": sequence.id, "debtor_number_first": first, "debtor_number_last": last}
            )

    def _customer_crm_free_debtor_ranges(self, count):
        """``count`` ranges (first, last) of debtor numbers that no company
        numbering without prefix uses yet, in DATEV's range of debtor accounts:
        10000-19999 for the first company, 20000-29999 for the second, and so
        on (account length 4).  Debtor numbers are unique across companies (a
        customer may be shared by them); when the DATEV range is full, a further
        company gets (0, 0): it numbers with its own prefix ("7-10000")."""
        length = self._fields["datev_account_length"].default(self)
        block = 10**length
        # sudo: the ranges of all companies, also those the user cannot see
        sequences = self.env["ir.sequence"].sudo().search([("code", "=", DEBTOR_SEQUENCE_CODE), ("prefix", "=", False)])
        companies = self.sudo().search([("debtor_sequence_id", "in", sequences.ids)])
        # a company numbered before ranges existed has none: it took 10000 on
        used = {(company.debtor_number_first or block) // block for company in companies}
        free = [slot for slot in range(1, DATEV_DEBTOR_SLOTS + 1) if slot not in used]
        ranges = [(slot * block, (slot + 1) * block - 1) for slot in free[:count]]
        return ranges + [(0, 0)] * (count - len(ranges))

    def _customer_crm_debtor_sequence(self):
        """The company's debtor sequence, created on first use if missing."""
        self.ensure_one()
        if not self.debtor_sequence_id:
            self._customer_crm_create_debtor_sequences()
        return self.debtor_sequence_id

    def _customer_crm_check_datev_settings(self):
        """Refuse a DATEV export without the numbers DATEV needs in its header."""
        self.ensure_one()
        missing = [
            label
            for label, value in (
                (self.env._("consultant number"), self.datev_consultant_number),
                (self.env._("client number"), self.datev_client_number),
            )
            if not value
        ]
        if missing:
            raise UserError(
                self.env._(
                    "The DATEV %(missing)s of %(company)s is missing. Set it in Settings > Invoicing > "
                    "Debtor Numbers (DATEV).",
                    missing=self.env._(" and ").join(missing),
                    company=self.name,
                )
            )

    def _customer_crm_datev_range_warning(self, length=None, prefix=None, next_number=None, range_last=None):
        """Why the company's debtor sequence would draw numbers that are no
        DATEV debtor accounts, or an empty string.  The keyword arguments
        replace the saved values (the settings form before it is saved)."""
        self.ensure_one()
        sequence = self.debtor_sequence_id
        if not sequence:
            return ""
        length = length or self.datev_account_length
        prefix = sequence.prefix if prefix is None else prefix
        next_number = next_number or sequence.number_next_actual
        range_last = self.debtor_number_last if range_last is None else range_last
        first, last = 10**length, 7 * 10**length - 1
        if prefix or sequence.suffix:
            reason = self.env._("its numbers have a prefix or suffix")
        elif not first <= next_number <= last:
            reason = self.env._("it draws %(number)s next", number=next_number)
        elif range_last and not first <= range_last <= last:
            reason = self.env._("the company's range ends at %(number)s", number=range_last)
        else:
            return ""
        return self.env._(
            "With DATEV account length %(length)s, debtor accounts are numbers from %(first)s to %(last)s, "
            "but the debtor sequence does not fit: %(reason)s. DATEV will not take these numbers.",
            length=length,
            first=first,
            last=last,
            reason=reason,
        )
