from odoo import api, fields, models


class IslahAppeal(models.Model):
    """Counts of the appeals by outcome for the analysis views: 1 or 0 per
    appeal, summed by the pivot."""

    _inherit = "islah.appeal"

    upheld_count = fields.Integer(
        string="Upheld (count)",
        compute="_compute_voice_counts",
        store=True,
        help="1 when the committee upheld the rejection on appeal.",
    )
    overturned_count = fields.Integer(
        string="Overturned (count)",
        compute="_compute_voice_counts",
        store=True,
        help="1 when the committee overturned the rejection on appeal.",
    )

    @api.depends("outcome")
    def _compute_voice_counts(self):
        for appeal in self:
            appeal.upheld_count = 1 if appeal.outcome == "upheld" else 0
            appeal.overturned_count = 1 if appeal.outcome == "overturned" else 0
