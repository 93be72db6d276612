import base64
from datetime import datetime, time

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.upload import upload_limits, upload_problem, upload_problems

PORTAL_UPLOAD_STATES = ("received", "verification")


class IslahRequestPortalMixin(models.AbstractModel):
    """Remote service on a support request: the upload policy (public form
    and portal, the rules in ``tools/upload.py``), the beneficiary's view of
    the steps, and the documents sent from the portal. The public form
    creates intakes (crm.lead), never requests: see
    ``crm.lead._islah_create_web_intake``."""

    _name = "islah.request.portal.mixin"
    _description = "Support request: what the beneficiary sees and sends remotely"

    @api.model
    def _islah_upload_limits(self, company=None):
        """(largest file, largest submission) in bytes for ``company``."""
        return upload_limits((company or self.env.company).islah_max_upload_mb)

    @api.model
    def _islah_check_upload(self, filename, content, company=None):
        """The reason ``content`` cannot be accepted, or False."""
        company = company or self.env.company
        return upload_problem(filename, content, company.islah_max_upload_mb, self.env)

    @api.model
    def _islah_check_uploads(self, files, company=None):
        """Error messages for a list of ``(filename, content)``."""
        company = company or self.env.company
        return upload_problems(files, company.islah_max_upload_mb, self.env)

    def _islah_attach_files(self, files):
        """Store ``(filename, content)`` as attachments of this request."""
        self.ensure_one()
        return self.env["ir.attachment"].create(
            [
                {
                    "name": filename,
                    "datas": base64.b64encode(content),
                    "res_model": self._name,
                    "res_id": self.id,
                }
                for filename, content in files
            ]
        )

    def _islah_portal_timeline(self):
        """The request's steps with their dates, oldest first, in the
        reader's language, from the request's own dates (not from the
        chatter's tracking, whose labels are in each writer's language)."""
        self.ensure_one()
        labels = dict(self._fields["state"]._description_selection(self.env))
        decided = self.decided_on and datetime.combine(self.decided_on, time.min)
        if decided and self.submission_date:
            # a decision is dated by its day: never before the submission
            decided = max(decided, self.submission_date)
        outcome = self._islah_portal_first_outcome()
        steps = [
            ("received", self.create_date),
            ("verification", self.verification_started_on),
            ("research", self.research_started_on),
            ("committee", self.submission_date),
            (outcome, decided),
            ("in_service", self.service_started_on),
            ("done", self.done_on),
            ("cancelled", self.cancelled_on),
        ]
        order = {state: index for index, (state, _date) in enumerate(steps)}
        entries = [(date, order[state], labels[state]) for state, date in steps if date]
        # what came after the decision (an appeal): never before it
        entries += [
            (max(date, decided or date), order[outcome] + 0.5, label)
            for date, label in self._islah_portal_later_steps()
        ]
        return [{"date": date, "label": label} for date, _order, label in sorted(entries)]

    def _islah_portal_first_outcome(self):
        """The committee's first decision, as the timeline names it."""
        self.ensure_one()
        return "rejected" if self.state == "rejected" else "approved"

    def _islah_portal_later_steps(self):
        """``[(datetime, label)]`` of steps after the first decision."""
        return []

    def _islah_portal_can_upload(self):
        self.ensure_one()
        return self.state in PORTAL_UPLOAD_STATES

    def _islah_portal_upload_document(self, line, filename, content):
        """A beneficiary sends a missing document from the portal: the file
        goes to the checklist line, which becomes received (not verified)."""
        self.ensure_one()
        if not self._islah_portal_can_upload():
            raise UserError(
                self.env._(
                    "Documents can only be sent while the request is being received or verified."
                )
            )
        if line.request_id != self:
            raise UserError(self.env._("This document does not belong to the request."))
        if line.received:
            raise UserError(
                self.env._(
                    'The document "%(doc)s" was already received.',
                    doc=line.document_type_id.name,
                )
            )
        if error := self._islah_check_upload(filename, content, self.company_id):
            raise ValidationError(error)
        attachment = self._islah_attach_files([(filename, content)])
        line.write({"attachment_ids": [fields.Command.link(attachment.id)], "received": True})
        self.message_post(
            body=self.env._(
                'The applicant sent the document "%(doc)s" from the portal.',
                doc=line.document_type_id.name,
            ),
            attachment_ids=attachment.ids,
        )
        return attachment
