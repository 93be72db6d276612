# The split of islah.support.request across files is to be redone by a later issue.
# pylint: disable=consider-merging-classes-inherited
import base64
import os

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.mimetypes import guess_mimetype

# what applicants may upload: extension -> accepted content types (sniffed)
ALLOWED_UPLOADS = {
    ".pdf": {"application/pdf"},
    ".jpg": {"image/jpeg"},
    ".jpeg": {"image/jpeg"},
    ".png": {"image/png"},
}
MAX_UPLOAD_FILES = 10
# the total of one submission, in multiples of the per-file limit
TOTAL_UPLOAD_FACTOR = 4
PORTAL_UPLOAD_STATES = ("received", "verification")


class IslahSupportRequest(models.Model):
    """Remote service: the upload policy (public form and portal) and the
    beneficiary portal. The public form creates intakes (crm.lead), never
    requests: see ``crm.lead._islah_create_web_intake``."""

    _inherit = "islah.support.request"

    # ------------------------------------------------------------------
    # Uploads (public form and portal)
    # ------------------------------------------------------------------

    @api.model
    def _islah_upload_limits(self, company=None):
        """(largest file, largest submission) in bytes for ``company``."""
        company = company or self.env.company
        per_file = (company.islah_max_upload_mb or 5) * 1024 * 1024
        return per_file, per_file * TOTAL_UPLOAD_FACTOR

    @api.model
    def _islah_check_upload(self, filename, content, company=None):
        """The reason ``content`` cannot be accepted, or False.

        The type is checked on the content (magic bytes), not only on the
        file name: a renamed executable is refused.
        """
        company = company or self.env.company
        per_file, _total = self._islah_upload_limits(company)
        extension = os.path.splitext(filename or "")[1].lower()
        if extension not in ALLOWED_UPLOADS:
            return self.env._("%(file)s: only PDF, JPG and PNG files are accepted.", file=filename)
        if not content:
            return self.env._("%(file)s is empty.", file=filename)
        if len(content) > per_file:
            return self.env._(
                "%(file)s is larger than %(size)s MB.",
                file=filename,
                size=company.islah_max_upload_mb or 5,
            )
        if guess_mimetype(content, default="") not in ALLOWED_UPLOADS[extension]:
            return self.env._(
                "%(file)s: the content of the file is not a PDF, JPG or PNG document.",
                file=filename,
            )
        return False

    @api.model
    def _islah_check_uploads(self, files, company=None):
        """Error messages for a list of ``(filename, content)``."""
        company = company or self.env.company
        errors = [
            error
            for filename, content in files
            if (error := self._islah_check_upload(filename, content, company))
        ]
        _per_file, total = self._islah_upload_limits(company)
        if len(files) > MAX_UPLOAD_FILES:
            errors.append(self.env._("Send at most %(count)s files.", count=MAX_UPLOAD_FILES))
        if sum(len(content or b"") for _name, content in files) > total:
            errors.append(
                self.env._(
                    "The files together are larger than %(size)s MB.",
                    size=total // (1024 * 1024),
                )
            )
        return errors

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

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------

    def _islah_portal_timeline(self):
        """The request's steps with their dates, oldest first: its receipt,
        then each tracked change of state."""
        self.ensure_one()
        labels = dict(self._fields["state"]._description_selection(self.env))
        english = {label: key for key, label in self._fields["state"].selection}
        state_field = self.env["ir.model.fields"]._get(self._name, "state")
        # sudo: tracking values are not readable by portal users; this request's state only
        trackings = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("field_id", "=", state_field.id),
                    ("mail_message_id.model", "=", self._name),
                    ("mail_message_id.res_id", "=", self.id),
                ],
                order="id",
            )
        )
        timeline = [{"date": self.create_date, "label": labels["received"]}]
        for tracking in trackings:
            key = english.get(tracking.new_value_char)
            timeline.append(
                {
                    "date": tracking.mail_message_id.date,
                    "label": labels.get(key, tracking.new_value_char),
                }
            )
        return timeline

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
