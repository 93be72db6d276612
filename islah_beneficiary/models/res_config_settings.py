from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import is_valid_iban, normalize_saudi_mobile


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    islah_decision_days = fields.Integer(related="company_id.islah_decision_days", readonly=False)
    islah_deadline_working_days = fields.Boolean(
        related="company_id.islah_deadline_working_days", readonly=False
    )
    islah_at_risk_days = fields.Integer(related="company_id.islah_at_risk_days", readonly=False)
    islah_committee_quorum = fields.Integer(
        related="company_id.islah_committee_quorum", readonly=False
    )
    islah_max_upload_mb = fields.Integer(related="company_id.islah_max_upload_mb", readonly=False)
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

    @api.constrains("islah_iban", "islah_men_phone", "islah_women_phone")
    def _check_islah_letterhead(self):
        for settings in self:
            if settings.islah_iban and not is_valid_iban(settings.islah_iban):
                raise ValidationError(
                    self.env._(
                        "The IBAN %(iban)s is not a valid Saudi IBAN.", iban=settings.islah_iban
                    )
                )
            for phone in (settings.islah_men_phone, settings.islah_women_phone):
                if phone and not normalize_saudi_mobile(phone):
                    raise ValidationError(
                        self.env._("%(phone)s is not a valid Saudi mobile number.", phone=phone)
                    )
