from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_list

from ..tools.committee import FINAL_OUTCOMES, OUTCOMES, REASON_OUTCOMES
from ..tools.constants import GROUP_MANAGER

# Only the chair records an override of the majority.
CHAIR_FIELDS = {"override_outcome", "override_reason"}


class IslahCommitteeDecision(models.Model):
    """The committee's decision on one request at one meeting. Members vote
    during the session; the outcome is recorded when the meeting closes:
    the majority of approve/reject votes, or the chair's override."""

    _name = "islah.committee.decision"
    _description = "Research Committee decision"
    # the ballots and the letter: islah_committee_decision_voting.py, _letter.py
    _inherit = [
        "mail.thread",
        "islah.committee.decision.voting.mixin",
        "islah.committee.decision.letter.mixin",
    ]
    _order = "meeting_id desc, sequence, id"
    _rec_name = "request_id"

    sequence = fields.Integer(default=10)
    meeting_id = fields.Many2one(
        "islah.committee.meeting", required=True, index=True, ondelete="cascade"
    )
    meeting_state = fields.Selection(
        related="meeting_id.state", store=True, string="Meeting status"
    )
    meeting_date = fields.Datetime(related="meeting_id.date_start", string="Meeting date")
    company_id = fields.Many2one(related="meeting_id.company_id", store=True, index=True)
    request_id = fields.Many2one(
        "islah.support.request",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("state", "=", "committee")],
    )
    # what the committee needs to see of the request, nothing more
    beneficiary_id = fields.Many2one(related="request_id.beneficiary_id")
    partner_id = fields.Many2one(related="request_id.partner_id", string="Contact")
    section = fields.Selection(related="request_id.section", store=True)
    service_type_id = fields.Many2one(
        related="request_id.service_type_id", string="Requested service"
    )
    request_description = fields.Text(related="request_id.description", string="Need")
    decision_deadline = fields.Date(related="request_id.decision_deadline")
    sla_state = fields.Selection(related="request_id.sla_state")
    research_report = fields.Html(
        related="request_id.research_report",
        groups="islah_beneficiary.group_islah_beneficiary_researcher,"
        "islah_beneficiary.group_islah_beneficiary_committee",
    )

    vote_ids = fields.One2many("islah.committee.vote", "decision_id", string="Votes")
    outcome = fields.Selection(
        OUTCOMES,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        help="Recorded when the meeting closes.",
    )
    reason = fields.Text(
        tracking=True,
        help="Stated in the decision letter. Required to reject, to defer and to ask "
        "for more information.",
    )
    approved_service_type_id = fields.Many2one(
        "islah.service.type",
        string="Approved service",
        compute="_compute_approved_service_type_id",
        store=True,
        readonly=False,
    )
    is_financial = fields.Boolean(related="approved_service_type_id.is_financial")
    currency_id = fields.Many2one(related="company_id.currency_id")
    approved_amount = fields.Monetary(string="Approved amount")
    approved_notes = fields.Text(string="Support notes")
    decided_on = fields.Date(readonly=True, copy=False)

    # A request has at most one final decision: enforced by the database,
    # across transactions, not only by the Python check below.
    _request_final_uniq = models.UniqueIndex(
        "(request_id) WHERE outcome IN ('approved', 'rejected') AND appeal_id IS NULL",
        "A request has at most one final decision (approved or rejected).",
    )
    _amount_positive = models.Constraint(
        "CHECK(approved_amount IS NULL OR approved_amount >= 0)",
        "The approved amount cannot be negative.",
    )

    @api.depends("request_id")
    def _compute_approved_service_type_id(self):
        for decision in self:
            if not decision.approved_service_type_id:
                decision.approved_service_type_id = decision.request_id.service_type_id

    def _check_one_final_decision(self, request_ids):
        """Before recording a final outcome: no other final decision on the
        same requests (the unique index guards concurrent transactions)."""
        if not request_ids:
            return
        # sudo: the final decisions of every meeting, visible to the user or not
        other = self.sudo().search(
            [
                ("request_id", "in", list(request_ids)),
                ("outcome", "in", FINAL_OUTCOMES),
                ("id", "not in", self.ids),
            ],
            limit=1,
        )
        if other:
            raise ValidationError(
                self.env._(
                    "Request %(request)s already has a final decision (%(meeting)s): "
                    "a request is approved or rejected only once.",
                    request=other.request_id.name,
                    meeting=other.meeting_id.name,
                )
            )

    @api.constrains("request_id", "meeting_id")
    def _check_one_open_agenda(self):
        for decision in self:
            if decision.meeting_id.state == "closed":
                continue
            # sudo: the open agendas of every meeting, visible to the user or not
            twin = self.sudo().search(
                [
                    ("request_id", "=", decision.request_id.id),
                    ("meeting_id.state", "!=", "closed"),
                    ("id", "!=", decision.id),
                ],
                limit=1,
            )
            if twin:
                raise ValidationError(
                    self.env._(
                        "Request %(request)s is already on the agenda of %(meeting)s.",
                        request=decision.request_id.name,
                        meeting=twin.meeting_id.name,
                    )
                )

    @api.constrains("outcome", "reason")
    def _check_reason(self):
        for decision in self:
            if decision.outcome in REASON_OUTCOMES and not (decision.reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "State the reason of the decision on %(request)s: it is required "
                        "to reject, to defer or to ask for more information.",
                        request=decision.request_id.name,
                    )
                )

    @api.constrains("approved_amount")
    def _check_approved_amount(self):
        for decision in self:
            if decision.approved_amount < 0:
                raise decision._islah_negative_amount_error()

    def _islah_negative_amount_error(self, request=None):
        return ValidationError(
            self.env._(
                "The amount approved for %(request)s cannot be negative.",
                request=(request or self.request_id).name,
            )
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            locked = self.browse()._get_flow_locked_fields()
            for vals in vals_list:
                if vals.get("outcome"):
                    raise UserError(self.env._("The outcome is recorded when the meeting closes."))
                if forced := sorted(name for name in locked & vals.keys() if vals[name]):
                    raise UserError(self._islah_locked_message(forced))
        for vals in vals_list:
            # before the database's own check, for a clear message
            if (vals.get("approved_amount") or 0) < 0:
                request = self.env["islah.support.request"].browse(vals.get("request_id"))
                raise self._islah_negative_amount_error(request)
        self.browse()._check_one_final_decision(
            {vals.get("request_id") for vals in vals_list if vals.get("outcome") in FINAL_OUTCOMES}
        )
        decisions = super().create(vals_list)
        for decision, vals in zip(decisions, vals_list, strict=True):
            if decision.meeting_id.state == "closed" and not self.env.su:
                raise UserError(
                    self.env._(
                        "Meeting %(meeting)s is closed: put the request on the agenda of "
                        "a later meeting.",
                        meeting=decision.meeting_id.name,
                    )
                )
            if decision.request_id.state != decision._islah_agenda_request_state():
                raise UserError(
                    self.env._(
                        "Request %(request)s is not waiting for the committee.",
                        request=decision.request_id.name,
                    )
                )
            if not self.env.su:
                decision._check_editor(set(vals) | {"request_id"})
        decisions.filtered(lambda d: d.meeting_id.state == "in_session")._sync_votes()
        # on an agenda: the "put it on the agenda" to-dos are done
        decisions.request_id._islah_close_stale_todos()
        return decisions

    def _islah_agenda_request_state(self):
        """The state a request waits in for this agenda line (an appeal's:
        rejected, see islah_committee_decision_appeal.py)."""
        return "committee"

    def write(self, vals):
        if not self.env.su:
            if "outcome" in vals:
                raise UserError(self.env._("The outcome is recorded when the meeting closes."))
            if forced := self.browse()._get_flow_locked_fields() & vals.keys():
                raise UserError(self._islah_locked_message(forced))
            self._check_not_locked()
            for decision in self:
                decision._check_editor(set(vals))
        if vals.get("outcome") in FINAL_OUTCOMES:
            if len(self.request_id) < len(self):
                raise ValidationError(self.env._("A request is approved or rejected only once."))
            self._check_one_final_decision(set(self.request_id.ids))
        result = super().write(vals)
        if vals.get("notified_on"):
            # told: the officer's "notify the decision" to-do is done
            self.request_id._islah_close_stale_todos()
        return result

    def unlink(self):
        requests = self.request_id
        result = super().unlink()
        # taken off the agenda while still waiting: the secretary is told again
        requests = requests.exists()
        requests.invalidate_recordset(["decision_ids"])
        requests._islah_schedule_committee_activity()
        return result

    def _get_flow_locked_fields(self):
        """What only the committee's steps write (closing the meeting, the
        letter, its notification), never a caller; the mirrors of the
        request and meeting (read-only related fields) are never written
        through a decision. Once its meeting is closed, a decision is
        locked as a whole (see ``_check_not_locked``). Extend with ``super()``."""
        return {
            "outcome",
            "decided_on",
            "letter_number",
            "letter_date",
            "notification_method",
            "notified_on",
        } | {name for name, field in self._fields.items() if field.related and field.readonly}

    def _islah_locked_message(self, fnames):
        return self.env._(
            "%(fields)s are written by the committee's steps (closing the meeting, "
            "the decision letter and its notification), never by hand.",
            fields=format_list(
                self.env,
                [self._fields[name]._description_string(self.env) for name in sorted(fnames)],
            ),
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_locked(self):
        if not self.env.su:
            self._check_not_locked()
            for decision in self:
                decision._check_editor({"request_id"})

    def _check_not_locked(self):
        if locked := self.filtered(lambda d: d.meeting_id.state == "closed"):
            raise UserError(
                self.env._(
                    "The decision on %(request)s was taken at %(meeting)s, which is closed: "
                    "it can no longer change. Record a new decision at a later meeting.",
                    request=locked[0].request_id.name,
                    meeting=locked[0].meeting_id.name,
                )
            )

    def _check_editor(self, fnames):
        """The secretary and the chair keep the agenda (a manager too); only
        the chair records an override."""
        self.ensure_one()
        user = self.env.user
        meeting = self.meeting_id
        if fnames & CHAIR_FIELDS and user != meeting.chair_id:
            raise UserError(
                self.env._(
                    "Only the chair of %(meeting)s can override the majority.",
                    meeting=meeting.name,
                )
            )
        if fnames - CHAIR_FIELDS and not (
            user in meeting.chair_id | meeting.secretary_id or user.has_group(GROUP_MANAGER)
        ):
            raise UserError(
                self.env._(
                    "Only the chair or the secretary of %(meeting)s can change its agenda.",
                    meeting=meeting.name,
                )
            )

    # ------------------------------------------------------------------
    # Closing the meeting: the outcome recorded and applied
    # ------------------------------------------------------------------

    def _record_outcome(self, decided_on):
        """Closing the meeting (its chair, secretary or a manager, checked by
        the meeting) records each outcome."""
        for decision in self:
            # sudo: the outcome is locked to every user; the closing was checked
            decision.sudo().write({"outcome": decision.proposed_outcome, "decided_on": decided_on})

    def _apply_to_requests(self):
        """The decided requests leave the committee: approved or rejected
        (deadline met or missed), back to verification for more information;
        a deferred request waits for the next meeting, its deadline running."""
        for decision in self:
            # sudo: committee members cannot write requests; the closing was checked
            request = decision.request_id.sudo()
            if decision.outcome in FINAL_OUTCOMES:
                request._apply_decision(decision.outcome, decision.decided_on)
            elif decision.outcome == "more_information":
                request._send_back_for_information(decision.reason)
            elif decision.outcome == "deferred":
                # waits for the next meeting: on the secretary's list again
                request._islah_schedule_committee_activity()
                request.message_post(
                    body=self.env._(
                        "Deferred by the Research Committee (%(meeting)s): %(reason)s",
                        meeting=decision.meeting_id.name,
                        reason=decision.reason,
                    )
                )
