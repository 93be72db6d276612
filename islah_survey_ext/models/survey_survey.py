from odoo import models
from odoo.exceptions import UserError
from odoo.fields import Domain


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    def _check_answer_creation(
        self, user, partner, email, test_entry=False, check_attempts=True, invite_token=False
    ):
        """One answer per satisfaction-survey invitation: a new answer under
        the invitation's token (the survey's "retry") would be linked to no
        request, and would count twice or not at all."""
        result = super()._check_answer_creation(
            user,
            partner,
            email,
            test_entry=test_entry,
            check_attempts=check_attempts,
            invite_token=invite_token,
        )
        if invite_token and not test_entry:
            # sudo: the respondent is often the public user, with no right on answers
            invitations = (
                self.env["survey.user_input"]
                .sudo()
                .search_count(
                    Domain("invite_token", "=", invite_token)
                    & Domain("islah_request_id", "!=", False),
                    limit=1,
                )
            )
            if invitations:
                raise UserError(
                    self.env._("This satisfaction survey invitation can be answered only once.")
                )
        return result
