"""Closing a request as delivered invites the beneficiary to the
satisfaction survey, once, by e-mail, unless they cannot or do not want to
be surveyed; the chatter of the request always says what happened."""

from datetime import datetime, timedelta

from psycopg2.errors import UniqueViolation

from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import IslahSurveyCommon

T0 = datetime(2026, 3, 1, 9, 0, 0)


@tagged("post_install", "-at_install", "islah_survey")
class TestSurveyInvitation(IslahSurveyCommon):
    def _notes(self, request):
        return request.message_ids.mapped(lambda m: m.body.striptags() if m.body else "")

    @freeze_time(T0)
    def test_invitation_on_delivery(self):
        """The shipped automation fires when the officer closes the request."""
        request = self._delivered_request(
            email="salem@example.com", name="Salem Test", user=self.officer_men
        )
        invitation = request.islah_user_input_ids
        self.assertEqual(len(invitation), 1)
        self.assertEqual(invitation.survey_id, self.survey)
        self.assertEqual(invitation.partner_id, request.beneficiary_id.partner_id)
        self.assertEqual(invitation.islah_beneficiary_id, request.beneficiary_id)
        self.assertEqual(invitation.islah_officer_id, self.officer_men)
        self.assertEqual(invitation.islah_service_type_id, self.service_quick)
        self.assertEqual(invitation.islah_medium_id, self.channel_interview)
        self.assertEqual(invitation.islah_invitation_state, "invited")
        self.assertEqual(invitation.state, "new")
        self.assertEqual(invitation.islah_invited_on, T0)
        self.assertEqual(invitation.islah_remind_on, T0 + timedelta(days=3))
        self.assertEqual(invitation.deadline, T0 + timedelta(days=14))
        self.assertEqual(request.islah_survey_state, "invited")
        # one e-mail, to the beneficiary, with the personal tokenised link
        self.assertEqual(len(self._mails), 1)
        mail = self._mails[0]
        self.assertEqual(mail["email_to"], ['"Salem Test" <salem@example.com>'])
        url = (
            f"{self.survey.get_base_url()}/survey/start/{self.survey.access_token}"
            f"?answer_token={invitation.access_token}"
        )
        self.assertEqual(invitation.islah_survey_url, url)
        self.assertIn(url, mail["body"])
        self.assertTrue(
            any("Satisfaction survey sent to salem@example.com" in n for n in self._notes(request))
        )

    def test_survey_in_beneficiary_language(self):
        """The answer carries the beneficiary's language, so the e-mail and
        the survey page are in that language."""
        self.env["res.lang"]._activate_lang("ar_001")
        request = self._delivered_request(email="arabic@example.com", lang="ar_001")
        invitation = request.islah_user_input_ids
        self.assertEqual(invitation.lang_id.code, "ar_001")
        template = self.env.ref("islah_survey_ext.mail_template_survey_invitation")
        self.assertEqual(template._render_lang(invitation.ids)[invitation.id], "ar_001")

    def test_no_duplicate_invitation(self):
        """Inviting again is a no-op; the database refuses a second open
        invitation; once the first expired a new one is possible."""
        request = self._delivered_request()
        first = request.islah_user_input_ids
        with self.mock_mail_gateway():
            self.assertFalse(request._islah_invite_to_survey())
        self.assertFalse(self._mails)
        self.assertEqual(request.islah_user_input_ids, first)

        with (
            self.assertRaises(UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.survey._create_answer(
                partner=request.partner_id,
                check_attempts=False,
                islah_request_id=request.id,
                islah_invitation_state="reminded",
            )
            self.env.flush_all()

        first.islah_invitation_state = "expired"
        with self.mock_mail_gateway():
            second = request._islah_invite_to_survey()
        self.assertEqual(len(second), 1)
        self.assertNotEqual(second, first)
        self.assertEqual(len(self._mails), 1)

    def test_opt_out(self):
        """A beneficiary who opted out gets nothing; the chatter says why."""
        request = self._delivered_request(islah_survey_opt_out=True, name="Opted Out")
        self.assertFalse(request.islah_user_input_ids)
        self.assertFalse(self._mails)
        self.assertTrue(
            any("Opted Out asked not to receive surveys" in n for n in self._notes(request))
        )

    def test_missing_email(self):
        request = self._delivered_request(email=False, name="No Mail")
        self.assertFalse(request.islah_user_input_ids)
        self.assertFalse(self._mails)
        self.assertTrue(any("No Mail has no e-mail address" in n for n in self._notes(request)))

    def test_blacklisted_email(self):
        self.env["mail.blacklist"].sudo()._add("blocked@example.com")
        request = self._delivered_request(email="blocked@example.com", name="Blocked")
        self.assertFalse(request.islah_user_input_ids)
        self.assertFalse(self._mails)
        self.assertTrue(any("blacklisted" in n for n in self._notes(request)))

    def test_survey_per_service_type_and_company(self):
        """The service's own survey wins over the company's default, which
        wins over the shipped one."""
        other = self.survey.copy({"title": "Other satisfaction survey"})
        self.assertEqual(self.service_quick.survey_id, self.survey)  # default
        self.company.islah_survey_id = other
        self.service_quick.survey_id = False
        request = self._delivered_request(email="company@example.com")
        self.assertEqual(request.islah_user_input_ids.survey_id, other)

        third = self.survey.copy({"title": "Service survey"})
        self.service_quick.survey_id = third
        request = self._delivered_request(email="service@example.com")
        self.assertEqual(request.islah_user_input_ids.survey_id, third)

    def test_archived_survey(self):
        """An archived survey is not sent, and closing the request still works."""
        self.survey.active = False
        request = self._delivered_request(email="archived@example.com")
        self.assertEqual(request.state, "done")
        self.assertFalse(request.islah_user_input_ids)
        self.assertFalse(self._mails)
        self.assertTrue(any("no active survey is configured" in n for n in self._notes(request)))

    def test_not_done_no_invitation(self):
        """Only the transition to done invites: a cancelled request does not."""
        request = self._create_request(service_type_id=self.service_quick.id)
        request.beneficiary_id.email = "cancel@example.com"
        with self.mock_mail_gateway():
            request.action_cancel(reason="Test")
        self.assertFalse(request.islah_user_input_ids)
        self.assertFalse(self._mails)
