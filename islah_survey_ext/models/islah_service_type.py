from odoo import fields, models

from odoo.addons.islah_beneficiary.tools.constants import GROUP_MANAGER


class IslahServiceType(models.Model):
    _inherit = "islah.service.type"

    survey_id = fields.Many2one(
        "survey.survey",
        string="Satisfaction survey",
        groups=GROUP_MANAGER,
        domain=[("access_mode", "=", "token")],
        default=lambda self: self.env.ref(
            "islah_survey_ext.survey_beneficiary_satisfaction", raise_if_not_found=False
        ),
        help="Sent to the beneficiary once the service is delivered. "
        "Empty: the company's default survey.",
    )

    def _islah_satisfaction_survey(self, company):
        """The survey to send for this service: its own, else the company's
        default, else the shipped one."""
        self.ensure_one()
        # sudo: the service's survey is a managers' setting; every closing needs it
        return (
            self.sudo().survey_id
            or company.islah_survey_id
            or self.env.ref(
                "islah_survey_ext.survey_beneficiary_satisfaction", raise_if_not_found=False
            )
        )
