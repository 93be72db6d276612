from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.constants import GENDER_SELECTION, SECTION_OR_BOTH_SELECTION, section_for_gender
from ..tools.retention import LEAD_PERSONAL_FIELDS
from .islah_beneficiary import SENSITIVE_GROUPS

# the fields that decide which section's staff see an inquiry
LEAD_SCOPE_FIELDS = {"islah_gender", "team_id", "partner_id", "islah_beneficiary_id", "company_id"}

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


class CrmLead(models.Model):
    """An inquiry received by the beneficiary relations teams, through any of
    the policy's channels (``medium_id``), before it becomes a support request."""

    _name = "crm.lead"
    _inherit = ["crm.lead", "islah.access.logged.mixin", "islah.web.intake.mixin"]
    # what the applicant typed about themselves: who read it is logged
    _islah_logged_fields = ("islah_national_id", "islah_need")

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
        result = super().write(vals)
        if not self.env.su and LEAD_SCOPE_FIELDS & vals.keys():
            # record rules are checked before a write, not after: without this an
            # officer could move an inquiry into the other section (gender, team)
            self.check_access("write")
        return result

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

    @api.model
    def _islah_scrub_stale_intakes(self):
        """Web intakes nobody converted (abandoned, lost, a stranger's) hold
        what someone typed about a person: past the period of a file without
        an approved request (the company's setting), their personal data,
        chatter, files and e-mails go; the reference and dates stay for the
        figures. Returns the intakes scrubbed."""
        # sudo: the daily cron, over every company's intakes and their traces
        Lead = self.sudo().with_context(active_test=False)
        scrubbed = Lead.browse()
        now = fields.Datetime.now()
        for company in self.env["res.company"].sudo().search([]):
            limit = now - relativedelta(years=company.islah_retention_years_unapproved)
            scrubbed |= Lead.search(
                [
                    ("islah_identity_state", "=", "unverified"),
                    ("create_date", "<", limit),
                    ("company_id", "in", [company.id, False]),
                    "|",
                    "|",
                    ("islah_national_id", "!=", False),
                    ("contact_name", "!=", False),
                    ("email_from", "!=", False),
                ]
            )
        if not scrubbed:
            return scrubbed
        messages = (
            self.env["mail.message"]
            .sudo()
            .search([("model", "=", "crm.lead"), ("res_id", "in", scrubbed.ids)])
        )
        self.env["mail.mail"].sudo().search(
            [
                "|",
                ("mail_message_id", "in", messages.ids),
                "&",
                ("model", "=", "crm.lead"),
                ("res_id", "in", scrubbed.ids),
            ]
        ).unlink()
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", "crm.lead"), ("res_id", "in", scrubbed.ids)]
        ).unlink()
        self.env["mail.tracking.value"].sudo().search(
            [("mail_message_id", "in", messages.ids)]
        ).unlink()
        messages.write({"body": "", "subject": False, "email_from": False})
        for lead in scrubbed:
            vals = {name: False for name in LEAD_PERSONAL_FIELDS if name in self._fields}
            lead.with_context(tracking_disable=True).write(
                {**vals, "name": lead.islah_intake_ref or self.env._("Web request")}
            )
        return scrubbed
