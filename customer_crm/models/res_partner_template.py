from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

# Fields every template lends to new customers (those missing on the model,
# e.g. team_id without crm, or crm_status_id of another capability, are skipped).
TEMPLATE_FIELDS = (
    "property_payment_term_id",
    "property_product_pricelist",
    "property_account_position_id",
    "user_id",
    "team_id",
    "lang",
    "category_id",
    "crm_status_id",
    "default_discount",
    "default_quote_text",
    "default_invoice_text",
)

# Fields an administrator may not add to the template fields: identity,
# hierarchy and numbering of a customer are never copied.
TEMPLATE_EXCLUDED_FIELDS = frozenset(
    {
        "id",
        "name",
        "complete_name",
        "display_name",
        "parent_id",
        "child_ids",
        "commercial_partner_id",
        "is_template_customer",
        "debtor_number",
        "active",
        "type",
        "user_ids",
        "create_uid",
        "create_date",
        "write_uid",
        "write_date",
        "message_main_attachment_id",
    }
)

# Address types that never take template values.
ADDRESS_TYPES = ("invoice", "delivery", "other")


def _no_status_choice(fname, vals):
    """The web client saves an empty status field as ``crm_status_id: False``:
    that is no choice of the user, the template's status applies."""
    return fname == "crm_status_id" and not vals[fname]


