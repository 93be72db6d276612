from odoo import fields, models


class UtmMedium(models.Model):
    _inherit = "utm.medium"

    islah_channel = fields.Boolean(
        string="Beneficiary intake channel",
        help="One of the seven channels of the beneficiary relations policy.",
    )
    islah_sequence = fields.Integer(string="Channel order", default=10)
