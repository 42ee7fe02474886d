import datetime
import logging
import re
import time
from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL, format_date, format_datetime, formatLang
from odoo.tools.mail import html_to_inner_content
from odoo.tools.sql import column_exists

from ..tools.install import Lookup, indexes_built_after, module_installing, set_columns

SUMMARY_LENGTH = 120
# message types that may count as an activity (see _crm_activity_domain)
ACTIVITY_MESSAGE_TYPES = ("comment", "email", "email_outgoing")
# tracked fields whose change is a change of status, not of other data
STATUS_FIELDS = ("state", "crm_status_id", "stage_id", "payment_state")
# label columns read through jsonb_build_array(): the JSON value is the cache
# value, or is parsed back by these
JSON_SAFE_TYPES = ("char", "text", "selection", "many2one", "integer", "boolean", "many2one_reference")
JSON_PARSED_TYPES = {
    "date": lambda value: value and datetime.date.fromisoformat(value),
    "datetime": lambda value: value and datetime.datetime.fromisoformat(value),
}

_logger = logging.getLogger(__name__)


class MailMessage(models.Model):
    """The CRM log: every message on a customer's documents, linked to the customer.

    ``crm_partner_id`` is the commercial partner (the customer) a message
    belongs to.  It is resolved once, when the message is created, from the
    document the message is posted on (see :meth:`_crm_log_models`), and moved
    when the document moves to another customer (see ``mail.thread.write``).
    Messages that count as an activity of the customer (see
    :meth:`_crm_activity_domain`) also move the customer's last activity.
    """

    _inherit = "mail.message"

    crm_partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Customer (commercial partner) whose CRM log shows this message.",
    )
    crm_log_type = fields.Selection(
        [
            ("note", "Note"),
            ("message", "Message"),
            ("email", "E-mail"),
            ("tracking", "Status change"),
            ("change", "Change"),
            ("activity", "Activity done"),
            ("system", "System"),
        ],
        string="Log Type",
        compute="_compute_crm_log",
        groups="base.group_user",
    )
    crm_summary = fields.Char(string="Summary", compute="_compute_crm_log", groups="base.group_user")
    crm_document_label = fields.Char(string="Document", compute="_compute_crm_log", groups="base.group_user")
    # the author's own name: its display name leads with its company
    crm_author_name = fields.Char(string="Author Name", related="author_id.name", groups="base.group_user")

    # ------------------------------------------------------------------
    # Which documents feed the log, and what counts as an activity
    # ------------------------------------------------------------------

    @api.model
    def _crm_log_models(self):
        """Document models whose messages feed the customers' CRM log.

        Returns ``{model name: (partner field, domain)}``: a message posted on
        a record of the model belongs to the commercial partner of the
        record's partner field, when the record matches the domain.  Other
        addons join the log by extending the dict, e.g.::

            def _crm_log_models(self):
                return {**super()._crm_log_models(), "helpdesk.ticket": ("partner_id", [])}
        """
        return {
            # the customer itself and its contact persons
            "res.partner": ("id", []),
            "sale.order": ("partner_id", []),
            # customer invoices, refunds and receipts; not vendor bills or entries
            "account.move": (
                "partner_id",
                [("move_type", "in", self.env["account.move"].get_sale_types(include_receipts=True))],
            ),
        }

    @api.model
    def _crm_activity_domain(self):
        """The rule which messages count as an activity of the customer.

        A message moves ``res.partner.last_activity_date`` when it is

        * a user note or comment: ``message_type`` ``comment`` with the
          *Note* or *Discussions* subtype (logged notes, sent messages,
          quotations and invoices sent by e-mail), or
        * an e-mail: ``message_type`` ``email`` (incoming) or
          ``email_outgoing`` (mass mailing),

        and it is not a tracking-only message (tracking values and no text).
        Everything else does not count: ``notification`` (tracking of status
        changes, "document created", activity done), ``auto_comment``
        (acknowledgements), ``user_notification`` and comments of other
        subtypes.  They still show in the log, but leave the date alone.
        """
        xmlid_to_id = self.env["ir.model.data"]._xmlid_to_res_id  # cached: no query per batch
        subtypes = [xmlid_to_id(xmlid, raise_if_not_found=False) for xmlid in ("mail.mt_note", "mail.mt_comment")]
        subtypes = [subtype_id for subtype_id in subtypes if subtype_id]
        return [
            ("message_type", "in", ACTIVITY_MESSAGE_TYPES),
            "|",
            ("message_type", "!=", "comment"),
            ("subtype_id", "in", subtypes),
            "|",
            ("tracking_value_ids", "=", False),
            ("body", "!=", False),
        ]

    def _auto_init(self):
        # On install (or when the columns appear on upgrade), link the existing
        # messages and set the last activities with set-based SQL, once every
        # table has its columns and before the indexes are built.
        missing = not column_exists(self.env.cr, "mail_message", "crm_partner_id") or not column_exists(
            self.env.cr, "res_partner", "last_activity_date"
        )
        res = super()._auto_init()
        if missing:
            # on install the post_init_hook sets the last activities, in the
            # UPDATE that gives the customers their statuses
            self.pool.post_init(self._crm_backfill, not module_installing(self.env.cr))
        return res

    # ------------------------------------------------------------------
    # Display in the log
    # ------------------------------------------------------------------

    @api.depends("message_type", "subtype_id", "mail_activity_type_id", "body", "model", "res_id")
    @api.depends_context("uid")
    def _compute_crm_log(self):
        # cached id lookup: env.ref() would cost an exists() query per read
        note = self.env["mail.message.subtype"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note", raise_if_not_found=False)
        )
        # sudo: tracking values are restricted to administrators; only their
        # formatted field names and values of messages the user reads are shown
        trackings = self.sudo().tracking_value_ids
        tracking_by_message = defaultdict(lambda: trackings.browse())
        for tracking in trackings:
            tracking_by_message[tracking.mail_message_id.id] |= tracking
        labels = self._crm_document_labels()
        for message in self:
            tracking = tracking_by_message[message.id]
            text = html_to_inner_content(message.body or "")
            values = tracking._tracking_value_format() if tracking else []
            if not text and values:
                text = "; ".join(
                    f"{value['changedField']}: {self._crm_format_value(value, 'oldValue')} → "
                    f"{self._crm_format_value(value, 'newValue')}"
                    for value in values
                )
            if not text:
                text = message.subject or message.subtype_id.name or ""
            text = re.sub(r"[^\S\xa0]+", " ", text).strip()  # keeps no-break spaces of amounts
            if len(text) > SUMMARY_LENGTH:
                text = text[: SUMMARY_LENGTH - 1].rstrip() + "…"
            message.crm_log_type = message._crm_log_type(values, note)
            message.crm_summary = text
            message.crm_document_label = labels.get(message.id, "")

    def _crm_log_type(self, values, note):
        """The type of the log line: ``values`` are its formatted tracking
        values, ``note`` the subtype of internal notes."""
        if self.mail_activity_type_id:
            return "activity"
        if values:
            return "tracking" if any(value["fieldName"] in STATUS_FIELDS for value in values) else "change"
        if self.message_type in ("email", "email_outgoing"):
            return "email"
        if self.message_type == "comment":
            return "note" if self.subtype_id == note or self.subtype_id.internal else "message"
        return "system"

    @api.model
    def _crm_format_value(self, value, side):
        """A tracked value (``side`` of an item of ``_tracking_value_format``)
        as the form shows it: Yes/No, amounts with their currency, numbers
        and dates in the user's language and time zone."""
        field_type, data = value["fieldType"], value[side]
        raw = data["value"]
        if field_type == "boolean":
            return self.env._("Yes") if raw else self.env._("No")
        if raw is None or raw is False or raw == "":
            return ""
        currency = self.env["res.currency"].browse(data["currencyId"]) or self.env.company.currency_id
        formatters = {
            "monetary": lambda: formatLang(self.env, raw, currency_obj=currency),
            "float": lambda: formatLang(self.env, raw),
            "integer": lambda: formatLang(self.env, raw, digits=0),
            "date": lambda: format_date(self.env, raw),
            "datetime": lambda: format_datetime(self.env, fields.Datetime.to_datetime(raw.rstrip("Z"))),
        }
        return formatters.get(field_type, lambda: str(raw))()

    def _crm_document_labels(self):
        """``{message id: "Invoice INV/2026/00042"}`` for the documents of
        ``self`` the current user may read (other documents get no label).

        One query for the messages' documents of all log models (see
        :meth:`_crm_fetch_log_documents`); documents of other models are
        looked up one query per model."""
        if not self:
            return {}
        fetched = self._crm_fetch_log_documents()
        # sudo: model and res_id of messages the caller already reads
        # (the fetch above put them in the cache)
        documents = {message.id: (message.model, message.res_id) for message in self.sudo()}
        labels = {}
        for key, (model, res_id) in documents.items():
            if res_id in fetched.get(model, ()):
                # prefetch over all documents of the model: a label reading a
                # field the fetch did not cache reads it for all of them at once
                document = self.env[model].browse(res_id).with_prefetch(tuple(fetched[model]))
                labels[key] = self._crm_document_label(document)
        others = {key: doc for key, doc in documents.items() if doc[0] not in fetched}
        if others:
            labels.update(self._crm_labels_of_documents(others))
        return labels

    def _crm_fetch_log_documents(self):
        """Fetch, in one ``UNION ALL`` query, ``model`` and ``res_id`` of the
        messages ``self`` and the label columns of their documents of every
        log model the user may read (the model's record rules apply, as in a
        search), into the cache.  Returns ``{model: documents found}`` with
        every log model that was part of the query: ``{model: {res_id, …}}``."""
        Message = self.sudo()  # sudo: only model and res_id, see the callers
        # the messages are read once, as a CTE that each model's part reads
        # (a plain plan: the ids are one array, not a list per part)
        selects = [SQL("SELECT 'mail.message', id, jsonb_build_array(model, res_id) FROM crm_log_message")]
        columns_of = {}
        for model in self._crm_log_models():
            select = self._crm_log_document_select(model)
            if select:
                selects.append(select[0])
                columns_of[model] = select[1:]
        rows = self.env.execute_query(
            SQL(
                "WITH crm_log_message AS MATERIALIZED"
                " (SELECT id, model, res_id FROM mail_message WHERE id = ANY(%s)) %s",
                list(self.ids),
                SQL(" UNION ALL ").join(SQL("(%s)", s) for s in selects),
            )
        )
        ids_by_model = defaultdict(list)
        values_by_model = defaultdict(list)
        for model, res_id, values in rows:
            ids_by_model[model].append(res_id)
            values_by_model[model].append(values)
        fetched = {}
        for model, (Model, columns) in [
            ("mail.message", (Message, [Message._fields["model"], Message._fields["res_id"]])),
            *columns_of.items(),
        ]:
            records = Model.browse(ids_by_model[model])
            for i, field in enumerate(columns):
                parse = JSON_PARSED_TYPES.get(field.type)
                values = [parse(v[i]) if parse else v[i] for v in values_by_model[model]]
                self.env.cache.insert_missing(records, field, values)
            fetched[model] = set(records.ids)
        del fetched["mail.message"]
        return fetched

    def _crm_log_document_select(self, model):
        """``(select, Model, columns)``: the query of the label columns of the
        documents of ``model`` that the messages of the CTE ``crm_log_message``
        are on, with the model's record rules; None when the user may not read
        the model or a column cannot be read through JSON."""
        Model = self.env[model].with_context(active_test=False)
        columns = [Model._fields[name] for name in self._crm_label_columns(Model)]
        if not Model.has_access("read") or any(
            f.type not in JSON_SAFE_TYPES and f.type not in JSON_PARSED_TYPES for f in columns
        ):
            return None
        query = Model._search([])  # the record rules, not executed
        query.add_where(
            SQL(
                "%s IN (SELECT res_id FROM crm_log_message WHERE model = %s)",
                SQL.identifier(Model._table, "id"),
                model,
            )
        )
        values = SQL(", ").join(Model._field_to_sql(Model._table, f.name, query) for f in columns)
        document_id = SQL.identifier(Model._table, "id")
        return query.select(SQL("%s", model), document_id, SQL("jsonb_build_array(%s)", values)), Model, columns

    @api.model
    def _crm_labels_of_documents(self, documents):
        """``{key: label}`` of ``documents`` (``{key: (model, res_id)}``),
        for the documents the current user may read."""
        ids_by_model = defaultdict(set)
        for model, res_id in documents.values():
            if model and res_id and model in self.env:
                ids_by_model[model].add(res_id)
        label_by_doc = {}
        for model, res_ids in ids_by_model.items():
            Model = self.env[model].with_context(active_test=False)
            if not Model.has_access("read"):
                continue
            # One query per model: existence, record rules and the columns
            # the labels read (search applies the rules like _filtered_access).
            records = Model.search_fetch([("id", "in", list(res_ids))], self._crm_label_columns(Model))
            for record in records.with_env(self.env):
                label_by_doc[model, record.id] = self._crm_document_label(record)
        return {key: label_by_doc[doc] for key, doc in documents.items() if doc in label_by_doc}

    @api.model
    def _crm_label_columns(self, Model):
        """The stored columns ``_crm_document_label`` reads on ``Model``: its
        name and state, what its display name depends on and, where those
        are computed, what they depend on: res.partner's display name reads
        the fields of its ``complete_name`` again (type, parent, …)."""
        depends = Model.pool.field_depends
        names = {"name", "state", "move_type"}
        names.update(dep.split(".")[0] for dep in depends.get(Model._fields["display_name"], ()))
        for name in list(names):
            field = Model._fields.get(name)
            if field and field.compute and field.store:
                second = (Model._fields.get(dep.split(".")[0]) for dep in depends.get(field, ()))
                names.update(f.name for f in second if f and f.type in JSON_SAFE_TYPES)
        return sorted(name for name in names if name in Model._fields and Model._fields[name].store)

    @api.model
    def _crm_document_label(self, document):
        """Kind and name of a document, e.g. "Quotation S00042"."""
        if document._name == "account.move":
            if document.state == "posted" or (document.name and document.name != "/"):
                return self.env._("%(kind)s %(name)s", kind=document.type_name, name=document.name)
            return document.display_name
        if document._name == "sale.order":
            if document.state in ("draft", "sent"):
                return self.env._("Quotation %(name)s", name=document.name)
            return self.env._("Sales Order %(name)s", name=document.name)
        if document._name == "res.partner":
            return document.display_name
        kind = self.env["ir.model"]._get(document._name).name
        return self.env._("%(kind)s %(name)s", kind=kind, name=document.display_name)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        log_models = self._crm_log_models()
        if self.env.context.get("customer_crm_log_on_commercial_partners"):
            # the caller logs on commercial partners: each is its own customer
            for vals in vals_list:
                if vals.get("model") == "res.partner" and vals.get("res_id"):
                    vals.setdefault("crm_partner_id", vals["res_id"])
        res_ids_by_model = defaultdict(set)
        for vals in vals_list:
            if "crm_partner_id" not in vals and vals.get("model") in log_models and vals.get("res_id"):
                res_ids_by_model[vals["model"]].add(vals["res_id"])
        partner_by_doc = {}
        for model, res_ids in res_ids_by_model.items():
            for res_id, partner_id in self._crm_resolve_partners(model, list(res_ids)):
                partner_by_doc[model, res_id] = partner_id
        for vals in vals_list:
            if "crm_partner_id" not in vals and (vals.get("model"), vals.get("res_id")) in partner_by_doc:
                vals["crm_partner_id"] = partner_by_doc[vals["model"], vals["res_id"]]
        messages = super().create(vals_list)
        if partner_by_doc:
            # no UPDATE at all for batches that cannot count (e.g. "document created");
            # sudo: reads back the link just set, whoever posts (portal included)
            candidates = messages.sudo().filtered(
                lambda message: message.crm_partner_id and message.message_type in ACTIVITY_MESSAGE_TYPES
            )
            candidates._crm_touch_last_activity()
        return messages

    def unlink(self):
        # partners whose last activity is one of these messages get the next one
        partner_ids = []
        if self.ids:
            partner_ids = [
                row[0]
                for row in self.env.execute_query(
                    SQL("SELECT id FROM res_partner WHERE last_activity_message_id IN %s", tuple(self.ids))
                )
            ]
        res = super().unlink()
        if partner_ids:
            self._crm_update_last_activity(partner_ids=partner_ids)
        return res

    # ------------------------------------------------------------------
    # Set-based SQL helpers
    # ------------------------------------------------------------------

    @api.model
    def _crm_document_query(self, model, res_ids=None):
        """SQL selecting ``(document id, commercial partner id)`` of the
        documents of ``model`` that feed the log (all when ``res_ids`` is None)."""
        partner_field, domain = self._crm_log_models()[model]
        # sudo: the log links messages to customers whatever the author may read;
        # who sees a message is decided by the access rules of mail.message
        Document = self.env[model].sudo().with_context(active_test=False)
        if res_ids is not None:
            domain = [("id", "in", list(res_ids)), *domain]
        query = Document._search(domain)
        partner = query.make_alias(Document._table, "crm_partner")
        query.add_join(
            "JOIN",
            partner,
            "res_partner",
            SQL(
                "%s = %s",
                SQL.identifier(partner, "id"),
                Document._field_to_sql(Document._table, partner_field, query),
            ),
        )
        return query.select(
            SQL.identifier(Document._table, "id"),
            SQL.identifier(partner, "commercial_partner_id"),
        )

    @api.model
    def _crm_document_lookup(self):
        """The customer of every document of the log models (a
        ``tools.install.Lookup`` by model and id, with ``partner_id``)."""
        selects = [
            SQL(
                "SELECT %s::varchar, d.id, d.partner_id FROM (%s) AS d(id, partner_id) WHERE d.partner_id IS NOT NULL",
                model,
                self._crm_document_query(model),
            )
            for model in self._crm_log_models()
            if model in self.env
        ]
        return Lookup(
            self.env.cr,
            "customer_crm_log_document",
            SQL(" UNION ALL ").join(selects),
            {"model": "varchar", "res_id": "integer"},
            {"partner_id": "integer"},
        )

    @api.model
    def _crm_resolve_partners(self, model, res_ids):
        """``[(document id, commercial partner id)]``: from the cache when the
        documents and their customers are loaded (a message on a document just
        created or read, e.g. "Quotation created"), else one query per model."""
        cached = self._crm_resolve_partners_cached(model, res_ids)
        if cached is not None:
            return cached
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        return [row for row in self.env.execute_query(self._crm_document_query(model, res_ids)) if row[1]]

    @api.model
    def _crm_resolve_partners_cached(self, model, res_ids):
        """What :meth:`_crm_document_query` selects, computed from the cache;
        None unless every value it needs is cached and up to date."""
        partner_field, domain = self._crm_log_models()[model]
        # sudo and no active filter, as the query
        documents = self.env[model].sudo().with_context(active_test=False).browse(res_ids)
        fnames = {partner_field, *(leaf[0] for leaf in domain if isinstance(leaf, list | tuple))}
        if any(fname not in documents._fields for fname in fnames) or not self._crm_all_cached(documents, fnames):
            return None
        partners = documents if partner_field == "id" else documents[partner_field]
        if not self._crm_all_cached(partners, {"commercial_partner_id"}):
            return None
        documents = documents.filtered_domain(domain) if domain else documents
        rows = [
            (doc.id, (doc if partner_field == "id" else doc[partner_field]).commercial_partner_id.id)
            for doc in documents
        ]
        return [row for row in rows if row[1]]

    @api.model
    def _crm_all_cached(self, records, fnames):
        """Whether the cache holds current values of ``fnames`` for all ``records``."""
        env = records.env
        for fname in fnames:
            if fname == "id":
                continue
            field = records._fields[fname]
            if next(env.cache.get_missing_ids(records, field), None) is not None:
                return False
            if field.compute and field.store and any(env.is_to_compute(field, record) for record in records):
                return False
        return True

    @api.model
    def _crm_relink_documents(self, documents):
        """Link the messages of ``documents`` to their current customer (one
        UPDATE), then fix the last activity of the customers they left and
        joined."""
        log_models = self._crm_log_models()
        if not documents.ids or documents._name not in log_models:
            return
        # A document whose customer is cleared keeps its links until it gets a
        # new one: sale's partner warning clears partner_id in the cache only,
        # and flushing that (the queries below would) breaks its NOT NULL.
        documents = documents.filtered(log_models[documents._name][0])
        if not documents:
            return
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.flush_model(["crm_partner_id"])
        res_ids = list(documents.ids)
        old_rows = self.env.execute_query(
            SQL(
                "SELECT DISTINCT crm_partner_id FROM mail_message "
                "WHERE model = %s AND res_id = ANY(%s) AND crm_partner_id IS NOT NULL",
                documents._name,
                res_ids,
            )
        )
        new_rows = self.env.execute_query(
            SQL(
                """
                    UPDATE mail_message m
                       SET crm_partner_id = d.partner_id
                      FROM (SELECT t.id, r.partner_id
                              FROM unnest(%s::int[]) AS t(id)
                         LEFT JOIN (%s) AS r(id, partner_id) ON r.id = t.id) AS d
                     WHERE m.model = %s AND m.res_id = d.id
                       AND m.crm_partner_id IS DISTINCT FROM d.partner_id
                 RETURNING d.partner_id
                    """,
                res_ids,
                self._crm_document_query(documents._name, res_ids),
                documents._name,
            )
        )
        self.invalidate_model(["crm_partner_id"])
        # the customers the messages left and joined, when any message moved
        changed = {pid for (pid,) in old_rows + new_rows if pid} if new_rows else set()
        if changed:
            self._crm_update_last_activity(partner_ids=list(changed))

    @api.model
    def _crm_backfill(self, last_activity=True):
        """Link all existing messages to their customer and (with
        ``last_activity``) set every customer's last activity: one statement
        for the messages (on a large log a rewrite of the table, see
        ``tools.install.set_columns``), one UPDATE for the partners."""
        self.env.flush_all()
        start = time.perf_counter()
        # a large log: rewritten without its indexes, which are built again after
        with indexes_built_after(self.env.cr, "mail_message") as large, self._crm_document_lookup() as documents:
            keys = (SQL("mail_message.model"), SQL("mail_message.res_id"))
            set_columns(
                self.env.cr,
                "mail_message",
                documents.or_current("mail_message", {"crm_partner_id": "partner_id"}, *keys),
                documents.contains(*keys),
                rewrite=large,
            )
        [(linked,)] = self.env.execute_query(SQL("SELECT count(*) FROM mail_message WHERE crm_partner_id IS NOT NULL"))
        self.invalidate_model(["crm_partner_id"])
        # build the indexes of res.partner before filling it: an index built
        # after an update in the same transaction is not used by older snapshots
        linked_at = time.perf_counter()
        if last_activity:
            self.pool.check_indexes(self.env.cr, ["res.partner"])
            self._crm_update_last_activity()
            # fresh statistics, so that the planner uses the new indexes for
            # the "last activity before" filters right away
            self.env.cr.execute("ANALYZE res_partner")
        self.env.cr.execute("ANALYZE mail_message (crm_partner_id)")
        _logger.info(
            "customer_crm: CRM log backfilled, %s messages linked to their customer in %.2fs "
            "(linking %.2fs, last activities %.2fs)",
            linked,
            time.perf_counter() - start,
            linked_at - start,
            time.perf_counter() - linked_at,
        )

    def _crm_activity_query(self, domain=()):
        """SQL selecting, per customer, its newest counted message of ``self``'s
        model matching ``domain``: ``(partner id, date, message id)``."""
        # sudo: bypasses the per-user filtering of mail.message._search; the
        # result only feeds the stored last-activity fields of customers
        query = self.sudo()._search([("crm_partner_id", "!=", False), *self._crm_activity_domain(), *domain])
        query.order = SQL("mail_message.crm_partner_id, mail_message.date DESC, mail_message.id DESC")
        return query.select(
            SQL("DISTINCT ON (mail_message.crm_partner_id) mail_message.crm_partner_id"),
            SQL("mail_message.date"),
            SQL("mail_message.id"),
        )

    def _crm_last_activity_lookup(self):
        """The newest counted message of every customer that has one
        (``_crm_activity_query``), as a ``tools.install.Lookup`` by partner
        id, with the ``date`` and ``id`` of the message."""
        return Lookup(
            self.env.cr,
            "customer_crm_last_activity",
            self._crm_activity_query(),
            {"crm_partner_id": "integer"},
            {"date": "timestamp", "id": "integer"},
        )

    def _crm_touch_last_activity(self):
        """O(1) per message: move the last activity of the customers of the
        counted messages in ``self`` forward, one conditional UPDATE."""
        if not self.ids:
            return
        self.flush_recordset()
        self.env.execute_query(
            SQL(
                """
                UPDATE res_partner p
                   SET last_activity_date = m.date, last_activity_message_id = m.id
                  FROM (%s) AS m(partner_id, date, id)
                 WHERE p.id = m.partner_id
                   AND (p.last_activity_date IS NULL OR p.last_activity_date <= m.date)
                """,
                self._crm_activity_query([("id", "in", self.ids)]),
            )
        )
        self.env["res.partner"]._crm_invalidate_last_activity()

    @api.model
    def _crm_update_last_activity(self, partner_ids=None):
        """Set the last activity of the given customers (all when None) from
        their counted messages; customers without any get none."""
        if partner_ids is not None and not partner_ids:
            return
        self.flush_model()
        extra = [("crm_partner_id", "in", list(partner_ids))] if partner_ids is not None else []
        last = self._crm_activity_query(extra)
        if partner_ids is None:
            self.env.execute_query(
                SQL(
                    """
                    UPDATE res_partner p
                       SET last_activity_date = m.date, last_activity_message_id = m.id
                      FROM (%s) AS m(partner_id, date, id)
                     WHERE p.id = m.partner_id
                    """,
                    last,
                )
            )
        else:
            self.env.execute_query(
                SQL(
                    """
                    UPDATE res_partner p
                       SET last_activity_date = m.date, last_activity_message_id = m.id
                      FROM unnest(%s::int[]) AS t(partner_id)
                 LEFT JOIN (%s) AS m(partner_id, date, id) ON m.partner_id = t.partner_id
                     WHERE p.id = t.partner_id
                    """,
                    list(partner_ids),
                    last,
                )
            )
        self.env["res.partner"]._crm_invalidate_last_activity()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_crm_open_document(self):
        """Open the document this log line was posted on."""
        self.ensure_one()
        return self._crm_open_document_action(self.model, self.res_id)

    @api.model
    def _crm_open_document_action(self, model, res_id):
        """Window action opening a document of the log, if the user may read it."""
        if not model or not res_id or model not in self.env:
            return False
        self.env[model].browse(res_id).check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": model,
            "res_id": res_id,
            "views": [(False, "form")],
            "target": "current",
        }
