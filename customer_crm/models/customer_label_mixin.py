from odoo import api, fields, models
from odoo.fields import Command
from odoo.tools import SQL, sql

LABEL_FIELDS = ("label_ids", "label_auto_ids", "label_excluded_ids")
# what a document takes from its partner, as sale.order.payment_term_id
COMPUTED = {"compute": "_compute_labels", "store": True, "readonly": False, "precompute": True, "copy": True}
# ``partner`` to ``tag``: the active propagating tags of its commercial partner
TAGS_JOIN = SQL("""
    JOIN res_partner_res_partner_category_rel partner_tag ON partner_tag.partner_id = partner.commercial_partner_id
    JOIN res_partner_category tag ON tag.id = partner_tag.category_id AND tag.active AND tag.propagate""")


class CustomerCrmLabelMixin(models.AbstractModel):
    """Labels of a customer document: the propagating tags of its customer's
    commercial partner, computed as a document's values from its partner.
    Two hidden sets remember their origin: ``label_auto_ids``, copied from the
    customer and untouched since (only these make way when the customer
    changes), and ``label_excluded_ids``, removed by hand (never copied
    again).  A label added by hand stays.  Labels given on create (form,
    import, copy, invoice from orders) are completed with the customer's;
    ``write`` books hand edits.  The models using the mixin declare their own
    relation tables and which records are customer documents.
    """

    _name = "customer_crm.label.mixin"
    _description = "Customer Labels on Documents"

    # each model using the mixin declares its own relation tables
    label_ids = fields.Many2many(
        "res.partner.category",
        "customer_crm_label_mixin_label_rel",
        string="Labels",
        help="Labels of this document. The customer's tags are copied here when the customer is set; "
        "labels added or removed by hand are kept.",
        **COMPUTED,
    )
    label_auto_ids = fields.Many2many(
        "res.partner.category",
        "customer_crm_label_mixin_label_auto_rel",
        string="Labels From Customer",
        help="Labels copied from the customer and not changed by hand since.",
        **COMPUTED,
    )
    label_excluded_ids = fields.Many2many(
        "res.partner.category",
        "customer_crm_label_mixin_label_excl_rel",
        string="Labels Removed By Hand",
        help="Labels removed by hand: they are not copied from the customer again.",
        **COMPUTED,
    )

    # --- hooks of the models using the mixin ---

    @api.model
    def _customer_crm_label_backfill_where(self):
        """SQL condition on ``doc`` (this model's table): customer documents."""
        return SQL("TRUE")

    @api.model
    def _customer_crm_label_applies_to_vals(self, vals):
        """Whether a record created from ``vals`` is a customer document."""
        return True

    def _customer_crm_label_documents(self):
        """The records of ``self`` that are customer documents."""
        return self

    # --- compute and CRUD ---

    def _auto_init(self):
        # made before the ORM sees them (it would compute every document's labels in
        # Python), filled once every table has its columns (tags their "propagate")
        if not self._abstract and self._auto:
            new = [self._fields[fname] for fname in LABEL_FIELDS]
            new = [field for field in new if not sql.table_exists(self.env.cr, field.relation)]
            for field in new:
                field.update_db(self, {})
            if new:
                self.pool.post_init(self._customer_crm_backfill_labels)
        return super()._auto_init()

    @api.depends("partner_id")
    def _compute_labels(self):
        docs = self.browse() if self.env.context.get("customer_crm_label_sync") else self
        new = docs._customer_crm_label_documents()._customer_crm_labels_from_customers()
        Category = self.env["res.partner.category"]
        for doc in self:
            sets = new.get(doc) or doc._customer_crm_label_sets()
            doc.label_ids, doc.label_auto_ids, doc.label_excluded_ids = (Category.browse(sorted(s)) for s in sets)

    @api.model_create_multi
    def create(self, vals_list):
        # labels given (by a form, an import, a copy, an invoice from orders)
        # are completed with the customer's; others are computed (precompute)
        todo = [
            vals
            for vals in vals_list
            if not set(LABEL_FIELDS).isdisjoint(vals) and self._customer_crm_label_applies_to_vals(vals)
        ]
        if todo and not self.env.context.get("customer_crm_label_sync"):
            self._customer_crm_labels_complete_vals(todo)
        return super().create(vals_list)

    def write(self, vals):
        if self.env.context.get("customer_crm_label_sync") or "label_ids" not in vals:
            return super().write(vals)  # a change of customer alone is computed
        docs = self._customer_crm_label_documents()
        before = {doc: doc._customer_crm_label_sets() for doc in docs}
        result = super().write(vals)
        changes = {}
        for doc, (old_labels, old_auto, _old_excluded) in before.items():
            labels, auto, excluded = doc._customer_crm_label_sets()
            # removed by hand: excluded (those from the customer are found through auto)
            removed = old_labels - old_auto - labels
            changes[doc] = self._customer_crm_labels_merge(labels, auto, excluded, removed=removed)
        self._customer_crm_write_labels(changes)
        if "partner_id" in vals and "label_auto_ids" not in vals:
            docs._customer_crm_reapply_labels()  # what the compute, protected by the write, did not do
        return result

    # --- business methods ---

    @api.model
    def _customer_crm_propagating_tags(self, partners):
        """{partner id: ids of the propagating tags of its commercial partner},
        one query for any number of partners.  Only tag ids are read: tags
        have no access rules, whoever may set a customer may see its tags.

        The query reads all tags of the commercial partners as the ORM does
        (inactive ones too, in the tags' order) and caches them as their
        ``category_id``: Odoo reads the customer's tags right after for the
        analytic distribution of a new order's or invoice's lines, which then
        costs no query of its own."""
        partner_ids = [pid for pid in partners._ids if pid and isinstance(pid, int)]  # False is an int
        result = {pid: set() for pid in partner_ids}
        if not partner_ids:
            return result
        Partner = self.env["res.partner"]
        field = Partner._fields["category_id"]
        Category = self.env["res.partner.category"].with_context(active_test=False)
        query = self._customer_crm_tags_query(partner_ids)
        tags_of_commercial = {}
        for partner_id, commercial_id, tag_id, active, propagate in self.env.execute_query(query):
            tags = tags_of_commercial.setdefault(commercial_id, {}).setdefault(partner_id, [])
            if tag_id:
                tags.append(tag_id)
                if active and propagate:
                    result[partner_id].add(tag_id)
        if self.env.su or not self.env["ir.rule"]._compute_domain(Category._name, "read"):
            # what Many2many.read would cache (it applies the tags' record rules)
            commercials = Partner.browse(cid for cid in tags_of_commercial if cid)
            values = [tuple(next(iter(tags_of_commercial[cid].values()))) for cid in commercials._ids]
            self.env.cache.insert_missing(commercials, field, values)
        return result

    @api.model
    def _customer_crm_tags_query(self, partner_ids):
        """SQL of ``(partner, commercial partner, tag, active, propagate)``:
        every tag of the partners' commercial partners, in the tags' order
        (a row without tag for a commercial partner without any)."""
        Partner = self.env["res.partner"]
        Partner.flush_model(["commercial_partner_id", "category_id"])
        Category = self.env["res.partner.category"].with_context(active_test=False)
        Category.flush_model(["propagate", "active"])
        field = Partner._fields["category_id"]
        tags = SQL.identifier(Category._table)  # the alias the tags' order refers to
        return SQL(
            """SELECT partner.id, partner.commercial_partner_id, %(tags)s.id, %(tags)s.active, %(tags)s.propagate
                 FROM res_partner partner
            LEFT JOIN %(rel)s rel ON rel.%(partner_col)s = partner.commercial_partner_id
            LEFT JOIN %(tags)s ON %(tags)s.id = rel.%(tag_col)s
                WHERE partner.id = ANY(%(ids)s)
             ORDER BY partner.id, %(order)s""",
            tags=tags,
            rel=SQL.identifier(field.relation),
            partner_col=SQL.identifier(field.column1),
            tag_col=SQL.identifier(field.column2),
            ids=partner_ids,
            order=Category._order_to_sql(Category._order, Category._where_calc([])),
        )

    @api.model
    def _customer_crm_backfill_labels(self):
        """Give the documents existing at install their customers' labels,
        one INSERT ... SELECT per relation for any number of documents."""
        for field in (self._fields["label_ids"], self._fields["label_auto_ids"]):
            self.env.cr.execute(
                SQL(
                    """INSERT INTO %s (%s, %s)
                       SELECT doc.id, tag.id FROM %s doc JOIN res_partner partner ON partner.id = doc.partner_id %s
                        WHERE %s
                       ON CONFLICT DO NOTHING""",
                    SQL.identifier(field.relation),
                    SQL.identifier(field.column1),
                    SQL.identifier(field.column2),
                    SQL.identifier(self._table),
                    TAGS_JOIN,
                    self._customer_crm_label_backfill_where(),
                )
            )
        self.env.invalidate_all()

    @api.model
    def _customer_crm_labels_merge(self, labels, auto, excluded, removed=(), customer_tags=None, replace=False):
        """New (labels, auto, excluded) sets of a document from its current ones
        (``auto`` may still list labels just removed by hand), the labels
        ``removed`` by hand, the propagating ``customer_tags`` (None: no
        propagation); ``replace`` drops labels from the customer that
        ``customer_tags`` lacks (the customer changed)."""
        labels = set(labels)
        excluded = (set(excluded) | set(removed) | (set(auto) - labels)) - labels
        auto = set(auto) & labels
        if customer_tags is not None:
            if replace:
                stale = auto - customer_tags
                labels -= stale
                auto -= stale
            new = customer_tags - excluded - labels
            labels |= new
            auto |= new
        return labels, auto, excluded

    @api.model
    def _customer_crm_labels_complete_vals(self, vals_list):
        default_partner = self.env.context.get("default_partner_id")
        partner_ids = {vals.get("partner_id", default_partner) for vals in vals_list}
        tags_by_partner = self._customer_crm_propagating_tags(self.env["res.partner"].browse(partner_ids))
        for vals in vals_list:
            # the ids of existing labels (those created inline are set by hand)
            ids = [self._fields[f].convert_to_cache(vals.get(f) or (), self.browse(), False) for f in LABEL_FIELDS]
            labels, auto, excluded = self._customer_crm_labels_merge(
                *({i for i in value if isinstance(i, int)} for value in ids),
                customer_tags=tags_by_partner.get(vals.get("partner_id", default_partner), set()),
            )
            created = [cmd for cmd in vals.get("label_ids") or () if isinstance(cmd, list | tuple) and cmd[0] == 0]
            vals["label_ids"] = [Command.set(sorted(labels)), *created]
            vals["label_auto_ids"] = [Command.set(sorted(auto))]
            vals["label_excluded_ids"] = [Command.set(sorted(excluded))]

    def _customer_crm_label_sets(self):
        """(labels, auto, excluded) id sets of the document ``self``."""
        return tuple(set(self[fname]._origin.ids) for fname in LABEL_FIELDS)

    def _customer_crm_labels_from_customers(self, restore_removed=False):
        """{document: new (labels, auto, excluded)} with the current tags of
        the customers; ``restore_removed`` adds back labels removed by hand."""
        tags_by_partner = self._customer_crm_propagating_tags(self.partner_id._origin)
        result = {}
        for doc in self:
            labels, auto, excluded = doc._customer_crm_label_sets()
            tags = tags_by_partner.get(doc.partner_id._origin.id, set())
            excluded = set() if restore_removed else excluded
            result[doc] = self._customer_crm_labels_merge(labels, auto, excluded, customer_tags=tags, replace=True)
        return result

    def _customer_crm_reapply_labels(self, restore_removed=False):
        """Propagate the customers' current labels to ``self`` again; returns
        the documents whose labels changed."""
        docs = self._customer_crm_label_documents()
        return self._customer_crm_write_labels(docs._customer_crm_labels_from_customers(restore_removed))

    def _customer_crm_write_labels(self, changes):
        """Write {document: (labels, auto, excluded)} where they changed, in
        one batch: each relation gets one DELETE and one INSERT for all
        documents together.  Returns the documents changed."""
        changes = {doc: sets for doc, sets in changes.items() if sets != doc._customer_crm_label_sets()}
        docs = self.browse([doc.id for doc in changes])
        if changes:
            docs._customer_crm_write_label_sets(changes)
        return docs

    def _customer_crm_write_label_sets(self, changes):
        self.check_access("write")
        self.modified(LABEL_FIELDS, before=True)
        for index, fname in enumerate(LABEL_FIELDS):
            self._fields[fname].write_batch([(doc, [Command.set(sorted(new[index]))]) for doc, new in changes.items()])
        self.modified(LABEL_FIELDS)
