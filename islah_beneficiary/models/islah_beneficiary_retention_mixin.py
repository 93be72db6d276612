"""Retention (PDPL): a beneficiary's file is anonymised once it is no longer
needed, instead of being deleted, so that the association's figures (requests
by state, section and service, deliveries, decisions) stay whole."""

import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, format_date

from ..tools.constants import GROUP_MANAGER
from ..tools.retention import (
    ANONYMISED_ID_PREFIX,
    APPROVED_REQUEST_STATES,
    CLOSED_REQUEST_STATES,
    LEAD_PERSONAL_FIELDS,
    NAMED_MODELS,
    PARTNER_PERSONAL_FIELDS,
    RETENTION_BATCH_SIZE,
    SENSITIVE_TRACKED_FIELDS,
)

_logger = logging.getLogger(__name__)


class IslahBeneficiaryRetentionMixin(models.AbstractModel):
    """The retention of a beneficiary's file: the legal hold, the files due,
    the daily anonymisation and the manager's one on request. Hooks for
    other modules: ``_islah_retention_records`` and ``_islah_anonymise_data``
    (extend them on ``islah.beneficiary``). Inherited by ``islah.beneficiary``
    only; a mail thread for the tracked hold and the note it posts."""

    _name = "islah.beneficiary.retention.mixin"
    _inherit = ["mail.thread"]
    _description = "Beneficiary retention (PDPL)"

    islah_legal_hold = fields.Boolean(
        string="Legal hold",
        groups=GROUP_MANAGER,
        tracking=True,
        help="The file must be kept whole (a dispute, an authority's request): it is "
        "never anonymised while this is ticked.",
    )
    anonymised_on = fields.Date(
        string="Anonymised on",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The personal data of this file were removed on this date; its requests, "
        "deliveries and decisions still count in the reports.",
    )

    # ------------------------------------------------------------------
    # Which files are due
    # ------------------------------------------------------------------

    @api.model
    def _islah_retention_due(self, limit=None):
        """The files past their retention period: last activity (the latest
        request's creation, archived ones included, else the file's own
        creation) older than the company's period (shorter without any
        approved request); no legal hold, no open request, not anonymised."""
        self.flush_model()
        self.env["islah.support.request"].flush_model()
        self.env["res.company"].flush_model()
        query = SQL(
            """
            SELECT b.id
              FROM islah_beneficiary b
              JOIN res_company c ON c.id = b.company_id
         LEFT JOIN LATERAL (
                    SELECT MAX(r.create_date) AS last_date,
                           BOOL_OR(r.state IN %(approved)s) AS approved,
                           BOOL_OR(r.active AND r.state NOT IN %(closed)s) AS open
                      FROM islah_support_request r
                     WHERE r.beneficiary_id = b.id
                   ) req ON TRUE
             WHERE b.anonymised_on IS NULL
               AND b.islah_legal_hold IS NOT TRUE
               AND req.open IS NOT TRUE
               AND COALESCE(req.last_date, b.create_date)
                   < (NOW() AT TIME ZONE 'UTC') - MAKE_INTERVAL(years => CASE
                        WHEN req.approved THEN c.islah_retention_years
                        ELSE c.islah_retention_years_unapproved END)
          ORDER BY b.partner_id, b.id
             %(limit)s
            """,
            approved=APPROVED_REQUEST_STATES,
            closed=CLOSED_REQUEST_STATES,
            limit=SQL("LIMIT %s", limit) if limit else SQL(),
        )
        return self.browse(row[0] for row in self.env.execute_query(query))

    @api.model
    def _cron_islah_anonymise_expired(self):
        """Daily: anonymise the files past retention, one committed batch
        at a time, within the cron's time budget."""
        # sudo: the scheduled action works on every company's files and on
        # the records (messages, mails, users) no role may change
        Beneficiary = self.sudo().with_context(active_test=False)
        Cron = self.env["ir.cron"]
        total = 0
        due = Beneficiary._islah_retention_due()
        Cron._commit_progress(remaining=len(due))
        failed = Beneficiary.browse()
        while True:
            batch = (due - failed)[:RETENTION_BATCH_SIZE]
            if not batch:
                break
            due -= batch
            done = Beneficiary.browse()
            for partner_files in batch.grouped("partner_id").values():
                try:
                    with self.env.cr.savepoint():
                        partner_files._islah_anonymise()
                    done |= partner_files
                except (UserError, ValidationError) as error:
                    _logger.warning(
                        "Retention: beneficiaries %s not anonymised: %s", partner_files.ids, error
                    )
                    failed |= partner_files
            total += len(done)
            if not Cron._commit_progress(len(batch)):
                break
        _logger.info("Retention: %s beneficiaries anonymised", total)
        return total

    # ------------------------------------------------------------------
    # On request
    # ------------------------------------------------------------------

    def action_islah_anonymise(self):
        """A manager anonymises a person on their request (PDPL right to
        erasure), unless a legal hold applies or a request is still open."""
        if not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(self.env._("Only managers may anonymise a beneficiary."))
        # the section rules of the files, as for any change to them
        self.check_access("write")
        for beneficiary in self.sudo().with_context(active_test=False):
            if beneficiary.anonymised_on:
                continue
            if beneficiary.islah_legal_hold:
                raise UserError(
                    self.env._(
                        "%(name)s is under a legal hold: the file cannot be anonymised "
                        "until the hold is lifted.",
                        name=beneficiary.name,
                    )
                )
            if open_requests := beneficiary._islah_open_requests():
                raise UserError(
                    self.env._(
                        "%(name)s has requests still being handled (%(requests)s): close, "
                        "cancel or archive them before anonymising the file.",
                        name=beneficiary.name,
                        requests=", ".join(open_requests.mapped("name")),
                    )
                )
        # sudo: the anonymisation clears records no role may change (messages,
        # mails, tracking, users); the manager's right on these files was checked
        self.sudo()._islah_anonymise(requested_by=self.env.user)
        return True

    def _islah_open_requests(self):
        """The requests of these files still being handled (archived ones are closed)."""
        # sudo: requests the manager may not read (another researcher's) count too
        return (
            self.env["islah.support.request"]
            .sudo()
            .with_context(active_test=True)
            .search(
                [
                    ("beneficiary_id", "in", self.ids),
                    ("state", "not in", CLOSED_REQUEST_STATES),
                ]
            )
        )

    # ------------------------------------------------------------------
    # The anonymisation (as superuser)
    # ------------------------------------------------------------------

    def _islah_anonymise(self, requested_by=None):
        """Remove the personal data of these files, keeping what the reports
        count. Files already anonymised are left as they are. Called as
        superuser by the cron and by ``action_islah_anonymise``."""
        files = self.with_context(
            active_test=False,
            tracking_disable=True,
            mail_notrack=True,
            mail_create_nolog=True,
        ).filtered(lambda b: not b.anonymised_on)
        for beneficiary in files:
            beneficiary._islah_check_can_anonymise(files)
        for beneficiary in files:
            beneficiary._islah_anonymise_one(requested_by)
        return files

    def _islah_check_can_anonymise(self, files):
        """Refuse what would damage someone else: a staff account, or a
        contact that another (kept) file shares."""
        self.ensure_one()
        partner = self.partner_id
        if partner.user_ids.filtered(lambda user: not user.share):
            raise UserError(
                self.env._(
                    "%(name)s logs in as a member of the association's staff: an "
                    "administrator must close that account first.",
                    name=self.name,
                )
            )
        others = partner.islah_beneficiary_ids - files
        if others.filtered(lambda b: not b.anonymised_on):
            raise UserError(
                self.env._(
                    "The contact of %(name)s is shared with another file: anonymise both "
                    "files together.",
                    name=self.name,
                )
            )

    def _islah_retention_records(self):
        """The records holding this person's data, by model: the file, its
        contact, family, requests and what hangs on them. Extend with
        ``super()`` (e.g. the survey answers)."""
        self.ensure_one()
        requests = (
            self.env["islah.support.request"]
            .with_context(active_test=False)
            .search([("beneficiary_id", "=", self.id)])
        )
        leads = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search(
                Domain("islah_beneficiary_id", "=", self.id)
                | Domain("partner_id", "=", self.partner_id.id)
                | Domain("id", "in", requests.lead_id.ids)
            )
        )
        records = {
            "islah.beneficiary": self,
            "res.partner": self.partner_id,
            "islah.beneficiary.member": self.member_ids,
            "islah.support.request": requests,
            "islah.request.document": requests.document_ids,
            "islah.service.delivery": requests.delivery_ids,
            "crm.lead": leads,
        }
        records["islah.committee.decision"] = requests.decision_ids
        records["islah.data.correction"] = (
            self.env["islah.data.correction"]
            .with_context(active_test=False)
            .search([("beneficiary_id", "=", self.id)])
        )
        return records

    def _islah_identifying_values(self):
        """The person's identifiers, searched in what stays (tracking)."""
        self.ensure_one()
        values = {
            self.name,
            self.national_id,
            self.phone,
            self.email,
            self.iban,
            *self.member_ids.mapped("name"),
            *self.member_ids.mapped("national_id"),
        }
        return {value for value in values if isinstance(value, str) and len(value) >= 4}

    def _islah_anonymise_one(self, requested_by=None):
        self.ensure_one()
        # the placeholders in the file's own language (Arabic by default)
        lang = self.lang or self.company_id.partner_id.lang
        env_lang = self.with_context(lang=lang).env
        markers = self._islah_identifying_values()
        records = self._islah_retention_records()
        # the traces first: they are found by the e-mail and phone still held
        self._islah_purge_traces(records, markers)
        self._islah_anonymise_data(records, env_lang)
        today = self.anonymised_on
        if requested_by:
            body = env_lang._(
                "Anonymised on %(date)s, on request, by %(user)s.",
                date=format_date(env_lang, today),
                user=requested_by.name,
            )
        else:
            body = env_lang._(
                "Anonymised on %(date)s: the retention period was over.",
                date=format_date(env_lang, today),
            )
        self.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _islah_anonymise_data(self, records, env_lang):
        """Overwrite the personal fields of ``records``. Extend with
        ``super()`` for the records a module adds."""
        self.ensure_one()
        placeholder = env_lang._("Anonymised beneficiary %(number)s", number=self.id)
        partner = self.partner_id
        # the portal logins: archived, and their login (the e-mail) replaced
        for user in partner.with_context(active_test=False).user_ids:
            user.write({"active": False, "login": f"islah-anonymised-{self.id}-{user.id}"})
        Partner = self.env["res.partner"]
        partner_vals = {"name": placeholder}
        partner_vals.update(
            {name: False for name in PARTNER_PERSONAL_FIELDS if name in Partner._fields}
        )
        partner.write(partner_vals)
        if "bank_ids" in Partner._fields:
            partner.bank_ids.unlink()
        self.write(
            {
                # with the placeholder ID, which only anonymised files may hold
                "anonymised_on": fields.Date.context_today(self),
                "national_id": f"{ANONYMISED_ID_PREFIX}{self.id}",
                "birth_date": False,
                "district": False,
                "monthly_income": 0.0,
                "iban": False,
            }
        )
        member_name = env_lang._("Family member")
        self.member_ids.write(
            {"name": member_name, "national_id": False, "birth_date": False, "notes": False}
        )
        requests = records["islah.support.request"]
        requests.write({"description": False, "research_report": False})
        records["islah.request.document"].write({"note": False})
        Lead = self.env["crm.lead"]
        lead_vals = {"name": placeholder}
        lead_vals.update({name: False for name in LEAD_PERSONAL_FIELDS if name in Lead._fields})
        records["crm.lead"].write(lead_vals)
        if corrections := records.get("islah.data.correction"):
            # the request itself is required: its words go, the dates stay
            corrections.write(
                {"description": env_lang._("Removed with the anonymised file."), "answer": False}
            )

    def _islah_purge_traces(self, records, markers):
        """Remove what the chatter, the mail queue and the files keep of the
        person: attachments, e-mail copies, message bodies and the tracking
        of sensitive fields (or holding one of ``markers``)."""
        self.ensure_one()
        Message = self.env["mail.message"].with_context(active_test=False)
        partner = self.partner_id
        thread_domain = Domain.OR(
            Domain("model", "=", model) & Domain("res_id", "in", recs.ids)
            for model, recs in records.items()
            if recs and "message_ids" in recs._fields
        )
        messages = Message.search(
            thread_domain
            | Domain("author_id", "=", partner.id)
            | Domain("partner_ids", "in", partner.ids)
        )
        # e-mail copies: of these messages, or addressed to the person
        mail_domain = Domain("mail_message_id", "in", messages.ids) | Domain(
            "recipient_ids", "in", partner.ids
        )
        for address in {self.email, *records["crm.lead"].mapped("email_from")} - {False}:
            mail_domain |= Domain("email_to", "ilike", address) | Domain(
                "email_cc", "ilike", address
            )
        mails = self.env["mail.mail"].search(mail_domain)
        # attachments: of the records, their checklist lines, messages and mails
        attachment_domain = Domain.OR(
            Domain("res_model", "=", model) & Domain("res_id", "in", recs.ids)
            for model, recs in records.items()
            if recs
        )
        attachments = self.env["ir.attachment"].search(
            attachment_domain & Domain("res_field", "=", False)
        )
        attachments |= (
            records["islah.request.document"].attachment_ids
            | messages.attachment_ids
            | mails.attachment_ids
        )
        # the checklist keeps whether each document was received
        lines = records["islah.request.document"]
        received = {line.id: line.received for line in lines}
        mails.unlink()
        messages = messages.exists()
        attachments.exists().unlink()
        for line in lines:
            if line.received != received[line.id]:
                line.received = received[line.id]
        self.env["mail.notification"].search(
            [("mail_message_id", "in", messages.ids), ("mail_email_address", "!=", False)]
        ).write({"mail_email_address": False})
        messages.write({"body": "", "subject": False, "email_from": False, "reply_to": False})
        self._islah_purge_tracking(messages, markers)
        # the to-dos of the file and its requests (notes may quote the person)
        activity_domain = Domain.OR(
            Domain("res_model", "=", model) & Domain("res_id", "in", recs.ids)
            for model, recs in records.items()
            if recs and "activity_ids" in recs._fields
        )
        self.env["mail.activity"].with_context(active_test=False).search(activity_domain).unlink()
        # an unsubscribed address is kept only to honour it: no address, no entry
        for model, field, value in (
            ("mail.blacklist", "email", self.email),
            ("phone.blacklist", "number", self.phone),
        ):
            if value and model in self.env:
                self.env[model].with_context(active_test=False).search(
                    [(field, "=", value)]
                ).unlink()

    def _islah_purge_tracking(self, messages, markers):
        """Delete the tracking values of ``messages`` that reveal the person:
        sensitive or free-text fields, names of linked records, or any value
        holding one of ``markers``. State, date and amount changes stay."""
        Tracking = self.env["mail.tracking.value"]
        trackings = Tracking.search([("mail_message_id", "in", messages.ids)])
        text_columns = ("old_value_char", "new_value_char", "old_value_text", "new_value_text")

        def reveals(tracking):
            field = tracking.field_id
            if field.name in SENSITIVE_TRACKED_FIELDS:
                return True
            if field.ttype in ("char", "text", "html"):
                return True
            if field.ttype in ("many2one", "many2many") and field.relation in NAMED_MODELS:
                return True
            values = [tracking[column] or "" for column in text_columns]
            return any(marker in value for marker in markers for value in values)

        trackings.filtered(reveals).unlink()
