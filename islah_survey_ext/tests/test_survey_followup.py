"""Unanswered invitations are recalled once after N days and expire after
M days (company settings), by one set-based scheduled action."""

from datetime import datetime, timedelta

from odoo.tests import freeze_time, tagged

from .common import IslahSurveyCommon

T0 = datetime(2026, 3, 1, 9, 0, 0)


@tagged("post_install", "-at_install", "islah_survey")
class TestSurveyReminderExpiry(IslahSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("islah_survey_ext.ir_cron_survey_invitations")

    def _invite(self, **kwargs):
        with freeze_time(T0):
            return self._delivered_request(**kwargs).islah_user_input_ids

    def _run_cron(self, when):
        with freeze_time(when), self.mock_mail_gateway():
            with self.enter_registry_test_mode():
                self.cron.method_direct_trigger()
        self.env.invalidate_all()

    def test_reminder_at_boundary(self):
        invitation = self._invite(email="remind@example.com")
        self._run_cron(T0 + timedelta(days=3) - timedelta(seconds=1))
        self.assertEqual(invitation.islah_invitation_state, "invited")
        self.assertFalse(self._mails)

        self._run_cron(T0 + timedelta(days=3))
        self.assertEqual(invitation.islah_invitation_state, "reminded")
        self.assertEqual(invitation.islah_reminded_on, T0 + timedelta(days=3))
        self.assertEqual(len(self._mails), 1)
        self.assertIn(invitation.islah_survey_url, self._mails[0]["body"])
        self.assertIn("remind@example.com", self._mails[0]["email_to"][0])

        # only once
        self._run_cron(T0 + timedelta(days=5))
        self.assertEqual(invitation.islah_invitation_state, "reminded")
        self.assertFalse(self._mails)

    def test_reminder_days_setting(self):
        self.company.islah_survey_reminder_days = 5
        invitation = self._invite(email="five@example.com")
        self._run_cron(T0 + timedelta(days=4))
        self.assertEqual(invitation.islah_invitation_state, "invited")
        self._run_cron(T0 + timedelta(days=5))
        self.assertEqual(invitation.islah_invitation_state, "reminded")

    def test_expiry_at_boundary(self):
        """The link accepts answers up to its deadline (invitation + 14 days)
        and expires just after it; answered invitations never expire."""
        invitation = self._invite(email="expire@example.com")
        answered = self._invite(email="answered@example.com")
        self._answer(answered)
        deadline = T0 + timedelta(days=14)
        self.assertEqual(invitation.deadline, deadline)

        self._run_cron(deadline)
        self.assertEqual(invitation.islah_invitation_state, "reminded")  # reminder due since day 3

        self._run_cron(deadline + timedelta(seconds=1))
        self.assertEqual(invitation.islah_invitation_state, "expired")
        self.assertEqual(invitation.islah_request_id.islah_survey_state, "expired")
        self.assertFalse(self._mails, "an expired invitation is not reminded")
        self.assertEqual(answered.islah_invitation_state, "answered")

    def test_expiry_days_setting(self):
        self.company.islah_survey_expiry_days = 7
        invitation = self._invite(email="seven@example.com")
        self.assertEqual(invitation.deadline, T0 + timedelta(days=7))
        self._run_cron(T0 + timedelta(days=7, seconds=1))
        self.assertEqual(invitation.islah_invitation_state, "expired")

    def test_cron_is_set_based(self):
        """Whatever the number of invitations: one search per category and
        batched writes, one batched template call."""
        invitations = self.env["survey.user_input"]
        for i in range(3):
            invitations |= self._invite(email=f"batch{i}@example.com")
        UserInput = self.env["survey.user_input"]
        with freeze_time(T0 + timedelta(days=3)), self.mock_mail_gateway():
            expired, reminded = UserInput._cron_islah_survey_invitations()
        self.assertFalse(expired)
        self.assertEqual(reminded, invitations)
        self.assertEqual(len(self._mails), 3)
        self.assertEqual(self.send_email_mocked.call_count, 3)

        with freeze_time(T0 + timedelta(days=20)), self.mock_mail_gateway():
            expired, reminded = UserInput._cron_islah_survey_invitations()
        self.assertEqual(expired, invitations)

        # expiry: the number of queries does not grow with the invitations
        counts = []
        for size, day in ((1, 30), (4, 60)):
            with freeze_time(T0 + timedelta(days=day - 20)):
                batch = UserInput.browse()
                for i in range(size):
                    batch |= self._delivered_request(
                        email=f"exp{day}_{i}@example.com"
                    ).islah_user_input_ids
            batch.write({"islah_invitation_state": "reminded"})
            self.env.flush_all()
            self.env.invalidate_all()
            with freeze_time(T0 + timedelta(days=day)), self.mock_mail_gateway():
                before = self.env.cr.sql_log_count
                expired, reminded = UserInput._cron_islah_survey_invitations()
                self.env.flush_all()
                counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(expired, batch)
            self.assertFalse(reminded)
        self.assertEqual(counts[0], counts[1])
