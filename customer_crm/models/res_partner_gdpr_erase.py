import logging
from collections import defaultdict
from datetime import date

from psycopg2 import IntegrityError

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, mute_logger

_logger = logging.getLogger(__name__)

GDPR_ACTIONS = [
    ("delete", "Delete"),
    ("restrict", "Restrict"),
    ("anonymise", "Anonymise"),
    ("keep", "Keep"),
    ("relink", "Keep, remove the link"),
    ("archive", "Archive"),
    ("review", "Check"),
]
# Erased at once, also from a restricted customer ...
ERASED_AT_ONCE = (
    *("email", "phone", "mobile", "website", "comment", "function", "title", "category_id", "image_1920"),
    *("barcode", "industry_id", "partner_latitude", "partner_longitude"),
    *("marketing_consent_date", "marketing_consent_source"),
)
# ... and what the kept documents need, once the law no longer keeps them.
ERASED_AFTER_RETENTION = (
    *("street", "street2", "zip", "city", "state_id", "country_id"),
    *("vat", "company_registry", "company_name", "ref", "short_name"),
)
# Records of these apps are books and documents the law keeps (§ 147 AO, § 257 HGB).
KEPT_APPS = ("account.", "payment.transaction")
OPEN_ORDERS = [("state", "=", "sale"), ("invoice_status", "=", "to invoice")]
OPEN_INVOICES = [("state", "=", "posted"), ("payment_state", "in", ("not_paid", "partial"))]
QUIET = {"tracking_disable": True, "mail_notrack": True}  # no tracking keeps the erased values


