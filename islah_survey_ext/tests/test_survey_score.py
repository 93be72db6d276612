"""A completed answer gets a 0-100 satisfaction score shown on the request;
a low score opens a follow-up activity for a manager with the comment."""

from odoo.tests import new_test_user, tagged

from odoo.addons.islah_beneficiary.tests.common import GROUP_MANAGER

from .common import IslahSurveyCommon


@tagged("post_install", "-at_install", "islah_survey")
class TestSurveyScore(IslahSurveyCommon):
    def _activities(self, request):
        """The follow-ups of low scores (other automations may add activities)."""
        return request.activity_ids.filtered(
            lambda a: (
                a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
                and "Low satisfaction score" in (a.summary or "")
            )
        )

    def test_score_known_answers(self):
        """Scales 5,4,3,2,1 -> 100,75,50,25,0; need met -> 100; recommend
        10 -> 100: mean of the seven = 450 / 7 = 64.3."""
        request = self._delivered_request()
        invitation = self._answer(
            request.islah_user_input_ids,
            scales=(5, 4, 3, 2, 1),
            need_met=True,
            recommend=10,
            comment="Please answer the phone faster.",
        )
        self.assertEqual(invitation.state, "done")
        self.assertEqual(invitation.islah_invitation_state, "answered")
        self.assertTrue(invitation.islah_scored)
        self.assertAlmostEqual(invitation.islah_score, 64.3)
        self.assertEqual(invitation.islah_comment, "Please answer the phone faster.")
        self.assertAlmostEqual(request.islah_satisfaction_score, 64.3)
        self.assertEqual(request.islah_survey_state, "answered")

    def test_score_extremes_and_recommend_zero(self):
        request = self._delivered_request(email="best@example.com")
        self._answer(request.islah_user_input_ids, scales=(5,) * 5, need_met=True, recommend=10)
        self.assertEqual(request.islah_satisfaction_score, 100.0)

        request = self._delivered_request(email="worst@example.com")
        invitation = self._answer(
            request.islah_user_input_ids, scales=(1,) * 5, need_met=False, recommend=0
        )
        self.assertTrue(invitation.islah_scored)
        self.assertEqual(request.islah_satisfaction_score, 0.0)

        # recommend 7 -> 70, need not met -> 0, scales all 3 -> 50: (250+0+70)/7
        request = self._delivered_request(email="mid@example.com")
        self._answer(request.islah_user_input_ids, scales=(3,) * 5, need_met=False, recommend=7)
        self.assertAlmostEqual(request.islah_satisfaction_score, round(320 / 7, 1))

    def test_skipped_questions_left_out(self):
        """A question left unanswered does not count as a zero."""
        request = self._delivered_request()
        invitation = request.islah_user_input_ids.sudo()
        invitation._save_lines(self.q_overall, "4")
        invitation._save_lines(self.q_recommend, "")
        invitation._mark_done()
        self.assertAlmostEqual(invitation.islah_score, 75.0)

    def test_low_score_followup_first_manager(self):
        """Under the threshold (60): a to-do for the first manager with the comment."""
        request = self._delivered_request()
        self._answer(
            request.islah_user_input_ids,
            scales=(2, 2, 2, 2, 2),
            need_met=False,
            recommend=3,
            comment="Nobody called me back.",
        )
        activity = self._activities(request)
        self.assertEqual(len(activity), 1)
        managers = self.env.ref(GROUP_MANAGER).all_user_ids.filtered(
            lambda u: u.active and not u._is_superuser() and self.company in u.company_ids
        )
        self.assertEqual(activity.user_id, managers.sorted("id")[:1])
        self.assertIn("Nobody called me back.", str(activity.note))
        self.assertIn("Low satisfaction score", activity.summary)

    def test_low_score_followup_named_user(self):
        followup = new_test_user(self.env, login="islah_followup", groups=GROUP_MANAGER)
        self.company.islah_survey_followup_user_id = followup
        request = self._delivered_request()
        self._answer(request.islah_user_input_ids, scales=(1,) * 5, need_met=False, recommend=0)
        self.assertEqual(self._activities(request).user_id, followup)

    def test_no_followup_at_threshold(self):
        """A score equal to the threshold is not low."""
        self.company.islah_survey_low_score = 50
        request = self._delivered_request()
        # scales 3 -> 50 each, need met -> 100, recommend 0 -> 0: 350 / 7 = 50
        self._answer(request.islah_user_input_ids, scales=(3,) * 5, need_met=True, recommend=0)
        self.assertEqual(request.islah_satisfaction_score, 50.0)
        self.assertFalse(self._activities(request))

        self.company.islah_survey_low_score = 51
        request = self._delivered_request(email="other@example.com")
        self._answer(request.islah_user_input_ids, scales=(3,) * 5, need_met=True, recommend=0)
        self.assertEqual(len(self._activities(request)), 1)

    def test_plain_survey_answers_untouched(self):
        """Answers of other surveys (not invitations) get no score, no state."""
        answer = self.survey._create_answer(partner=self.manager.partner_id, check_attempts=False)
        answer._save_lines(self.q_overall, "1")
        answer._mark_done()
        self.assertFalse(answer.islah_invitation_state)
        self.assertFalse(answer.islah_scored)
