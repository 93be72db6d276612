from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, clean_context

from ..tools import (
    format_hijri,
    is_valid_iban,
    is_valid_national_id,
    normalize_national_id,
    normalize_saudi_mobile,
)
from ..tools.constants import GENDER_SELECTION, SECTION_SELECTION, section_for_gender

SENSITIVE_GROUPS = (
    "islah_beneficiary.group_islah_beneficiary_officer,"
    "islah_beneficiary.group_islah_beneficiary_researcher"
)
# The contact details a beneficiary's file keeps on its partner. Officers have
# no write access on res.partner: these are written as superuser once the ORM
# has checked the user's access to the file itself. Any other partner field
# (users, parent company, tags...) keeps the caller's own res.partner rights.
PARTNER_CONTACT_FIELDS = frozenset(
    {
        "name",
        "email",
        "phone",
        "street",
        "street2",
        "zip",
        "city",
        "state_id",
        "country_id",
        "lang",
        "image_1920",
        "active",
    }
)


class IslahBeneficiary(models.Model):
    """A person the association serves. Contact data live on the partner
    (``_inherits``) so e-mail, portal and CRM use them as they are."""

    _name = "islah.beneficiary"
    _description = "Beneficiary"
    _inherits = {"res.partner": "partner_id"}
    _inherit = ["mail.thread", "mail.activity.mixin", "islah.access.logged.mixin"]
    _islah_logged_fields = ("national_id", "iban", "monthly_income")
    _order = "create_date desc, id desc"
    # national_id is searched by _search_display_name, only for the groups
    # allowed to read it (a restricted field here raises AccessError for others)
    _rec_names_search = ["name", "phone"]

    partner_id = fields.Many2one(
        "res.partner", required=True, ondelete="restrict", index=True, string="Partner record"
    )
    national_id = fields.Char(
        string="National ID / Iqama",
        required=True,
        tracking=True,
        groups=SENSITIVE_GROUPS,
        help="Ten digits: a national ID starts with 1, an iqama with 2.",
    )
    id_kind = fields.Selection(
        [("citizen", "National ID"), ("resident", "Iqama")],
        compute="_compute_id_kind",
        store=True,
        string="ID kind",
    )
    gender = fields.Selection(GENDER_SELECTION, required=True, tracking=True)
    section = fields.Selection(
        SECTION_SELECTION,
        compute="_compute_section",
        store=True,
        index=True,
        help="Decided by gender: the section whose staff serve this beneficiary.",
    )
    birth_date = fields.Date()
    birth_date_hijri = fields.Char(string="Birth date (Hijri)", compute="_compute_birth_date_hijri")
    marital_status = fields.Selection(
        [
            ("single", "Single"),
            ("married", "Married"),
            ("divorced", "Divorced"),
            ("widowed", "Widowed"),
        ],
        tracking=True,
    )
    district = fields.Char()
    member_ids = fields.One2many(
        "islah.beneficiary.member", "beneficiary_id", string="Family members"
    )
    member_count = fields.Integer(compute="_compute_member_count", string="Family size")
    category_ids = fields.Many2many("islah.beneficiary.category", string="Categories")
    currency_id = fields.Many2one(related="company_id.currency_id")
    monthly_income = fields.Monetary(
        currency_field="currency_id", groups=SENSITIVE_GROUPS, tracking=True
    )
    iban = fields.Char(string="IBAN", groups=SENSITIVE_GROUPS, tracking=True)
    consent_ids = fields.One2many(
        "islah.consent",
        "beneficiary_id",
        string="Consents",
        groups="islah_beneficiary.group_islah_beneficiary_officer",
    )
    consent = fields.Boolean(
        string="Consent to data processing",
        compute="_compute_consent",
        inverse="_inverse_consent",
        store=True,
        help="The beneficiary agreed that the association keeps and processes their data: "
        "a consent is recorded and not withdrawn.",
    )
    consent_date = fields.Date(compute="_compute_consent_date", store=True)
    state = fields.Selection(
        [("draft", "Draft"), ("registered", "Registered"), ("suspended", "Suspended")],
        string="Registration status",
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    registered_on = fields.Date(readonly=True, copy=False)
    request_ids = fields.One2many("islah.support.request", "beneficiary_id", string="Requests")
    request_count = fields.Integer(compute="_compute_request_count")
    has_portal_access = fields.Boolean(
        compute="_compute_has_portal_access",
        help="The beneficiary logs in to the portal to follow their requests.",
    )

    _national_id_company_uniq = models.Constraint(
        "UNIQUE(company_id, national_id)",
        "A beneficiary with this national ID / iqama is already registered.",
    )

    @api.depends("national_id")
    def _compute_id_kind(self):
        # a stored compute: the ORM runs it as superuser (national_id is restricted)
        for beneficiary in self:
            number = beneficiary.national_id or ""
            beneficiary.id_kind = {"1": "citizen", "2": "resident"}.get(number[:1], False)

    @api.depends("gender")
    def _compute_section(self):
        for beneficiary in self:
            beneficiary.section = section_for_gender(beneficiary.gender)

    @api.depends("birth_date")
    @api.depends_context("lang")
    def _compute_birth_date_hijri(self):
        lang = self.env.lang
        for beneficiary in self:
            beneficiary.birth_date_hijri = format_hijri(beneficiary.birth_date, lang)

    @api.depends("member_ids")
    def _compute_member_count(self):
        for beneficiary in self:
            beneficiary.member_count = len(beneficiary.member_ids) + 1

    def _compute_request_count(self):
        counts = dict(
            self.env["islah.support.request"]._read_group(
                [("beneficiary_id", "in", self.ids)], ["beneficiary_id"], ["__count"]
            )
        )
        for beneficiary in self:
            beneficiary.request_count = counts.get(beneficiary, 0)

    def _compute_has_portal_access(self):
        # sudo: only whether a portal login exists, whatever the caller may read of res.users
        for beneficiary in self:
            users = beneficiary.sudo().partner_id.user_ids
            beneficiary.has_portal_access = any(user._is_portal() for user in users)

    @api.depends("consent_ids.state")
    def _compute_consent(self):
        # stored computes: the ORM runs them as superuser (consents are staff-only)
        for beneficiary in self:
            beneficiary.consent = "active" in beneficiary.consent_ids.mapped("state")

    @api.depends("consent_ids.state", "consent_ids.given_on")
    def _compute_consent_date(self):
        # apart from _compute_consent: a create writing ``consent`` would
        # otherwise leave the date uncomputed
        for beneficiary in self:
            active = beneficiary.consent_ids.filtered(lambda c: c.state == "active")[:1]
            beneficiary.consent_date = (
                fields.Date.context_today(beneficiary, active.given_on) if active else False
            )

    def _inverse_consent(self):
        """Ticking the box records a consent (channel from the context key
        ``islah_consent_channel_id``, else the interview), clearing it
        withdraws: code, data and tests writing ``consent`` keep working."""
        channel = self.env["utm.medium"].browse(self.env.context.get("islah_consent_channel_id"))
        for beneficiary in self:
            if beneficiary.consent and not beneficiary._islah_has_consent():
                beneficiary._islah_record_consent(channel=channel or None)
            elif not beneficiary.consent and beneficiary._islah_has_consent():
                beneficiary._islah_withdraw_consent(channel=channel or None)

    @api.model
    def _search_display_name(self, operator, value):
        """Staff who may see national IDs also find a beneficiary by typing it."""
        domain = super()._search_display_name(operator, value)
        if (
            operator in ("ilike", "=", "=ilike")
            and isinstance(value, str)
            and value.strip().isdigit()
            and self.env.user.has_groups(SENSITIVE_GROUPS)
        ):
            domain = Domain.OR([domain, [("national_id", "=", normalize_national_id(value))]])
        return domain

    @api.constrains("national_id")
    def _check_national_id(self):
        # the ORM runs constraints as superuser; direct callers are officers
        for beneficiary in self:
            if not is_valid_national_id(beneficiary.national_id):
                raise ValidationError(
                    self.env._(
                        "%(number)s is not a valid Saudi national ID or iqama number: "
                        "it must have 10 digits, start with 1 or 2 and end with a "
                        "correct check digit.",
                        number=beneficiary.national_id,
                    )
                )

    @api.constrains("iban")
    def _check_iban(self):
        for beneficiary in self:
            if beneficiary.iban and not is_valid_iban(beneficiary.iban):
                raise ValidationError(
                    self.env._(
                        "%(iban)s is not a valid Saudi IBAN: it must start with SA, "
                        "have 24 characters and pass the IBAN check.",
                        iban=beneficiary.iban,
                    )
                )

    @api.constrains("birth_date")
    def _check_birth_date(self):
        today = fields.Date.context_today(self)
        for beneficiary in self:
            if beneficiary.birth_date and beneficiary.birth_date > today:
                raise ValidationError(self.env._("The birth date cannot be in the future."))

    @api.constrains("monthly_income")
    def _check_monthly_income(self):
        # the ORM runs constraints as superuser: the restricted income is readable
        if any(beneficiary.monthly_income < 0 for beneficiary in self):
            raise ValidationError(self.env._("The monthly income cannot be negative."))

    @api.model
    def _normalize_vals(self, vals):
        """Store identifiers in one form, and refuse a bad mobile number."""
        vals = dict(vals)
        if vals.get("national_id"):
            vals["national_id"] = normalize_national_id(vals["national_id"])
        if vals.get("iban"):
            vals["iban"] = vals["iban"].replace(" ", "").upper()
        if vals.get("phone"):
            mobile = normalize_saudi_mobile(vals["phone"])
            if not mobile:
                raise ValidationError(
                    self.env._(
                        "%(phone)s is not a valid Saudi mobile number (for example 05XXXXXXXX).",
                        phone=vals["phone"],
                    )
                )
            vals["phone"] = mobile
        return vals

    @api.model
    def default_get(self, fields):
        # the form offers Arabic, not the officer's own interface language
        values = super().default_get(fields)
        if "lang" in fields and "default_lang" not in self.env.context:
            values["lang"] = self._islah_default_lang() or values.get("lang")
        return values

    @api.model
    def _islah_default_lang(self):
        """The language of a new beneficiary's e-mails, letters and portal:
        the one they applied in (``islah_applicant_lang`` in the context, the
        web form's), else Arabic, the association's working language, when
        it is installed; False leaves Odoo's default."""
        Lang = self.env["res.lang"]
        for code in (self.env.context.get("islah_applicant_lang"), "ar_001"):
            if code and Lang._get_code(code):
                return code
        # another Arabic variant (ar_SA...) installed instead of ar_001
        return next((code for code, _name in Lang.get_installed() if code[:2] == "ar"), False)

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._normalize_vals(vals) for vals in vals_list]
        for vals in vals_list:
            if not vals.get("partner_id") and not vals.get("lang"):
                # an existing contact keeps its language
                if lang := self._islah_default_lang():
                    vals["lang"] = lang
        if self.env.su:
            return super().create(vals_list)
        # the checks of the ORM's create, made here because the files are
        # inserted as superuser below
        self.check_access("create")
        # context defaults apply to the file's own fields only, never as
        # superuser to the partner or to the records created along the file
        defaults = {
            key[8:]: value
            for key, value in self.env.context.items()
            if key.startswith("default_")
            and key[8:] in self._fields
            and not self._fields[key[8:]].inherited
        }
        Partner = self.env["res.partner"]
        for vals in vals_list:
            for name, value in defaults.items():
                vals.setdefault(name, value)
            for name in vals:
                if name not in self._fields:
                    raise ValueError(f"Invalid field {name!r} in {self._name!r}")
                self._check_field_access(self._fields[name], "write")
            partner_vals = {
                name: vals.pop(name) for name in list(vals) if self._fields[name].inherited
            }
            if vals.get("partner_id"):
                partner = Partner.browse(vals["partner_id"])
                self._islah_check_partner_link(partner)
            else:
                partner = self._islah_create_partner(
                    {
                        name: partner_vals.pop(name)
                        for name in list(partner_vals)
                        if name in PARTNER_CONTACT_FIELDS
                    }
                )
                vals["partner_id"] = partner.id
            if partner_vals:
                # other partner fields: with the user's own res.partner rights
                partner.write(partner_vals)
        # sudo: the ORM rewrites the partner's precomputed fields (computed
        # by itself, no partner value is left in vals) with the caller's
        # res.partner rights, which officers do not have; access and fields
        # were checked above, the record rules are checked just below
        Sudo = self.sudo().with_context(clean_context(self.env.context))
        beneficiaries = super(IslahBeneficiary, Sudo).create(vals_list).with_env(self.env)
        beneficiaries.check_access("create")
        return beneficiaries

    def write(self, vals):
        if vals.get("gender") and not self.env.su:
            self._check_section_change(vals["gender"])
        vals = self._normalize_vals(vals)
        if not self.env.su:
            if vals.get("partner_id"):
                self._islah_check_partner_link(self.env["res.partner"].browse(vals["partner_id"]))
            elif not self._islah_partner_has_login():
                partner_vals = self._islah_pop_partner_vals(vals)
                if partner_vals:
                    self.check_access("write")
                    # sudo: officers have no res.partner write right; access to
                    # these files was just checked, and only contact fields pass
                    self.partner_id.sudo().write(partner_vals)
        result = super().write(vals)
        if not self.env.su and {"gender", "company_id", "partner_id"} & vals.keys():
            # record rules are checked before a write: check them after it
            # too, so that no write moves a file into the writer's own scope
            self.check_access("write")
        return result

    def _islah_pop_partner_vals(self, vals):
        """Remove the contact details from ``vals`` and return them, after
        the field-level checks the ORM would have made."""
        partner_vals = {
            name: vals.pop(name) for name in list(vals) if name in PARTNER_CONTACT_FIELDS
        }
        for name in partner_vals:
            self._check_field_access(self._fields[name], "write")
        return partner_vals

    @api.model
    def _islah_create_partner(self, contact_vals):
        """The contact record of a new file, from its contact details only;
        the caller's ``default_*`` keys are not applied to it."""
        # sudo: officers have no res.partner create right; their right to
        # create the file was checked, its section rule is checked on create
        Partner = self.env["res.partner"].sudo().with_context(clean_context(self.env.context))
        return Partner.create(contact_vals).with_env(self.env)

    @api.model
    def _islah_check_partner_link(self, partner):
        """A file shows its contact's data and edits it as superuser: link
        only a contact the user may edit themselves."""
        partner.check_access("write")

    def _islah_partner_has_login(self):
        """Whether a user logs in with the contact of one of these files: its
        e-mail is then a login's e-mail, changed only with res.partner rights."""
        # sudo: only a yes/no on logins, whatever the caller may read of res.users
        return bool(self.sudo().with_context(active_test=False).partner_id.user_ids)

    def _check_section_change(self, gender):
        """Record rules are checked before a write, not after: without this an
        officer could move a beneficiary into a section they do not serve."""
        section = section_for_gender(gender)
        if section not in self.env.user._islah_sections():
            raise UserError(
                self.env._(
                    "You cannot move a beneficiary to a section you do not serve. "
                    "Ask a manager of that section."
                )
            )

    def unlink(self):
        """A deleted draft file leaves its contact to the rest of the CRM,
        still within its section: without a file its section would be
        recomputed empty, and its personal data would reach every employee."""
        # sudo: the contact's section, whatever the user may read of it
        sections = {partner.id: partner.islah_section for partner in self.sudo().partner_id}
        result = super().unlink()
        self.env["res.partner"].flush_model(["islah_section"])
        for partner_id, section in sections.items():
            if section:
                self.env.execute_query(
                    SQL(
                        "UPDATE res_partner SET islah_section = %s"
                        " WHERE id = %s AND islah_section IS NULL",
                        section,
                        partner_id,
                    )
                )
        self.env["res.partner"].browse(sections).invalidate_recordset(["islah_section"])
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_registered(self):
        """A beneficiary who was served keeps their history: archive instead."""
        for beneficiary in self:
            if beneficiary.state != "draft" or beneficiary._islah_has_history():
                raise UserError(
                    self.env._(
                        "%(name)s has a history with the association and cannot be "
                        "deleted. Archive the beneficiary instead.",
                        name=beneficiary.display_name,
                    )
                )

    def _islah_has_history(self):
        """True when requests (archived ones included) refer to this beneficiary."""
        self.ensure_one()
        # sudo: requests the user may not see (other researcher, archived)
        # are history too; only a yes or no, for a file the user may delete
        return bool(
            self.env["islah.support.request"]
            .sudo()
            .with_context(active_test=False)
            .search_count([("beneficiary_id", "=", self.id)], limit=1)
        )

    def action_view_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "islah_beneficiary.islah_support_request_action"
        )
        action["domain"] = [("beneficiary_id", "=", self.id)]
        action["context"] = {"default_beneficiary_id": self.id}
        return action

    def action_grant_portal_access(self):
        """Give the beneficiary a portal login (their requests, missing
        documents, surveys) and e-mail the invitation in their language; a
        beneficiary who has one gets the invitation again. Officers of the
        beneficiary's section and managers only."""
        self.ensure_one()
        # the ACL and section rules on the file decide, as for any change to it
        self.check_access("write")
        if not self.email:
            raise UserError(
                self.env._(
                    "%(name)s has no e-mail address: add one to grant portal access.",
                    name=self.name,
                )
            )
        # sudo: the portal wizard is for contact managers (base.group_partner_manager),
        # which officers are not; the right to edit this file was checked above and
        # only the beneficiary's own contact gets a login
        wizard = (
            self.env["portal.wizard"]
            .sudo()
            .with_company(self.company_id)
            .create({"partner_ids": [Command.set(self.partner_id.ids)]})
        )
        wizard_user = wizard.user_ids
        if wizard_user.is_internal:
            raise UserError(
                self.env._(
                    "%(name)s is a user of the association's staff: their access is "
                    "managed by an administrator.",
                    name=self.name,
                )
            )
        user = wizard_user.user_id
        if not (wizard_user.is_portal and user.active):
            wizard_user._assert_user_email_uniqueness()
            user = user or wizard_user._create_user()
            user.write(
                {
                    "active": True,
                    "group_ids": [
                        Command.link(self.env.ref("base.group_portal").id),
                        Command.unlink(self.env.ref("base.group_public").id),
                    ],
                }
            )
        self._islah_send_portal_invitation(user)
        self.message_post(
            body=self.env._(
                "Portal access granted: the invitation was sent to %(email)s.",
                email=self.email,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "The portal invitation was sent to %(email)s.", email=self.email
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _islah_send_portal_invitation(self, user):
        """The association's invitation (not Odoo's): in the beneficiary's
        language, in the beneficiary e-mail layout, sent once committed."""
        user = user.sudo()
        user.partner_id.signup_prepare()
        template = self.env.ref("islah_beneficiary.mail_template_portal_invitation").sudo()
        mail_id = template.send_mail(user.id)
        self.env["mail.mail"].sudo().browse(mail_id).send_after_commit()

    # ------------------------------------------------------------------
    # Consent (the records are in islah.consent)
    # ------------------------------------------------------------------

    def _islah_has_consent(self):
        """Whether this beneficiary has an active (not withdrawn) consent."""
        self.ensure_one()
        # sudo: a yes or no for the processing that needs it (surveys,
        # outreach), whoever runs it; the records stay staff-only
        return bool(
            self.env["islah.consent"]
            .sudo()
            .search_count([("beneficiary_id", "=", self.id), ("state", "=", "active")], limit=1)
        )

    def _islah_record_consent(self, notice=None, channel=None, given_on=None, recorded_by=None):
        """Record the consent of these beneficiaries to ``notice`` (default:
        the current notice of their company), given through ``channel``
        (default: the in-person interview) on ``given_on`` (default: now).
        ``recorded_by`` defaults to the current user; pass False for a
        consent the applicant gave online. Returns the new consents."""
        self.check_access("write")
        Notice = self.env["islah.privacy.notice"]
        channel = channel or self.env.ref("islah_beneficiary.utm_medium_interview")
        if recorded_by is None:
            recorded_by = self.env.user
        vals_list = [
            {
                "beneficiary_id": beneficiary.id,
                "notice_id": (notice or Notice._islah_current(beneficiary.company_id)).id,
                "channel_id": channel.id,
                "given_on": given_on or fields.Datetime.now(),
                "recorded_by_id": recorded_by.id if recorded_by else False,
            }
            for beneficiary in self
        ]
        # sudo: the date and the author are decided here, not by the caller's
        # rights (staff creating a consent directly always record it as
        # themselves, now); the right to change these files was checked above
        return self.env["islah.consent"].sudo().create(vals_list).with_env(self.env)

    def _islah_withdraw_consent(self, channel=None):
        """Withdraw the active consents of these beneficiaries, through
        ``channel`` (default: the in-person interview), in the current
        user's name. Returns the withdrawn consents."""
        self.check_access("write")
        channel = channel or self.env.ref("islah_beneficiary.utm_medium_interview")
        # sudo: the withdrawal is written in the current user's name, also for
        # the portal beneficiary (the portal calls this after its ownership check)
        consents = (
            self.env["islah.consent"]
            .sudo()
            .search([("beneficiary_id", "in", self.ids), ("state", "=", "active")])
        )
        consents.write(
            {
                "withdrawn_on": fields.Datetime.now(),
                "withdrawn_by_id": self.env.uid,
                "withdrawal_channel_id": channel.id,
            }
        )
        return consents.with_env(self.env)

    def action_islah_record_consent(self):
        """The back-office button: opens the choice of the channel."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record consent"),
            "res_model": "islah.consent",
            "view_mode": "form",
            "views": [
                (self.env.ref("islah_beneficiary.islah_consent_view_form_record").id, "form")
            ],
            "target": "new",
            "context": {"default_beneficiary_id": self.id},
        }

    def action_islah_withdraw_consent(self):
        """The back-office button: the active consent, to withdraw through
        the channel the officer chooses."""
        self.ensure_one()
        consent = self.consent_ids.filtered(lambda c: c.state == "active")[:1]
        if not consent:
            raise UserError(
                self.env._("%(name)s has no active consent to withdraw.", name=self.name)
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Withdraw consent"),
            "res_model": "islah.consent",
            "res_id": consent.id,
            "view_mode": "form",
            "views": [
                (self.env.ref("islah_beneficiary.islah_consent_view_form_withdraw").id, "form")
            ],
            "target": "new",
        }

    def action_register(self):
        """Complete the registration (policy step 6)."""
        for beneficiary in self:
            if beneficiary.state == "registered":
                continue
            if not beneficiary._islah_has_consent():
                raise UserError(
                    self.env._(
                        "%(name)s cannot be registered before consenting to the "
                        "processing of their data.",
                        name=beneficiary.display_name,
                    )
                )
            beneficiary.write(
                {"state": "registered", "registered_on": fields.Date.context_today(self)}
            )
        return True

    def action_suspend(self):
        self.filtered(lambda b: b.state == "registered").write({"state": "suspended"})
        return True

    def action_reset_draft(self):
        self.write({"state": "draft"})
        return True
