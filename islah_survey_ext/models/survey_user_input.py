from markupsafe import Markup

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import plaintext2html

from odoo.addons.islah_beneficiary.tools.constants import GROUP_MANAGER

OPEN_INVITATION_STATES = ("invited", "reminded")


class SurveyUserInput(models.Model):
    """A satisfaction-survey invitation of a beneficiary, after a delivered
    request: the answer's token is the beneficiary's personal link."""

    _name = "survey.user_input"
    _inherit = ["survey.user_input", "islah.survey.user_input.voice.mixin"]

    islah_request_id = fields.Many2one(
        "islah.support.request",
        string="Support request",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
    )
    islah_beneficiary_id = fields.Many2one(
        related="islah_request_id.beneficiary_id", store=True, string="Beneficiary"
    )
    islah_officer_id = fields.Many2one(
        related="islah_request_id.officer_id", store=True, string="Officer", groups=GROUP_MANAGER
    )
    islah_service_type_id = fields.Many2one(
        related="islah_request_id.service_type_id", store=True, string="Service"
    )
    islah_medium_id = fields.Many2one(
        related="islah_request_id.medium_id", store=True, string="Channel"
    )
    islah_section = fields.Selection(related="islah_request_id.section", store=True)
    islah_company_id = fields.Many2one(
        related="islah_request_id.company_id", store=True, string="Association"
    )
    islah_invitation_state = fields.Selection(
        [
            ("invited", "Invited"),
            ("reminded", "Reminded"),
            ("answered", "Answered"),
            ("expired", "Expired"),
        ],
        string="Invitation status",
        readonly=True,
        index="btree_not_null",
    )
    islah_invited_on = fields.Datetime(string="Invited on", readonly=True)
    islah_remind_on = fields.Datetime(string="Reminder due", readonly=True)
    islah_reminded_on = fields.Datetime(string="Reminded on", readonly=True)
    # per-officer results: for the managers only, whatever the API (officers
    # read the averages without officer in islah.satisfaction.report)
    islah_score = fields.Float(
        string="Satisfaction score",
        readonly=True,
        aggregator="avg",
        digits=(5, 1),
        groups=GROUP_MANAGER,
    )
    islah_scored = fields.Boolean(string="Has a satisfaction score", readonly=True)
    islah_comment = fields.Text(
        string="Beneficiary's suggestions", readonly=True, groups=GROUP_MANAGER
    )
    islah_survey_url = fields.Char(
        string="Personal survey link", compute="_compute_islah_survey_url"
    )

    _islah_request_open_uniq = models.UniqueIndex(
        "(islah_request_id) WHERE islah_request_id IS NOT NULL "
        "AND islah_invitation_state IN ('invited', 'reminded')",
        "This request already has an open satisfaction-survey invitation.",
    )

    def _compute_islah_survey_url(self):
        for answer in self:
            answer.islah_survey_url = (
                answer.survey_id.get_base_url() + answer.get_start_url()
                if answer.survey_id and answer.access_token
                else False
            )

    # ------------------------------------------------------------------
    # Completion and score
    # ------------------------------------------------------------------

    def _mark_done(self):
        result = super()._mark_done()
        invitations = self.filtered("islah_request_id")
        if invitations:
            # sudo: the respondent (often the public user, by the answer's own
            # token) has no rights on the request, its scores or its activities
            invitations.sudo()._islah_record_answer()
        return result

    def _islah_compute_score(self):
        """The satisfaction score of a completed answer, from 0 (worst) to 100 (best).

        Only the questions marked "counts in the satisfaction score" are used,
        each turned into a value between 0 and 100:

        - a scale question: ``(value - scale_min) / (scale_max - scale_min) * 100``,
          so on the shipped 1-5 scales 1 -> 0, 2 -> 25, 3 -> 50, 4 -> 75, 5 -> 100,
          and on the 0-10 "would you recommend us" scale ``value * 10``;
        - a single-choice question: the satisfaction value of the chosen answer
          (shipped "was your need met": yes -> 100, no -> 0).

        The score is the plain mean of these values over the counted questions
        the beneficiary answered (skipped ones are left out). With the shipped
        survey: five 1-5 scales, the 0-10 recommendation and the yes/no question,
        i.e. seven equally weighted items.

        :return: ``(score, scored)``; ``scored`` is False when no counted
            question was answered (the score is then 0 and means nothing).
        """
        self.ensure_one()
        values = []
        for line in self.user_input_line_ids:
            question = line.question_id
            if line.skipped or not question.islah_in_score:
                continue
            if line.answer_type == "scale" and question.scale_max > question.scale_min:
                span = question.scale_max - question.scale_min
                values.append((line.value_scale - question.scale_min) / span * 100.0)
            elif line.answer_type == "suggestion" and line.suggested_answer_id:
                values.append(float(line.suggested_answer_id.islah_satisfaction_value))
        if not values:
            return 0.0, False
        return round(sum(values) / len(values), 1), True

    def _islah_comment(self):
        """The beneficiary's free-text answers (suggestions), one per paragraph."""
        self.ensure_one()
        texts = [
            line.value_text_box.strip()
            for line in self.user_input_line_ids
            if not line.skipped and line.answer_type == "text_box" and line.value_text_box
        ]
        return "\n\n".join(t for t in texts if t) or False

    def _islah_record_answer(self):
        """Score the completed invitations, show it on the request and open a
        follow-up for a manager when the score is low."""
        for answer in self:
            score, scored = answer._islah_compute_score()
            answer.write(
                {
                    "islah_invitation_state": "answered",
                    "islah_score": score,
                    "islah_scored": scored,
                    "islah_comment": answer._islah_comment(),
                }
            )
            request = answer.islah_request_id
            request.message_post(
                body=self.env._(
                    "The beneficiary answered the satisfaction survey: score %(score)s / 100.",
                    score=score if scored else "-",
                ),
                subtype_xmlid="mail.mt_note",
                author_id=answer.partner_id.id or None,
            )
            threshold = request.company_id.islah_survey_low_score
            if scored and score < threshold:
                answer._islah_schedule_followup()

    def _islah_followup_user(self):
        """Who follows up a low score: the company's named user, else the first
        active manager of the company who serves the request's section."""
        self.ensure_one()
        company = self.islah_request_id.company_id
        if company.islah_survey_followup_user_id.active:
            return company.islah_survey_followup_user_id
        managers = company._islah_managers(self.islah_request_id.section).filtered(
            lambda user: not user._is_superuser()
        )
        return managers.sorted("id")[:1]

    def _islah_schedule_followup(self):
        """A to-do on the request for a manager, with the beneficiary's comment."""
        self.ensure_one()
        request = self.islah_request_id
        user = self._islah_followup_user()
        note = Markup("<p>%s</p>") % self.env._(
            "%(beneficiary)s gave a satisfaction score of %(score)s / 100. "
            "Call them back and see what can be improved.",
            beneficiary=request.beneficiary_id.name,
            score=self.islah_score,
        )
        if self.islah_comment:
            note += Markup("<p><strong>%s</strong></p>") % self.env._("Their comment:")
            note += plaintext2html(self.islah_comment)
        request.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Low satisfaction score: %(score)s / 100", score=self.islah_score),
            note=note,
            user_id=(user or self.env.user).id,
        )

    # ------------------------------------------------------------------
    # Reminders and expiry
    # ------------------------------------------------------------------

    @api.model
    def _islah_pending_domain(self):
        return Domain("islah_request_id", "!=", False) & Domain(
            "islah_invitation_state", "in", OPEN_INVITATION_STATES
        )

    def _islah_close_without_consent(self):
        """Close the invitations of beneficiaries who no longer consent (the
        consent was withdrawn after the invitation): no reminder goes, the
        link stops working and the request's chatter says so, once, since a
        closed invitation is not looked at again. Returns them."""
        # sudo: the consents are staff-only; the cron decides for every section
        consenting = (
            self.env["islah.consent"]
            .sudo()
            .search(
                [
                    ("beneficiary_id", "in", self.islah_beneficiary_id.ids),
                    ("state", "=", "active"),
                ]
            )
            .beneficiary_id
        )
        closed = self.filtered(lambda answer: answer.islah_beneficiary_id not in consenting)
        if closed:
            closed.write({"islah_invitation_state": "expired", "deadline": fields.Datetime.now()})
        for answer in closed:
            answer.islah_request_id.message_post(
                body=self.env._(
                    "No satisfaction survey reminder sent: %(name)s withdrew their consent "
                    "to the processing of their data. The invitation is closed.",
                    name=answer.islah_beneficiary_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return closed

    @api.model
    def _cron_islah_survey_invitations(self):
        """Expire and remind the open invitations, set-based: one search and
        one write per category, and one batched mail call for the reminders.

        The dates were fixed at invitation time from the company's settings:
        ``deadline`` (after which the survey refuses answers) and
        ``islah_remind_on``. An invitation past its deadline becomes
        ``expired``; an invitation still only ``invited`` whose reminder date
        has come is recalled once and becomes ``reminded``.
        """
        now = fields.Datetime.now()
        # sudo: every company's open invitations, whichever user the cron runs as
        UserInput = self.sudo()
        expired = UserInput.search(self._islah_pending_domain() & Domain("deadline", "<", now))
        expired.write({"islah_invitation_state": "expired"})

        to_remind = UserInput.search(
            Domain("islah_request_id", "!=", False)
            & Domain("islah_invitation_state", "=", "invited")
            & Domain("islah_remind_on", "<=", now)
            & Domain("state", "!=", "done")
            & (Domain("deadline", "=", False) | Domain("deadline", ">=", now))
        )
        to_remind -= to_remind._islah_close_without_consent()
        if to_remind:
            to_remind.write({"islah_invitation_state": "reminded", "islah_reminded_on": now})
            template = self.env.ref("islah_survey_ext.mail_template_survey_reminder")
            # sudo: same, the reminders render invitations of every company
            template.sudo().send_mail_batch(
                to_remind.ids, email_layout_xmlid="islah_beneficiary.mail_notification_islah"
            ).send_after_commit()
        return expired, to_remind
