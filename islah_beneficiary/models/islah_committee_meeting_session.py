from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..tools.constants import GROUP_MANAGER


class IslahCommitteeMeetingSessionMixin(models.AbstractModel):
    """The steps of a meeting, in one transition table: its chair, its
    secretary or a manager pulls the pending requests onto the agenda,
    opens the session (the quorum frozen, a ballot for every attending
    member) and closes it (each decision recorded and applied). The host
    model (``islah.committee.meeting``) holds the state, the members and
    the agenda."""

    _name = "islah.committee.meeting.session.mixin"
    _description = "Research Committee meeting steps"
    _inherit = ["islah.flow.mixin"]

    # what the current user may do now (see _get_transition_roles): the buttons
    can_pull_requests = fields.Boolean(compute="_compute_transition_rights")
    can_start_session = fields.Boolean(compute="_compute_transition_rights")
    can_close = fields.Boolean(compute="_compute_transition_rights")

    @api.depends_context("uid")
    @api.depends("state", "chair_id", "secretary_id")
    def _compute_transition_rights(self):
        self._islah_set_transition_rights()

    def _check_meeting_state(self, *allowed):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for meeting in self:
            if meeting.state not in allowed:
                raise UserError(
                    self.env._(
                        "Meeting %(name)s is %(state)s: this action is not possible now.",
                        name=meeting.name,
                        state=labels[meeting.state],
                    )
                )

    def _pending_requests_domain(self):
        """Requests waiting for the committee and on no open agenda."""
        self.ensure_one()
        # sudo: the agendas of meetings the organiser does not sit in count too
        on_agenda = (
            self.env["islah.committee.decision"]
            .sudo()
            .search([("meeting_id.state", "!=", "closed")])
            .request_id
        )
        return Domain.AND(
            [
                Domain("state", "=", "committee"),
                Domain("company_id", "=", self.company_id.id),
                Domain("id", "not in", on_agenda.ids),
            ]
        )

    def _get_transition_roles(self):
        """The chair or the secretary of a meeting (or a manager) prepares,
        opens and closes it. Extend with ``super()``."""
        organisers = {"groups": (GROUP_MANAGER,), "roles": ("chair", "secretary")}
        return {
            **super()._get_transition_roles(),
            "pull_requests": {
                "label": self.env._("Pull pending requests"),
                "states": ["draft", "in_session"],
                **organisers,
            },
            "start_session": {
                "label": self.env._("Start session"),
                "states": ["draft"],
                **organisers,
            },
            "close": {
                "label": self.env._("Close the meeting"),
                "states": ["in_session"],
                **organisers,
            },
        }

    def _islah_flow_roles(self):
        self.ensure_one()
        user = self.env.user
        return {
            role
            for role, holder in (("chair", self.chair_id), ("secretary", self.secretary_id))
            if holder == user
        }

    def _islah_flow_role_labels(self):
        return {
            "chair": self.env._("the chair of the meeting"),
            "secretary": self.env._("the secretary of the meeting"),
        }

    def _islah_check_flow_states(self, states):
        self._check_meeting_state(*states)

    def action_pull_requests(self):
        """Put every request waiting for the committee on the agenda."""
        self._check_transition("pull_requests")
        for meeting in self:
            # sudo: organisers may not see every section's requests; ids only
            requests = (
                self.env["islah.support.request"]
                .sudo()
                .search(meeting._pending_requests_domain(), order="decision_deadline, id")
            )
            if requests:
                self.env["islah.committee.decision"].create(
                    [{"meeting_id": meeting.id, "request_id": r.id} for r in requests]
                )
        return True

    def action_start_session(self):
        """Open the session: freeze the quorum and give every attending
        member a ballot on every request of the agenda."""
        self._check_transition("start_session")
        for meeting in self:
            if not meeting.chair_id or not meeting.secretary_id:
                raise UserError(
                    self.env._(
                        "Name the chair and the secretary of %(meeting)s first.",
                        meeting=meeting.name,
                    )
                )
            # sudo: state and quorum are locked to every user; the step was checked
            meeting.sudo().write(
                {"state": "in_session", "quorum": meeting.company_id.islah_committee_quorum or 1}
            )
        self.decision_ids._sync_votes()
        return True

    def action_close(self):
        """Close the meeting: record each decision, apply it to its request
        and lock the decisions and votes."""
        self._check_transition("close")
        for meeting in self:
            if meeting.decision_ids and not meeting.quorum_reached:
                raise UserError(
                    self.env._(
                        "The quorum of %(meeting)s is not reached: %(present)s members "
                        "attend, %(quorum)s are needed to decide.",
                        meeting=meeting.name,
                        present=meeting.attendee_count,
                        quorum=meeting._quorum(),
                    )
                )
            meeting.decision_ids._check_ready_to_decide()
            decided_on = fields.Date.context_today(meeting, meeting.date_start)
            meeting.decision_ids._record_outcome(decided_on)
            # sudo: the closing fields are locked to every user; the step was checked
            meeting.sudo().write(
                {
                    "state": "closed",
                    "closed_on": fields.Datetime.now(),
                    "closed_by_id": self.env.uid,
                }
            )
            meeting.decision_ids._apply_to_requests()
        return True
