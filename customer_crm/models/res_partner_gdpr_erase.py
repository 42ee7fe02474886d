import logging
from datetime import date

from psycopg2 import IntegrityError

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date, mute_logger
from odoo.tools.translate import LazyTranslate

from .res_partner_gdpr_lookup import ROLES

_lt = LazyTranslate(__name__)
_logger = logging.getLogger(__name__)

GDPR_ACTIONS = [
    *(("delete", "Delete"), ("restrict", "Restrict"), ("anonymise", "Anonymise"), ("keep", "Keep")),
    *(("relink", "Keep, remove the link"), ("archive", "Archive"), ("review", "Check")),
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
# Books, payments and business letters the law keeps (§ 147 AO, § 257 HGB): accounting,
# purchases (a customer who is also a vendor), delivery slips, point-of-sale orders.
KEPT_APPS = ("account.", "payment.", "purchase.", "stock.", "pos.")
OPEN_ORDERS = [("state", "=", "sale"), ("invoice_status", "=", "to invoice")]
OPEN_INVOICES = [("state", "=", "posted"), ("payment_state", "in", ("not_paid", "partial"))]
QUIET = {"tracking_disable": True, "mail_notrack": True}  # no tracking keeps the erased values
ADDRESS_FIELDS = ("partner_id", "partner_invoice_id", "partner_shipping_id")
REASONS = {
    "order": _lt("Confirmed order: kept for the records."),
    "move": _lt("Posted accounting document: kept as the law requires."),
    "draft": _lt("Quotation, draft or cancelled document: deleted."),
    "relink": _lt("Belongs to %(customer)s: kept, the address is replaced by that customer's."),
    "kept": _lt("Book or business document: kept as the law requires."),
    "found": _lt("Refers to the customer or holds its e-mail address: deleted."),
    "review": _lt("Same name or a similar e-mail address, but not linked to the customer: tick it to delete it too."),
    "log": _lt("The customer's log: deleted."),
    "log_kept": _lt("History of kept documents or accounting audit trail: kept."),
    "attachments": _lt("Attachments of the customer: deleted."),
    "contact": _lt("Contact person: deleted."),
    "contact_kept": _lt("Address on kept documents: restricted with the customer."),
    "bank": _lt("Bank account: deleted."),
    "bank_kept": _lt("Bank account used on kept documents: archived."),
    "restricted": _lt(
        "Name, address, VAT ID and debtor number are kept for the documents the law keeps, restricted and "
        "archived until %(date)s; e-mail, phones, notes and consent are erased now."
    ),
    "anonymised": _lt("Anonymised (name, contact data cleared; debtor number kept) and archived."),
    "deleted": _lt("Deleted with its personal data."),
    "expired": _lt("Retention period over: anonymised."),
}
OUTCOMES = {  # the plan's reason, and the message once done
    "restricted": _lt(
        "The law keeps documents about the customer (posted invoices, payments, confirmed orders) until "
        "%(date)s. What they need is kept but restricted, everything else is erased now; the scheduled action "
        "anonymises the customer after that date."
    ),
    "anonymised": _lt(
        "The accounting audit trail of the customer must be kept, so the customer is anonymised and "
        "archived instead of deleted."
    ),
    "referenced": _lt(
        "Other records still refer to the customer, so it is anonymised and archived instead of deleted."
    ),
    "deleted": _lt("No document must be kept, so the customer and its personal data are deleted."),
}
RESTRICTED = {
    "orders": _lt(
        "%(customer)s asked to be erased; its data is kept only for the documents the law keeps. "
        "It gets no new quotations or orders."
    ),
    "invoices": _lt(
        "%(customer)s asked to be erased; its data is kept only for the documents the law keeps. "
        "It gets no new invoices; a credit note reversing one of its invoices is possible."
    ),
}
DONE = {
    "deleted": _lt("The customer was deleted with its personal data. %(reason)s"),
    "restricted": _lt("The customer was restricted and archived, not deleted. %(reason)s"),
    "anonymised": _lt("The customer was anonymised and archived, not deleted. %(reason)s"),
}


def numbered(numbers):
    """Record ids as "#1, #2", for a privacy log line."""
    return ", ".join(f"#{number}" for number in numbers)


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

    def _gdpr_check_not_restricted(self, documents):
        """Refuse new orders or invoices (``documents``) for restricted customers."""
        if restricted := self.filtered(lambda p: p.gdpr_restricted or p.commercial_partner_id.gdpr_restricted):
            raise ValidationError(self.env._(RESTRICTED[documents]) % {"customer": restricted[0].display_name})

    def _gdpr_entry(self, records, action, reason, role=None, name=None, **args):
        """One step of the plan: what happens to these records, and why."""
        role = role and self.env._(ROLES[role])
        name = name or ", ".join(records.mapped("display_name"))
        reason = self.env._(REASONS[reason]) % args
        return {
            "model": records._name,
            "ids": records.ids,
            "name": name,
            "role": role,
            "action": action,
            "reason": reason,
        }

    def _gdpr_refusal(self, partners):
        """Why the customer cannot be erased now, or None: user accounts
        (raised), or a contract still being performed (returned)."""
        _ = self.env._
        if users := self.env["res.users"].search([("partner_id", "in", partners.ids)]):
            raise UserError(
                _(
                    "%(customer)s has user accounts (%(users)s). Delete or archive them in Settings first.",
                    customer=self.display_name,
                    users=", ".join(users.mapped("login")),
                )
            )
        orders = self.env["sale.order"].search([("partner_id", "in", partners.ids), *OPEN_ORDERS])
        moves = self.env["account.move"].search([("commercial_partner_id", "in", partners.ids), *OPEN_INVOICES])
        docs = [*orders, *moves.filtered(lambda move: move.is_sale_document(include_receipts=True))]
        return docs and _(
            "%(customer)s cannot be erased yet: the contract is still being performed (Art. 17 (3) GDPR). "
            "Settle these documents first: %(docs)s.",
            customer=self.display_name,
            docs=", ".join(self._gdpr_document_label(doc) for doc in docs),
        )

    def _gdpr_plan_document(self, doc, partner_ids):
        """Keep, delete or relink an order or journal entry."""
        role = self._gdpr_role(doc, partner_ids)
        if doc._name == "sale.order" and (doc.state == "sale" or doc.locked):
            return self._gdpr_entry(doc, "keep", "order", role)
        if doc._name == "account.move" and (
            doc.state == "posted" or doc.posted_before or doc.origin_payment_id or doc.statement_line_id
        ):
            return self._gdpr_entry(doc, "keep", "move", role)
        if role in ("customer", "lines"):
            return self._gdpr_entry(doc, "delete", "draft", role)
        return self._gdpr_entry(doc, "relink", "relink", role, customer=doc.partner_id.display_name)

    def _gdpr_plan_found(self, automatic, review, partner_ids):
        """Plan entries of what the lookup found in the installed apps."""
        entries = []
        for model, ids in sorted((model, ids) for model, ids in automatic.items() if ids):
            records = self.env[model].with_context(active_test=False).browse(sorted(ids))
            if model in ("sale.order", "account.move"):
                entries += [self._gdpr_plan_document(doc, partner_ids) for doc in records]
            else:
                kept = model.startswith(KEPT_APPS)
                entries.append(self._gdpr_entry(records, "keep" if kept else "delete", "kept" if kept else "found"))
        for model, ids in sorted(review.items()):
            entries += [self._gdpr_entry(record, "review", "review") for record in self.env[model].browse(sorted(ids))]
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
            (messages - kept, "delete", _("%(count)s messages and notes"), "log"),
            (kept, "keep", _("%(count)s messages"), "log_kept"),
            (attachments, "delete", _("%(count)s attachments"), "attachments"),
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
        on_partners = audit.account_audit_log_partner_id
        domain = [("partner_id", "in", on_partners.ids), ("company_id.check_account_audit_trail", "=", True)]
        if on_partners and not self.env["account.move"].search_count(domain, limit=1):
            audit = audit.filtered(lambda m: not m.account_audit_log_partner_id)
        return audit

    def _gdpr_plan_partners(self, partners, outcome, kept_docs, erase_after):
        """Plan entries of the customer, its contacts and bank accounts."""
        kept = [self.env[e["model"]].browse(e["ids"]) for e in kept_docs]
        on_kept = self.browse().union(*(docs[f] for docs in kept for f in ADDRESS_FIELDS if f in docs))
        Bank = self.env["res.partner.bank"].with_context(active_test=False)
        used = Bank.union(*(docs.partner_bank_id for docs in kept if "partner_bank_id" in docs))
        action = {"restricted": "restrict", "anonymised": "anonymise", "deleted": "delete"}[outcome]
        entries = [self._gdpr_entry(self, action, outcome, "customer", date=format_date(self.env, erase_after))]
        for child in partners - self:
            restrict = outcome == "restricted" and child in on_kept
            reason = "contact_kept" if restrict else "contact"
            entries.append(self._gdpr_entry(child, "restrict" if restrict else "delete", reason, "contact"))
        banks = Bank.search([("partner_id", "in", partners.ids)])
        banks_plan = [(banks - used, "delete", "bank"), (banks & used, "archive", "bank_kept")]
        return entries + [self._gdpr_entry(records, action, why) for records, action, why in banks_plan if records]

    def _gdpr_erase_after(self, kept_docs):
        """End of the calendar year of the last kept document plus the retention period."""
        docs = [doc for entry in kept_docs for doc in self.env[entry["model"]].browse(entry["ids"])]
        last = max(self._gdpr_document_date(doc) for doc in docs)
        return date(last.year + (self.company_id or self.env.company).gdpr_retention_years, 12, 31)

    def _gdpr_erase_plan(self, extra=()):
        """What erasing this customer does to each linked record, without doing it."""
        self.ensure_one()
        partners = self._gdpr_partners()
        refusal = self._gdpr_refusal(partners)
        automatic, review = partners._gdpr_lookup()
        for model, res_id in extra:  # records of the review the manager ticked
            if res_id in review.get(model, ()):
                review[model].discard(res_id)
                automatic[model].add(res_id)
        found = self._gdpr_plan_found(automatic, review, partners.ids)
        kept = [e for e in found if e["action"] == "keep"]
        log = self._gdpr_plan_log(partners, kept)
        erase_after = kept and self._gdpr_erase_after(kept)
        outcome = "restricted" if kept else "anonymised" if any(e["action"] == "keep" for e in log) else "deleted"
        return {
            "result": "refused" if refusal else "planned",
            "outcome": outcome,
            "reason": refusal or self.env._(OUTCOMES[outcome]) % {"date": format_date(self.env, erase_after)},
            "erase_after": erase_after or False,
            "partner_id": self.id,
            "plan": self._gdpr_plan_partners(partners, outcome, kept, erase_after) + found + log,
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
        """Carry out a plan of :meth:`_gdpr_erase_plan`: the log and links
        first, then the found records, then the partners."""
        todo = {}
        for entry in plan["plan"]:
            key, records = (entry["model"], entry["action"]), self.env[entry["model"]].browse(entry["ids"])
            todo[key] = todo.get(key, records.browse()) | records
        name, email, partners = self.name, self.email_normalized, self._gdpr_partners()
        self._gdpr_unlink_messages(todo.pop(("mail.message", "delete"), self.env["mail.message"]).exists())
        on_partners = [("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)]
        self.env["mail.activity"].search(on_partners).unlink()
        followers = self.env["mail.followers"]
        (followers.search(on_partners) | followers.search([("partner_id", "in", partners.ids)])).unlink()
        for (model, action), records in todo.items():
            if action == "relink":
                for doc in records:  # draft documents of another customer: its own addresses instead
                    doc.write({f: doc.partner_id.id for f in ADDRESS_FIELDS[1:] if f in doc and doc[f] in partners})
            elif action == "delete" and model != "res.partner":
                existing = records.exists()
                if model == "sale.order":  # sale refuses to delete orders that are not cancelled
                    existing.filtered(lambda order: order.state != "cancel").write({"state": "cancel"})
                existing.unlink()
            elif action == "archive":
                records.write({"active": False})
        outcome, reason = self._gdpr_erase_partners(plan, todo)
        log = self._gdpr_privacy_log(name, email, plan["plan"])
        message = self.env._(DONE[outcome]) % {"reason": reason}
        return {**plan, "result": outcome, "reason": reason, "message": message, "log_id": log.id}

    def _gdpr_erase_partners(self, plan, todo):
        """Delete, restrict or anonymise the customer and its contacts; (outcome, reason)."""
        outcome, reason = plan["outcome"], plan["reason"]
        (todo.get(("res.partner", "delete"), self.browse()) - self).unlink()
        if outcome == "deleted":
            try:
                with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                    self.unlink()
                return outcome, reason
            except IntegrityError:
                _logger.info("GDPR erase: partner %s still referenced, anonymising it instead", self.id)
                outcome, referenced = "anonymised", OUTCOMES["referenced"]
                reason = self.env._(referenced)
        if outcome == "restricted":
            kept = todo[("res.partner", "restrict")].with_context(**QUIET)
            vals = {"active": False, "gdpr_restricted": True, "gdpr_erase_after": plan["erase_after"]}
            kept.write({**self._gdpr_cleared_values(ERASED_AT_ONCE), **vals})
        else:
            kept = (self | todo.get(("res.partner", "anonymise"), self.browse())).with_context(**QUIET)
            for partner in kept:
                partner.write(partner._gdpr_anonymised_values())
        # writing may have logged messages (e.g. by other modules): remove them too
        self._gdpr_unlink_messages(
            self.env["mail.message"].search([("model", "=", "res.partner"), ("res_id", "in", kept.ids)])
        )
        return outcome, reason

    def _gdpr_unlink_messages(self, messages):
        (messages - self._gdpr_audit_trail_messages(messages)).unlink()

    def _gdpr_cleared_values(self, names):
        vals = {
            n: [Command.clear()] if self._fields[n].type == "many2many" else False for n in names if n in self._fields
        }
        return {**vals, "marketing_consent": "no"}

    def _gdpr_anonymised_values(self):
        """Values that clear the personal data of an erased partner; the debtor number stays."""
        self.ensure_one()
        _ = self.env._
        name = _("Erased contact %(id)s", id=self.id) if self.parent_id else _("Erased customer %(id)s", id=self.id)
        vals = self._gdpr_cleared_values(ERASED_AT_ONCE + ERASED_AFTER_RETENTION)
        return {**vals, "name": name, "active": False, "gdpr_restricted": False, "gdpr_erase_after": False}

    def _gdpr_privacy_log(self, name, email, entries):
        """Record the erasure in Odoo's privacy log (it anonymises name and e-mail)."""
        labels = dict(self.env["customer_crm.erase.wizard.line"]._fields["action"]._description_selection(self.env))
        model_names = {e["model"]: self.env["ir.model"]._get(e["model"]).name for e in entries}
        found = {}
        for entry in entries:
            found.setdefault(model_names[entry["model"]], []).extend(entry["ids"])
        done = [e for e in entries if e["action"] != "review"]
        return self.env["privacy.log"].create(
            {
                "anonymized_name": name or f"#{self.id}",
                "anonymized_email": email or f"customer-{self.id}@no-email.invalid",
                "execution_details": "\n".join(
                    f"{labels[e['action']]} {model_names[e['model']]} {numbered(e['ids'])}" for e in done
                ),
                "records_description": "\n".join(f"{model} ({len(n)}): {numbered(n)}" for model, n in found.items()),
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
            partner._gdpr_privacy_log(name, email, [partner._gdpr_entry(partner, "anonymise", "expired")])
