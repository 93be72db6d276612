from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date

from ..tools.constants import GROUP_MANAGER, GROUP_OFFICER, GROUP_RESEARCHER
from .islah_beneficiary import SENSITIVE_GROUPS
from .islah_beneficiary_review_schedule import TODO_REVIEW, TODO_REVIEW_LETTER

REVIEW_GROUPS = [GROUP_OFFICER, GROUP_RESEARCHER]
# what a confirmed review keeps as it was
LOCKED_FIELDS = frozenset(
    {
        "beneficiary_id",
        "reviewed_on",
        "reviewer_id",
        "income_before",
        "income_after",
        "family_size_before",
        "family_size_after",
        "needs",
        "notes",
        "next_review_date",
        "due_date",
        "state",
    }
)


class IslahBeneficiaryReview(models.Model):
    """One periodic review of a registered file: what changed (income,
    family size, needs) and when the next one is due. Confirming it updates
    the file, closes the officer's to-do and lifts a suspension due to the
    overdue review. Officers and social researchers of the file's section
    record it; the income follows the file's own protection."""

    _name = "islah.beneficiary.review"
    _description = "Periodic review of a beneficiary's file"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "islah.access.logged.mixin",
        "islah.flow.mixin",
    ]
    _order = "reviewed_on desc, id desc"
    _islah_logged_fields = ("income_before", "income_after")

    beneficiary_id = fields.Many2one(
        "islah.beneficiary", required=True, index=True, ondelete="restrict", tracking=True
    )
    section = fields.Selection(related="beneficiary_id.section", store=True, index=True)
    company_id = fields.Many2one(
        related="beneficiary_id.company_id", store=True, index=True, string="Association"
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Confirmed"), ("cancelled", "Cancelled")],
        default="draft",
        required=True,
        tracking=True,
        readonly=True,
    )
    reviewer_id = fields.Many2one(
        "res.users", string="Reviewed by", default=lambda self: self.env.user, readonly=True
    )
    reviewed_on = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    due_date = fields.Date(
        string="Due on",
        readonly=True,
        help="The review date the file had when this review was recorded.",
    )
    on_time = fields.Boolean(
        compute="_compute_on_time",
        store=True,
        help="Confirmed on or before its due date.",
    )
    currency_id = fields.Many2one(related="beneficiary_id.currency_id")
    income_before = fields.Monetary(
        string="Monthly income before",
        currency_field="currency_id",
        groups=SENSITIVE_GROUPS,
        readonly=True,
    )
    income_after = fields.Monetary(
        string="Monthly income after",
        currency_field="currency_id",
        groups=SENSITIVE_GROUPS,
        help="The income found at the review; it becomes the file's monthly income.",
    )
    family_size_before = fields.Integer(readonly=True)
    family_size_after = fields.Integer(
        readonly=True, help="The family on the file when the review was confirmed."
    )
    current_family_size = fields.Integer(
        related="beneficiary_id.member_count",
        string="Family size now",
        help="Add or remove family members on the beneficiary's file itself.",
    )
    needs = fields.Text(help="The person's needs as found at the review.")
    notes = fields.Text()
    next_review_date = fields.Date(
        compute="_compute_next_review_date",
        store=True,
        readonly=False,
        tracking=True,
        help="One review period after this one (the file's categories, else the "
        "association's default); a manager may set another date.",
    )
    lifted_suspension = fields.Boolean(
        string="Suspension lifted",
        readonly=True,
        help="The file was suspended for its overdue review; this review registered it again.",
    )
    can_confirm = fields.Boolean(compute="_compute_transition_rights")
    can_cancel = fields.Boolean(compute="_compute_transition_rights")
    can_edit_next_date = fields.Boolean(compute="_compute_transition_rights")

    @api.depends("state", "reviewed_on", "due_date")
    def _compute_on_time(self):
        for review in self:
            review.on_time = review.state == "done" and (
                not review.due_date or review.reviewed_on <= review.due_date
            )

    @api.depends("reviewed_on", "beneficiary_id")
    def _compute_next_review_date(self):
        for review in self:
            review.next_review_date = (
                review.beneficiary_id._islah_next_review_from(review.reviewed_on)
                if review.beneficiary_id
                else False
            )

    @api.depends_context("uid")
    @api.depends("state", "section")
    def _compute_transition_rights(self):
        self._islah_set_transition_rights()
        is_manager = self.env.user.has_group(GROUP_MANAGER)
        for review in self:
            review.can_edit_next_date = is_manager and review.state == "draft"

    @api.depends("beneficiary_id", "reviewed_on")
    def _compute_display_name(self):
        for review in self:
            review.display_name = self.env._(
                "Review of %(name)s on %(date)s",
                name=review.beneficiary_id.name or "",
                date=format_date(self.env, review.reviewed_on),
            )

    # ------------------------------------------------------------------
    # Who may review
    # ------------------------------------------------------------------

    @api.model
    def _islah_may_review(self, beneficiary):
        """Whether the current user may review ``beneficiary``: an officer
        or a social researcher who serves its section (not a committee
        member), on a file under review."""
        user = self.env.user
        return bool(
            beneficiary
            and not beneficiary.anonymised_on
            and beneficiary.state in ("registered", "suspended")
            and any(user.has_group(group) for group in REVIEW_GROUPS)
            and beneficiary.section in user._islah_sections()
        )

    @api.model
    def _islah_check_review_rights(self, beneficiary):
        """Refuse a review of ``beneficiary`` the user may not record."""
        if self.env.su:
            return
        # the file's own rules first (section, researcher's assignments)
        beneficiary.check_access("read")
        user = self.env.user
        if not any(user.has_group(group) for group in REVIEW_GROUPS) or (
            beneficiary.section not in user._islah_sections()
        ):
            raise AccessError(
                self.env._(
                    "Only the officers and social researchers of the section review "
                    "the file of %(name)s.",
                    name=beneficiary.name,
                )
            )
        if beneficiary.anonymised_on or beneficiary.state not in ("registered", "suspended"):
            raise UserError(
                self.env._(
                    "%(name)s is not registered: only a registered (or suspended) file "
                    "is reviewed.",
                    name=beneficiary.name,
                )
            )

    def _get_transition_roles(self):
        """Officers and researchers of the section confirm or cancel a draft
        review (the section is the record rules'). Extend with ``super()``."""
        return {
            **super()._get_transition_roles(),
            "confirm": {
                "label": self.env._("Confirm the review"),
                "states": ["draft"],
                "groups": REVIEW_GROUPS,
            },
            "cancel": {
                "label": self.env._("Cancel the review"),
                "states": ["draft"],
                "groups": REVIEW_GROUPS,
            },
        }

    def _islah_check_flow_states(self, states):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for review in self:
            if review.state not in states:
                raise UserError(
                    self.env._(
                        "%(review)s is %(state)s: only a draft review can be confirmed "
                        "or cancelled.",
                        review=review.display_name,
                        state=labels[review.state],
                    )
                )

    def _islah_check_next_date(self, beneficiary, vals):
        """Only a manager sets a next review date other than the period's."""
        if self.env.su or "next_review_date" not in vals:
            return
        if self.env.user.has_group(GROUP_MANAGER):
            return
        reviewed_on = vals.get("reviewed_on") or (
            self.reviewed_on if self else fields.Date.context_today(self)
        )
        expected = beneficiary._islah_next_review_from(reviewed_on)
        if fields.Date.to_date(vals["next_review_date"]) != expected:
            raise AccessError(
                self.env._(
                    "Only a manager may set a next review date other than one review "
                    "period after the review (%(date)s).",
                    date=format_date(self.env, expected),
                )
            )

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        Beneficiary = self.env["islah.beneficiary"]
        snapshots = []
        for vals in vals_list:
            beneficiary = Beneficiary.browse(vals.get("beneficiary_id"))
            if not beneficiary:
                raise UserError(self.env._("Choose the beneficiary whose file is reviewed."))
            self._islah_check_review_rights(beneficiary)
            self._islah_check_next_date(beneficiary, vals)
            # sudo: what the file holds now, as the review's starting point
            # (the income is read by the system, whatever the caller's rights)
            current = beneficiary.sudo()
            vals.update(
                due_date=current.next_review_date,
                family_size_before=current.member_count,
                state="draft",
            )
            if not self.env.su or not vals.get("reviewer_id"):
                # the one who records it (data files may name the reviewer)
                vals["reviewer_id"] = self.env.uid
            snapshots.append(
                {"income_before": current.monthly_income, "income_after": current.monthly_income}
            )
        reviews = super().create(vals_list)
        for review, snapshot, vals in zip(reviews, snapshots, vals_list, strict=True):
            if "income_after" in vals:
                snapshot.pop("income_after")
            # sudo: the starting income is the file's, not the caller's to set
            review.sudo().write(snapshot)
        return reviews

    def write(self, vals):
        # the flow (confirm, cancel, anonymisation) writes as superuser, after
        # its own checks; a context key would be the caller's to set
        if not self.env.su:
            if "state" in vals:
                raise UserError(
                    self.env._("Use the Confirm and Cancel buttons to change a review's state.")
                )
            if "beneficiary_id" in vals:
                raise UserError(self.env._("A review cannot be moved to another file."))
            if LOCKED_FIELDS & vals.keys() and any(r.state != "draft" for r in self):
                raise UserError(
                    self.env._(
                        "A confirmed or cancelled review cannot be changed: record a new one."
                    )
                )
            for review in self:
                review._islah_check_next_date(review.beneficiary_id, vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_confirmed(self):
        if any(review.state == "done" for review in self):
            raise UserError(self.env._("A confirmed review is part of the file's history."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_confirm(self):
        """Apply the review to the file: its income and next review date,
        the to-do closed, a suspension for the overdue review lifted."""
        self._check_transition("confirm")
        for review in self:
            self._islah_check_review_rights(review.beneficiary_id)
            if not review.next_review_date or review.next_review_date <= review.reviewed_on:
                raise UserError(self.env._("The next review date must come after this review."))
            review._islah_apply_to_file()
        return True

    def action_cancel(self):
        self._check_transition("cancel")
        # sudo: the state is the flow's; the step was checked
        self.sudo().write({"state": "cancelled"})
        return True

    def _islah_apply_to_file(self):
        self.ensure_one()
        # sudo: researchers do not write files; the review's rights were checked,
        # and the file's flow fields (date, suspension) are the system's
        beneficiary = self.beneficiary_id.sudo()
        review = self.sudo()
        lifted = bool(beneficiary.state == "suspended" and beneficiary.review_suspended_on)
        vals = {
            "monthly_income": review.income_after,
            "next_review_date": self.next_review_date,
            "review_reminded_for": False,
        }
        if lifted:
            vals.update(state="registered", review_suspended_on=False)
        beneficiary.write(vals)
        beneficiary.activity_search([TODO_REVIEW, TODO_REVIEW_LETTER]).action_feedback(
            feedback=self.env._("Review recorded by %(user)s.", user=self.env.user.name)
        )
        # sudo: the state and the figures taken from the file are the flow's
        review.write(
            {
                "state": "done",
                "family_size_after": beneficiary.member_count,
                "lifted_suspension": lifted,
                "reviewer_id": self.reviewer_id.id if self.env.su else self.env.uid,
            }
        )
        body = self.env._(
            "Periodic review recorded by %(user)s on %(date)s; next review on %(next)s.",
            user=self.env.user.name,
            date=format_date(self.env, self.reviewed_on),
            next=format_date(self.env, self.next_review_date),
        )
        if lifted:
            body = self.env._(
                "%(review)s The suspension for the overdue review is lifted: the file is "
                "registered again.",
                review=body,
            )
        beneficiary.message_post(body=body, subtype_xmlid="mail.mt_note")
