"""Fixtures of the satisfaction-survey tests: delivered requests and answers."""

from odoo.addons.islah_beneficiary.tests.common import IslahCommon
from odoo.addons.mail.tests.common import MockEmail


class IslahSurveyCommon(IslahCommon, MockEmail):
    """``IslahCommon`` plus the shipped survey, its questions, and helpers
    that deliver a request (which fires the shipped automation) and answer
    the invitation."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.survey = ref("islah_survey_ext.survey_beneficiary_satisfaction")
        cls.q_courtesy = ref("islah_survey_ext.survey_question_courtesy")
        cls.q_clarity = ref("islah_survey_ext.survey_question_clarity")
        cls.q_speed = ref("islah_survey_ext.survey_question_speed")
        cls.q_channel = ref("islah_survey_ext.survey_question_channel")
        cls.q_overall = ref("islah_survey_ext.survey_question_overall")
        cls.q_need_met = ref("islah_survey_ext.survey_question_need_met")
        cls.a_need_yes = ref("islah_survey_ext.survey_answer_need_met_yes")
        cls.a_need_no = ref("islah_survey_ext.survey_answer_need_met_no")
        cls.q_recommend = ref("islah_survey_ext.survey_question_recommend")
        cls.q_suggestions = ref("islah_survey_ext.survey_question_suggestions")
        # the company settings the tests rely on (a database may have others)
        cls.company.write(
            {
                "islah_survey_id": False,
                "islah_survey_reminder_days": 3,
                "islah_survey_expiry_days": 14,
                "islah_survey_low_score": 60,
                "islah_survey_followup_user_id": False,
            }
        )
        cls.service_quick = cls.env["islah.service.type"].create(
            {"name": "Test quick help", "needs_research": False, "needs_committee": False}
        )

    def _delivered_request(self, email="beneficiary@example.com", user=None, **beneficiary_vals):
        """A request of ``service_quick`` closed as delivered through
        ``action_done`` (by ``user`` when given), inside the mail mock."""
        beneficiary = self._create_beneficiary(email=email, **beneficiary_vals)
        request = self._request_in_state(
            "in_service",
            beneficiary,
            service_type_id=self.service_quick.id,
            officer_id=(user or self.officer_men).id,
        )
        self.env["islah.service.delivery"].create(
            {"request_id": request.id, "description": "Test guidance given"}
        )
        request = request.with_user(user) if user else request
        with self.mock_mail_gateway():
            request.action_done()
        return request.sudo()

    def _answer(
        self, invitation, scales=(5, 5, 5, 5, 5), need_met=True, recommend=10, comment=None
    ):
        """Answer and complete ``invitation`` as the beneficiary would."""
        invitation = invitation.sudo()
        questions = (self.q_courtesy, self.q_clarity, self.q_speed, self.q_channel, self.q_overall)
        for question, value in zip(questions, scales, strict=True):
            invitation._save_lines(question, str(value))
        invitation._save_lines(
            self.q_need_met, (self.a_need_yes if need_met else self.a_need_no).id
        )
        # a string, as the survey page posts it (an int 0 would count as skipped)
        invitation._save_lines(self.q_recommend, str(recommend))
        invitation._save_lines(self.q_suggestions, comment or "")
        invitation._mark_done()
        return invitation
