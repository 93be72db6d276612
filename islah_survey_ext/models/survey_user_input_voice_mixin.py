from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.islah_beneficiary.tools.constants import GROUP_MANAGER


class SurveyUserInputVoiceMixin(models.AbstractModel):
    """What a manager does with satisfaction answers: open an improvement
    action from low scores (and, with the suggestions and complaints, record
    an answer's comment as a suggestion)."""

    _name = "islah.survey.user_input.voice.mixin"
    _description = "Satisfaction answers: improvement actions and suggestions"

    islah_feedback_ids = fields.One2many(
        "islah.feedback",
        "survey_user_input_id",
        string="Suggestion recorded",
        readonly=True,
        groups=GROUP_MANAGER,
    )
    islah_can_record_suggestion = fields.Boolean(
        compute="_compute_islah_can_record_suggestion", groups=GROUP_MANAGER
    )

    def _compute_islah_can_record_suggestion(self):
        for answer in self:
            answer.islah_can_record_suggestion = bool(
                answer.islah_request_id
                and (answer.islah_comment or "").strip()
                and not answer.islah_feedback_ids
            )

    def _islah_check_manager(self, message):
        if not self.env.su and not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(message)

    @api.model
    def _islah_improvement_action_values(self, answers):
        """A draft improvement action from low scores: their service and
        section when they share one, the average satisfaction as indicator."""
        services = answers.islah_service_type_id
        sections = set(answers.mapped("islah_section"))
        companies = answers.islah_company_id
        return {
            "name": self.env._("Low satisfaction scores"),
            "source": "survey",
            "indicator": "satisfaction",
            "survey_user_input_ids": [(6, 0, answers.ids)],
            "service_type_id": services.id if len(services) == 1 else False,
            "section": sections.pop() if len(sections) == 1 else False,
            "company_id": (companies[:1] or self.env.company).id,
            "user_id": self.env.user.id,
        }

    def action_islah_open_improvement_action(self):
        """Open a draft improvement action linked to these answers."""
        self._islah_check_manager(
            self.env._("Only managers open improvement actions from survey answers.")
        )
        answers = self.filtered("islah_request_id")
        if not answers:
            raise UserError(self.env._("Select the satisfaction-survey answers to act on."))
        answers.check_access("read")
        return self.env["islah.improvement.action"]._islah_open_draft(
            self._islah_improvement_action_values(answers)
        )

    def _islah_suggestion_values(self):
        """The suggestion a comment becomes: from the website channel, the
        answer's beneficiary and request, its section the beneficiary's."""
        self.ensure_one()
        beneficiary = self.islah_beneficiary_id
        return {
            "kind": "suggestion",
            "channel_id": self.env.ref("islah_beneficiary.utm_medium_website").id,
            "beneficiary_id": beneficiary.id,
            "request_id": self.islah_request_id.id,
            "author_name": beneficiary.name,
            "description": self.islah_comment.strip(),
            "section": beneficiary.section or self.islah_section,
            "company_id": self.islah_company_id.id or self.env.company.id,
            "survey_user_input_id": self.id,
        }

    def action_islah_record_suggestion(self):
        """Record each answer's comment as a suggestion, once."""
        self._islah_check_manager(
            self.env._("Only managers record a survey comment as a suggestion.")
        )
        self.check_access("read")
        Feedback = self.env["islah.feedback"]
        feedbacks = Feedback
        for answer in self:
            if not (answer.islah_comment or "").strip():
                raise UserError(
                    self.env._("This survey answer has no comment to record as a suggestion.")
                )
            if answer.islah_feedback_ids:
                raise UserError(
                    self.env._(
                        "This survey answer's comment is recorded as a suggestion already: "
                        "%(number)s.",
                        number=answer.islah_feedback_ids[:1].name,
                    )
                )
            feedbacks |= Feedback.create(answer._islah_suggestion_values())
        if len(feedbacks) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "islah.feedback",
                "res_id": feedbacks.id,
                "view_mode": "form",
                "views": [(False, "form")],
                "target": "current",
            }
        return {
            "type": "ir.actions.act_window",
            "res_model": "islah.feedback",
            "domain": [("id", "in", feedbacks.ids)],
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "target": "current",
        }
