import uuid

from odoo import fields, models
from odoo.fields import Domain


class IslahBeneficiary(models.Model):
    _inherit = "islah.beneficiary"

    islah_survey_opt_out = fields.Boolean(
        string="No satisfaction surveys",
        tracking=True,
        help="The beneficiary asked not to receive satisfaction surveys by e-mail.",
    )

    def _islah_retention_records(self):
        records = super()._islah_retention_records()
        records["survey.user_input"] = (
            self.env["survey.user_input"]
            .with_context(active_test=False)
            .search(
                Domain("islah_request_id", "in", records["islah.support.request"].ids)
                | Domain("partner_id", "=", self.partner_id.id)
            )
        )
        return records

    def _islah_anonymise_data(self, records, env_lang):
        """An anonymised beneficiary's answers keep their scores (the
        satisfaction reports), not who gave them."""
        result = super()._islah_anonymise_data(records, env_lang)
        answers = records["survey.user_input"]
        for answer in answers:
            # a new token: the personal link e-mailed to the person opens nothing
            answer.write(
                {
                    "partner_id": False,
                    "email": False,
                    "nickname": False,
                    "islah_comment": False,
                    "access_token": str(uuid.uuid4()),
                    "invite_token": False,
                }
            )
        # the free-text answers are the person's own words (and score
        # nothing); choices and scales, which make the score, stay
        answers.user_input_line_ids.filtered(
            lambda line: line.answer_type in ("text_box", "char_box")
        ).unlink()
        return result
