from odoo import api, fields, models
from odoo.fields import Command
from odoo.tools import SQL, sql

LABEL_FIELDS = ("label_ids", "label_auto_ids", "label_excluded_ids")


class CustomerCrmLabelMixin(models.AbstractModel):
    """Labels of a customer document: the customer's tags, copied.

    The labels are computed from the customer as Odoo computes what a
    document takes from its partner (``sale.order.payment_term_id``): stored,
    editable and precomputed, so that the form shows them before saving and a
    change of customer recomputes them.  They are the tags marked
    ``propagate`` of the customer's commercial partner.  Two hidden sets,
    computed with them, remember how they came about:

    * ``label_auto_ids``: labels copied from the customer and not touched by
      hand since.  Only these make way when the customer changes.
    * ``label_excluded_ids``: labels removed by hand.  They are not copied
      again.

    A label added by hand is in ``label_ids`` only and stays.  Labels given
    when a document is created (a form, an import, a copy, an invoice made
    from orders) are kept and completed with the customer's (``create``); a
    hand edit is booked in ``write``.  The models using the mixin declare
    their own relation tables and say which of their records are customer
    documents (``_customer_crm_label_documents``).
    """

    _name = "customer_crm.label.mixin"
    _description = "Customer Labels on Documents"

    label_ids = fields.Many2many(
        "res.partner.category",
        "customer_crm_label_mixin_label_rel",  # each model declares its own table
        string="Labels",
        compute="_compute_labels",
        store=True,
        readonly=False,
        precompute=True,
        copy=True,
        help="Labels of this document. The customer's tags are copied here when the customer is set; "
        "labels added or removed by hand are kept.",
    )
    label_auto_ids = fields.Many2many(
        "res.partner.category",
        "customer_crm_label_mixin_label_auto_rel",
        string="Labels From Customer",
        compute="_compute_labels",
        store=True,
        readonly=False,
        precompute=True,
        copy=True,
        help="Labels copied from the customer and not changed by hand since.",
    )
    label_excluded_ids = fields.Many2many(
        "res.partner.category",
        "customer_crm_label_mixin_label_excl_rel",
        string="Labels Removed By Hand",
        compute="_compute_labels",
        store=True,
        readonly=False,
        precompute=True,
        copy=True,
        help="Labels removed by hand: they are not copied from the customer again.",
    )

    # --- hooks of the models using the mixin ---

    @api.model
    def _customer_crm_label_backfill_where(self):
        """SQL condition on ``doc`` (this model's table) selecting the
        customer documents, for the backfill at install."""
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
        # The label tables of documents existing at install are made and filled
        # here in one INSERT ... SELECT each; the ORM would otherwise compute
        # the labels of every document, whatever its type, in Python.
        if not self._abstract and self._auto:
            new = [self._fields[fname] for fname in LABEL_FIELDS]
            new = [field for field in new if not sql.table_exists(self.env.cr, field.relation)]
            for field in new:
                field.update_db(self, {})
            if new:
                self._customer_crm_backfill_labels()
        return super()._auto_init()

    @api.depends("partner_id")
    def _compute_labels(self):
        docs = (
            self.browse() if self.env.context.get("customer_crm_label_sync") else self._customer_crm_label_documents()
        )
        tags_by_partner = self._customer_crm_propagating_tags(docs.partner_id._origin)
        Category = self.env["res.partner.category"]
        for doc in self:
            sets = (set(doc.label_ids._origin.ids), set(doc.label_auto_ids._origin.ids))
            sets += (set(doc.label_excluded_ids._origin.ids),)
            if doc in docs:
                customer_tags = tags_by_partner.get(doc.partner_id._origin.id, set())
                sets = self._customer_crm_labels_merge(*sets, customer_tags=customer_tags, replace=True)
            doc.label_ids, doc.label_auto_ids, doc.label_excluded_ids = (Category.browse(sorted(s)) for s in sets)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("customer_crm_label_sync"):
            self._customer_crm_labels_prepare_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if self.env.context.get("customer_crm_label_sync") or "label_ids" not in vals:
            return super().write(vals)  # a change of customer alone is computed
        docs = self._customer_crm_label_documents()
        before = {
            doc.id: (set(doc.label_ids.ids), set(doc.label_auto_ids.ids), doc.partner_id.commercial_partner_id.id)
            for doc in docs
        }
        result = super().write(vals)
        docs._customer_crm_labels_after_write(vals, before)
        return result

    # --- business methods ---

    @api.model
    def _customer_crm_propagating_tags(self, partners):
        """{partner id: ids of the propagating tags of its commercial partner}"""
        partner_ids = [pid for pid in partners._ids if pid and isinstance(pid, int)]  # False is an int
        result = {pid: set() for pid in partner_ids}
        if not partner_ids:
            return result
        # One query for any number of partners: this runs on every document
        # created.  It reads only tag ids (no access rules on tags, the
        # customer's tags are visible to whoever may set it on a document).
        self.env["res.partner"].flush_model(["commercial_partner_id", "category_id"])
        self.env["res.partner.category"].flush_model(["propagate", "active"])
        tags = self.env["res.partner"]._fields["category_id"]
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner.id, array_agg(tag.id)
                  FROM res_partner partner
                  JOIN %(rel)s rel ON rel.%(col1)s = partner.commercial_partner_id
                  JOIN res_partner_category tag ON tag.id = rel.%(col2)s AND tag.propagate AND tag.active
                 WHERE partner.id = ANY(%(ids)s)
                 GROUP BY partner.id
                """,
                rel=SQL.identifier(tags.relation),
                col1=SQL.identifier(tags.column1),
                col2=SQL.identifier(tags.column2),
                ids=partner_ids,
            )
        )
        result.update((partner_id, set(tag_ids)) for partner_id, tag_ids in rows)
        return result

    @api.model
    def _customer_crm_backfill_labels(self):
        """Give the documents existing at install their customers' labels,
        one INSERT ... SELECT per relation for any number of documents."""
        tags = self.env["res.partner"]._fields["category_id"]
        has_propagate = sql.column_exists(self.env.cr, "res_partner_category", "propagate")
        for fname in LABEL_FIELDS[:2]:
            field = self._fields[fname]
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO %(rel)s (%(doc_col)s, %(tag_col)s)
                    SELECT doc.id, tag.id
                      FROM %(table)s doc
                      JOIN res_partner partner ON partner.id = doc.partner_id
                      JOIN %(tags_rel)s partner_tag ON partner_tag.%(partner_col)s = partner.commercial_partner_id
                      JOIN res_partner_category tag ON tag.id = partner_tag.%(category_col)s
                     WHERE tag.active AND %(propagate)s AND %(where)s
                    ON CONFLICT DO NOTHING
                    """,
                    rel=SQL.identifier(field.relation),
                    doc_col=SQL.identifier(field.column1),
                    tag_col=SQL.identifier(field.column2),
                    table=SQL.identifier(self._table),
                    tags_rel=SQL.identifier(tags.relation),
                    partner_col=SQL.identifier(tags.column1),
                    category_col=SQL.identifier(tags.column2),
                    propagate=SQL("tag.propagate IS NOT FALSE") if has_propagate else SQL("TRUE"),
                    where=self._customer_crm_label_backfill_where(),
                )
            )
        self.env.invalidate_all()

    @api.model
    def _customer_crm_labels_merge(self, labels, auto, excluded, removed=(), customer_tags=None, replace=False):
        """New (labels, auto, excluded) sets of a document.

        :param labels, auto, excluded: the document's sets as they are now
            (``auto`` may still list labels a user has just removed)
        :param removed: labels the user has just removed by hand
        :param customer_tags: propagating tags of the customer, or None to
            leave propagation out
        :param replace: drop labels that came from the customer but that
            ``customer_tags`` no longer has (the customer changed)
        """
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
    def _customer_crm_labels_prepare_vals(self, vals_list):
        """Complete labels given to new documents with the customer's; those
        given none get theirs computed (precompute)."""
        todo = [
            vals
            for vals in vals_list
            if not set(LABEL_FIELDS).isdisjoint(vals) and self._customer_crm_label_applies_to_vals(vals)
        ]
        default_partner = self.env.context.get("default_partner_id")
        tags_by_partner = self._customer_crm_propagating_tags(
            self.env["res.partner"].browse({vals.get("partner_id", default_partner) for vals in todo})
        )
        for vals in todo:
            given = [self._customer_crm_label_value_ids(fname, vals.get(fname)) for fname in LABEL_FIELDS]
            labels, auto, excluded = self._customer_crm_labels_merge(
                *given, customer_tags=tags_by_partner.get(vals.get("partner_id", default_partner), set())
            )
            created = [cmd for cmd in vals.get("label_ids") or () if isinstance(cmd, list | tuple) and cmd[0] == 0]
            vals["label_ids"] = [Command.set(sorted(labels)), *created]
            vals["label_auto_ids"] = [Command.set(sorted(auto))]
            vals["label_excluded_ids"] = [Command.set(sorted(excluded))]

    @api.model
    def _customer_crm_label_value_ids(self, fname, value):
        """The ids of existing labels that a ``create`` value of ``fname`` sets
        (labels created inline are labels set by hand, kept apart)."""
        ids = self._fields[fname].convert_to_cache(value or (), self.browse(), validate=False)
        return {label_id for label_id in ids if isinstance(label_id, int)}

    def _customer_crm_labels_after_write(self, vals, before):
        """Book a hand edit of the labels: a label removed by hand is
        excluded; when the commercial partner changed too, the old customer's
        untouched labels make way for the new customer's."""
        moved = self.filtered(lambda doc: doc.partner_id.commercial_partner_id.id != before[doc.id][2])
        tags_by_partner = self._customer_crm_propagating_tags(moved.partner_id)
        changes = {}
        for doc in self:
            old_labels, old_auto, _old_partner = before[doc.id]
            current = (set(doc.label_ids.ids), set(doc.label_auto_ids.ids), set(doc.label_excluded_ids.ids))
            # labels set by hand before and no longer there; removed labels
            # that came from the customer are found through ``auto``
            removed = old_labels - old_auto - current[0]
            customer_tags = tags_by_partner.get(doc.partner_id.id, set()) if doc in moved else None
            new = self._customer_crm_labels_merge(*current, removed=removed, customer_tags=customer_tags, replace=True)
            if new != current:
                changes[doc] = new
        self._customer_crm_write_labels(changes)

    def _customer_crm_reapply_labels(self, restore_removed=False):
        """Propagate the customers' current labels to ``self`` again.

        :param restore_removed: also add back labels removed by hand
        :return: the documents whose labels changed
        """
        docs = self._customer_crm_label_documents()
        tags_by_partner = self._customer_crm_propagating_tags(docs.partner_id)
        changes = {}
        for doc in docs:
            current = (set(doc.label_ids.ids), set(doc.label_auto_ids.ids), set(doc.label_excluded_ids.ids))
            new = self._customer_crm_labels_merge(
                current[0],
                current[1],
                set() if restore_removed else current[2],
                customer_tags=tags_by_partner.get(doc.partner_id.id, set()),
                replace=True,
            )
            if new != current:
                changes[doc] = new
        self._customer_crm_write_labels(changes)
        return self.browse([doc.id for doc in changes])

    def _customer_crm_write_labels(self, changes):
        """Write {document: (labels, auto, excluded)} in one batch: each
        relation gets one DELETE and one INSERT for all documents together."""
        if not changes:
            return
        docs = self.browse([doc.id for doc in changes])
        docs.check_access("write")
        docs.modified(LABEL_FIELDS, before=True)
        for index, fname in enumerate(LABEL_FIELDS):
            self._fields[fname].write_batch(
                [(doc, [Command.set(sorted(sets[index]))]) for doc, sets in changes.items()]
            )
        docs.modified(LABEL_FIELDS)
