from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain

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


class IslahBeneficiary(models.Model):
    """A person the association serves. Contact data live on the partner
    (``_inherits``) so e-mail, portal and CRM use them as they are."""

    _name = "islah.beneficiary"
    _description = "Beneficiary"
    _inherits = {"res.partner": "partner_id"}
    # the contact mixin first: its create inserts as superuser right above
    # the mail thread; the retention mixin (a mail thread) before mail.thread
    _inherit = [
        "islah.beneficiary.contact.mixin",
        "islah.beneficiary.retention.mixin",
        "islah.beneficiary.anonymise.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "islah.access.logged.mixin",
        "islah.beneficiary.consent.mixin",
        "islah.beneficiary.portal.mixin",
        "islah.beneficiary.eligibility.mixin",
        "islah.beneficiary.outreach.mixin",
    ]
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
        # the ORM runs constraints as superuser; direct callers are officers.
        # An anonymised file holds a placeholder, not an ID; a file without
        # an ID gets a clear message (the column is NOT NULL anyway)
        for beneficiary in self.filtered(lambda b: not b.anonymised_on):
            if not beneficiary.national_id:
                raise ValidationError(self.env._("The national ID / iqama is required."))
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
        # the contact mixin writes the partner and inserts as superuser
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("gender") and not self.env.su:
            self._check_section_change(vals["gender"])
        vals = self._normalize_vals(vals)
        # the contact mixin pops the contact details it writes on the partner
        result = super().write(vals)
        if not self.env.su and {"gender", "company_id", "partner_id"} & vals.keys():
            # record rules are checked before a write: check them after it
            # too, so that no write moves a file into the writer's own scope
            self.check_access("write")
        return result

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

    # ------------------------------------------------------------------
    # Find or register by national ID (every intake path)
    # ------------------------------------------------------------------

    @api.model
    def _islah_find(self, national_id, company=None):
        """The file with this national ID in ``company`` (default: the
        current one), as the current user may see it (record rules apply)."""
        national_id = normalize_national_id(national_id)
        if not national_id:
            return self.browse()
        company = company or self.env.company
        return self.search(
            [("national_id", "=", national_id), ("company_id", "=", company.id)], limit=1
        )

    @api.model
    def _islah_exists_unseen(self, national_id, company):
        """Whether a file the user cannot see holds this national ID.

        Runs as superuser on purpose, and only answers yes or no: without it
        an intake would try to register the person a second time and fail
        on the unique national ID with an obscure database error.
        """
        # sudo: an unseen file of the other section; a yes or no, which the
        # unique national ID of the company would give away on create anyway
        return bool(
            self.sudo()
            .with_context(active_test=False)
            .search_count(
                [("national_id", "=", national_id), ("company_id", "=", company.id)], limit=1
            )
        )

    @api.model
    def _islah_find_or_create(self, values):
        """``(beneficiary, created)``: the file holding ``values["national_id"]``
        in ``values["company_id"]`` (default: the current company) that the
        user may see, else a new file registered from ``values``, by a user
        who serves its section. A file the user cannot see is neither shown
        nor registered twice: a UserError says who can go on."""
        company = self.env["res.company"].browse(values.get("company_id")) or self.env.company
        national_id = normalize_national_id(values.get("national_id"))
        if not national_id:
            raise UserError(self.env._("Enter the national ID or iqama number of the applicant."))
        # the back office's own rule and message for a bad number
        self.with_company(company).new({"national_id": national_id})._check_national_id()
        if beneficiary := self._islah_find(national_id, company):
            # the national ID is registered already: the same person
            return beneficiary, False
        if self._islah_exists_unseen(national_id, company):
            raise UserError(
                self.env._(
                    "A beneficiary with the national ID %(number)s is registered in a section "
                    "you do not have access to. Ask an officer of that section to convert "
                    "this inquiry.",
                    number=national_id,
                )
            )
        if not values.get("gender"):
            raise UserError(self.env._("Give the applicant's gender: it decides their section."))
        section = section_for_gender(values["gender"])
        if not self.env.su and section not in self.env.user._islah_sections():
            raise UserError(
                self.env._(
                    "This applicant belongs to the %(section)s, which you do not serve. "
                    "Ask an officer of that section to convert this inquiry.",
                    section=dict(self._fields["section"]._description_selection(self.env))[section],
                )
            )
        vals = dict(values, national_id=national_id, company_id=company.id)
        return self.with_company(company).create(vals), True

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
