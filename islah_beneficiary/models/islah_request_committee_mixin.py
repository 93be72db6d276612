from odoo import api, fields, models
from odoo.exceptions import UserError


class IslahRequestCommitteeMixin(models.AbstractModel):
    """What a support request needs from the Research Committee: its
    decisions, the final one, and the meeting whose agenda holds it."""

    _name = "islah.request.committee.mixin"
    _description = "Support request: its Research Committee decisions"

    decision_ids = fields.One2many(
        "islah.committee.decision", "request_id", string="Committee decisions"
    )
    final_decision_id = fields.Many2one(
        "islah.committee.decision",
        compute="_compute_final_decision_id",
        string="Final decision",
    )
    committee_meeting_id = fields.Many2one(
        "islah.committee.meeting",
        compute="_compute_committee_meeting_id",
        string="On the agenda of",
    )
    information_request_reason = fields.Text(
        string="Information asked by the committee", readonly=True, copy=False
    )

    @api.depends("decision_ids.outcome")
    def _compute_final_decision_id(self):
        for request in self:
            request.final_decision_id = request.decision_ids.filtered(
                lambda d: d.outcome in ("approved", "rejected")
            )[:1]

    @api.depends("decision_ids.meeting_id.state")
    def _compute_committee_meeting_id(self):
        for request in self:
            # sudo: officers read only the closed decisions, not the open agenda
            request.committee_meeting_id = (
                request.sudo()
                .decision_ids.filtered(lambda d: d.meeting_id.state != "closed")[:1]
                .meeting_id
            )

    def _send_back_for_information(self, reason):
        """The committee asks for more information: back to verification,
        with the committee's question; the decision deadline stays shown."""
        self._check_state("committee")
        if not reason or not reason.strip():
            raise UserError(self.env._("Say which information the committee needs."))
        for request in self:
            request._islah_write_workflow(
                {"state": "verification", "information_request_reason": reason}
            )
            request.message_post(
                body=self.env._(
                    "The Research Committee needs more information: %(reason)s", reason=reason
                )
            )
        self._islah_schedule_verification_todo()
        return True
