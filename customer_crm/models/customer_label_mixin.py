from odoo import api, fields, models
from odoo.fields import Command
from odoo.models import BaseModel
from odoo.tools import SQL, sql

LABEL_FIELDS = ("label_ids", "label_auto_ids", "label_excluded_ids")


def command_ids(value):
    """The ids a many2many value of ``create``/``write`` sets on a new record.

    Understands lists of commands, lists of ids and recordsets; records
    created inline (``Command.create``) have no id yet and are left out
    (they are labels set by hand, which propagation never touches).
    """
    if isinstance(value, BaseModel):
        return set(value.ids)
    ids = set()
    for command in value or ():
        if isinstance(command, int):
            ids.add(command)
        elif not isinstance(command, list | tuple) or not command:
            continue
        elif command[0] == Command.SET:
            ids = set(command[2] or ())
        elif command[0] == Command.CLEAR:
            ids = set()
        elif command[0] == Command.LINK:
            ids.add(command[1])
        elif command[0] in (Command.UNLINK, Command.DELETE):
            ids.discard(command[1])
    return ids


def as_commands(value):
    """A many2many value of ``create`` as a list of commands."""
    if isinstance(value, BaseModel):
        return [Command.set(value.ids)]
    value = list(value or ())
    if value and all(isinstance(item, int) for item in value):
        return [Command.set(value)]
    return value


