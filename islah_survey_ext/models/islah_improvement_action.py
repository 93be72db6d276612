from odoo import fields, models
from odoo.fields import Domain

from odoo.addons.islah_beneficiary.tools.constants import GROUP_MANAGER


class IslahImprovementAction(models.Model):
    """Improvement actions opened from low satisfaction scores, and the
    average satisfaction as an indicator of their effect."""

    _inherit = "islah.improvement.action"

    indicator = fields.Selection(
        selection_add=[("satisfaction", "Average satisfaction")],
        ondelete={"satisfaction": "set null"},
    )
    survey_user_input_ids = fields.Many2many(
        "survey.user_input",
        "islah_improvement_action_survey_user_input_rel",
        "action_id",
        "user_input_id",
        string="Survey answers",
        help="The satisfaction-survey answers this action comes from.",
        groups=GROUP_MANAGER,
    )

    def _islah_indicator_satisfaction(self, date_from, date_to):
        """The mean satisfaction score (0-100, see survey.user_input
        ``_islah_compute_score``) of the surveys answered in the period
        (their ``end_datetime``), scored answers only."""
        # sudo: the scores are the managers'; only the mean leaves this method
        UserInput = self.env["survey.user_input"].sudo()
        domain = (
            self._islah_scope_domain("islah_service_type_id", "islah_section", "islah_company_id")
            & Domain("islah_request_id", "!=", False)
            & Domain("state", "=", "done")
            & Domain("islah_scored", "=", True)
            & self._islah_datetime_bounds("end_datetime", date_from, date_to)
        )
        [(average, count)] = UserInput._read_group(domain, [], ["islah_score:avg", "__count"])
        return (round(average or 0.0, 1), count)
