from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

GROUP_MANAGER = "islah_beneficiary.group_islah_beneficiary_manager"

OUTCOMES = [
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("deferred", "Deferred"),
    ("more_information", "More information needed"),
]
FINAL_OUTCOMES = ("approved", "rejected")
REASON_OUTCOMES = ("rejected", "deferred", "more_information")

# The decision itself: frozen once the meeting is closed.
DECISION_LOCKED_FIELDS = {
    "request_id",
    "meeting_id",
    "outcome",
    "override_outcome",
    "override_reason",
    "reason",
    "approved_service_type_id",
    "approved_amount",
    "approved_notes",
    "vote_ids",
    "decided_on",
}
# Only the chair records an override of the majority.
CHAIR_FIELDS = {"override_outcome", "override_reason"}


class IslahCommitteeDecision(models.Model):
    """The committee's decision on one request at one meeting. Members vote
    during the session; the outcome is recorded when the meeting closes:
    the majority of approve/reject votes, or the chair's override."""

    _name = "islah.committee.decision"
    _description = "Research Committee decision"
    _inherit = ["mail.thread"]
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
    letter_number = fields.Char(readonly=True, copy=False, index="btree_not_null")
    letter_date = fields.Date(readonly=True, copy=False)
    notified_on = fields.Datetime(copy=False, tracking=True)
    notification_method = fields.Selection(
        [("email", "E-mail"), ("letter", "Letter"), ("phone", "Phone")],
        string="Notified by",
        copy=False,
        tracking=True,
    )

    # A request has at most one final decision: enforced by the database,
    # across transactions, not only by the Python check below.
    _request_final_uniq = models.UniqueIndex(
        "(request_id) WHERE outcome IN ('approved', 'rejected')",
        "A request has at most one final decision (approved or rejected).",
    )
    _amount_positive = models.Constraint(
        "CHECK(approved_amount IS NULL OR approved_amount >= 0)",
        "The approved amount cannot be negative.",
    )

    @api.depends("vote_ids.vote", "vote_ids.member_id", "meeting_id.chair_id", "override_outcome")
    def _compute_vote_result(self):
        for decision in self:
            votes = decision.vote_ids
            approve = len(votes.filtered(lambda v: v.vote == "approve"))
            reject = len(votes.filtered(lambda v: v.vote == "reject"))
            decision.approve_count = approve
            decision.reject_count = reject
            decision.abstain_count = len(votes.filtered(lambda v: v.vote == "abstain"))
            decision.pending_count = len(votes.filtered(lambda v: not v.vote))
            decision.vote_result = decision._majority(approve, reject)
            decision.proposed_outcome = decision.override_outcome or decision.vote_result

    def _majority(self, approve, reject):
        """Approved or rejected by the majority of the votes cast; on a tie
        the chair's vote decides, and without it the request is deferred."""
        self.ensure_one()
        if approve > reject:
            return "approved"
        if reject > approve:
            return "rejected"
        chair_vote = self.vote_ids.filtered(lambda v: v.member_id == self.meeting_id.chair_id).vote
        if chair_vote == "approve":
            return "approved"
        if chair_vote == "reject":
            return "rejected"
        return "deferred"

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

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                if vals.get("outcome"):
                    raise UserError(self.env._("The outcome is recorded when the meeting closes."))
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
            if decision.request_id.state != "committee":
                raise UserError(
                    self.env._(
                        "Request %(request)s is not waiting for the committee.",
                        request=decision.request_id.name,
                    )
                )
            if not self.env.su:
                decision._check_editor(set(vals) | {"request_id"})
        decisions.filtered(lambda d: d.meeting_id.state == "in_session")._sync_votes()
        return decisions

    def write(self, vals):
        if not self.env.su:
            if "outcome" in vals:
                raise UserError(self.env._("The outcome is recorded when the meeting closes."))
            if DECISION_LOCKED_FIELDS & vals.keys():
                self._check_not_locked()
                for decision in self:
                    decision._check_editor(set(vals))
        if vals.get("outcome") in FINAL_OUTCOMES:
            if len(self.request_id) < len(self):
                raise ValidationError(self.env._("A request is approved or rejected only once."))
            self._check_one_final_decision(set(self.request_id.ids))
        return super().write(vals)

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
    # Business
    # ------------------------------------------------------------------

    def _sync_votes(self):
        """One ballot per attending member: added for new attendees, removed
        (when still blank) for members who left."""
        Vote = self.env["islah.committee.vote"].sudo()
        for decision in self:
            attendees = decision.meeting_id.attendee_ids
            stale = decision.vote_ids.filtered(
                lambda v, attendees=attendees: v.member_id not in attendees and not v.vote
            )
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
                        members=", ".join(absent.member_id.mapped("name")),
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

    def _record_outcome(self, decided_on):
        for decision in self:
            decision.sudo().write({"outcome": decision.proposed_outcome, "decided_on": decided_on})

    def _apply_to_requests(self):
        """The decided requests leave the committee: approved or rejected
        (deadline met or missed), back to verification for more information;
        a deferred request waits for the next meeting, its deadline running."""
        for decision in self:
            request = decision.request_id.sudo()
            if decision.outcome in FINAL_OUTCOMES:
                request._apply_decision(decision.outcome, decision.decided_on)
            elif decision.outcome == "more_information":
                request._send_back_for_information(decision.reason)
            elif decision.outcome == "deferred":
                request.message_post(
                    body=self.env._(
                        "Deferred by the Research Committee (%(meeting)s): %(reason)s",
                        meeting=decision.meeting_id.name,
                        reason=decision.reason,
                    )
                )

    def _issue_letter(self):
        """Give the decision letter its number and date (once)."""
        for decision in self.filtered(lambda d: not d.letter_number):
            decision.sudo().write(
                {
                    "letter_number": self.env["ir.sequence"]
                    .with_company(decision.company_id)
                    .next_by_code("islah.committee.letter"),
                    "letter_date": fields.Date.context_today(decision),
                }
            )

    def action_issue_letter(self):
        self._check_final()
        self._issue_letter()
        return True

    def _check_final(self):
        if pending := self.filtered(lambda d: d.outcome not in FINAL_OUTCOMES):
            raise UserError(
                self.env._(
                    "The decision on %(request)s is not final: there is no letter to issue.",
                    request=pending[0].request_id.name,
                )
            )

    def action_send_decision_letter(self):
        """E-mail the beneficiary the decision letter (PDF attached) in their
        language; without an e-mail address, ask the officer to notify them."""
        self._check_final()
        self._issue_letter()
        template = self.env.ref("islah_beneficiary.mail_template_committee_decision")
        for decision in self:
            if not decision.partner_id.email:
                decision.request_id.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._("Notify the committee's decision"),
                    note=self.env._(
                        "The beneficiary has no e-mail address: give them the decision "
                        "letter %(letter)s by hand, by post or by phone.",
                        letter=decision.letter_number,
                    ),
                    user_id=decision.request_id.officer_id.id or self.env.uid,
                )
                continue
            messages = decision.sudo().message_post_with_source(
                template, subtype_xmlid="mail.mt_comment"
            )
            # the letter leaves once the decision is committed, not with the
            # next run of the mail queue
            self.env["mail.mail"].sudo().search(
                [("mail_message_id", "in", messages.ids), ("state", "=", "outgoing")]
            ).send_after_commit()
            decision.sudo().write(
                {"notified_on": fields.Datetime.now(), "notification_method": "email"}
            )
        return True
