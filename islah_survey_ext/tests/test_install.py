"""The survey extension is installed on top of the beneficiary registry and
Odoo's survey app, and a survey can be addressed to a beneficiary."""

from odoo.tests import new_test_user, tagged

from odoo.addons.islah_beneficiary.tests.common import GROUP_MANAGER, IslahCommon


@tagged("post_install", "-at_install")
class TestSurveyExtInstall(IslahCommon):
    def test_module_and_dependencies_installed(self):
        modules = self.env["ir.module.module"].search(
            [("name", "in", ("islah_survey_ext", "islah_beneficiary", "survey"))]
        )
        self.assertEqual(
            {m.name: m.state for m in modules},
            {
                "islah_survey_ext": "installed",
                "islah_beneficiary": "installed",
                "survey": "installed",
            },
        )
        dependencies = self.env.ref("base.module_islah_survey_ext").dependencies_id.mapped("name")
        self.assertIn("survey", dependencies)
        self.assertIn("islah_beneficiary", dependencies)

    def test_manager_surveys_a_beneficiary(self):
        """A manager with survey rights builds a satisfaction survey and opens
        an answer for a beneficiary, through the beneficiary's partner."""
        manager = new_test_user(
            self.env,
            login="islah_survey_manager",
            groups=f"{GROUP_MANAGER},survey.group_survey_manager",
            islah_section="both",
        )
        beneficiary = self._create_beneficiary(
            name="Surveyed Beneficiary", email="surveyed@example.com"
        )
        Survey = self.env["survey.survey"].with_user(manager)
        survey = Survey.create(
            {
                "title": "Satisfaction with the service",
                "access_mode": "token",
                "question_and_page_ids": [
                    (
                        0,
                        0,
                        {
                            "title": "How satisfied are you with the service?",
                            "question_type": "simple_choice",
                            "suggested_answer_ids": [
                                (0, 0, {"value": "Satisfied"}),
                                (0, 0, {"value": "Not satisfied"}),
                            ],
                        },
                    )
                ],
            }
        )
        self.assertEqual(len(survey.question_ids), 1)
        answer = survey._create_answer(partner=beneficiary.with_user(manager).partner_id)
        self.assertEqual(answer.partner_id, beneficiary.partner_id)
        self.assertEqual(answer.email, "surveyed@example.com")
        self.assertTrue(answer.access_token)
        self.assertEqual(answer.state, "new")
        self.assertIn(answer, survey.user_input_ids)
