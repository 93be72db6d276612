from odoo import api, fields, models
from odoo.exceptions import UserError

BALLOT_FIELDS = {"vote", "comment"}


class IslahCommitteeVote(models.Model):
    """One attending member's ballot on one request. Each member casts only
    their own: nobody, not even the chair or a manager, votes for another."""

    _name = "islah.committee.vote"
    _description = "Research Committee vote"
    _order = "decision_id, id"
    _rec_name = "member_id"

    decision_id = fields.Many2one(
        "islah.committee.decision", required=True, index=True, ondelete="cascade"
    )
    meeting_id = fields.Many2one(
        related="decision_id.meeting_id", store=True, index=True, string="Meeting"
    )
    request_id = fields.Many2one(related="decision_id.request_id", string="Request")
    company_id = fields.Many2one(related="decision_id.company_id", store=True, index=True)
    member_id = fields.Many2one("res.users", required=True, index=True)
    vote = fields.Selection([("approve", "Approve"), ("reject", "Reject"), ("abstain", "Abstain")])
    comment = fields.Text()
    voted_on = fields.Datetime(readonly=True, copy=False)
    is_mine = fields.Boolean(compute="_compute_is_mine")

    _decision_member_uniq = models.Constraint(
        "UNIQUE(decision_id, member_id)", "A member has one vote per request."
    )

    @api.depends_context("uid")
    @api.depends("member_id")
    def _compute_is_mine(self):
        for vote in self:
            vote.is_mine = vote.member_id == self.env.user

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # ballots are handed out by the meeting (start of session, attendance)
            raise UserError(self.env._("Ballots are created by the meeting, not by hand."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if vals.keys() - BALLOT_FIELDS:
                raise UserError(self.env._("Only the vote and its comment can be changed."))
            for vote in self:
                if vote.member_id != self.env.user:
                    raise UserError(
                        self.env._(
                            "%(member)s's vote on %(request)s is theirs to cast: "
                            "each member votes only their own line.",
                            member=vote.member_id.name,
                            request=vote.decision_id.request_id.name,
                        )
                    )
                if vote.meeting_id.state != "in_session":
                    raise UserError(
                        self.env._(
                            "Votes are cast during the session of %(meeting)s only.",
                            meeting=vote.meeting_id.name,
                        )
                    )
        if "vote" in vals:
            vals = dict(vals, voted_on=fields.Datetime.now() if vals["vote"] else False)
        return super().write(vals)

    def action_vote_approve(self):
        return self._cast("approve")

    def action_vote_reject(self):
        return self._cast("reject")

    def action_vote_abstain(self):
        return self._cast("abstain")

    def _cast(self, vote):
        self.write({"vote": vote})
        return True

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed(self):
        if not self.env.su:
            raise UserError(self.env._("Ballots are removed by the meeting, not by hand."))
