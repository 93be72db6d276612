from odoo import api, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.islah_beneficiary.tools.constants import GROUP_MANAGER


class SurveyUserInputVoiceMixin(models.AbstractModel):
    """What a manager does with satisfaction answers: open an improvement
    action from low scores (and, with the suggestions and complaints, record
    an answer's comment as a suggestion)."""

    _name = "islah.survey.user_input.voice.mixin"
    _description = "Satisfaction answers: improvement actions and suggestions"

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
        action = self.env["islah.improvement.action"].create(
            self._islah_improvement_action_values(answers)
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "islah.improvement.action",
            "res_id": action.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
