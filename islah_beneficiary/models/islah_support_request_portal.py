# The split of islah.support.request across files is to be redone by a later issue.
# pylint: disable=consider-merging-classes-inherited
import base64
import os

from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import email_normalize
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
WEB_FORM_REQUIRED = ("name", "national_id", "gender", "mobile", "service_type_id", "description")
PORTAL_UPLOAD_STATES = ("received", "verification")


class IslahSupportRequest(models.Model):
    """Remote service: the public request form and the beneficiary portal.

    The controllers stay thin: validation, creation and uploads live here, so
    the web form and the back office share the same rules and messages.
    """

    _inherit = "islah.support.request"

    web_form_token = fields.Char(
        readonly=True,
        copy=False,
        groups="base.group_system",
        help="Idempotency key of the web form submission that created this request: "
        "the same form posted twice gives one request.",
    )

    _web_form_token_uniq = models.UniqueIndex(
        "(web_form_token) WHERE web_form_token IS NOT NULL",
        "This form was already submitted.",
    )

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
    # Public request form
    # ------------------------------------------------------------------

    @api.model
    def _islah_web_form_service_types(self, company=None):
        """The services offered on the public form: active ones of the company."""
        company = company or self.env.company
        # sudo: the public form runs as the public user; only active services are listed
        return (
            self.env["islah.service.type"]
            .sudo()
            .search([("active", "=", True), ("company_id", "in", [company.id, False])])
        )

    @api.model
    def _islah_web_form_errors(self, values, files, company=None):
        """Validate a web form submission: ``{field: message}``, empty when valid.

        National ID and mobile number are checked by the beneficiary model's own
        rules, so the applicant reads the same message as the back office.
        """
        company = company or self.env.company
        errors = {}
        for field_name in WEB_FORM_REQUIRED:
            if not str(values.get(field_name) or "").strip():
                errors[field_name] = self.env._("This field is required.")
        # sudo: the model's own validators, on a new record nothing is read
        Beneficiary = self.env["islah.beneficiary"].sudo()
        national_id = (values.get("national_id") or "").strip()
        if national_id:
            try:
                Beneficiary.new({"national_id": national_id})._check_national_id()
            except ValidationError as error:
                errors["national_id"] = error.args[0]
        if values.get("mobile"):
            try:
                Beneficiary._normalize_vals({"phone": values["mobile"]})
            except ValidationError as error:
                errors["mobile"] = error.args[0]
        if values.get("email") and not email_normalize(values["email"]):
            errors["email"] = self.env._(
                "%(email)s is not a valid e-mail address.", email=values["email"]
            )
        if values.get("gender") and values["gender"] not in ("male", "female"):
            errors["gender"] = self.env._("Choose a gender from the list.")
        if values.get("service_type_id"):
            try:
                service_id = int(values["service_type_id"])
            except (TypeError, ValueError):
                service_id = 0
            if service_id not in self._islah_web_form_service_types(company).ids:
                errors["service_type_id"] = self.env._("Choose a service from the list.")
        if not values.get("declaration"):
            errors["declaration"] = self.env._(
                "You must declare that you are directly responsible for the correctness "
                "of the information provided."
            )
        if file_errors := self._islah_check_uploads(files, company):
            errors["attachments"] = " ".join(file_errors)
        return errors

    @api.model
    def _islah_find_by_form_token(self, token):
        if not token:
            return self.browse()
        # sudo: the token field is for system users; the form's own token only
        return (
            self.sudo()
            .with_context(active_test=False)
            .search([("web_form_token", "=", token)], limit=1)
        )

    @api.model
    def _islah_create_from_web_form(self, values, files, company=None):
        """Create the request of a public form submission, all or nothing.

        Called as superuser by the public route (the visitor has no rights):
        the beneficiary with this national ID in the company is reused, else
        registered as a draft; the request gets the website channel, its
        section's team leader as officer (never the public user) and the
        declaration through ``action_record_declaration``; the files become
        attachments of the request, which the officer then assigns to the
        checklist lines. A lead records the inquiry for the CRM team.

        A second submission with the same ``form_token`` returns the request
        of the first. Raises ValidationError (nothing created) when invalid.
        """
        company = company or self.env.company
        token = values.get("form_token")
        if existing := self._islah_find_by_form_token(token):
            return existing
        if errors := self._islah_web_form_errors(values, files, company):
            raise ValidationError("\n".join(errors.values()))
        # sudo: the public visitor has no rights; the values were validated above
        env = (
            self.sudo()
            .with_company(company)
            .with_context(mail_create_nosubscribe=True, lang=self.env.lang)
            .env
        )
        try:
            with env.cr.savepoint():
                request = self._islah_web_form_create(env, values, files, company)
        except IntegrityError:
            # the same form posted twice at the same moment: the other one won
            if existing := self._islah_find_by_form_token(token):
                return existing
            raise
        return request

    @api.model
    def _islah_web_form_create(self, env, values, files, company):
        national_id = values["national_id"].strip()
        Beneficiary = env["islah.beneficiary"]
        beneficiary = Beneficiary.search(
            [("national_id", "=", national_id), ("company_id", "=", company.id)], limit=1
        )
        if not beneficiary:
            beneficiary = Beneficiary.create(
                {
                    "name": values["name"].strip(),
                    "national_id": national_id,
                    "gender": values["gender"],
                    "phone": values["mobile"],
                    "email": (values.get("email") or "").strip() or False,
                    "city": (values.get("city") or "").strip() or False,
                    "company_id": company.id,
                }
            )
        team = env["crm.team"]._islah_team_for_section(beneficiary.section, company)
        officer = team.user_id
        channel = env.ref("islah_beneficiary.utm_medium_website")
        service = env["islah.service.type"].browse(int(values["service_type_id"]))
        lead = env["crm.lead"].create(
            {
                "name": self.env._(
                    "%(service)s - %(name)s", service=service.name, name=values["name"].strip()
                ),
                "type": "lead",
                "contact_name": values["name"].strip(),
                "email_from": (values.get("email") or "").strip() or False,
                "phone": beneficiary.phone,
                "city": (values.get("city") or "").strip() or False,
                "team_id": team.id or False,
                "user_id": officer.id or False,
                "company_id": company.id,
                "medium_id": channel.id,
                "islah_beneficiary_id": beneficiary.id,
                "islah_national_id": national_id,
                "islah_gender": values["gender"],
                "islah_service_type_id": service.id,
                "description": values["description"],
            }
        )
        request = env["islah.support.request"].create(
            {
                "beneficiary_id": beneficiary.id,
                "service_type_id": service.id,
                "medium_id": channel.id,
                "description": values["description"],
                "company_id": company.id,
                "officer_id": officer.id or False,
                "lead_id": lead.id,
                "web_form_token": values.get("form_token") or False,
            }
        )
        request.action_record_declaration()
        if files:
            attachments = request._islah_attach_files(files)
            request.message_post(
                body=self.env._(
                    "Documents sent by the applicant with the web form: assign them to "
                    "the checklist lines."
                ),
                attachment_ids=attachments.ids,
            )
        return request

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
