"""The demo's delivered requests have answered satisfaction surveys with
scores that differ, one low enough to be followed up; without demo data,
there are none."""

from odoo.tests import TransactionCase


class TestDemoDataSurvey(TransactionCase):
    def test_surveys_answered_with_scores(self):
        demo_requests = self.env["ir.model.data"].search(
            [
                ("module", "=", "islah_beneficiary"),
                ("model", "=", "islah.support.request"),
                ("name", "=like", "%_demo"),
            ]
        )
        answers = self.env["survey.user_input"].search(
            [
                ("islah_request_id", "in", demo_requests.mapped("res_id")),
                ("islah_invitation_state", "=", "answered"),
            ]
        )
        if not self.env.ref(
            "islah_survey_ext.survey_answer_amal_legal_overall_demo", raise_if_not_found=False
        ):
            self.assertFalse(answers)
            return
        self.assertGreaterEqual(len(answers), 3)
        self.assertTrue(all(answers.mapped("islah_scored")))
        self.assertEqual(set(answers.mapped("state")), {"done"})
        scores = answers.mapped("islah_score")
        self.assertGreater(len(set(scores)), 2, "the report needs different scores")
        low = answers.filtered(lambda a: a.islah_score < a.islah_company_id.islah_survey_low_score)
        self.assertTrue(low, "a low score to follow up")
        # the low score opened a follow-up to-do for a manager on its request
        self.assertTrue(low.islah_request_id.activity_ids)
        # and the satisfaction report has figures
        report = self.env["islah.satisfaction.report"].search([("id", "in", answers.ids)])
        self.assertEqual(len(report.filtered("score")), len(answers))
