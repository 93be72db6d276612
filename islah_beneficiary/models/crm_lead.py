import base64
import secrets
from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import api, fields, models
from odoo.exceptions import AccessError, ConcurrencyError, UserError, ValidationError
from odoo.tools import email_normalize, plaintext2html
from odoo.tools.misc import hmac

from .islah_beneficiary import SENSITIVE_GROUPS
from ..tools.constants import (
    GENDER_SECTION,
    GENDER_SELECTION,
    GROUP_MANAGER,
    GROUP_OFFICER,
    SECTION_OR_BOTH_SELECTION,
    section_for_gender,
)

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
# set only by the intake's own steps (the form, the confirmation link, the
# identity check), as superuser: never by a user's create/write (RPC)
INTAKE_SERVER_FIELDS = [
    "islah_identity_state",
    "islah_identity_check_method",
    "islah_identity_checked_by_id",
    "islah_identity_checked_on",
    "islah_intake_ref",
    "islah_need",
    "islah_declaration_date",
    "islah_consent_given",
    "islah_privacy_notice_id",
    "islah_email_confirmed",
]
FORM_TOKEN_SCOPE = "islah_web_form_token"


class CrmLead(models.Model):
    """An inquiry received by the beneficiary relations teams, through any of
    the policy's channels (``medium_id``), before it becomes a support request."""

    _name = "crm.lead"
    _inherit = ["crm.lead", "islah.access.logged.mixin"]

    islah_beneficiary_id = fields.Many2one(
        "islah.beneficiary",
        string="Beneficiary",
        index="btree_not_null",
        copy=False,
        tracking=True,
    )
    islah_request_ids = fields.One2many(
        "islah.support.request", "lead_id", string="Support requests"
    )
    islah_request_count = fields.Integer(
        compute="_compute_islah_request_count", string="Support request count"
    )
    islah_national_id = fields.Char(
        string="National ID / Iqama",
        groups=SENSITIVE_GROUPS,
        copy=False,
        help="Used by the conversion to find the beneficiary, or to register them.",
    )
    islah_gender = fields.Selection(GENDER_SELECTION, string="Gender")
    islah_section = fields.Selection(
        SECTION_OR_BOTH_SELECTION,
        string="Beneficiary section",
        compute="_compute_islah_section",
        store=True,
        index=True,
        help="The section of the beneficiary (or of its contact, or of the applicant's "
        "gender): only the staff of this section see the inquiry.",
    )
    islah_service_type_id = fields.Many2one(
        "islah.service.type",
        string="Requested service",
        domain="[('company_id', 'in', [company_id, False])]",
    )

    # web intake: nobody's identity is trusted until an officer checked it
    islah_identity_state = fields.Selection(
        [("unverified", "Identity not verified"), ("verified", "Identity verified")],
        string="Identity",
        readonly=True,
        copy=False,
        tracking=True,
        help="A request sent from the website is bound to nobody until an officer "
        "checked the applicant's identity and matched or registered them.",
    )
    islah_identity_check_method = fields.Selection(
        [
            ("in_person", "In person"),
            ("documents", "By the documents"),
            ("phone_call", "By a phone call"),
        ],
        string="Identity checked",
        readonly=True,
        copy=False,
    )
    islah_identity_checked_by_id = fields.Many2one(
        "res.users", string="Identity checked by", readonly=True, copy=False
    )
    islah_identity_checked_on = fields.Datetime(
        string="Identity checked on", readonly=True, copy=False
    )
    islah_intake_ref = fields.Char(
        string="Web reference",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The reference the applicant received on the page and by e-mail.",
    )
    islah_web_form_token = fields.Char(readonly=True, copy=False, groups="base.group_system")
    islah_submit_ip = fields.Char(readonly=True, copy=False, groups="base.group_system")
    islah_need = fields.Text(
        string="Need as written", readonly=True, copy=False, groups=SENSITIVE_GROUPS
    )
    islah_declaration_date = fields.Datetime(
        string="Declaration ticked on",
        readonly=True,
        copy=False,
        help="When the applicant ticked the declaration of responsibility on the form.",
    )
    islah_consent_given = fields.Boolean(
        string="Consent given on the form", readonly=True, copy=False
    )
    islah_privacy_notice_id = fields.Many2one(
        "islah.privacy.notice", string="Privacy notice shown", readonly=True, copy=False
    )
    islah_email_confirmed = fields.Boolean(string="E-mail confirmed", readonly=True, copy=False)
    islah_email_token = fields.Char(readonly=True, copy=False, groups="base.group_system")
    islah_email_token_expiry = fields.Datetime(
        readonly=True, copy=False, groups="base.group_system"
    )

    _islah_web_form_token_uniq = models.UniqueIndex(
        "(islah_web_form_token) WHERE islah_web_form_token IS NOT NULL",
        "This form was already submitted.",
    )
    _islah_email_token_uniq = models.UniqueIndex(
        "(islah_email_token) WHERE islah_email_token IS NOT NULL"
    )

    @api.depends("islah_beneficiary_id.section", "partner_id.islah_section", "islah_gender")
    def _compute_islah_section(self):
        for lead in self:
            lead.islah_section = (
                lead.islah_beneficiary_id.section
                or lead.partner_id.islah_section
                or section_for_gender(lead.islah_gender)
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._islah_check_partners(vals.get("partner_id") for vals in vals_list)
            for vals in vals_list:
                self._islah_check_server_fields([name for name, value in vals.items() if value])
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if vals.get("partner_id"):
                self._islah_check_partners([vals["partner_id"]])
            self._islah_check_server_fields(vals)
            if "islah_beneficiary_id" in vals and any(
                lead.islah_identity_state == "unverified" for lead in self
            ):
                # binding a web intake to a file is the conversion's, after the
                # identity check: never a plain write
                raise UserError(
                    self.env._(
                        "Check the applicant's identity and convert the web request to "
                        "match it to a beneficiary."
                    )
                )
        return super().write(vals)

    @api.model
    def _islah_check_server_fields(self, field_names):
        """The intake's identity, consent and confirmation fields are the
        record of what the applicant and the identity check did: readonly
        in the views is not enough, RPC could write them."""
        if forbidden := [name for name in INTAKE_SERVER_FIELDS if name in field_names]:
            raise AccessError(
                self.env._(
                    "These fields of a web request are set only by the form, the e-mail "
                    "confirmation and the identity check: %(fields)s.",
                    fields=", ".join(
                        self._fields[name]._description_string(self.env) for name in forbidden
                    ),
                )
            )

    @api.model
    def _islah_check_partners(self, partner_ids):
        """CRM copies the contact's name, e-mail, phone and address onto the
        inquiry with full rights: link only a contact the user may read."""
        self.env["res.partner"].browse(pid for pid in partner_ids if pid).check_access("read")

    @api.depends("islah_request_ids")
    def _compute_islah_request_count(self):
        Request = self.env["islah.support.request"]
        counts = {}
        if self.ids and Request.has_access("read"):
            counts = dict(
                Request._read_group([("lead_id", "in", self.ids)], ["lead_id"], ["__count"])
            )
        for lead in self:
            lead.islah_request_count = counts.get(lead, 0)

    def action_islah_convert_to_request(self):
        """Open the conversion wizard; a lead already converted opens its
        request instead (a second conversion would duplicate the request)."""
        self.ensure_one()
        if self.islah_request_ids:
            return self.action_islah_view_requests()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Convert to support request"),
            "res_model": "crm.lead.convert.request",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_id": self.id},
        }

    def action_islah_view_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "islah_beneficiary.islah_support_request_action"
        )
        requests = self.islah_request_ids
        if len(requests) == 1:
            action.update(views=[(False, "form")], view_mode="form", res_id=requests.id)
        else:
            action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"default_lead_id": self.id}
        return action

    def _islah_check_not_converted(self):
        for lead in self:
            if lead.islah_request_ids:
                raise UserError(
                    self.env._(
                        'The inquiry "%(lead)s" was already converted to the support '
                        "request %(request)s.",
                        lead=lead.name,
                        request=lead.islah_request_ids[0].name,
                    )
                )

    @api.model
    def default_get(self, fields):
        """A new inquiry from the Inquiries menu goes to the team of the
        officer's section (when they serve one section only)."""
        defaults = super().default_get(fields)
        if self.env.context.get("islah_inquiry") and "team_id" in fields:
            sections = self.env.user._islah_sections()
            if len(sections) == 1:
                team = self.env["crm.team"]._islah_team_for_section(sections[0])
                if team:
                    defaults["team_id"] = team.id
        return defaults

    # ------------------------------------------------------------------
    # Web intake (the public request form)
    # ------------------------------------------------------------------

    @api.model
    def _islah_web_intake_services(self, company=None):
        """The services offered on the public form: active ones of the company."""
        company = company or self.env.company
        # sudo: the public form runs as the public user; only active services are listed
        return (
            self.env["islah.service.type"]
            .sudo()
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
            errors["service_type_id"] = self.env._("Choose a service from the list.")
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

        Called as superuser by the public route: only a lead is created,
        marked "identity not verified", for the team of the section given by
        the gender; no beneficiary is looked up or touched. The files are
        attachments of the lead with the document type the applicant chose;
        the section's officers get a to-do; the typed address (if any) gets
        one e-mail: an acknowledgement with a confirmation link.

        A second submission with the same ``form_token`` returns the first
        intake. Raises ValidationError (nothing created) when invalid.
        """
        company = company or self.env.company
        token = values.get("form_token")
        if existing := self._islah_find_by_form_token(token):
            return existing
        if errors := self._islah_web_intake_errors(values, files, company):
            raise ValidationError("\n".join(errors.values()))
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
                return existing
            if "web_form_token" in (error.diag.constraint_name or ""):
                # it committed after this transaction's snapshot, which cannot
                # see it: Odoo retries the whole request, which then finds it
                # and answers like the first (not an error page)
                raise ConcurrencyError(token) from error
            raise
        return lead

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

    def _islah_section_officers(self):
        """The officers who serve the intake's section (managers aside);
        none: the section's managers."""
        self.ensure_one()
        officer = self.env.ref(GROUP_OFFICER)
        manager = self.env.ref(GROUP_MANAGER)
        company = self.company_id or self.env.company
        # sudo: who the officers are, whatever the caller may read of res.users
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("all_group_ids", "in", officer.id),
                    ("all_group_ids", "not in", manager.id),
                    ("company_ids", "in", company.id),
                    ("share", "=", False),
                    ("islah_section", "in", [self.islah_section, "both"]),
                ]
            )
        )
        return users or company._islah_managers(self.islah_section)

    def _islah_schedule_web_intake_todo(self):
        """At once, a to-do for each officer of the intake's section."""
        for lead in self.sudo():
            for user in lead._islah_section_officers():
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

    # ------------------------------------------------------------------
    # Identity check (the conversion wizard)
    # ------------------------------------------------------------------

    def _islah_check_section_officer(self):
        """Only an officer of the intake's own section converts it."""
        if self.env.su:
            return
        sections = self.env.user._islah_sections()
        for lead in self:
            if lead.islah_section and lead.islah_section not in sections:
                raise UserError(
                    self.env._(
                        'The inquiry "%(lead)s" belongs to a section you do not serve.',
                        lead=lead.name,
                    )
                )

    def _islah_record_identity_check(self, method):
        """Record who checked the applicant's identity, when and how."""
        self.ensure_one()
        labels = dict(self._fields["islah_identity_check_method"]._description_selection(self.env))
        # sudo: the identity fields are read-only for everyone but this step
        self.sudo().write(
            {
                "islah_identity_state": "verified",
                "islah_identity_check_method": method,
                "islah_identity_checked_by_id": self.env.uid,
                "islah_identity_checked_on": fields.Datetime.now(),
            }
        )
        self.message_post(
            body=self.env._(
                "Identity of the applicant checked (%(method)s) by %(user)s.",
                method=labels[method],
                user=self.env.user.name,
            )
        )
