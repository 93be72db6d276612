from odoo import fields, models


class SurveyQuestionAnswer(models.Model):
    _inherit = "survey.question.answer"

    islah_satisfaction_value = fields.Integer(
        string="Satisfaction value (0-100)",
        help="What choosing this answer is worth in the satisfaction score, "
        "when its question counts in the score.",
    )

    _islah_satisfaction_value_range = models.Constraint(
        "CHECK(islah_satisfaction_value >= 0 AND islah_satisfaction_value <= 100)",
        "A satisfaction value is between 0 and 100.",
    )
