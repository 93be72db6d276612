from odoo import api, models
from odoo.exceptions import AccessError
from odoo.fields import Domain

from ..tools.constants import GROUP_MANAGER

# Documents whose chatter and files are part of a beneficiary's record: a
# message or file there is the trace of a step, so only the person who wrote
# it (or a manager) may change or remove it, whatever Odoo lets document
# editors do elsewhere.
ISLAH_EVIDENCE_MODELS = (
    "islah.beneficiary",
    "islah.beneficiary.member",
    "islah.support.request",
    "islah.request.document",
    "islah.service.delivery",
    "islah.committee.meeting",
    "islah.committee.decision",
    "islah.feedback",
)


def islah_evidence_forbidden(records, operation, model_of, is_own):
    """The part of ``records`` (messages or attachments the standard checks
    already allowed) that the user may not change or remove: those on an
    Islah document (``model_of(record)``) that are not their own
    (``is_own(record)``)."""
    env = records.env
    if env.su or operation not in ("write", "unlink") or not records:
        return records.browse()
    if env.user.has_group(GROUP_MANAGER):
        return records.browse()
    # sudo: the document and the author decide, whatever the user may read
    return records.browse(
        record.id
        for record in records.sudo()
        if model_of(record) in ISLAH_EVIDENCE_MODELS and not is_own(record)
    )


def islah_evidence_error(records):
    """The translated refusal for ``islah_evidence_forbidden``'s records."""
    return AccessError(
        records.env._(
            "This is part of a beneficiary's record: only the person who wrote or added "
            "it, or a manager, may change or remove it."
        )
    )


def islah_add_forbidden(result, forbidden):
    """Merge ``forbidden`` into a ``_check_access`` result."""
    if not forbidden:
        return result
    if result:
        return result[0] + forbidden, result[1]
    return forbidden, lambda: islah_evidence_error(forbidden)


class MailMessage(models.Model):
    _inherit = "mail.message"

    def _check_access(self, operation):
        result = super()._check_access(operation)
        allowed = self - result[0] if result else self
        forbidden = islah_evidence_forbidden(
            allowed,
            operation,
            lambda message: message.model,
            lambda message: (
                message.author_id == self.env.user.partner_id or message.create_uid == self.env.user
            ),
        )
        result = islah_add_forbidden(result, forbidden)
        return islah_add_forbidden(result, self._islah_about_me_messages(allowed - forbidden))

    # A complaint about a staff member is never theirs to read, even where
    # Odoo lets a notified partner or an author read a message.
    def _islah_about_me_messages(self, messages):
        """The part of ``messages`` on a complaint about the current user."""
        if self.env.su or not messages:
            return messages.browse()
        about_me = self.env["islah.feedback"]._islah_about_me_ids()
        if not about_me:
            return messages.browse()
        # sudo: the message's document decides, whatever the user may read
        return messages.browse(
            message.id
            for message in messages.sudo()
            if message.model == "islah.feedback" and message.res_id in about_me
        )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, *, bypass_access=False, **kwargs):
        if not (self.env.su or bypass_access):
            about_me = self.env["islah.feedback"]._islah_about_me_ids()
            if about_me:
                domain = Domain(domain) & ~(
                    Domain("model", "=", "islah.feedback") & Domain("res_id", "in", about_me)
                )
        return super()._search(domain, offset, limit, order, bypass_access=bypass_access, **kwargs)
