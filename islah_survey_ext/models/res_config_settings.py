from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    islah_survey_id = fields.Many2one(related="company_id.islah_survey_id", readonly=False)
    islah_survey_reminder_days = fields.Integer(
        related="company_id.islah_survey_reminder_days", readonly=False
    )
    islah_survey_expiry_days = fields.Integer(
        related="company_id.islah_survey_expiry_days", readonly=False
    )
    islah_survey_low_score = fields.Integer(
        related="company_id.islah_survey_low_score", readonly=False
    )
    islah_survey_followup_user_id = fields.Many2one(
        related="company_id.islah_survey_followup_user_id", readonly=False
    )
