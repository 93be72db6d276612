from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    islah_survey_id = fields.Many2one(
        "survey.survey",
        string="Default satisfaction survey",
        help="Sent after delivery for the services that do not name their own survey. "
        "Empty: the shipped beneficiary-satisfaction survey.",
    )
    islah_survey_reminder_days = fields.Integer(
        string="Survey reminder (days)",
        default=3,
        help="Days after the invitation when an unanswered survey is recalled once.",
    )
    islah_survey_expiry_days = fields.Integer(
        string="Survey expiry (days)",
        default=14,
        help="Days after the invitation when the survey link stops accepting answers.",
    )
    islah_survey_low_score = fields.Integer(
        string="Low satisfaction threshold",
        default=60,
        help="A completed survey scoring below this (0-100) opens a follow-up activity.",
    )
    islah_survey_followup_user_id = fields.Many2one(
        "res.users",
        string="Satisfaction follow-up by",
        help="Receives the follow-up activities of low scores. Empty: the first manager.",
    )

    _islah_survey_reminder_days_positive = models.Constraint(
        "CHECK(islah_survey_reminder_days > 0)",
        "The survey reminder must come at least one day after the invitation.",
    )
    _islah_survey_expiry_after_reminder = models.Constraint(
        "CHECK(islah_survey_expiry_days > islah_survey_reminder_days)",
        "The survey must expire after its reminder.",
    )
    _islah_survey_low_score_range = models.Constraint(
        "CHECK(islah_survey_low_score >= 0 AND islah_survey_low_score <= 100)",
        "The low satisfaction threshold is a score between 0 and 100.",
    )
