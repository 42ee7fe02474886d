from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustomerStatus(models.Model):
    """Status of a customer in the customer file.

    A status is either for prospects (customers without a debtor number) or
    for customers (with a debtor number).  Each kind has one default status
    per company: new customers get the default prospect status, and drawing a
    debtor number moves them to the default customer status.
    """

    _name = "customer_crm.status"
    _description = "Customer Status"
    _order = "kind desc, sequence, id"

    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(
        [("prospect", "Prospect (without debtor number)"), ("customer", "Customer (with debtor number)")],
        required=True,
        default="prospect",
        index=True,
        help="Prospect statuses are for customers without a debtor number, "
        "customer statuses for customers with one.",
    )
    is_default = fields.Boolean(
        string="Default",
        help="New customers get the default prospect status; a customer whose debtor "
        "number is drawn moves to the default customer status.",
    )
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    fold = fields.Boolean(string="Folded in Kanban")
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to use this status in every company.",
    )
    partner_count = fields.Integer(string="Customers", compute="_compute_partner_count")

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group([("crm_status_id", "in", self.ids)], ["crm_status_id"], ["__count"])
        )
        for status in self:
            status.partner_count = counts.get(status, 0)

    @api.constrains("is_default", "kind", "company_id", "active")
    def _check_one_default(self):
        defaults = self.filtered(lambda s: s.is_default and s.active)
        if not defaults:
            return
        groups = self._read_group(
            [("is_default", "=", True), ("kind", "in", defaults.mapped("kind"))],
            ["kind", "company_id"],
            ["__count"],
        )
        for kind, __, count in groups:
            if count > 1:
                kind_label = dict(self._fields["kind"]._description_selection(self.env))[kind]
                raise ValidationError(
                    self.env._(
                        "There can be only one default status of kind “%(kind)s” per company.",
                        kind=kind_label,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("is_default") and vals.get("active", True):
                self._unset_defaults(vals.get("kind", "prospect"), vals.get("company_id") or False)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("is_default") or ({"kind", "company_id", "active"} & set(vals)):
            for status in self:
                if vals.get("is_default", status.is_default) and vals.get("active", status.active):
                    company_id = vals["company_id"] if "company_id" in vals else status.company_id.id
                    self._unset_defaults(vals.get("kind", status.kind), company_id or False, exclude=self)
        return super().write(vals)

    @api.model
    def _unset_defaults(self, kind, company_id, exclude=None):
        """Ticking "Default" on a status unticks the former default of its kind."""
        others = self.search([("kind", "=", kind), ("company_id", "=", company_id), ("is_default", "=", True)])
        if exclude:
            others -= exclude
        if others:
            others.is_default = False

    @api.model
    def _customer_crm_default_status(self, kind, company=None):
        """The default status of ``kind`` for ``company`` (a company-specific
        default wins over a shared one); an empty recordset if there is none."""
        company = company or self.env.company
        return self.search(
            [("kind", "=", kind), ("is_default", "=", True), ("company_id", "in", [company.id, False])],
            order="company_id asc nulls last, sequence, id",
            limit=1,
        )

    @api.model
    def _customer_crm_default_statuses(self, kind, companies):
        """{company id: default status of ``kind``} for ``companies``, in one query."""
        statuses = self.search(
            [("kind", "=", kind), ("is_default", "=", True), ("company_id", "in", [*companies.ids, False])],
            order="sequence, id",
        )
        shared = statuses.filtered(lambda s: not s.company_id)[:1]
        result = {}
        for company in companies:
            own = statuses.filtered(lambda s, c=company: s.company_id == c)[:1]
            result[company.id] = own or shared
        return result
