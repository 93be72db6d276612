from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_list

from ..tools.committee import OUTCOMES, REASON_OUTCOMES, count_votes, majority_outcome


class IslahCommitteeDecisionVotingMixin(models.AbstractModel):
    """The ballots of a decision counted during the session: the majority,
    the chair's override, the outcome the closing will record, and the
    ballots handed to the attending members. The host model
    (``islah.committee.decision``) holds ``vote_ids``, ``meeting_id``,
    ``request_id`` and ``reason``."""

    _name = "islah.committee.decision.voting.mixin"
    _description = "Research Committee decision ballots"

    approve_count = fields.Integer(compute="_compute_vote_result", string="Approve")
    reject_count = fields.Integer(compute="_compute_vote_result", string="Reject")
    abstain_count = fields.Integer(compute="_compute_vote_result", string="Abstain")
    pending_count = fields.Integer(compute="_compute_vote_result", string="Not voted")
    vote_result = fields.Selection(
        OUTCOMES,
        compute="_compute_vote_result",
        string="Majority",
        help="Approve or reject by the majority of the votes cast; a tie goes the "
        "way the chair voted, and is deferred when the chair abstained or is absent.",
    )
    override_outcome = fields.Selection(
        OUTCOMES,
        string="Chair's override",
        tracking=True,
        help="Recorded by the chair, with a reason, when the decision departs from "
        "the majority (or to defer, or to ask for more information).",
    )
    override_reason = fields.Text(tracking=True)
    proposed_outcome = fields.Selection(
        OUTCOMES, compute="_compute_vote_result", string="Proposed outcome"
    )

    @api.depends("vote_ids.vote", "vote_ids.member_id", "meeting_id.chair_id", "override_outcome")
    def _compute_vote_result(self):
        for decision in self:
            counts = count_votes(decision.vote_ids.mapped("vote"))
            decision.approve_count = counts["approve"]
            decision.reject_count = counts["reject"]
            decision.abstain_count = counts["abstain"]
            decision.pending_count = counts["pending"]
            # on a tie, the chair's vote decides (tools/committee.py)
            chair_vote = decision.vote_ids.filtered(
                lambda v, chair=decision.meeting_id.chair_id: v.member_id == chair
            ).vote
            decision.vote_result = majority_outcome(counts["approve"], counts["reject"], chair_vote)
            decision.proposed_outcome = decision.override_outcome or decision.vote_result

    @api.constrains("override_outcome", "override_reason")
    def _check_override_reason(self):
        for decision in self:
            if decision.override_outcome and not (decision.override_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "The chair's override on %(request)s needs a reason.",
                        request=decision.request_id.name,
                    )
                )

    def _sync_votes(self):
        """One ballot per attending member: added for new attendees, removed
        (when still blank) for members who left."""
        # sudo: ballots are handed out and taken back by the meeting only
        Vote = self.env["islah.committee.vote"].sudo()
        for decision in self:
            attendees = decision.meeting_id.attendee_ids
            stale = decision.vote_ids.filtered(
                lambda v, attendees=attendees: v.member_id not in attendees and not v.vote
            )
            # sudo: same, blank ballots of members who left
            stale.sudo().unlink()
            missing = attendees - decision.vote_ids.member_id
            Vote.create([{"decision_id": decision.id, "member_id": m.id} for m in missing])

    def _check_ready_to_decide(self):
        """Before closing: every attending member voted, and the outcome
        that will be recorded has its reason."""
        for decision in self:
            if absent := decision.vote_ids.filtered(
                lambda v, present=decision.meeting_id.attendee_ids: (
                    not v.vote and v.member_id in present
                )
            ):
                raise UserError(
                    self.env._(
                        "%(members)s did not vote on %(request)s yet.",
                        members=format_list(self.env, absent.member_id.mapped("name")),
                        request=decision.request_id.name,
                    )
                )
            if decision.proposed_outcome in REASON_OUTCOMES and not (decision.reason or "").strip():
                labels = dict(self._fields["outcome"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "State the reason of the decision on %(request)s (%(outcome)s).",
                        request=decision.request_id.name,
                        outcome=labels[decision.proposed_outcome],
                    )
                )
