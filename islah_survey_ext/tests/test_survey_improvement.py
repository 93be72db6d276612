"""Satisfaction answers and improvement actions: the average satisfaction
before and after an action, an action opened from low scores, and a
comment recorded as a suggestion once, by managers only."""

from datetime import datetime, time, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.fields import Date
from odoo.service.model import call_kw
from odoo.tests import tagged

from .common import IslahSurveyCommon

LOW = {"scales": (1, 1, 1, 1, 1), "need_met": False, "recommend": 0}


@tagged("post_install", "-at_install")
class TestSurveyImprovement(IslahSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = Date.context_today(cls.env["islah.support.request"])

    def _call(self, user, records, method, *args):
        return call_kw(records.with_user(user), method, [records.ids, *args], {})

    def _answered(self, day, comment=None, **scores):
        request = self._delivered_request()
        invitation = request.islah_user_input_ids[:1]
        self._answer(invitation, comment=comment, **scores)
        invitation.end_datetime = datetime.combine(day, time(10, 0))
        return invitation

    def test_satisfaction_before_and_after(self):
        before = self.today - timedelta(days=10)
        after = self.today + timedelta(days=3)
        low = self._answered(before, comment="Too slow.", **LOW)
        high = self._answered(before)
        self.assertEqual((low.islah_score, high.islah_score), (0.0, 100.0))
        self._answered(after)
        result = self._call(self.manager, low | high, "action_islah_open_improvement_action")
        action = self.env["islah.improvement.action"].browse(result["res_id"])
        self.assertEqual(action.source, "survey")
        self.assertEqual(action.indicator, "satisfaction")
        self.assertEqual(action.service_type_id, self.service_quick)
        self.assertEqual(action.survey_user_input_ids, low | high)
        action = action.with_user(self.manager)
        action.measure_days = 30
        action.action_start()
        self.assertEqual(action.indicator_before, 50.0)
        self.assertEqual(action.indicator_before_count, 2)
        action.action_taken = "Faster callbacks."
        action.action_done()
        self.assertEqual(action.indicator_after, 100.0)
        self.assertEqual(action.indicator_effect, 50.0)
        self.assertTrue(action.indicator_improved)

    def test_officer_cannot_open_from_answers(self):
        answer = self._answered(self.today, **LOW)
        with self.assertRaises(AccessError):
            self._call(self.officer_men, answer, "action_islah_open_improvement_action")

    def test_comment_recorded_as_suggestion_once(self):
        answer = self._answered(self.today, comment="Open on Saturdays too.", **LOW)
        with self.assertRaises(AccessError):
            self._call(self.officer_men, answer, "action_islah_record_suggestion")
        with self.mock_mail_gateway():
            result = self._call(self.manager, answer, "action_islah_record_suggestion")
        feedback = self.env["islah.feedback"].browse(result["res_id"])
        self.assertEqual(feedback.kind, "suggestion")
        self.assertEqual(feedback.channel_id, self.env.ref("islah_beneficiary.utm_medium_website"))
        self.assertEqual(feedback.beneficiary_id, answer.islah_beneficiary_id)
        self.assertEqual(feedback.request_id, answer.islah_request_id)
        self.assertEqual(feedback.section, "men")
        self.assertEqual(feedback.description, "Open on Saturdays too.")
        self.assertEqual(feedback.survey_user_input_id, answer)
        self.assertEqual(answer.islah_feedback_ids, feedback)
        self.assertFalse(answer.islah_can_record_suggestion)
        with self.assertRaises(UserError):
            self._call(self.manager, answer, "action_islah_record_suggestion")
        self.assertEqual(
            self.env["islah.feedback"].search_count([("survey_user_input_id", "=", answer.id)]), 1
        )

    def test_no_comment_no_suggestion(self):
        answer = self._answered(self.today)
        self.assertFalse(answer.islah_can_record_suggestion)
        with self.assertRaises(UserError):
            self._call(self.manager, answer, "action_islah_record_suggestion")
