from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.base.models.ir_actions_report import _wkhtml

from ..tools import format_hijri, is_valid_iban
from ..tools.constants import GROUP_COMMITTEE, GROUP_MANAGER

# the names Odoo gives a new database's company: still to be set up
DEFAULT_COMPANY_NAMES = frozenset({"YourCompany", "My Company", "My Company (San Francisco)"})


class ResCompany(models.Model):
    _inherit = "res.company"

    islah_decision_days = fields.Integer(
        string="Committee decision deadline (days)",
        default=14,
        help="The policy's commitment: the Research Committee answers within two weeks.",
    )
    islah_deadline_working_days = fields.Boolean(
        string="Count working days",
        help="Count the deadline in working days of the company's working calendar "
        "(public holidays as leaves) instead of calendar days.",
    )
    islah_at_risk_days = fields.Integer(string="At-risk warning (days before deadline)", default=3)
    islah_committee_quorum = fields.Integer(string="Committee quorum", default=3)
    islah_max_upload_mb = fields.Integer(string="Largest upload (MB)", default=5)
    islah_bank_account = fields.Char(string="Bank account number")
    islah_iban = fields.Char(string="IBAN")
    islah_men_phone = fields.Char(string="Men's section phone")
    islah_women_phone = fields.Char(string="Women's section phone")
    islah_committee_secretary_id = fields.Many2one(
        "res.users",
        string="Committee secretary",
        domain=lambda self: [
            (
                "all_group_ids",
                "in",
                self.env.ref(GROUP_COMMITTEE).id,
            )
        ],
        help="Gets an activity for each request submitted to the Research Committee. "
        "Empty: the Beneficiary Relations managers.",
    )

    # remote intake: how many web submissions one address or one national ID
    # may send within the window before the form answers 429
    islah_intake_rate_limit = fields.Integer(string="Submissions allowed", default=5)
    islah_intake_rate_minutes = fields.Integer(string="Within (minutes)", default=10)
    # retention (PDPL): files are anonymised this long after their last request
    islah_retention_years = fields.Integer(string="Keep files (years)", default=10)
    islah_retention_years_unapproved = fields.Integer(
        string="Keep files without an approved request (years)", default=2
    )

    _islah_decision_days_positive = models.Constraint(
        "CHECK(islah_decision_days > 0)",
        "The committee decision deadline must be at least one day.",
    )
    _islah_at_risk_days_positive = models.Constraint(
        "CHECK(islah_at_risk_days >= 0)",
        "The at-risk warning cannot be negative.",
    )
    _islah_intake_rate_positive = models.Constraint(
        "CHECK(islah_intake_rate_limit > 0 AND islah_intake_rate_minutes > 0)",
        "The submission limit and its window must be at least one.",
    )
    _islah_retention_positive = models.Constraint(
        "CHECK(islah_retention_years > 0 AND islah_retention_years_unapproved > 0)",
        "Files must be kept at least one year.",
    )
    _islah_quorum_positive = models.Constraint(
        "CHECK(islah_committee_quorum > 0)",
        "The committee quorum must be at least one member.",
    )

    islah_setup_done = fields.Boolean(
        string="Association set up",
        compute="_compute_islah_setup_done",
        help="The association's name, bank account, IBAN, section phones and e-mail "
        "are set: letters, e-mails and reports can carry them.",
    )

    @api.depends(
        "name", "email", "islah_bank_account", "islah_iban", "islah_men_phone", "islah_women_phone"
    )
    def _compute_islah_setup_done(self):
        for company in self:
            company.islah_setup_done = bool(
                company.name
                and company.name not in DEFAULT_COMPANY_NAMES
                and company.email
                and company.islah_bank_account
                and company.islah_iban
                and company.islah_men_phone
                and company.islah_women_phone
            )

    @api.constrains("islah_iban")
    def _check_islah_iban(self):
        for company in self:
            if company.islah_iban and not is_valid_iban(company.islah_iban):
                raise ValidationError(
                    self.env._(
                        "%(iban)s is not a valid Saudi IBAN: it must start with SA, "
                        "have 24 characters and pass the IBAN check.",
                        iban=company.islah_iban,
                    )
                )

    @api.model
    def _islah_normalize_vals(self, vals):
        """One form for the IBAN printed on letters: no spaces, upper case."""
        if vals.get("islah_iban"):
            vals = dict(vals, islah_iban="".join(vals["islah_iban"].split()).upper())
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._islah_normalize_vals(vals) for vals in vals_list]
        companies = super().create(vals_list)
        companies._islah_create_request_sequence()
        return companies

    def write(self, vals):
        return super().write(self._islah_normalize_vals(vals))

    def _islah_create_request_sequence(self):
        """Give each company its own yearly support request numbering
        (``REQ/2026/00001``), unless it already has one."""
        # sudo: sequences are configuration that only system administrators
        # write; whoever creates a company (or its first request) needs one
        Sequence = self.env["ir.sequence"].sudo()
        existing = Sequence.search(
            [("code", "=", "islah.support.request"), ("company_id", "in", self.ids)]
        ).company_id
        return Sequence.create(
            [
                {
                    "name": self.env._("Support request (%(company)s)", company=company.name),
                    "code": "islah.support.request",
                    "prefix": "REQ/%(year)s/",
                    "padding": 5,
                    "use_date_range": True,
                    "company_id": company.id,
                }
                for company in self - existing
            ]
        )

    def _islah_format_hijri(self, date, lang=None):
        """``date`` in the Hijri (Umm al-Qura) calendar, for the letterhead."""
        return format_hijri(date, lang or self.env.lang)

    @api.model
    def _islah_letter_direction(self, lang=None):
        """``rtl`` or ``ltr``: the writing direction of a letter in ``lang``."""
        lang = lang or self.env.lang or "en_US"
        direction = self.env["res.lang"]._get_data(code=lang).direction
        if not direction:
            direction = "rtl" if lang.startswith("ar") else "ltr"
        return direction

    @api.model
    def _islah_letterhead_in_body(self):
        """Whether letters must carry their letterhead and footer in the body:
        wkhtmltopdf built on an unpatched Qt (Debian's package) ignores the
        separate header and footer pages Odoo gives it."""
        # Odoo's own detection of the build, read from ``wkhtmltopdf --version``.
        return not _wkhtml().is_patched_qt

    def _islah_committee_secretaries(self, section=None):
        """Who gets the committee's to-dos: the secretary, else the managers
        (of ``section`` when given)."""
        self.ensure_one()
        if self.islah_committee_secretary_id:
            return self.islah_committee_secretary_id
        return self._islah_managers(section)

    def _islah_staff(self, group_xmlid, section=None, exclude_group_xmlid=None):
        """The company's active internal users of the group ``group_xmlid``
        (implied groups count); with ``section``, only those who serve it;
        without the users of ``exclude_group_xmlid`` (e.g. the managers, who
        have every role). The one search of "who does this job here"."""
        self.ensure_one()
        domain = [
            ("all_group_ids", "in", self.env.ref(group_xmlid).id),
            ("company_ids", "in", self.id),
            ("share", "=", False),
        ]
        if section:
            # need-to-know: the other section's staff never hear of its files
            domain.append(("islah_section", "in", [section, "both"]))
        # sudo: who holds the job, whatever the caller may read of res.users
        users = self.env["res.users"].sudo().search(domain)
        if exclude_group_xmlid:
            # not a domain: ("all_group_ids", "not in", id) matches any user
            # with one group not implying it, i.e. (nearly) everyone
            excluded = self.env.ref(exclude_group_xmlid)
            users = users.filtered(lambda user: excluded not in user.all_group_ids)
        return users

    def _islah_section_staff(self, group_xmlid, section=None):
        """The users of ``group_xmlid`` who serve ``section``, managers
        aside; none: the section's managers, who stand in for every role."""
        self.ensure_one()
        staff = self._islah_staff(group_xmlid, section, exclude_group_xmlid=GROUP_MANAGER)
        return staff or self._islah_managers(section)

    def _islah_managers(self, section=None):
        """The company's active Beneficiary Relations managers; with
        ``section``, only those who serve it (need-to-know: a request's
        warnings never reach the other section's managers)."""
        return self._islah_staff(GROUP_MANAGER, section)

    # outreach (islah.outreach): at most this many contacts of one person
    # within the period, whatever the services
    islah_outreach_max_contacts = fields.Integer(string="Contacts allowed", default=2)
    islah_outreach_period_days = fields.Integer(string="Within (days)", default=90)

    _islah_outreach_limit_positive = models.Constraint(
        "CHECK(islah_outreach_max_contacts > 0 AND islah_outreach_period_days > 0)",
        "The outreach contact limit and its period must be at least one.",
    )
    # ------------------------------------------------------------------
    # Periodic review of registered files (engineer review)
    # ------------------------------------------------------------------

    islah_review_months = fields.Integer(
        string="Review a file every (months)",
        default=12,
        help="How often a registered file is reviewed, unless one of its categories "
        "asks for a shorter period.",
    )
    islah_review_reminder_days = fields.Integer(
        string="Remind the officer (days before)",
        default=14,
        help="The officer of the file's section gets a to-do this many days before "
        "the review date.",
    )
    islah_review_grace_days = fields.Integer(
        string="Suspend after (days overdue)",
        default=30,
        help="A file whose review is overdue by more than this many days is suspended "
        "until it is reviewed, and the beneficiary is told by letter.",
    )

    _islah_review_months_positive = models.Constraint(
        "CHECK(islah_review_months > 0)",
        "A file must be reviewed at least every month.",
    )
    _islah_review_days_positive = models.Constraint(
        "CHECK(islah_review_reminder_days >= 0 AND islah_review_grace_days >= 0)",
        "The review reminder and grace period cannot be negative.",
    )

    def _islah_section_phone(self, section):
        """The phone line of ``section`` printed on letters (men's or women's)."""
        self.ensure_one()
        return self.islah_women_phone if section == "women" else self.islah_men_phone

    # suggestions and complaints (islah.feedback): working days to answer
    islah_feedback_response_days = fields.Integer(
        string="Days to answer a suggestion or complaint",
        default=5,
        help="Working days of the association's calendar, from the day after receipt.",
    )
    # appeals of a rejection (islah.appeal)
    islah_appeal_days = fields.Integer(
        string="Days to appeal",
        default=30,
        help="Days the beneficiary has to appeal a rejection, counted from its notification.",
    )
    _islah_appeal_days_positive = models.Constraint(
        "CHECK(islah_appeal_days > 0)",
        "The time to appeal must be at least one day.",
    )

    # issue 14, "you said, we did": the public page and the period it shows
    islah_publish_you_said_we_did = fields.Boolean(
        string='Publish "you said, we did"',
        help="Show the public page /islah/you-said-we-did: the themes raised and the "
        "actions taken over the last months, without any name.",
    )
    islah_you_said_we_did_months = fields.Integer(
        string="Published period (months)",
        default=3,
        help='The months the public "you said, we did" page covers, up to today.',
    )
