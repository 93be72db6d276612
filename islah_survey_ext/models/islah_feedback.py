from odoo import fields, models

from odoo.addons.islah_beneficiary.tools.constants import GROUP_MANAGER


class IslahFeedback(models.Model):
    """A suggestion recorded from a satisfaction-survey answer's comment."""

    _inherit = "islah.feedback"

    survey_user_input_id = fields.Many2one(
        "survey.user_input",
        string="Survey answer",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        groups=GROUP_MANAGER,
        help="The satisfaction-survey answer whose comment this suggestion records.",
    )

    _islah_survey_user_input_uniq = models.UniqueIndex(
        "(survey_user_input_id) WHERE survey_user_input_id IS NOT NULL",
        "This survey answer's comment is recorded as a suggestion already.",
    )