class ResPartner(models.Model):
    """GDPR: erase a customer, or restrict it while the law keeps its
    documents (Art. 17 (3) (b) and 18 GDPR), then anonymise it."""

    _inherit = "res.partner"

    gdpr_restricted = fields.Boolean(
        string="Restricted (GDPR)",
        readonly=True,
        copy=False,
        index=True,
        help="Erasure requested while the law keeps documents about the customer: only what these documents "
        "need is kept, the customer is archived and gets no new quotations, orders or invoices.",
    )
    gdpr_erase_after = fields.Date(
        string="Erase After", readonly=True, copy=False, help="End of the legal retention period: anonymised then."
    )

    def _gdpr_entry(self, records, action, reason, role=None, name=None):
        names = name or ", ".join(records.mapped("display_name"))
        return {
            "model": records._name,
            "ids": records.ids,
            "name": names,
            "role": role,
            "action": action,
            "reason": reason,
        }

    def _gdpr_refusal(self, partners):
        """Why the customer cannot be erased now, or None: user accounts
        (raised), or a contract still being performed (returned)."""
        _ = self.env._
        users = self.env["res.users"].search([("partner_id", "in", partners.ids)])
        if users:
            raise UserError(
                _(
                    "%(customer)s has user accounts (%(users)s). Delete or archive them in Settings first.",
                    customer=self.display_name,
                    users=", ".join(users.mapped("login")),
                )
            )
        orders = self.env["sale.order"].search([("partner_id", "in", partners.ids), *OPEN_ORDERS])
        moves = self.env["account.move"].search([("commercial_partner_id", "in", partners.ids), *OPEN_INVOICES])
        moves = moves.filtered(lambda move: move.is_sale_document(include_receipts=True))
        if not orders and not moves:
            return None
        return _(
            "%(customer)s cannot be erased yet: the contract is still being performed (Art. 17 (3) GDPR). "
            "Settle these documents first: %(docs)s.",
            customer=self.display_name,
            docs=", ".join(self._gdpr_document_label(doc) for doc in [*orders, *moves]),
        )

    def _gdpr_role(self, doc, partner_ids):
        _ = self.env._
        customer = doc.commercial_partner_id if doc._name == "account.move" else doc.partner_id
        if doc.partner_id.id in partner_ids or customer.id in partner_ids:
            return _("Customer")
        if doc._name == "sale.order" and doc.partner_invoice_id.id in partner_ids:
            return _("Invoice address only")
        if doc.partner_shipping_id.id in partner_ids:
            return _("Delivery address only")
        return _("Partner of journal items")

    def _gdpr_plan_document(self, doc, partner_ids):
        """Keep, delete or relink an order or journal entry."""
        _ = self.env._
        role = self._gdpr_role(doc, partner_ids)
        if doc._name == "sale.order" and (doc.state == "sale" or doc.locked):
            return self._gdpr_entry(doc, "keep", _("Confirmed order: kept for the records."), role=role)
        if doc._name == "account.move" and (
            doc.state == "posted" or doc.posted_before or doc.origin_payment_id or doc.statement_line_id
        ):
            return self._gdpr_entry(doc, "keep", _("Posted accounting document: kept as the law requires."), role=role)
        if role in (_("Customer"), _("Partner of journal items")):
            return self._gdpr_entry(doc, "delete", _("Quotation, draft or cancelled document: deleted."), role=role)
        reason = _(
            "Belongs to %(customer)s: kept, the address is replaced by that customer's.",
            customer=doc.partner_id.display_name,
        )
        return self._gdpr_entry(doc, "relink", reason, role=role)

    def _gdpr_plan_found(self, automatic, review, partner_ids):
        """Plan entries of what the lookup found in the installed apps."""
        _ = self.env._
        entries = []
        for model, ids in sorted((model, ids) for model, ids in automatic.items() if ids):
            records = self.env[model].with_context(active_test=False).browse(sorted(ids))
            if model in ("sale.order", "account.move"):
                entries += [self._gdpr_plan_document(doc, partner_ids) for doc in records]
            elif model.startswith(KEPT_APPS):
                entries.append(self._gdpr_entry(records, "keep", _("Accounting record: kept as the law requires.")))
            else:
                reason = _("Refers to the customer or holds its e-mail address: deleted.")
                entries.append(self._gdpr_entry(records, "delete", reason))
        reason = _("Same name or a similar e-mail address, but not linked to the customer: tick it to delete it too.")
        for model, ids in sorted(review.items()):
            entries += [self._gdpr_entry(r, "review", reason) for r in self.env[model].browse(sorted(ids))]
        return entries

    def _gdpr_plan_log(self, partners, kept_docs):
        """Plan entries of the customer's messages, notes and attachments."""
        _ = self.env._
        messages = self.env["mail.message"].search(partners._gdpr_message_domain())
        kept_ids = {(e["model"], i) for e in kept_docs for i in e["ids"]}
        note = self.env.ref("mail.mt_note")
        kept = messages.filtered(lambda m: (m.model, m.res_id) in kept_ids and m.subtype_id != note)
        kept |= self._gdpr_audit_trail_messages(messages - kept)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)]
        )
        parts = [
            (messages - kept, "delete", _("%(count)s messages and notes"), _("The customer's log: deleted.")),
            (kept, "keep", _("%(count)s messages"), _("History of kept documents or accounting audit trail: kept.")),
            (attachments, "delete", _("%(count)s attachments"), _("Attachments of the customer: deleted.")),
        ]
        return [self._gdpr_entry(r, a, why, name=name % {"count": len(r)}) for r, a, name, why in parts if r]

    @api.model
    def _gdpr_audit_trail_messages(self, messages):
        """The messages account's audit trail forbids deleting (as ``mail.message._except_audit_log``)."""
        if "account_audit_log_activated" not in messages._fields:
            return messages.browse()
        audit = messages.filtered(
            lambda m: m.account_audit_log_activated
            and not (m.account_audit_log_move_id and not m.account_audit_log_move_id.posted_before)
        )
        partner_messages = audit.filtered("account_audit_log_partner_id")
        if partner_messages and not self.env["account.move"].search_count(
            [
                ("partner_id", "in", partner_messages.account_audit_log_partner_id.ids),
                ("company_id.check_account_audit_trail", "=", True),
            ],
            limit=1,
        ):
            audit -= partner_messages
        return audit

    def _gdpr_plan_partners(self, partners, outcome, kept_docs, erase_after):
        _ = self.env._
        on_kept = self.browse()
        for entry in kept_docs:
            docs = self.env[entry["model"]].browse(entry["ids"])
            for name in ("partner_id", "partner_invoice_id", "partner_shipping_id"):
                on_kept |= docs[name] if name in docs else on_kept
        reasons = {
            "restricted": _(
                "Name, address, VAT ID and debtor number are kept for the documents the law keeps, restricted and "
                "archived until %(date)s; e-mail, phones, notes and consent are erased now.",
                date=format_date(self.env, erase_after),
            ),
            "anonymised": _("Anonymised (name, contact data cleared; debtor number kept) and archived."),
            "deleted": _("Deleted with its personal data."),
        }
        action = {"restricted": "restrict", "anonymised": "anonymise", "deleted": "delete"}[outcome]
        entries = [self._gdpr_entry(self, action, reasons[outcome], role=_("Customer"))]
        for child in partners - self:
            if outcome == "restricted" and child in on_kept:
                reason = _("Address on kept documents: restricted with the customer.")
                entries.append(self._gdpr_entry(child, "restrict", reason, role=_("Contact person")))
            else:
                entries.append(
                    self._gdpr_entry(child, "delete", _("Contact person: deleted."), role=_("Contact person"))
                )
        banks = (
            self.env["res.partner.bank"].with_context(active_test=False).search([("partner_id", "in", partners.ids)])
        )
        used = banks.browse()
        for entry in kept_docs if banks else ():
            docs = self.env[entry["model"]].browse(entry["ids"])
            used |= docs.partner_bank_id & banks if "partner_bank_id" in docs else used.browse()
        if banks - used:
            entries.append(self._gdpr_entry(banks - used, "delete", _("Bank account: deleted.")))
        if used:
            entries.append(self._gdpr_entry(used, "archive", _("Bank account used on kept documents: archived.")))
        return entries

    def _gdpr_erase_after(self, kept_docs):
        """End of the calendar year of the last kept document plus the retention period."""
        dates = []
        for entry in kept_docs:
            for doc in self.env[entry["model"]].browse(entry["ids"]):
                value = next(
                    doc[f] for f in ("invoice_date", "date", "date_order", "create_date") if f in doc._fields and doc[f]
                )
                dates.append(fields.Date.to_date(value))
        years = (self.company_id or self.env.company).gdpr_retention_years
        return date(max(dates).year + years, 12, 31)

    def _gdpr_erase_plan(self, extra=()):
        """What erasing this customer does to each linked record, without doing it."""
        self.ensure_one()
        _ = self.env._
        partners = self._gdpr_partners()
        refusal = self._gdpr_refusal(partners)
        automatic, review = partners._gdpr_lookup()
        for model, res_id in extra:  # records of the review the manager ticked
            if res_id in review.get(model, ()):
                review[model].discard(res_id)
                automatic[model].add(res_id)
        found = self._gdpr_plan_found(automatic, review, partners.ids)
        kept_docs = [e for e in found if e["action"] == "keep"]
        log = self._gdpr_plan_log(partners, kept_docs)
        erase_after = kept_docs and self._gdpr_erase_after(kept_docs)
        if kept_docs:
            outcome = "restricted"
            reason = _(
                "The law keeps %(count)s document(s) (posted invoices, payments, confirmed orders) until %(date)s. "
                "What they need is kept but restricted, everything else is erased now; the scheduled action "
                "anonymises the customer after that date.",
                count=len(kept_docs),
                date=format_date(self.env, erase_after),
            )
        elif any(e["action"] == "keep" for e in log):
            outcome = "anonymised"
            reason = _(
                "The accounting audit trail of the customer must be kept, so the customer is anonymised and "
                "archived instead of deleted."
            )
        else:
            outcome, reason = (
                "deleted",
                _("No document must be kept, so the customer and its personal data are deleted."),
            )
        plan = self._gdpr_plan_partners(partners, outcome, kept_docs, erase_after) + found + log
        return {
            "result": "refused" if refusal else "planned",
            "outcome": outcome,
            "reason": refusal or reason,
            "erase_after": erase_after or False,
            "partner_id": self.id,
            "plan": plan,
        }

    def gdpr_erase(self, dry_run=False, extra=()):
        """Erase the customer: delete it, or restrict it while the law keeps its documents.

        Returns a dict with ``result`` (``deleted``, ``restricted``,
        ``anonymised``; on a dry run ``planned``, or ``refused`` while the
        contract is still being performed, where the erasure raises a
        ``UserError``), ``reason`` and ``plan``, one entry per linked record.
        ``extra``: ``(model, id)`` pairs of the dry run's records to check,
        to be deleted too.  All or nothing; managers only.
        """
        self.ensure_one()
        self._gdpr_check_manager()
        self.check_access("read")  # record rules: a customer of the manager's companies
        # sudo: the manager check is done; the plan holds this customer's records only
        customer = self.sudo().with_context(active_test=False)
        plan = customer._gdpr_erase_plan(extra)
        if dry_run:
            return plan
        if plan["result"] == "refused":
            raise UserError(plan["reason"])
        with self.env.cr.savepoint():
            return customer._gdpr_erase_execute(plan)

    def _gdpr_erase_execute(self, plan):
        """Carry out a plan of :meth:`_gdpr_erase_plan`."""
        _ = self.env._
        records = {}
        for entry in plan["plan"]:
            key = (entry["model"], entry["action"])
            records[key] = records.get(key, self.env[entry["model"]]) | self.env[entry["model"]].browse(entry["ids"])

        def get(model, action):
            return records.get((model, action), self.env[model])

        name, email, partners = self.name, self.email_normalized, self._gdpr_partners()
        messages = get("mail.message", "delete").exists()
        (messages - self._gdpr_audit_trail_messages(messages)).unlink()
        on_partners = [("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)]
        self.env["mail.activity"].search(on_partners).unlink()
        followers = self.env["mail.followers"]
        (followers.search(on_partners) | followers.search([("partner_id", "in", partners.ids)])).unlink()
        for order in get("sale.order", "relink"):
            order.write(
                {f: order.partner_id.id for f in ("partner_invoice_id", "partner_shipping_id") if order[f] in partners}
            )
        for move in get("account.move", "relink"):
            move.partner_shipping_id = move.partner_id
        get("sale.order", "delete").filtered(lambda o: o.state != "cancel").write({"state": "cancel"})
        for (model, action), found in records.items():
            if action == "delete" and model not in ("res.partner", "mail.message"):
                found.exists().unlink()
        get("res.partner.bank", "archive").write({"active": False})
        outcome, reason = self._gdpr_erase_partners(plan, get)
        log = self._gdpr_privacy_log(name, email, plan["plan"])
        message = {
            "deleted": _("The customer was deleted with its personal data. %(reason)s", reason=reason),
            "restricted": _("The customer was restricted and archived, not deleted. %(reason)s", reason=reason),
            "anonymised": _("The customer was anonymised and archived, not deleted. %(reason)s", reason=reason),
        }[outcome]
        return {**plan, "result": outcome, "reason": reason, "message": message, "log_id": log.id}

    def _gdpr_erase_partners(self, plan, get):
        """Delete, restrict or anonymise the customer and its contacts; (outcome, reason)."""
        outcome, reason = plan["outcome"], plan["reason"]
        (get("res.partner", "delete") - self).unlink()
        if outcome == "deleted":
            try:
                with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                    self.unlink()
                return outcome, reason
            except IntegrityError:
                _logger.info("GDPR erase: partner %s still referenced, anonymising it instead", self.id)
                outcome = "anonymised"
                reason = self.env._(
                    "Other records still refer to the customer, so it is anonymised and archived instead of deleted."
                )
        if outcome == "restricted":
            kept = get("res.partner", "restrict").with_context(**QUIET)
            vals = {"active": False, "gdpr_restricted": True, "gdpr_erase_after": plan["erase_after"]}
            kept.write({**self._gdpr_cleared_values(ERASED_AT_ONCE), **vals})
        else:
            kept = (self | get("res.partner", "anonymise")).with_context(**QUIET)
            for partner in kept:
                partner.write(partner._gdpr_anonymised_values())
        # writing may have logged messages (e.g. by other modules): remove them too
        residue = self.env["mail.message"].search([("model", "=", "res.partner"), ("res_id", "in", kept.ids)])
        (residue - self._gdpr_audit_trail_messages(residue)).unlink()
        return outcome, reason

    def _gdpr_cleared_values(self, names):
        vals = {
            name: [Command.clear()] if self._fields[name].type == "many2many" else False
            for name in names
            if name in self._fields
        }
        return {**vals, "marketing_consent": "no"}

    def _gdpr_anonymised_values(self):
        """Values that clear the personal data of an erased partner; the debtor number stays."""
        self.ensure_one()
        if self.parent_id:
            name = self.env._("Erased contact %(id)s", id=self.id)
        else:
            name = self.env._("Erased customer %(id)s", id=self.id)
        vals = self._gdpr_cleared_values(ERASED_AT_ONCE + ERASED_AFTER_RETENTION)
        return {**vals, "name": name, "active": False, "gdpr_restricted": False, "gdpr_erase_after": False}

    def _gdpr_privacy_log(self, name, email, entries):
        """Record the erasure in Odoo's privacy log (it anonymises name and e-mail)."""
        action_field = self.env["customer_crm.erase.wizard.line"]._fields["action"]
        labels = dict(action_field._description_selection(self.env))
        model_names = {e["model"]: self.env["ir.model"]._get(e["model"]).name for e in entries}
        by_model = defaultdict(list)
        details = []
        for entry in entries:
            by_model[model_names[entry["model"]]] += entry["ids"]
            if entry["action"] != "review":
                ids = ", ".join(f"#{i}" for i in entry["ids"])
                details.append(f"{labels[entry['action']]} {model_names[entry['model']]} {ids}")
        found = [f"{model} ({len(ids)}): " + ", ".join(f"#{i}" for i in ids) for model, ids in by_model.items()]
        return self.env["privacy.log"].create(
            {
                "anonymized_name": name or f"#{self.id}",
                "anonymized_email": email or f"customer-{self.id}@no-email.invalid",
                "execution_details": "\n".join(details),
                "records_description": "\n".join(found),
            }
        )

    @api.model
    def _cron_gdpr_erase_expired(self):
        """Anonymise the restricted partners whose retention period is over."""
        expired = self.with_context(active_test=False).search(
            [("gdpr_restricted", "=", True), ("gdpr_erase_after", "<", fields.Date.context_today(self))]
        )
        for partner in expired.with_context(**QUIET):
            name, email = partner.name, partner.email_normalized
            partner.write(partner._gdpr_anonymised_values())
            reason = self.env._("Retention period over: anonymised.")
            partner._gdpr_privacy_log(name, email, [partner._gdpr_entry(partner, "anonymise", reason)])
