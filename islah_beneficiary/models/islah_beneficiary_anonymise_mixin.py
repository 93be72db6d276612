"""The anonymisation of a beneficiary's file (PDPL): what is overwritten and
what is purged from the chatter, the mail queue and the files, so that the
association's figures (requests by state, section and service, deliveries,
decisions) stay whole while nobody can be recognised."""

from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import email_normalize, email_normalize_all, format_date

from ..tools.retention import (
    ANONYMISED_ID_PREFIX,
    LEAD_PERSONAL_FIELDS,
    NAMED_MODELS,
    PARTNER_PERSONAL_FIELDS,
    SENSITIVE_TRACKED_FIELDS,
)


class IslahBeneficiaryAnonymiseMixin(models.AbstractModel):
    """Removes a person's data from their file and everything hanging on it.
    Run as superuser, by the retention's cron or a manager's request (see
    ``islah.beneficiary.retention.mixin``). Hooks for other modules:
    ``_islah_retention_records`` and ``_islah_anonymise_data`` (extend them
    on ``islah.beneficiary``). Inherited by ``islah.beneficiary`` only."""

    _name = "islah.beneficiary.anonymise.mixin"
    _description = "Beneficiary anonymisation (PDPL)"

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
                # the association's day, also for the cron (no user time zone)
                "anonymised_on": fields.Date.context_today(
                    self.with_context(
                        tz=self.env.context.get("tz")
                        or self.company_id.partner_id.tz
                        or "Asia/Riyadh"
                    )
                ),
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
        messages = Message.search(thread_domain | Domain("author_id", "=", partner.id))
        # a message elsewhere that was also sent to others is theirs too: the
        # person leaves its recipients; one sent to them alone is removed
        addressed = Message.search(Domain("partner_ids", "in", partner.ids)) - messages
        shared = addressed.filtered(lambda message: message.partner_ids - partner)
        shared.write({"partner_ids": [Command.unlink(partner.id)]})
        messages |= addressed - shared
        # e-mail copies: of these messages, or addressed to the person
        mail_domain = Domain("mail_message_id", "in", messages.ids) | Domain(
            "recipient_ids", "in", partner.ids
        )
        addresses = {
            email_normalize(address)
            for address in {self.email, *records["crm.lead"].mapped("email_from")} - {False}
        } - {False}
        mails = self.env["mail.mail"].search(mail_domain)
        for address in addresses:
            # "ilike" finds candidates; only an exact address is the person's
            # (ali@x.sa must not take bali@x.sa's mail with it)
            candidates = self.env["mail.mail"].search(
                Domain("email_to", "ilike", address) | Domain("email_cc", "ilike", address)
            )
            mails |= candidates.filtered(
                lambda mail, address=address: (
                    address
                    in email_normalize_all(mail.email_to or "")
                    + email_normalize_all(mail.email_cc or "")
                )
            )
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
