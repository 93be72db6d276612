"""Retention of the satisfaction surveys: an anonymised beneficiary's answer
keeps its score (the satisfaction reports), not who gave it."""

from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import SQL

from .common import IslahSurveyCommon


@tagged("post_install", "-at_install", "islah_survey")
class TestSurveyRetention(IslahSurveyCommon):
    def _report(self, request):
        self.env.flush_all()
        return self.env["islah.satisfaction.report"]._read_group(
            [("service_type_id", "=", request.service_type_id.id)],
            ["section", "medium_id", "invitation_state"],
            ["invitation_count:sum", "answered_count:sum", "score:avg"],
        )

    def test_anonymised_answer_keeps_its_score_only(self):
        email = "sabira.retentia@example.com"
        request = self._delivered_request(email=email, name="Sabira Retentia")
        invitation = self._answer(
            request.islah_user_input_ids,
            scales=(5, 4, 3, 2, 1),
            comment="Sabira Retentia thanks the officer",
        )
        beneficiary = request.beneficiary_id
        token = invitation.access_token
        score = invitation.islah_score
        scale_lines = invitation.user_input_line_ids.filtered(
            lambda line: line.answer_type in ("scale", "suggestion", "numerical_box")
        )
        report = self._report(request)
        # the kept copy of the invitation e-mail (with its personal link)
        self.env["mail.mail"].create(
            {
                "email_to": email,
                "body_html": f"<p>Dear Sabira Retentia, {invitation.islah_survey_url}</p>",
                "model": "survey.user_input",
                "res_id": invitation.id,
            }
        )
        # a closed request of 11 years ago: the cron anonymises the file
        self.env.flush_all()
        self.env.execute_query(
            SQL(
                "UPDATE islah_support_request SET create_date = NOW() - INTERVAL '11 years'"
                " WHERE id = %s",
                request.id,
            )
        )
        request.invalidate_recordset(["create_date"])
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", return_value=1.0):
            self.env["islah.beneficiary"]._cron_islah_anonymise_expired()
        self.env.invalidate_all()

        self.assertTrue(beneficiary.anonymised_on)
        self.assertFalse(invitation.partner_id)
        self.assertFalse(invitation.email)
        self.assertFalse(invitation.islah_comment)
        self.assertNotEqual(invitation.access_token, token, "the e-mailed link opens nothing")
        self.assertEqual(invitation.islah_score, score)
        self.assertTrue(invitation.islah_scored)
        self.assertEqual(invitation.islah_invitation_state, "answered")
        self.assertEqual(request.islah_satisfaction_score, score)
        self.assertEqual(scale_lines.exists(), scale_lines)
        self.assertFalse(
            invitation.user_input_line_ids.filtered(lambda line: line.answer_type == "text_box")
        )
        self.assertEqual(self._report(request), report)
        # no copy of the invitation e-mails, no trace of the person's words
        self.assertFalse(self.env["mail.mail"].search([("email_to", "ilike", email)]))
        for table, expression in (
            ("survey_user_input", "concat_ws(' ', email, nickname, islah_comment)"),
            ("survey_user_input_line", "concat_ws(' ', value_text_box, value_char_box)"),
            ("mail_message", "concat_ws(' ', body, subject, email_from)"),
            ("mail_mail", "concat_ws(' ', body_html, email_to)"),
            ("res_partner", "concat_ws(' ', name, email)"),
        ):
            for marker in ("Sabira Retentia", email):
                [(count,)] = self.env.execute_query(
                    SQL(
                        "SELECT COUNT(*) FROM %s WHERE %s ILIKE %s",
                        SQL.identifier(table),
                        SQL(expression),
                        f"%{marker}%",
                    )
                )
                self.assertEqual(count, 0, f"{marker} left in {table}")
