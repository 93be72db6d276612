from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    islah_committee_secretary_id = fields.Many2one(
        related="company_id.islah_committee_secretary_id", readonly=False
    )
