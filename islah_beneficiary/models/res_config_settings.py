from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import normalize_saudi_mobile


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    # the association is the company: what its letters, e-mails and reports show
    # (labels of their own: base_setup's and account's fields have the company's)
    islah_company_name = fields.Char(
        related="company_id.name", readonly=False, string="Association name"
    )
    islah_company_logo = fields.Binary(
        related="company_id.logo", readonly=False, string="Association logo"
    )
    islah_company_currency_id = fields.Many2one(
        related="company_id.currency_id", readonly=False, string="Association currency"
    )
    islah_company_email = fields.Char(
        related="company_id.email", readonly=False, string="Association e-mail"
    )
    islah_setup_done = fields.Boolean(related="company_id.islah_setup_done")
    islah_decision_days = fields.Integer(related="company_id.islah_decision_days", readonly=False)
    islah_deadline_working_days = fields.Boolean(
        related="company_id.islah_deadline_working_days", readonly=False
    )
    islah_at_risk_days = fields.Integer(related="company_id.islah_at_risk_days", readonly=False)
    islah_committee_quorum = fields.Integer(
        related="company_id.islah_committee_quorum", readonly=False
    )
    islah_max_upload_mb = fields.Integer(related="company_id.islah_max_upload_mb", readonly=False)
    islah_intake_rate_limit = fields.Integer(
        related="company_id.islah_intake_rate_limit", readonly=False
    )
    islah_intake_rate_minutes = fields.Integer(
        related="company_id.islah_intake_rate_minutes", readonly=False
    )
    islah_retention_years = fields.Integer(
        related="company_id.islah_retention_years", readonly=False
    )
    islah_retention_years_unapproved = fields.Integer(
        related="company_id.islah_retention_years_unapproved", readonly=False
    )
    islah_bank_account = fields.Char(related="company_id.islah_bank_account", readonly=False)
    islah_iban = fields.Char(related="company_id.islah_iban", readonly=False)
    islah_men_phone = fields.Char(related="company_id.islah_men_phone", readonly=False)
    islah_women_phone = fields.Char(related="company_id.islah_women_phone", readonly=False)
    islah_resource_calendar_id = fields.Many2one(
        related="company_id.resource_calendar_id", readonly=False
    )
    islah_committee_secretary_id = fields.Many2one(
        related="company_id.islah_committee_secretary_id", readonly=False
    )

    # suggestions and complaints (islah.feedback)
    islah_feedback_response_days = fields.Integer(
        related="company_id.islah_feedback_response_days", readonly=False
    )

    @api.constrains("islah_men_phone", "islah_women_phone")
    def _check_islah_letterhead(self):
        # the IBAN is checked by the company itself (res.company._check_islah_iban)
        for settings in self:
            for phone in (settings.islah_men_phone, settings.islah_women_phone):
                if phone and not normalize_saudi_mobile(phone):
                    raise ValidationError(
                        self.env._("%(phone)s is not a valid Saudi mobile number.", phone=phone)
                    )

    # outreach: the contact limit per person
    islah_outreach_max_contacts = fields.Integer(
        related="company_id.islah_outreach_max_contacts", readonly=False
    )
    islah_outreach_period_days = fields.Integer(
        related="company_id.islah_outreach_period_days", readonly=False
    )
    # periodic review of registered files (engineer review)
    islah_review_months = fields.Integer(related="company_id.islah_review_months", readonly=False)
    islah_review_reminder_days = fields.Integer(
        related="company_id.islah_review_reminder_days", readonly=False
    )
    islah_review_grace_days = fields.Integer(
        related="company_id.islah_review_grace_days", readonly=False
    )
    # appeals of a rejection (islah.appeal)
    islah_appeal_days = fields.Integer(related="company_id.islah_appeal_days", readonly=False)
    # issue 14, "you said, we did"
    islah_publish_you_said_we_did = fields.Boolean(
        related="company_id.islah_publish_you_said_we_did", readonly=False
    )
    islah_you_said_we_did_months = fields.Integer(
        related="company_id.islah_you_said_we_did_months", readonly=False
    )
