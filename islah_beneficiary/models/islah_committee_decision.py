from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_list
from ..tools.constants import GROUP_MANAGER, GROUP_OFFICER


OUTCOMES = [
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("deferred", "Deferred"),
    ("more_information", "More information needed"),
]
FINAL_OUTCOMES = ("approved", "rejected")
REASON_OUTCOMES = ("rejected", "deferred", "more_information")

NOTIFICATION_METHODS = [("email", "E-mail"), ("letter", "Letter"), ("phone", "Phone call")]
# Only the chair records an override of the majority.
CHAIR_FIELDS = {"override_outcome", "override_reason"}


class IslahCommitteeDecision(models.Model):
    """The committee's decision on one request at one meeting. Members vote
    during the session; the outcome is recorded when the meeting closes:
    the majority of approve/reject votes, or the chair's override."""

    _name = "islah.committee.decision"
    _description = "Research Committee decision"
    _inherit = ["mail.thread", "islah.flow.mixin"]
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
    notified_on = fields.Datetime(readonly=True, copy=False, tracking=True)
    notification_method = fields.Selection(
        NOTIFICATION_METHODS, string="Notified by", readonly=True, copy=False, tracking=True
    )
    letter_state = fields.Selection(
        [("none", "No letter"), ("to_notify", "To notify"), ("notified", "Notified")],
        string="Letter",
        compute="_compute_letter_state",
        help="A final decision is notified to the beneficiary once, by its letter.",
    )
    # what the current user may do now (see _get_transition_roles): the buttons
    can_issue_letter = fields.Boolean(compute="_compute_transition_rights")
    can_send_decision_letter = fields.Boolean(compute="_compute_transition_rights")
    can_resend_decision_letter = fields.Boolean(compute="_compute_transition_rights")
    can_record_notification = fields.Boolean(compute="_compute_transition_rights")
    can_correct_notification = fields.Boolean(compute="_compute_transition_rights")

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

    @api.depends("outcome", "notified_on")
    def _compute_letter_state(self):
        for decision in self:
            if decision.outcome not in FINAL_OUTCOMES:
                decision.letter_state = "none"
            else:
                decision.letter_state = "notified" if decision.notified_on else "to_notify"

    @api.depends_context("uid")
    @api.depends("outcome", "notified_on", "meeting_id.chair_id", "meeting_id.secretary_id")
    def _compute_transition_rights(self):
        self._islah_set_transition_rights()

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
        # on an agenda: the "put it on the agenda" to-dos are done
        decisions.request_id._islah_close_stale_todos()
        return decisions

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
    # Business
    # ------------------------------------------------------------------

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

    # ------------------------------------------------------------------
    # Transition table: the letter and its notification
    # ------------------------------------------------------------------

    def _get_transition_roles(self):
        """The letter of a final decision is issued and sent once by the
        chair, the secretary or a manager; a resend or a correction of the
        notification is its own step, with a reason. The officer who hands
        the letter in person (or phones) records it once. Extend with
        ``super()``."""
        organisers = {"groups": (GROUP_MANAGER,), "roles": ("chair", "secretary")}
        return {
            **super()._get_transition_roles(),
            "issue_letter": {
                "label": self.env._("Issue the letter"),
                "states": ["to_notify", "notified"],
                **organisers,
            },
            "send_decision_letter": {
                "label": self.env._("Send decision letter"),
                "states": ["to_notify"],
                **organisers,
            },
            "resend_decision_letter": {
                "label": self.env._("Send the letter again"),
                "states": ["notified"],
                **organisers,
            },
            "record_notification": {
                "label": self.env._("Record the notification"),
                "states": ["to_notify"],
                "groups": (GROUP_OFFICER,),
                "roles": ("chair", "secretary"),
            },
            "correct_notification": {
                "label": self.env._("Correct the notification"),
                "states": ["notified"],
                **organisers,
            },
        }

    def _islah_flow_state(self):
        self.ensure_one()
        return self.letter_state

    def _islah_flow_roles(self):
        self.ensure_one()
        # sudo: officers do not read meetings; only who chairs and keeps it
        meeting = self.sudo().meeting_id
        user = self.env.user
        roles = set()
        if user == meeting.chair_id:
            roles.add("chair")
        if user == meeting.secretary_id:
            roles.add("secretary")
        return roles

    def _islah_flow_role_labels(self):
        return {
            "chair": self.env._("the chair of the meeting"),
            "secretary": self.env._("the secretary of the meeting"),
        }

    def _islah_check_flow_states(self, states):
        for decision in self:
            if decision.letter_state in states:
                continue
            if decision.letter_state == "none":
                raise UserError(
                    self.env._(
                        "The decision on %(request)s is not final: there is no letter to issue.",
                        request=decision.request_id.name,
                    )
                )
            if decision.letter_state == "notified":
                raise UserError(
                    self.env._(
                        "The decision on %(request)s was notified on %(date)s: send the "
                        "letter again or correct the notification, with the reason.",
                        request=decision.request_id.name,
                        date=decision.notified_on,
                    )
                )
            raise UserError(
                self.env._(
                    "The decision on %(request)s has not been notified yet.",
                    request=decision.request_id.name,
                )
            )

    # ------------------------------------------------------------------
    # Letter and notification
    # ------------------------------------------------------------------

    def _issue_letter(self):
        """Give the decision letter its number and date (once)."""
        for decision in self.filtered(lambda d: not d.letter_number):
            # sudo: the letter's number and date are locked to every user
            decision.sudo().write(
                {
                    "letter_number": self.env["ir.sequence"]
                    .with_company(decision.company_id)
                    .next_by_code("islah.committee.letter"),
                    "letter_date": fields.Date.context_today(decision),
                }
            )

    def action_issue_letter(self):
        self._check_transition("issue_letter")
        self._issue_letter()
        return True

    def action_send_decision_letter(self):
        """E-mail the beneficiary the decision letter (PDF attached) in their
        language, once; without an e-mail address, ask the officer to notify
        them (and record it with ``action_record_notification``)."""
        decisions = self
        if self.env.su:
            # the shipped automation: a letter already notified is not sent again
            decisions = self.filtered(lambda d: d.letter_state != "notified")
        decisions._check_transition("send_decision_letter")
        decisions._issue_letter()
        for decision in decisions:
            if decision._islah_email_letter():
                # sudo: the notification fields are locked to every user
                decision.sudo().write(
                    {"notified_on": fields.Datetime.now(), "notification_method": "email"}
                )
        return True

    def _islah_email_letter(self):
        """E-mail the letter; False (and a to-do for the officer) without an address."""
        self.ensure_one()
        if not self.partner_id.email:
            # no e-mail address: a to-do for the request's officer
            self.request_id._islah_schedule_notify_todo(self.letter_number)
            return False
        template = self.env.ref("islah_beneficiary.mail_template_committee_decision")
        # sudo: the template and its letter report are rendered as the system
        messages = self.sudo().message_post_with_source(template, subtype_xmlid="mail.mt_comment")
        # the letter leaves once the decision is committed, not with the next
        # run of the mail queue
        # sudo: mails are not readable by their senders
        self.env["mail.mail"].sudo().search(
            [("mail_message_id", "in", messages.ids), ("state", "=", "outgoing")]
        ).send_after_commit()
        return True

    def _islah_reason(self, reason, message):
        reason = (reason or "").strip()
        if not reason:
            raise UserError(message)
        return reason

    def action_resend_decision_letter(self, reason=None):
        """Send the letter again (lost, wrong address...): the reason, who and
        when are recorded in the chatter; the first ``notified_on`` stays."""
        self._check_transition("resend_decision_letter")
        reason = self._islah_reason(
            reason, self.env._("Say why the decision letter is sent again.")
        )
        for decision in self:
            if not decision.partner_id.email:
                raise UserError(
                    self.env._(
                        "%(name)s has no e-mail address: hand the letter %(letter)s over "
                        "again and correct the notification instead.",
                        name=decision.beneficiary_id.name,
                        letter=decision.letter_number,
                    )
                )
            decision._islah_email_letter()
            decision.message_post(
                body=self.env._(
                    "Decision letter %(letter)s sent again by %(user)s: %(reason)s",
                    letter=decision.letter_number,
                    user=self.env.user.name,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _islah_check_notification(self, method, notified_on):
        if method not in dict(NOTIFICATION_METHODS):
            raise UserError(self.env._("Choose how the beneficiary was notified."))
        notified_on = fields.Datetime.to_datetime(notified_on) or fields.Datetime.now()
        if notified_on > fields.Datetime.now():
            raise ValidationError(self.env._("A notification cannot be dated in the future."))
        return notified_on

    def action_record_notification(self, method, notified_on=None):
        """The beneficiary was told without the e-mail (letter handed over,
        phone call): recorded once, by the officer or the meeting's chair or
        secretary."""
        self._check_transition("record_notification")
        notified_on = self._islah_check_notification(method, notified_on)
        self._issue_letter()
        # sudo: the notification fields are locked to every user; the step was checked
        self.sudo().write({"notification_method": method, "notified_on": notified_on})
        return True

    def action_correct_notification(self, method, notified_on, reason=None):
        """Correct how or when the beneficiary was notified (a letter handed in
        person, recorded wrongly): the chair, the secretary or a manager,
        with the reason, logged with the former values."""
        self._check_transition("correct_notification")
        reason = self._islah_reason(
            reason, self.env._("Say why the notification of the decision is corrected.")
        )
        notified_on = self._islah_check_notification(method, notified_on)
        labels = dict(self._fields["notification_method"]._description_selection(self.env))
        for decision in self:
            decision.message_post(
                body=self.env._(
                    "Notification corrected by %(user)s, from %(old_method)s on %(old_date)s "
                    "to %(method)s on %(date)s: %(reason)s",
                    user=self.env.user.name,
                    old_method=labels.get(decision.notification_method, ""),
                    old_date=decision.notified_on,
                    method=labels[method],
                    date=notified_on,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        # sudo: the notification fields are locked to every user; the step was checked
        self.sudo().write({"notification_method": method, "notified_on": notified_on})
        return True

    def action_open_notification_wizard(self):
        """The form's buttons: resend the letter, record or correct the notification."""
        mode = self.env.context.get("islah_notification_mode", "record")
        step = {
            "resend": "resend_decision_letter",
            "record": "record_notification",
            "correct": "correct_notification",
        }[mode]
        self._check_transition(step)
        return {
            "type": "ir.actions.act_window",
            "name": self._get_transition_roles()[step]["label"],
            "res_model": "islah.committee.decision.notify",
            "view_mode": "form",
            "target": "new",
            "context": {"default_decision_ids": self.ids, "default_mode": mode},
        }