class ResPartner(models.Model):
    """Template customers (Musterkunden).

    A template lends its settings to new customers: the company's default
    template in ``default_get`` (web client) and in ``create`` (API, import)
    for every key the caller did not give, or a template chosen on the form
    ("New from template").  Contact persons and addresses take nothing.
    """

    _inherit = "res.partner"

    is_template_customer = fields.Boolean(
        string="Template Customer",
        copy=False,
        index=True,
        tracking=True,
        # the customer file's user group, implied by internal users, so that
        # manager-only elements of the form may depend on it too
        groups="customer_crm.group_customer_crm_user",
        help="A template customer (Musterkunde) lends its settings to new "
        "customers; it is hidden from customer lists and cannot be invoiced.",
    )
    template_customer_id = fields.Many2one(
        comodel_name="res.partner",
        string="New from Template",
        store=False,
        groups="base.group_user",
        domain=[("is_template_customer", "=", True)],
        help="Fill this new customer with the settings of a template customer.",
    )

    # ------------------------------------------------------------------
    # Constraints and onchanges
    # ------------------------------------------------------------------

    @api.constrains("is_template_customer", "parent_id", "debtor_number")
    def _check_template_customer(self):
        templates = self.filtered("is_template_customer")
        for partner in templates:
            if partner.parent_id:
                raise ValidationError(
                    self.env._(
                        "%(name)s is a contact person and cannot be a template customer.",
                        name=partner.display_name,
                    )
                )
            if "debtor_number" in self._fields and partner.debtor_number:
                raise ValidationError(
                    self.env._(
                        "%(name)s has the debtor number %(number)s and cannot be a template customer.",
                        name=partner.display_name,
                        number=partner.debtor_number,
                    )
                )

    @api.onchange("template_customer_id")
    def _onchange_template_customer_id(self):
        template = self.template_customer_id
        if not template or self._origin.id:
            return
        # the chosen template replaces the default one: what it leaves empty is emptied
        fnames = self._customer_crm_template_fnames()
        values = template._customer_crm_template_values(fnames)
        self.update({fname: values.get(fname, False) for fname in fnames if self._fields[fname].type != "one2many"})

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        ctx = self.env.context
        if ctx.get("customer_crm_in_create") or not self._customer_crm_takes_template(
            {
                "parent_id": ctx.get("default_parent_id"),
                "type": ctx.get("default_type"),
                "is_template_customer": ctx.get("default_is_template_customer"),
            }
        ):
            return res
        # sudo: the administrator chose this template for every new customer of
        # the company; a user may create customers without reading rights on it
        template = self.env.company.default_template_customer_id.sudo()
        if not template:
            return res
        fnames = [f for f in self._customer_crm_template_fnames() if f in fields_list]
        for fname, value in template._customer_crm_template_values(fnames).items():
            if f"default_{fname}" not in ctx:
                res[fname] = value
        return res

    @api.model_create_multi
    def create(self, vals_list):
        # before res_partner_debtor's create, which picks the default status
        # from the values filled here (see models/__init__.py)
        copies = self._customer_crm_fill_from_template(vals_list)
        # default_get must not fill template values on its own inside create:
        # create decided per record (contact persons take nothing).
        partners = super(ResPartner, self.with_context(customer_crm_in_create=True)).create(vals_list)
        partners = partners.with_env(self.env)
        for (template_id, fname), indexes in copies.items():
            partners.browse([partners[i].id for i in indexes])._customer_crm_copy_translations(
                self.browse(template_id), fname
            )
        return partners

    def write(self, vals):
        if "is_template_customer" in vals and not vals["is_template_customer"]:
            # sudo: only checks whether a company uses one of these partners as
            # its default template; the user is told no more than its name.
            company = self.env["res.company"].sudo().search([("default_template_customer_id", "in", self.ids)], limit=1)
            if company:
                raise ValidationError(
                    self.env._(
                        "%(name)s is the default template of %(company)s; choose another "
                        "default template in the Settings first.",
                        name=company.default_template_customer_id.display_name,
                        company=company.name,
                    )
                )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    @api.model
    def _customer_crm_template_field_allowed(self, field):
        """Whether an administrator may list ``field`` among the template fields."""
        return (
            field.store
            and not field.compute
            and not field.related
            and field.type not in ("one2many", "binary", "many2one_reference", "properties", "properties_definition")
            and field.name not in TEMPLATE_EXCLUDED_FIELDS
            and not field.name.startswith("message_")
            and not field.name.startswith("activity_")
        )

    @api.model
    def _customer_crm_template_fnames(self, company=None):
        """Names of the fields a template lends, in a stable order."""
        company = company or self.env.company
        fnames = [fname for fname in TEMPLATE_FIELDS if fname in self._fields]
        # sudo: reads the field list configured on the company, not partner data.
        for fname in company.sudo().template_field_ids.mapped("name"):
            field = self._fields.get(fname)
            if field and fname not in fnames and self._customer_crm_template_field_allowed(field):
                fnames.append(fname)
        return fnames

    def _customer_crm_template_values(self, fnames):
        """Values this template sets, ready for ``create``/``write``.

        Only the fields the template has a value for: many2one as ids,
        many2many as ``Command.set``, company-dependent fields in the current
        company; booleans always.
        """
        self.ensure_one()
        vals = {}
        for fname in fnames:
            field = self._fields[fname]
            if field.type == "one2many":
                continue
            if (
                fname == "property_product_pricelist"
                and "specific_property_product_pricelist" in self._fields
                and not self.specific_property_product_pricelist
            ):
                # the template has only the company's fallback pricelist
                continue
            value = self[fname]
            if field.type == "boolean":
                vals[fname] = value
            elif not value:
                continue
            elif field.type == "many2one":
                vals[fname] = value.id
            elif field.type == "many2many":
                vals[fname] = [Command.set(value.ids)]
            else:
                vals[fname] = field.convert_to_write(value, self)
        return vals

    @api.model
    def _customer_crm_takes_template(self, vals):
        """Whether a new partner with ``vals`` takes the default template."""
        ctx = self.env.context
        return not (
            ctx.get("customer_crm_no_template")
            or vals.get("parent_id")
            or vals.get("type") in ADDRESS_TYPES
            or vals.get("is_template_customer")
            or ctx.get("res_partner_search_mode") == "supplier"
        )

    @api.model
    def _customer_crm_fill_from_template(self, vals_list):
        """Complete ``vals_list`` in place with template values.

        Returns ``{(template id, translated field): [indexes]}`` of the
        translated fields filled from a template, whose other languages are
        copied after create.
        """
        ctx = self.env.context
        # sudo: as in default_get, the company's template lends its values to
        # every new customer, whoever creates it
        default_template = self.env.company.default_template_customer_id.sudo()
        copies = {}
        fnames = None
        template_vals = {}
        for index, vals in enumerate(vals_list):
            template = self.browse(vals.pop("template_customer_id", False) or [])
            if template and not template.is_template_customer:
                raise UserError(self.env._("%(name)s is not a template customer.", name=template.display_name))
            merged = {
                "parent_id": vals.get("parent_id", ctx.get("default_parent_id")),
                "type": vals.get("type", ctx.get("default_type")),
                "is_template_customer": vals.get("is_template_customer", ctx.get("default_is_template_customer")),
            }
            if not self._customer_crm_takes_template(merged) and not (template and not merged["parent_id"]):
                continue
            template = template or default_template
            if not template:
                continue
            if fnames is None:
                fnames = self._customer_crm_template_fnames()
            if template.id not in template_vals:
                template_vals[template.id] = template._customer_crm_template_values(fnames)
            for fname, value in template_vals[template.id].items():
                if (fname in vals and not _no_status_choice(fname, vals)) or f"default_{fname}" in ctx:
                    continue
                if fname == "property_product_pricelist" and "specific_property_product_pricelist" in vals:
                    continue
                if fname == "crm_status_id" and not template._customer_crm_status_fits(bool(vals.get("debtor_number"))):
                    continue
                vals[fname] = value
                if self._fields[fname].translate:
                    copies.setdefault((template.id, fname), []).append(index)
        return copies

    def _customer_crm_status_fits(self, numbered):
        """Whether this template's status suits a customer with (or without) a debtor number.

        Statuses are for prospects or for numbered customers (see the debtor
        capability); a status that does not fit is not copied.
        """
        self.ensure_one()
        status = self.crm_status_id if "crm_status_id" in self._fields else False
        if not status or "kind" not in status._fields:
            return True
        return status.kind == ("customer" if numbered else "prospect")

    def _customer_crm_copy_translations(self, template, fname):
        """Copy every language of translated ``fname`` from ``template``."""
        if not self:
            return
        self.flush_recordset([fname])
        template.flush_recordset([fname])
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner AS p SET %(col)s = t.%(col)s
                  FROM res_partner AS t
                 WHERE t.id = %(tid)s AND p.id IN %(ids)s
                """,
                col=SQL.identifier(fname),
                tid=template.id,
                ids=tuple(self.ids),
            )
        )
        self.invalidate_recordset([fname])

    def _customer_crm_apply_template(self, template, fnames=None, only_empty=False):
        """Write the template's values onto existing partners, in batches.

        Partners that get the same set of fields are written together.
        Returns ``{field name: partners changed}``.
        """
        plan = self._customer_crm_template_plan(template, fnames=fnames, only_empty=only_empty)
        values = template._customer_crm_template_values(list(plan))
        groups = {}
        for fname, partners in plan.items():
            for partner in partners:
                groups.setdefault(partner.id, []).append(fname)
        by_fields = {}
        for partner_id, names in groups.items():
            by_fields.setdefault(tuple(names), []).append(partner_id)
        for names, partner_ids in by_fields.items():
            partners = self.browse(partner_ids)
            partners.write({fname: values[fname] for fname in names})
            for fname in names:
                if self._fields[fname].translate:
                    partners._customer_crm_copy_translations(template, fname)
        return plan

    def _customer_crm_template_plan(self, template, fnames=None, only_empty=False):
        """``{field name: partners whose value would change}`` for a template."""
        fnames = fnames or self._customer_crm_template_fnames()
        values = template._customer_crm_template_values(fnames)
        plan = {}
        for fname in fnames:
            if fname not in values:
                continue
            field = self._fields[fname]
            target = template[fname]
            changing = []
            for partner in self:
                if fname == "crm_status_id" and not template._customer_crm_status_fits(bool(partner.debtor_number)):
                    continue
                current = partner[fname]
                if only_empty:
                    filled = current
                    if fname == "property_product_pricelist" and "specific_property_product_pricelist" in self._fields:
                        filled = partner.specific_property_product_pricelist
                    if filled:
                        continue
                if field.type in ("many2one", "many2many"):
                    differs = set(current.ids) != set(target.ids)
                else:
                    differs = (current or False) != (target or False)
                if differs:
                    changing.append(partner.id)
            if changing:
                plan[fname] = self.browse(changing)
        return plan
