from odoo import fields, models


class IslahBeneficiary(models.Model):
    _inherit = "islah.beneficiary"

    islah_survey_opt_out = fields.Boolean(
        string="No satisfaction surveys",
        tracking=True,
        help="The beneficiary asked not to receive satisfaction surveys by e-mail.",
    )
