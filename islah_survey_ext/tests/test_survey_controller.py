"""The beneficiary's personal link, over HTTP and anonymously: it opens the
survey once; answered or expired it shows a clear page, not an error; a
tampered token reveals nothing and records nothing."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import IslahSurveyCommon


@tagged("post_install", "-at_install", "islah_survey")
class TestSurveyLink(IslahSurveyCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.request = cls.env["islah.support.request"]
        # English on purpose: beneficiaries are Arabic by default (tested elsewhere)
        beneficiary = cls._create_beneficiary(
            name="Private Person", email="private@example.com", lang="en_US"
        )
        request = cls._request_in_state(
            "in_service", beneficiary, service_type_id=cls.service_quick.id
        )
        cls.env["islah.service.delivery"].create(
            {"request_id": request.id, "description": "Test guidance given"}
        )
        request.action_done()
        cls.request = request
        cls.invitation = request.islah_user_input_ids

    def _start_path(self, answer_token=None):
        token = answer_token or self.invitation.access_token
        return f"/survey/start/{self.survey.access_token}?answer_token={token}"

    def _submit_payload(self):
        payload = {
            str(q.id): "4"
            for q in (self.q_courtesy, self.q_clarity, self.q_speed, self.q_channel, self.q_overall)
        }
        payload[str(self.q_need_met.id)] = str(self.a_need_yes.id)
        payload[str(self.q_recommend.id)] = "9"
        payload[str(self.q_suggestions.id)] = "Very kind staff."
        return payload

    def _begin_and_submit(self, answer_token):
        base = f"{self.survey.access_token}/{answer_token}"
        self.make_jsonrpc_request(f"/survey/begin/{base}", {})
        return self.make_jsonrpc_request(f"/survey/submit/{base}", self._submit_payload())

    def test_answer_once_then_thank_you_page(self):
        response = self.url_open(self._start_path())
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.survey.title, response.text)
        self.assertIn("Evaluating the quality of our service is your right", response.text)

        self._begin_and_submit(self.invitation.access_token)
        self.invitation.invalidate_recordset()
        self.request.invalidate_recordset()
        self.assertEqual(self.invitation.state, "done")
        # 4 -> 75 (x5), yes -> 100, 9 -> 90: 565 / 7
        self.assertAlmostEqual(self.request.islah_satisfaction_score, round(565 / 7, 1))
        self.assertEqual(self.invitation.islah_comment, "Very kind staff.")

        # the link again: the "thank you" page, and a second submission is refused
        response = self.url_open(self._start_path())
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you", response.text)
        lines_before = len(self.invitation.user_input_line_ids)
        result = self.make_jsonrpc_request(
            f"/survey/submit/{self.survey.access_token}/{self.invitation.access_token}",
            self._submit_payload(),
        )
        self.assertEqual(result[1], {"error": "unauthorized"})
        self.invitation.invalidate_recordset()
        self.assertEqual(len(self.invitation.user_input_line_ids), lines_before)

    def test_expired_link(self):
        self.invitation.write(
            {
                "deadline": fields.Datetime.now() - timedelta(minutes=1),
                "islah_invitation_state": "expired",
            }
        )
        response = self.url_open(self._start_path())
        self.assertEqual(response.status_code, 200)
        self.assertIn("survey expired", response.text)
        self.assertNotIn("Evaluating the quality of our service", response.text)
        result = self.make_jsonrpc_request(
            f"/survey/submit/{self.survey.access_token}/{self.invitation.access_token}",
            self._submit_payload(),
        )
        self.assertEqual(result[1], {"error": "answer_deadline"})
        self.assertFalse(self.invitation.user_input_line_ids)

    def test_tampered_token(self):
        token = self.invitation.access_token
        tampered = token[:-4] + ("0000" if token[-4:] != "0000" else "1111")
        response = self.url_open(self._start_path(tampered))
        self.assertEqual(response.status_code, 200)
        self.assertIn("Survey Access Error", response.text)
        self.assertNotIn("Private Person", response.text)
        self.assertNotIn("Evaluating the quality of our service", response.text)
        result = self.make_jsonrpc_request(
            f"/survey/submit/{self.survey.access_token}/{tampered}", self._submit_payload()
        )
        self.assertEqual(result[1], {"error": "token_wrong"})
        self.assertFalse(self.invitation.user_input_line_ids)
        self.assertEqual(self.invitation.state, "new")
