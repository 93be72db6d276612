from odoo import fields, models


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    islah_in_score = fields.Boolean(
        string="Counts in the satisfaction score",
        help="Scale questions count as their position between the lowest and the highest "
        "value; single-choice questions count as the satisfaction value of the chosen answer.",
    )
