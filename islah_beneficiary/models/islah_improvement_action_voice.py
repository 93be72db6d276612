from odoo import api, fields, models


class IslahImprovementAction(models.Model):
    """Counts of the improvement actions for the analysis views: 1 or 0 per
    action, summed by the pivot."""

    _inherit = "islah.improvement.action"

    done_count = fields.Integer(
        string="Done (count)",
        compute="_compute_voice_counts",
        store=True,
        help="1 when the action is done: summed, the actions done.",
    )
    late_count = fields.Integer(
        string="Late (count)",
        compute="_compute_voice_counts",
        store=True,
        help="1 when the action is late (not done past its due date, or done after it).",
    )

    @api.depends("state", "is_late")
    def _compute_voice_counts(self):
        for action in self:
            action.done_count = 1 if action.state == "done" else 0
            action.late_count = 1 if action.is_late else 0
