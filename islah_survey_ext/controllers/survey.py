from odoo import http
from odoo.http import request

from odoo.addons.survey.controllers.main import Survey


class IslahSurvey(Survey):
    """A satisfaction-survey invitation is answered once: "take it again"
    would make a second answer linked to no request, so it leads back to the
    invitation's own page (the thank-you page once answered)."""

    @http.route()
    def survey_retry(self, survey_token, answer_token, **post):
        survey_sudo, answer_sudo = self._fetch_from_access_token(survey_token, answer_token)
        if answer_sudo.islah_request_id:
            return request.redirect(
                f"/survey/start/{survey_sudo.access_token}?answer_token={answer_sudo.access_token}"
            )
        return super().survey_retry(survey_token, answer_token, **post)