class CustomerCrmLabelMixin(models.AbstractModel):
    """Labels of a customer document: the customer's tags, copied.

    A document gets the tags of its customer's commercial partner that are
    marked ``propagate`` when it gets its customer (on create, on a change of
    customer and in the form before saving).  Two hidden sets remember how
    its labels came about:

    * ``label_auto_ids``: labels copied from the customer and not touched by
      hand since.  Only these are removed when the customer changes.
    * ``label_excluded_ids``: labels removed by hand.  Propagation never adds
      them back.

    A label added by hand is in ``label_ids`` only and stays.  The models
    using the mixin declare their own relation tables and say which of their
    records are customer documents (``_customer_crm_label_documents``).
    """

    _name = "customer_crm.label.mixin"
    _description = "Customer Labels on Documents"

    label_ids = fields.Many2many(
        "res.partner.category",
        "customer_crm_label_mixin_label_rel",  # each model declares its own table
        string="Labels",
        copy=True,
        help="Labels of this document. The customer's tags are copied here when the customer is set; "
        "labels added or removed by hand are kept.",
    )
    label_auto_ids = fields.Many2many(
        "res.partner.category",
        "customer_crm_label_mixin_label_auto_rel",
        string="Labels From Customer",
        copy=True,
        help="Labels copied from the customer and not changed by hand since.",
    )
    label_excluded_ids = fields.Many2many(
        "res.partner.category",
        "customer_crm_label_mixin_label_excl_rel",
        string="Labels Removed By Hand",
        copy=True,
        help="Labels removed by hand: they are not copied from the customer again.",
    )

    # ------------------------------------------------------------------
    # Hooks of the models using the mixin
    # ------------------------------------------------------------------

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

    # ------------------------------------------------------------------
    # Onchange and CRUD
    # ------------------------------------------------------------------

    def _auto_init(self):
        # documents existing when the addon is installed get labels too
        if self._abstract or not self._auto:
            return super()._auto_init()
        new_table = not sql.table_exists(self.env.cr, self._fields["label_ids"].relation)
        result = super()._auto_init()
        if new_table:
            self._customer_crm_backfill_labels()
        return result

    @api.onchange("partner_id")
    def _onchange_partner_id_customer_crm_labels(self):
        """Show the new customer's labels in the form before saving."""
        docs = self._customer_crm_label_documents()
        tags_by_partner = self._customer_crm_propagating_tags(docs.partner_id._origin)
        for doc in docs:
            labels, auto, excluded = self._customer_crm_labels_merge(
                set(doc.label_ids._origin.ids),
                set(doc.label_auto_ids._origin.ids),
                set(doc.label_excluded_ids._origin.ids),
                customer_tags=tags_by_partner.get(doc.partner_id._origin.id, set()),
                replace=True,
            )
            Category = self.env["res.partner.category"]
            doc.label_ids = Category.browse(sorted(labels))
            doc.label_auto_ids = Category.browse(sorted(auto))
            doc.label_excluded_ids = Category.browse(sorted(excluded))

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("customer_crm_label_sync"):
            self._customer_crm_labels_prepare_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if self.env.context.get("customer_crm_label_sync") or not {"label_ids", "label_auto_ids", "partner_id"} & set(
            vals
        ):
            return super().write(vals)
        docs = self._customer_crm_label_documents()
        before = {
            doc.id: (set(doc.label_ids.ids), set(doc.label_auto_ids.ids), doc.partner_id.commercial_partner_id.id)
            for doc in docs
        }
        result = super().write(vals)
        docs._customer_crm_labels_after_write(vals, before)
        return result

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

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
        Partner = self.env["res.partner"]
        Category = self.env["res.partner.category"]
        Partner.flush_model(["commercial_partner_id", "category_id"])
        Category.flush_model(["propagate", "active"])
        tags = Partner._fields["category_id"]
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
        """Give the documents existing at install their customers' labels.

        One INSERT ... SELECT per relation, for any number of documents; it
        knows nothing of labels removed by hand, so it only runs when the
        label tables are created.
        """
        cr = self.env.cr
        tags = self.env["res.partner"]._fields["category_id"]
        propagate = (
            SQL("tag.propagate IS NOT FALSE")
            if sql.column_exists(cr, "res_partner_category", "propagate")
            else SQL("TRUE")
        )
        for fname in ("label_ids", "label_auto_ids"):
            field = self._fields[fname]
            cr.execute(
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
                    propagate=propagate,
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
        """Add the customer's labels to the values of new documents."""
        todo = [vals for vals in vals_list if self._customer_crm_label_applies_to_vals(vals)]
        if not todo:
            return
        default_partner = self.env.context.get("default_partner_id")
        partner_ids = {vals.get("partner_id", default_partner) for vals in todo}
        tags_by_partner = self._customer_crm_propagating_tags(
            self.env["res.partner"].browse([pid for pid in partner_ids if pid and isinstance(pid, int)])
        )
        for vals in todo:
            commands = as_commands(vals.get("label_ids"))
            labels, auto, excluded = self._customer_crm_labels_merge(
                command_ids(commands),
                command_ids(vals.get("label_auto_ids")),
                command_ids(vals.get("label_excluded_ids")),
                customer_tags=tags_by_partner.get(vals.get("partner_id", default_partner), set()),
            )
            added = labels - command_ids(commands)
            if added:
                vals["label_ids"] = commands + [Command.link(tag_id) for tag_id in sorted(added)]
            if auto or "label_auto_ids" in vals:
                vals["label_auto_ids"] = [Command.set(sorted(auto))]
            if excluded or "label_excluded_ids" in vals:
                vals["label_excluded_ids"] = [Command.set(sorted(excluded))]

    def _customer_crm_labels_after_write(self, vals, before):
        """Keep the label bookkeeping of written documents right.

        A label removed by hand is remembered as excluded; when the
        commercial partner changed, the old customer's untouched labels make
        way for the new customer's.
        """
        moved = self.filtered(lambda doc: doc.partner_id.commercial_partner_id.id != before[doc.id][2])
        tags_by_partner = self._customer_crm_propagating_tags(moved.partner_id)
        changes = {}
        for doc in self:
            old_labels, old_auto, _old_partner = before[doc.id]
            labels = set(doc.label_ids.ids)
            auto = set(doc.label_auto_ids.ids)
            excluded = set(doc.label_excluded_ids.ids)
            # labels set by hand before and no longer there; removed labels
            # that came from the customer are found through ``auto``
            removed = (old_labels - old_auto - labels) if "label_ids" in vals else set()
            customer_tags = None
            if doc in moved:
                customer_tags = tags_by_partner.get(doc.partner_id.id, set())
            new = self._customer_crm_labels_merge(
                labels, auto, excluded, removed=removed, customer_tags=customer_tags, replace=True
            )
            if new != (labels, auto, excluded):
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
        """Write {document: (labels, auto, excluded)} in one batch.

        Each of the three relations gets one DELETE and one INSERT for all
        documents together, where ``write`` would cost queries per distinct
        value.
        """
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
