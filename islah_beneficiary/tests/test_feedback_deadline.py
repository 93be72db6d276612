from datetime import date

from odoo.tests import freeze_time, tagged

from .feedback_common import IslahFeedbackCommon


@tagged("post_install", "-at_install", "islah_feedback")
class TestFeedbackDeadline(IslahFeedbackCommon):
    """The response deadline on the association's working calendar, its
    status kept current by the daily pass, and the escalation when it is
    overdue."""

    def _received(self, when, **vals):
        with freeze_time(when):
            return self._feedback(self.officer_men, **vals)

    def _pass_on(self, day):
        with freeze_time(day):
            self.env["islah.feedback"]._cron_update_sla_states()

    def test_received_on_thursday_skips_the_weekend(self):
        # Thursday 5 March 2026: Sun 8, Mon 9, Tue 10, Wed 11, Thu 12
        feedback = self._received("2026-03-05 10:00:00")
        self.assertEqual(feedback.deadline, date(2026, 3, 12))
        self.assertEqual(feedback.sla_state, "on_time")

    def test_public_holiday_skipped(self):
        # Sunday 1 March: Mon 2, Tue 3, (Wed 4 holiday), Thu 5, (Fri, Sat), Sun 8, Mon 9
        feedback = self._received("2026-03-01 10:00:00")
        self.assertEqual(feedback.deadline, date(2026, 3, 9))

    def test_company_setting_changes_the_days(self):
        self.company.islah_feedback_response_days = 2
        feedback = self._received("2026-03-05 10:00:00")
        self.assertEqual(feedback.deadline, date(2026, 3, 9))  # Sun 8, Mon 9

    def test_owner_todo_due_on_the_deadline(self):
        feedback = self._received("2026-03-05 10:00:00")
        (activity,) = feedback.activity_ids
        self.assertEqual(activity.user_id, feedback.user_id)
        self.assertEqual(activity.date_deadline, date(2026, 3, 12))

    def test_at_risk_then_overdue_then_escalated(self):
        feedback = self._received("2026-03-05 10:00:00")  # deadline Thu 12
        self._pass_on("2026-03-10 09:00:00")
        self.assertEqual(feedback.sla_state, "on_time")
        self._pass_on("2026-03-11 09:00:00")  # 1 at-risk day before
        self.assertEqual(feedback.sla_state, "at_risk")
        self._pass_on("2026-03-12 09:00:00")  # the deadline day itself
        self.assertEqual(feedback.sla_state, "at_risk")
        self.assertEqual(len(feedback.activity_ids), 1, "no escalation before it is overdue")
        self._pass_on("2026-03-13 09:00:00")
        self.assertEqual(feedback.sla_state, "overdue")
        escalation = feedback.activity_ids - feedback.activity_ids.filtered(
            lambda act: act.user_id == feedback.user_id and "Overdue" not in (act.summary or "")
        )
        self.assertEqual(len(escalation), 1)
        self.assertTrue(
            escalation.user_id.has_group("islah_beneficiary.group_islah_beneficiary_manager")
        )
        self.assertIn(feedback.section, escalation.user_id._islah_sections())
        self.assertTrue(
            feedback.message_ids.filtered(lambda m: "escalated" in (m.body or "")),
            "a note says it was escalated",
        )
        # the next pass changes nothing: escalated once
        self._pass_on("2026-03-14 09:00:00")
        self.assertEqual(len(feedback.activity_ids), 2)

    def test_pass_is_set_based_and_skips_answered(self):
        open_one = self._received("2026-03-05 10:00:00")
        answered = self._received("2026-03-05 10:00:00")
        answered.with_user(answered.user_id).action_send_answer("Thank you, done.")
        self._pass_on("2026-03-20 09:00:00")
        self.assertEqual(open_one.sla_state, "overdue")
        self.assertEqual(answered.sla_state, "on_time", "an answered record is not overdue")
        # one UPDATE whatever the number of records (+ the company flush)
        with freeze_time("2026-03-21 09:00:00"), self.assertQueryCount(2):
            self.env["islah.feedback"]._cron_update_sla_states()

    def test_answer_days_and_on_time(self):
        feedback = self._received("2026-03-05 10:00:00")
        with freeze_time("2026-03-10 11:00:00"):
            feedback.with_user(feedback.user_id).action_send_answer("We changed it.")
        self.assertEqual(feedback.answer_days, 5)
        self.assertTrue(feedback.answered_on_time)
        late = self._received("2026-03-05 10:00:00")
        with freeze_time("2026-03-15 11:00:00"):
            late.with_user(late.user_id).action_send_answer("Sorry for the delay.")
        self.assertEqual(late.answer_days, 10)
        self.assertFalse(late.answered_on_time)
