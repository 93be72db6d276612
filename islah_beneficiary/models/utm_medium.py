from odoo import api, fields, models


class UtmMedium(models.Model):
    _inherit = "utm.medium"
    # utm.medium's own name is not translatable: the seven channels carry a
    # translated label, shown wherever a channel is displayed or searched.
    _rec_names_search = ["name", "islah_label"]

    islah_channel = fields.Boolean(
        string="Beneficiary intake channel",
        help="One of the seven channels of the beneficiary relations policy.",
    )
    islah_sequence = fields.Integer(string="Channel order", default=10)
    islah_label = fields.Char(
        string="Channel label",
        translate=True,
        help="The channel's name as staff and beneficiaries read it, in each language.",
    )

    @api.depends("name", "islah_label")
    @api.depends_context("lang")
    def _compute_display_name(self):  # pylint: disable=missing-return
        super()._compute_display_name()
        for medium in self.filtered("islah_label"):
            medium.display_name = medium.islah_label
