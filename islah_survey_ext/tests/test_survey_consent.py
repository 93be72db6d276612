"""Satisfaction surveys need the beneficiary's consent: without it (never
given, or withdrawn) no invitation nor reminder goes, and the request's
chatter says so once."""

from datetime import datetime, timedelta

from odoo.tests import freeze_time, tagged

from .common import IslahSurveyCommon

T0 = datetime(2026, 3, 1, 9, 0, 0)
NO_INVITATION = "has no active consent to the processing of their data"
NO_REMINDER = "withdrew their consent to the processing of their data"


@tagged("post_install", "-at_install", "islah_survey")
class TestSurveyConsent(IslahSurveyCommon):
    def _notes(self, request):
        return request.message_ids.mapped(lambda m: m.body.striptags() if m.body else "")

    def _run_cron(self, when):
        with freeze_time(when), self.mock_mail_gateway():
            return self.env["survey.user_input"]._cron_islah_survey_invitations()

    def test_no_consent_no_invitation(self):
        request = self._delivered_request(consent=False, name="Never Consented")
        self.assertFalse(request.islah_user_input_ids)
        self.assertFalse(self._mails)
        notes = [n for n in self._notes(request) if NO_INVITATION in n]
        self.assertEqual(len(notes), 1)
        self.assertIn("Never Consented", notes[0])

    def test_withdrawn_consent_no_invitation(self):
        beneficiary = self._create_beneficiary(email="withdrawn@example.com", name="Withdrew")
        beneficiary._islah_withdraw_consent(
            channel=self.env.ref("islah_beneficiary.utm_medium_portal")
        )
        request = self._request_in_state(
            "in_service", beneficiary, service_type_id=self.service_quick.id
        )
        self.env["islah.service.delivery"].create(
            {"request_id": request.id, "description": "Test guidance given"}
        )
        with self.mock_mail_gateway():
            request.action_done()
        self.assertFalse(request.islah_user_input_ids)
        self.assertFalse(self._mails)
        self.assertTrue(any(NO_INVITATION in n for n in self._notes(request)))

    def test_consenting_beneficiary_is_invited(self):
        with freeze_time(T0):
            request = self._delivered_request(email="consents@example.com")
        self.assertTrue(request.beneficiary_id._islah_has_consent())
        self.assertEqual(len(request.islah_user_input_ids), 1)
        self.assertFalse(any(NO_INVITATION in n for n in self._notes(request)))

    def test_withdrawal_after_invitation_stops_the_reminder_once(self):
        with freeze_time(T0):
            request = self._delivered_request(email="later@example.com", name="Later Withdrew")
            other = self._delivered_request(email="keeps@example.com")
        invitation = request.islah_user_input_ids
        other_invitation = other.islah_user_input_ids
        request.beneficiary_id._islah_withdraw_consent()

        _expired, reminded = self._run_cron(T0 + timedelta(days=3))
        self.assertEqual(reminded, other_invitation, "only the consenting one is reminded")
        self.assertEqual(len(self._mails), 1)
        self.assertEqual(self._mails[0]["email_to"], [other_invitation.partner_id.email_formatted])
        self.assertEqual(invitation.islah_invitation_state, "expired")
        self.assertEqual(invitation.deadline, T0 + timedelta(days=3), "the link is closed")
        self.assertEqual(request.islah_survey_state, "expired")

        # the next runs neither send nor repeat the note
        self._run_cron(T0 + timedelta(days=4))
        self._run_cron(T0 + timedelta(days=5))
        self.assertFalse(self._mails)
        notes = [n for n in self._notes(request) if NO_REMINDER in n]
        self.assertEqual(len(notes), 1)
        self.assertIn("Later Withdrew", notes[0])
