from odoo import api, fields, models


class IslahCommitteeVote(models.Model):
    """On an appeal's ballot: whether the member voted on the decision now
    appealed (shown to the committee)."""

    _inherit = "islah.committee.vote"

    is_appeal = fields.Boolean(related="decision_id.is_appeal", string="Appeal")
    voted_first_decision = fields.Boolean(
        compute="_compute_voted_first_decision",
        string="Voted on the first decision",
        help="This member voted on the decision the beneficiary appealed.",
    )

    @api.depends("member_id", "decision_id.first_voter_ids")
    def _compute_voted_first_decision(self):
        for vote in self:
            vote.voted_first_decision = vote.member_id in vote.decision_id.first_voter_ids
