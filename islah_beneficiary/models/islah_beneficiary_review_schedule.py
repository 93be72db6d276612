"""The periodic review of registered files: each file's next review date,
the officer's reminder before it, and the suspension of a file left
unreviewed past the grace period, with a letter to the person.

An extension of ``islah.beneficiary`` in a file of its own (not a mixin in
the model's ``_inherit`` list): it adds fields and a daily pass, and leaves
the model's own file untouched."""

import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools import format_date

from ..tools.constants import GROUP_MANAGER, GROUP_OFFICER

_logger = logging.getLogger(__name__)

TODO_REVIEW = "islah_beneficiary.mail_activity_type_periodic_review"
TODO_REVIEW_LETTER = "islah_beneficiary.mail_activity_type_review_letter"
REVIEW_LETTER_REPORT = "islah_beneficiary.action_report_review_suspension"
REVIEW_LETTER_TEMPLATE = "islah_beneficiary.mail_template_review_suspension"
# the association's day when the cron runs (no user, no time zone)
DEFAULT_TZ = "Asia/Riyadh"


class IslahBeneficiary(models.Model):
    _inherit = "islah.beneficiary"  # pylint: disable=consider-merging-classes-inherited

    next_review_date = fields.Date(
        tracking=True,
        copy=False,
        index="btree_not_null",
        help="When the file is next reviewed with the person (income, family, needs). "
        "Set at registration and by each review; the officer of the section is reminded "
        "before it.",
    )
    review_status = fields.Selection(
        [("not_due", "Not due"), ("due", "Review due"), ("overdue", "Review overdue")],
        compute="_compute_review_status",
        search="_search_review_status",
    )
    review_reminded_for = fields.Date(
        string="Review reminder sent for",
        readonly=True,
        copy=False,
        help="The review date the officer was last reminded of: one reminder per review.",
    )
    review_suspended_on = fields.Date(
        string="Suspended for an overdue review on",
        readonly=True,
        copy=False,
        help="The file was suspended because its periodic review was overdue; a review "
        "registers it again.",
    )
    review_letter_number = fields.Char(string="Review letter number", readonly=True, copy=False)
    review_letter_date = fields.Date(string="Review letter date", readonly=True, copy=False)
    review_ids = fields.One2many(
        "islah.beneficiary.review", "beneficiary_id", string="Periodic reviews"
    )
    review_count = fields.Integer(compute="_compute_review_count", string="Reviews")
    can_record_review = fields.Boolean(compute="_compute_can_record_review")
    can_edit_review_date = fields.Boolean(compute="_compute_can_record_review")

    def _islah_review_today(self):
        """Today in the association's time zone (the cron has none)."""
        tz = self.env.context.get("tz") or self.env.company.partner_id.tz or DEFAULT_TZ
        return fields.Date.context_today(self.with_context(tz=tz))

    @api.model
    def _islah_review_file_domain(self):
        """The files under periodic review: registered, or suspended for an
        overdue review; never an anonymised one."""
        return (
            Domain("state", "=", "registered")
            | (Domain("state", "=", "suspended") & Domain("review_suspended_on", "!=", False))
        ) & Domain("anonymised_on", "=", False)

    @api.depends("next_review_date", "state", "review_suspended_on", "anonymised_on")
    @api.depends_context("tz")
    def _compute_review_status(self):
        today = self._islah_review_today()
        for beneficiary in self:
            under_review = not beneficiary.anonymised_on and (
                beneficiary.state == "registered"
                or (beneficiary.state == "suspended" and beneficiary.review_suspended_on)
            )
            day = beneficiary.next_review_date
            if not under_review or not day:
                beneficiary.review_status = "not_due"
            elif day < today:
                beneficiary.review_status = "overdue"
            elif day <= today + relativedelta(
                days=beneficiary.company_id.islah_review_reminder_days
            ):
                beneficiary.review_status = "due"
            else:
                beneficiary.review_status = "not_due"

    def _search_review_status(self, operator, value):
        if operator not in ("=", "in"):
            return NotImplemented
        values = {value} if operator == "=" else set(value)
        today = self._islah_review_today()
        overdue = Domain("next_review_date", "<", today)
        due = Domain.OR(
            Domain("company_id", "=", company.id)
            & Domain("next_review_date", ">=", today)
            & Domain(
                "next_review_date",
                "<=",
                today + relativedelta(days=company.islah_review_reminder_days),
            )
            for company in self.env.companies
        )
        under_review = self._islah_review_file_domain() & Domain("next_review_date", "!=", False)
        parts = []
        if "overdue" in values:
            parts.append(under_review & overdue)
        if "due" in values:
            parts.append(under_review & due)
        if "not_due" in values:
            parts.append(~(under_review & (overdue | due)))
        return Domain.OR(parts) if parts else Domain.FALSE

    def _compute_review_count(self):
        Review = self.env["islah.beneficiary.review"]
        counts = {}
        # committee members read files but not their reviews: none to count
        if Review.has_access("read"):
            counts = dict(
                Review._read_group(
                    [("beneficiary_id", "in", self.ids)], ["beneficiary_id"], ["__count"]
                )
            )
        for beneficiary in self:
            beneficiary.review_count = counts.get(beneficiary, 0)

    @api.depends_context("uid")
    @api.depends("state", "section", "anonymised_on", "review_suspended_on")
    def _compute_can_record_review(self):
        Review = self.env["islah.beneficiary.review"]
        is_manager = self.env.user.has_group(GROUP_MANAGER)
        for beneficiary in self:
            beneficiary.can_record_review = Review._islah_may_review(beneficiary)
            beneficiary.can_edit_review_date = is_manager

    # ------------------------------------------------------------------
    # The review period
    # ------------------------------------------------------------------

    def _islah_review_months(self):
        """Months between two reviews: the shortest period of the file's
        categories (0 there: none), else the association's default."""
        self.ensure_one()
        months = [m for m in self.category_ids.mapped("review_months") if m > 0]
        return min(months) if months else (self.company_id.islah_review_months or 12)

    def _islah_next_review_from(self, day):
        """The review date after ``day`` (a registration or a review)."""
        self.ensure_one()
        if not day:
            return False
        return fields.Date.to_date(day) + relativedelta(months=self._islah_review_months())

    # ------------------------------------------------------------------
    # ORM and registration
    # ------------------------------------------------------------------

    def write(self, vals):
        if "next_review_date" in vals and not self.env.su:
            if not self.env.user.has_group(GROUP_MANAGER):
                raise AccessError(
                    self.env._(
                        "Only a manager may change the next review date of a file: record "
                        "a review instead."
                    )
                )
            vals = dict(vals, review_reminded_for=False)
        return super().write(vals)

    def action_register(self):
        """Registration starts the review cycle: the first review is due one
        period after the registration date."""
        newly = self.filtered(lambda b: b.state != "registered")
        result = super().action_register()
        for beneficiary in newly.filtered(lambda b: b.state == "registered"):
            # sudo: the review date is written by the flow only (managers by hand)
            beneficiary.sudo().write(
                {
                    "next_review_date": beneficiary._islah_next_review_from(
                        beneficiary.registered_on
                    ),
                    "review_reminded_for": False,
                    "review_suspended_on": False,
                }
            )
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_islah_record_review(self):
        """The form's "Record a review": a new review of this file."""
        self.ensure_one()
        self.env["islah.beneficiary.review"]._islah_check_review_rights(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record a review"),
            "res_model": "islah.beneficiary.review",
            "view_mode": "form",
            "target": "current",
            "context": {"default_beneficiary_id": self.id},
        }

    def action_view_reviews(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "islah_beneficiary.islah_beneficiary_review_action"
        )
        action["domain"] = [("beneficiary_id", "=", self.id)]
        action["context"] = {"default_beneficiary_id": self.id}
        return action

    # ------------------------------------------------------------------
    # The daily pass
    # ------------------------------------------------------------------

    @api.model
    def _cron_islah_periodic_review(self):
        """Daily: give files without a review date one, remind the officers
        of the reviews coming, suspend the files left unreviewed past the
        grace period (and tell the person by letter)."""
        # sudo: the scheduled action works on every section's and company's files
        Beneficiary = self.sudo().with_context(active_test=True)
        filled = Beneficiary._islah_fill_review_dates()
        reminded = Beneficiary._islah_send_review_reminders()
        suspended = Beneficiary._islah_suspend_overdue_reviews()
        _logger.info(
            "Periodic review: %s dates set, %s reminders, %s files suspended",
            len(filled),
            len(reminded),
            len(suspended),
        )
        return True

    @api.model
    def _islah_fill_review_dates(self):
        """Registered files without a review date (registered before the
        periodic review existed) get one: a period after their registration."""
        files = self.search(
            Domain("state", "=", "registered")
            & Domain("next_review_date", "=", False)
            & Domain("anonymised_on", "=", False)
        )
        for beneficiary in files:
            start = beneficiary.registered_on or beneficiary.create_date.date()
            beneficiary.write({"next_review_date": beneficiary._islah_next_review_from(start)})
        return files

    @api.model
    def _islah_send_review_reminders(self):
        """A to-do for an officer of the file's section, ``reminder days``
        before its review date, once per review date."""
        reminded = self.browse()
        for company in self.env["res.company"].search([]):
            today = self.with_company(company)._islah_review_today()
            files = self.search(
                Domain("company_id", "=", company.id)
                & Domain("state", "=", "registered")
                & Domain("anonymised_on", "=", False)
                & Domain("next_review_date", "!=", False)
                & Domain(
                    "next_review_date",
                    "<=",
                    today + relativedelta(days=company.islah_review_reminder_days),
                )
            ).filtered(lambda b: b.review_reminded_for != b.next_review_date)
            for beneficiary in files:
                beneficiary._islah_schedule_review_todo()
                reminded |= beneficiary
        return reminded

    def _islah_review_officer(self):
        """Who reviews the file: the officer of its latest request when they
        still serve its section, else an officer of the section (none: the
        section's managers)."""
        self.ensure_one()
        staff = self.company_id._islah_section_staff(GROUP_OFFICER, self.section)
        # sudo: the latest request's officer, whatever the caller may read
        requests = self.sudo().with_context(active_test=False).request_ids.sorted("id")
        officers = requests.mapped("officer_id") & staff
        latest = requests.filtered(lambda r: r.officer_id in officers)[-1:].officer_id
        return latest or staff[:1]

    def _islah_schedule_review_todo(self):
        self.ensure_one()
        officer = self._islah_review_officer()
        if officer and not self.activity_search([TODO_REVIEW], user_id=officer.id):
            in_lang = self.with_context(lang=officer.lang or self.env.lang)
            self.activity_schedule(
                TODO_REVIEW,
                date_deadline=self.next_review_date,
                summary=in_lang.env._("Periodic review of %(name)s", name=self.name),
                note=in_lang.env._(
                    "The file of %(name)s is due for its periodic review on %(date)s: "
                    "meet the person, check their income, family and needs, and record "
                    "the review on the file.",
                    name=self.name,
                    date=format_date(in_lang.env, self.next_review_date),
                ),
                user_id=officer.id,
            )
        self.write({"review_reminded_for": self.next_review_date})

    @api.model
    def _islah_suspend_overdue_reviews(self):
        """Suspend the registered files whose review is overdue past the
        grace period; never under a legal hold, never an anonymised file,
        never twice."""
        suspended = self.browse()
        for company in self.env["res.company"].search([]):
            today = self.with_company(company)._islah_review_today()
            limit = today - relativedelta(days=company.islah_review_grace_days)
            files = self.search(
                Domain("company_id", "=", company.id)
                & Domain("state", "=", "registered")
                & Domain("anonymised_on", "=", False)
                & Domain("islah_legal_hold", "!=", True)
                & Domain("review_suspended_on", "=", False)
                & Domain("next_review_date", "<", limit)
            )
            for beneficiary in files:
                try:
                    with self.env.cr.savepoint():
                        beneficiary._islah_suspend_for_review(today)
                    suspended |= beneficiary
                except Exception:  # noqa: BLE001
                    # one file's failure (a letter that cannot be printed)
                    # stops neither the others nor tomorrow's retry
                    _logger.exception(
                        "Periodic review: beneficiary %s not suspended", beneficiary.id
                    )
        return suspended

    def _islah_suspend_for_review(self, today=None):
        """Suspend this file for its overdue review: the reason in the
        chatter, and the letter to the person (e-mail, else the officer's
        to-do to deliver it)."""
        self.ensure_one()
        if (
            self.state != "registered"
            or self.anonymised_on
            or self.sudo().islah_legal_hold
            or self.review_suspended_on
        ):
            return False
        today = today or self._islah_review_today()
        self.action_suspend()
        # sudo: the suspension's fields are the flow's
        self.sudo().write(
            {
                "review_suspended_on": today,
                "review_letter_number": self.env["ir.sequence"]
                .with_company(self.company_id)
                .next_by_code("islah.review.letter"),
                "review_letter_date": today,
            }
        )
        # the chatter in the association's working language
        staff_env = self.with_context(lang=self.company_id.partner_id.lang or self.env.lang).env
        self.message_post(
            body=staff_env._(
                "Suspended: the periodic review due on %(date)s is more than %(days)s days "
                "overdue. The file is registered again once it is reviewed.",
                date=format_date(staff_env, self.next_review_date),
                days=self.company_id.islah_review_grace_days,
            ),
            subtype_xmlid="mail.mt_note",
        )
        self._islah_send_review_letter()
        return True

    def _islah_send_review_letter(self):
        """E-mail the suspension letter (PDF attached) in the person's
        language; without an e-mail address, a to-do for the officer to
        deliver it. True when e-mailed."""
        self.ensure_one()
        if self.email:
            template = self.env.ref(REVIEW_LETTER_TEMPLATE)
            # sudo: the template and its letter are rendered as the system
            messages = self.sudo().message_post_with_source(
                template, subtype_xmlid="mail.mt_comment"
            )
            # sudo: mails are not readable by their senders
            self.env["mail.mail"].sudo().search(
                [("mail_message_id", "in", messages.ids), ("state", "=", "outgoing")]
            ).send_after_commit()
            return True
        officer = self._islah_review_officer()
        if officer:
            in_lang = self.with_context(lang=officer.lang or self.env.lang)
            self.activity_schedule(
                TODO_REVIEW_LETTER,
                summary=in_lang.env._(
                    "Deliver the suspension letter %(letter)s", letter=self.review_letter_number
                ),
                note=in_lang.env._(
                    "%(name)s has no e-mail address: print the letter %(letter)s (Print menu "
                    "of the file), hand it over or read it by phone, and book the review.",
                    name=self.name,
                    letter=self.review_letter_number,
                ),
                user_id=officer.id,
            )
        return False

    def _islah_review_letter_values(self):
        """What the suspension letter says about booking a review."""
        self.ensure_one()
        company = self.company_id.sudo()
        return {
            "phone": company._islah_section_phone(self.section),
            "email": company.email,
        }

    # ------------------------------------------------------------------
    # Retention (PDPL): the reviews hold the person's income and needs
    # ------------------------------------------------------------------

    def _islah_retention_records(self):
        records = super()._islah_retention_records()
        records["islah.beneficiary.review"] = (
            self.env["islah.beneficiary.review"].sudo().search([("beneficiary_id", "=", self.id)])
        )
        return records

    def _islah_anonymise_data(self, records, env_lang):
        result = super()._islah_anonymise_data(records, env_lang)
        if reviews := records.get("islah.beneficiary.review"):
            reviews.sudo().write(
                {"needs": False, "notes": False, "income_before": 0.0, "income_after": 0.0}
            )
        return result
