import base64
import secrets
from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.exceptions import ConcurrencyError, ValidationError
from odoo.tools import email_normalize, plaintext2html
from odoo.tools.misc import hmac

from ..tools.constants import GENDER_SECTION, GROUP_OFFICER

WEB_INTAKE_REQUIRED = ["name", "national_id", "gender", "mobile", "service_type_id", "need"]
# what a field of the public form may hold, in characters
WEB_INTAKE_MAX_LENGTHS = {
    "name": 128,
    "national_id": 10,
    "mobile": 20,
    "email": 254,
    "city": 64,
    "need": 4000,
}
EMAIL_TOKEN_DAYS = 7
TODO_WEB_INTAKE = "islah_beneficiary.mail_activity_type_web_intake"
FORM_TOKEN_SCOPE = "islah_web_form_token"


class IslahWebIntakeMixin(models.AbstractModel):
    """The public request form's side of an intake (``crm.lead``): what the
    form offers, its validation, the session-bound form token, the
    throttle, the all-or-nothing creation and the e-mail confirmation.
    The intake's fields are on ``crm.lead``, which inherits this."""

    _name = "islah.web.intake.mixin"
    _description = "Web intake of the public request form"

    @api.model
    def _islah_web_intake_services(self, company=None):
        """The services offered on the public form: active ones of the
        company that take applications today."""
        return self._islah_web_intake_all_services(company).filtered(
            lambda service: service._islah_is_open()
        )

    @api.model
    def _islah_web_intake_all_services(self, company=None):
        """The company's active services, open for applications or not."""
        company = company or self.env.company
        # sudo: the public form runs as the public user; only active services are listed
        return (
            self.env["islah.service.type"]
            .sudo()
            .with_company(company)
            .search([("active", "=", True), ("company_id", "in", [company.id, False])])
        )

    @api.model
    def _islah_web_intake_labels(self):
        """The form's fields as the applicant reads them, for the error summary."""
        return {
            "name": self.env._("Full name"),
            "national_id": self.env._("National ID / Iqama"),
            "gender": self.env._("Gender"),
            "mobile": self.env._("Mobile"),
            "email": self.env._("E-mail"),
            "city": self.env._("City"),
            "service_type_id": self.env._("Service"),
            "need": self.env._("Describe your need"),
            "attachments": self.env._("Supporting documents"),
            "declaration": self.env._("Declaration"),
            "consent": self.env._("Consent"),
        }

    @api.model
    def _islah_web_intake_errors(self, values, files, company=None):
        """Validate a submission: ``{field: message}``, empty when valid.

        ``files`` are ``(document type id, filename, content)``. National ID
        and mobile are checked by the beneficiary model's own rules (the
        applicant reads the back office's message), on a new record: no
        beneficiary is looked up.
        """
        company = company or self.env.company
        errors = {}
        for field_name, size in WEB_INTAKE_MAX_LENGTHS.items():
            if len(values.get(field_name) or "") > size:
                errors[field_name] = self.env._("Write at most %(size)s characters.", size=size)
        for field_name in WEB_INTAKE_REQUIRED:
            if field_name not in errors and not values.get(field_name):
                errors[field_name] = self.env._("This field is required.")
        # sudo: the model's own validators, on a new record nothing is read
        Beneficiary = self.env["islah.beneficiary"].sudo()
        if values.get("national_id") and "national_id" not in errors:
            try:
                Beneficiary.new({"national_id": values["national_id"]})._check_national_id()
            except ValidationError as error:
                errors["national_id"] = error.args[0]
        if values.get("mobile") and "mobile" not in errors:
            try:
                Beneficiary._normalize_vals({"phone": values["mobile"]})
            except ValidationError as error:
                errors["mobile"] = error.args[0]
        if values.get("email") and "email" not in errors and not email_normalize(values["email"]):
            errors["email"] = self.env._(
                "%(email)s is not a valid e-mail address.", email=values["email"]
            )
        if values.get("gender") and values["gender"] not in GENDER_SECTION:
            errors["gender"] = self.env._("Choose a gender from the list.")
        service = self._islah_web_intake_service(values, company)
        if values.get("service_type_id") and not service:
            errors["service_type_id"] = self._islah_web_intake_closed_message(
                values, company
            ) or self.env._("Choose a service from the list.")
        if not values.get("declaration"):
            errors["declaration"] = self.env._(
                "You must declare that you are directly responsible for the correctness "
                "of the information provided."
            )
        if not values.get("consent"):
            errors["consent"] = self.env._(
                "Your consent to the processing of your data is needed to study your request."
            )
        if file_errors := self._islah_web_intake_file_errors(files, service, company):
            errors["attachments"] = " ".join(file_errors)
        return errors

    @api.model
    def _islah_web_intake_service(self, values, company):
        try:
            service_id = int(values.get("service_type_id") or 0)
        except ValueError:
            return self.env["islah.service.type"]
        services = self._islah_web_intake_services(company)
        return services.filtered(lambda service: service.id == service_id)

    @api.model
    def _islah_web_intake_closed_message(self, values, company):
        """For a service posted outside its application window (the form no
        longer offered it): when applications open or closed; else empty."""
        try:
            service_id = int(values.get("service_type_id") or 0)
        except ValueError:
            return ""
        service = self._islah_web_intake_all_services(company).filtered(
            lambda service: service.id == service_id
        )
        if not service or service._islah_is_open():
            return ""
        return self.env._(
            "%(service)s is not taking applications at the moment. %(note)s",
            service=service.with_env(self.env).name,
            note=service.with_env(self.env)._islah_window_note(),
        )

    @api.model
    def _islah_web_intake_file_errors(self, files, service, company):
        errors = self.env["islah.support.request"]._islah_check_uploads(
            [(filename, content) for _doc, filename, content in files], company
        )
        if any(doc_id not in service.document_type_ids.ids for doc_id, _n, _c in files):
            errors.append(self.env._("Send only the documents asked for the chosen service."))
        return errors

    @api.model
    def _islah_new_form_token(self, session_key):
        """A form token bound to the visitor's session: a random half and its
        signature. Another session's token is worth nothing here, so nobody
        can make a stranger's post "the same" as theirs (and read its
        reference, or have it dropped as a double)."""
        nonce = secrets.token_hex(8)
        return nonce + self._islah_form_token_signature(nonce, session_key)

    @api.model
    def _islah_form_token_valid(self, token, session_key):
        nonce, signature = token[:16], token[16:]
        expected = self._islah_form_token_signature(nonce, session_key)
        return len(token) == 32 and secrets.compare_digest(signature, expected)

    @api.model
    def _islah_form_token_signature(self, nonce, session_key):
        # sudo: hmac reads the database secret
        return hmac(self.env(su=True), FORM_TOKEN_SCOPE, (session_key, nonce))[:16]

    @api.model
    def _islah_find_by_form_token(self, token):
        if not token:
            return self.browse()
        # sudo: the token field is for system users; the form's own token only
        return (
            self.sudo()
            .with_context(active_test=False)
            .search([("islah_web_form_token", "=", token)], limit=1)
        )

    @api.model
    def _islah_web_intake_throttled(self, ip, national_id, company=None):
        """Whether this address or this national ID sent the company's
        allowed number of intakes within its period already."""
        company = company or self.env.company
        since = fields.Datetime.now() - timedelta(minutes=company.islah_intake_rate_minutes)
        limit = company.islah_intake_rate_limit
        # sudo: the address and national ID are system fields; a count only
        Lead = self.sudo().with_context(active_test=False)
        base = [("create_date", ">=", since), ("islah_identity_state", "!=", False)]
        return any(
            Lead.search_count(base + [(fname, "=", value)], limit=limit) >= limit
            for fname, value in (("islah_submit_ip", ip), ("islah_national_id", national_id))
            if value
        )

    @api.model
    def _islah_new_intake_ref(self):
        return f"WEB-{secrets.token_hex(4).upper()}"

    @api.model
    def _islah_create_web_intake(self, values, files, company=None, ip=None, notice=None):
        """Create the intake of a public form submission, all or nothing.

        Called as superuser: see ``_islah_submit_web_intake``, which this
        calls. Returns the intake; raises ValidationError (nothing created)
        when the submission is invalid.
        """
        lead, errors = self._islah_submit_web_intake(values, files, company, ip, notice)
        if errors:
            raise ValidationError("\n".join(errors.values()))
        return lead

    @api.model
    def _islah_submit_web_intake(self, values, files, company=None, ip=None, notice=None):
        """Validate a public form submission once and, when valid, create its
        intake, all or nothing: ``(intake, errors)``, ``errors`` being
        ``{field: message}`` (then no intake is created).

        Called as superuser by the public route: only a lead is created,
        marked "identity not verified", for the team of the section given by
        the gender; no beneficiary is looked up or touched. The files are
        attachments of the lead with the document type the applicant chose;
        the section's officers get a to-do; the typed address (if any) gets
        one e-mail: an acknowledgement with a confirmation link.

        A second submission with the same ``form_token`` returns the first
        intake.
        """
        company = company or self.env.company
        token = values.get("form_token")
        if existing := self._islah_find_by_form_token(token):
            return existing, {}
        if errors := self._islah_web_intake_errors(values, files, company):
            return self.browse(), errors
        # sudo: the public visitor has no rights; the values were validated above
        Lead = self.sudo().with_company(company).with_context(mail_create_nosubscribe=True)
        try:
            with Lead.env.cr.savepoint():
                lead = Lead._islah_web_intake_create(values, files, company, ip, notice)
                lead._islah_schedule_web_intake_todo()
                lead._islah_send_intake_acknowledgement()
        except IntegrityError as error:
            # the same form posted twice at the same moment: the other one won
            if existing := self._islah_find_by_form_token(token):
                return existing, {}
            if "web_form_token" in (error.diag.constraint_name or ""):
                # it committed after this transaction's snapshot, which cannot
                # see it: Odoo retries the whole request, which then finds it
                # and answers like the first (not an error page)
                raise ConcurrencyError(token) from error
            raise
        return lead, {}

    @api.model
    def _islah_web_intake_create(self, values, files, company, ip, notice):
        service = self._islah_web_intake_service(values, company)
        section = GENDER_SECTION[values["gender"]]
        team = self.env["crm.team"]._islah_team_for_section(section, company)
        email = values.get("email") or False
        lang = self.env["res.lang"]._lang_get(self.env.lang)
        now = fields.Datetime.now()
        lead = self.create(
            {
                "name": self.env._(
                    "%(service)s - %(name)s", service=service.name, name=values["name"]
                ),
                "type": "lead",
                "contact_name": values["name"],
                "email_from": email,
                "phone": values["mobile"],
                "city": values.get("city") or False,
                "lang_id": lang.id,
                "team_id": team.id or False,
                "user_id": team.user_id.id or False,
                "company_id": company.id,
                "medium_id": self.env.ref("islah_beneficiary.utm_medium_website").id,
                "islah_national_id": values["national_id"],
                "islah_gender": values["gender"],
                "islah_service_type_id": service.id,
                "islah_need": values["need"],
                "description": plaintext2html(values["need"]),
                "islah_identity_state": "unverified",
                "islah_intake_ref": self._islah_new_intake_ref(),
                "islah_web_form_token": values.get("form_token") or False,
                "islah_submit_ip": ip or False,
                "islah_declaration_date": now,
                "islah_consent_given": bool(values.get("consent")),
                "islah_privacy_notice_id": notice.id if notice else False,
                "islah_email_token": secrets.token_urlsafe(32) if email else False,
                "islah_email_token_expiry": now + timedelta(days=EMAIL_TOKEN_DAYS)
                if email
                else False,
            }
        )
        self.env["ir.attachment"].create(
            [
                {
                    "name": filename,
                    "datas": base64.b64encode(content),
                    "res_model": lead._name,
                    "res_id": lead.id,
                    "islah_document_type_id": doc_id,
                }
                for doc_id, filename, content in files
            ]
        )
        return lead

    def _islah_schedule_web_intake_todo(self):
        """At once, a to-do for each officer of the intake's section."""
        for lead in self.sudo():
            company = lead.company_id or self.env.company
            # the officers who serve the intake's section; none: its managers
            for user in company._islah_section_staff(GROUP_OFFICER, lead.islah_section):
                in_lang = lead.with_context(lang=user.lang or self.env.lang)
                lead.activity_schedule(
                    TODO_WEB_INTAKE,
                    summary=in_lang.env._(
                        "Check the identity of %(name)s and convert the web request",
                        name=lead.contact_name,
                    ),
                    user_id=user.id,
                )
        return True

    def _islah_send_intake_acknowledgement(self):
        """The one e-mail the typed address receives before the identity is
        checked: the same for everyone, with a link to confirm the address."""
        template = self.env.ref("islah_beneficiary.mail_template_intake_confirm")
        for lead in self.sudo().filtered("email_from"):
            template.send_mail(lead.id)
        return True

    def _islah_email_confirm_url(self):
        self.ensure_one()
        return f"{self.get_base_url()}/islah/intake/confirm/{self.sudo().islah_email_token}"

    @api.model
    def _islah_email_token_lead(self, token):
        """The intake holding the e-mail ``token``, or an empty recordset
        when the token is unknown or expired. Confirms nothing."""
        if not token:
            return self.browse()
        # sudo: the visitor only holds the random token sent to the address
        lead = (
            self.sudo()
            .with_context(active_test=False)
            .search([("islah_email_token", "=", token)], limit=1)
        )
        expiry = lead.islah_email_token_expiry
        if not lead or not expiry or expiry < fields.Datetime.now():
            return self.browse()
        return lead

    @api.model
    def _islah_confirm_email(self, token):
        """Confirm the address of the intake holding ``token``: the intake,
        or an empty recordset when the token is unknown or expired."""
        lead = self._islah_email_token_lead(token)
        if lead and not lead.islah_email_confirmed:
            lead.islah_email_confirmed = True
            lead.message_post(body=self.env._("The applicant confirmed their e-mail address."))
        return lead
