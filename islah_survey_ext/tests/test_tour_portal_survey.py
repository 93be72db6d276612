"""Acceptance of issue 11, the beneficiary's part in islah_survey_ext: from
the personal link of their invitation, in Arabic, the beneficiary answers
the satisfaction survey once; the answer is recorded and scored."""

from odoo.tests import tagged

from odoo.addons.islah_beneficiary.tests.tour_common import IslahTourCase


@tagged("post_install", "-at_install", "islah_survey", "islah_tour")
class TestSurveyTour(IslahTourCase):
    def test_portal_survey(self):
        self.company.islah_survey_id = False  # the shipped survey
        quick = self.env["islah.service.type"].create(
            {"name": "خدمة سريعة للجولة", "needs_research": False, "needs_committee": False}
        )
        beneficiary = self._beneficiary(False, partner_id=self.portal.partner_id.id)
        request = self._request(beneficiary, "in_service", quick)
        self.env["islah.service.delivery"].create(
            {"request_id": request.id, "description": "تقديم الاستشارة"}
        )
        request.sudo().action_done()
        invitation = request.islah_user_input_ids
        self.assertEqual(len(invitation), 1)
        survey = invitation.survey_id

        self._tour(
            "islah_tour_survey",
            self.portal.login,
            url=f"/survey/start/{survey.access_token}?answer_token={invitation.access_token}",
        )

        self.assertEqual(invitation.state, "done")
        self.assertEqual(invitation.islah_score, 100)
        self.assertEqual(invitation.sudo().islah_comment, "الموظفون متعاونون جدا.")
        self.assertEqual(
            self.env["survey.user_input"].search_count(
                [("survey_id", "=", survey.id), ("partner_id", "=", self.portal.partner_id.id)]
            ),
            1,
        )
