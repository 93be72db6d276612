"""One answer per satisfaction-survey invitation, over real HTTP: the
thank-you page offers no "Take again" / "Retry", the retry route and the
link opened again lead back to the thank-you page, no second (unlinked)
answer is made; the page says what happens next, in the respondent's
language.

Regression: the thank-you page offered "take it again", which created a
second answer linked to no request."""

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import IslahSurveyCommon

NEXT_STEP = "If you were not satisfied, a member of our team will contact you"
NO_PUNISHMENT = "never to blame or penalise anyone"


@tagged("post_install", "-at_install", "islah_survey")
class TestSurveyDonePage(IslahSurveyCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # in English (the Arabic page has its own test)
        beneficiary = cls._create_beneficiary(
            name="Done Page Person", email="done@example.com", lang="en_US"
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
        cls.UserInput = cls.env["survey.user_input"].with_context(active_test=False)

    def _start_path(self, answer=None):
        answer = answer or self.invitation
        return f"/survey/start/{self.survey.access_token}?answer_token={answer.access_token}"

    def _answer_over_http(self, answer=None):
        answer = answer or self.invitation
        base = f"{self.survey.access_token}/{answer.access_token}"
        payload = {
            str(q.id): "4"
            for q in (self.q_courtesy, self.q_clarity, self.q_speed, self.q_channel, self.q_overall)
        }
        payload[str(self.q_need_met.id)] = str(self.a_need_yes.id)
        payload[str(self.q_recommend.id)] = "9"
        payload[str(self.q_suggestions.id)] = ""
        self.url_open(self._start_path(answer))
        self.make_jsonrpc_request(f"/survey/begin/{base}", {})
        self.make_jsonrpc_request(f"/survey/submit/{base}", payload)
        answer.invalidate_recordset()
        self.assertEqual(answer.state, "done")

    def _answers_count(self):
        return self.UserInput.search_count([("survey_id", "=", self.survey.id)])

    def _assert_no_retake(self, html):
        self.assertNotIn("/survey/retry/", html)
        self.assertNotIn("Take Again", html)
        self.assertNotIn("Retry", html)

    def test_thank_you_page_without_retake(self):
        # even a survey an administrator left without an attempt limit
        self.survey.is_attempts_limited = False
        self._answer_over_http()
        count = self._answers_count()

        response = self.url_open(self._start_path())
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_survey_finished", response.text)
        self._assert_no_retake(response.text)
        self.assertIn(NEXT_STEP, response.text)
        self.assertIn(NO_PUNISHMENT, response.text)
        self.assertEqual(self._answers_count(), count)

    def test_other_surveys_keep_their_retake(self):
        """The rule is for invitations only: another answer of an unlimited
        survey still offers "Take Again", and no "what happens next"."""
        self.survey.is_attempts_limited = False
        other = self.survey._create_answer(
            email="someone@example.com",
            check_attempts=False,
            lang_id=self.env["res.lang"]._lang_get("en_US").id,
        )
        self._answer_over_http(other)
        response = self.url_open(self._start_path(other))
        self.assertIn("/survey/retry/", response.text)
        self.assertNotIn(NEXT_STEP, response.text)

    def test_retry_route_makes_no_second_answer(self):
        self.survey.is_attempts_limited = False
        self._answer_over_http()
        count = self._answers_count()

        response = self.url_open(
            f"/survey/retry/{self.survey.access_token}/{self.invitation.access_token}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_survey_finished", response.text)
        self.assertIn(NEXT_STEP, response.text)
        self.assertEqual(self._answers_count(), count)
        self.assertEqual(
            self.UserInput.search_count([("invite_token", "=", self.invitation.invite_token)]), 1
        )

    def test_no_second_answer_under_the_invitation(self):
        """The model refuses it too, whatever the route."""
        self._answer_over_http()
        with self.assertRaises(UserError):
            self.survey.sudo()._create_answer(
                partner=self.invitation.partner_id,
                invite_token=self.invitation.invite_token,
                check_attempts=False,
            )

    def test_thank_you_page_in_the_respondents_language(self):
        self.env["res.lang"]._activate_lang("ar_001")
        self.invitation.partner_id.lang = "ar_001"
        self.invitation.lang_id = self.env["res.lang"]._lang_get("ar_001")
        arabic = "إذا لم تكن راضياً، سيتواصل معك أحد أعضاء فريقنا"
        view = self.env.ref("islah_survey_ext.survey_fill_form_done")
        english = next(
            term
            for term in view.get_field_translations("arch_db")[0]
            if NEXT_STEP in term["source"]
        )
        view.update_field_translations(
            "arch_db", {"ar_001": {english["source"]: arabic + " لفهم ما يمكننا تحسينه."}}
        )
        self._answer_over_http()

        response = self.url_open(self._start_path())
        self.assertEqual(response.status_code, 200)
        self.assertIn(arabic, response.text)
        self.assertNotIn(NEXT_STEP, response.text)
        self._assert_no_retake(response.text)
