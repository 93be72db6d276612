from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.constants import GROUP_MANAGER, GROUP_OFFICER

# the appeal's own states: what the beneficiary and the officer follow
APPEAL_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("scheduled", "On a meeting's agenda"),
    ("decided", "Decided"),
    ("cancelled", "Cancelled"),
]
OPEN_APPEAL_STATES = ("draft", "submitted", "scheduled")
# the appeal decision's outcome (the committee's ordinary ballot) -> the appeal's
APPEAL_OUTCOME_BY_DECISION = {"approved": "overturned", "rejected": "upheld"}


class IslahAppeal(models.Model):
    """The beneficiary's appeal of a rejection (تظلم): lodged within the
    company's ``islah_appeal_days`` after the rejection was notified, put on
    the agenda of the next committee meeting with the first decision, and
    decided there with the committee's ordinary ballot (an ``islah.committee.
    decision`` with ``appeal_id``: approve = overturn the rejection). The
    appeal decision's letter is the outcome letter."""

    _name = "islah.appeal"
    _description = "Appeal of a rejection"
    _inherit = ["mail.thread", "mail.activity.mixin", "islah.flow.mixin"]
    _order = "id desc"

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    request_id = fields.Many2one(
        "islah.support.request",
        string="Rejected request",
        required=True,
        index=True,
        ondelete="restrict",
        domain=[("state", "=", "rejected")],
        tracking=True,
    )
    beneficiary_id = fields.Many2one(
        related="request_id.beneficiary_id", store=True, index=True, string="Beneficiary"
    )
    partner_id = fields.Many2one(related="request_id.partner_id", store=True, index=True)
    service_type_id = fields.Many2one(related="request_id.service_type_id", store=True)
    section = fields.Selection(related="request_id.section", store=True)
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    channel_id = fields.Many2one(
        "utm.medium",
        domain=[("islah_channel", "=", True)],
        help="How the beneficiary lodged the appeal.",
    )
    reason = fields.Text(string="Grounds of the appeal", required=True, tracking=True)
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "islah_appeal_attachment_rel",
        "appeal_id",
        "attachment_id",
        string="Documents",
    )
    state = fields.Selection(
        APPEAL_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    submitted_on = fields.Datetime(readonly=True, copy=False)
    decided_on = fields.Datetime(readonly=True, copy=False)
    outcome = fields.Selection(
        [("upheld", "Rejection upheld"), ("overturned", "Rejection overturned")],
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    first_decision_id = fields.Many2one(
        "islah.committee.decision",
        string="First decision",
        readonly=True,
        copy=False,
        help="The committee's decision that rejected the request.",
    )
    first_reason = fields.Text(related="first_decision_id.reason", string="Reason of the rejection")
    decision_id = fields.Many2one(
        "islah.committee.decision",
        string="Appeal decision",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The committee's decision on the appeal (the latest, if it was deferred).",
    )
    decision_ids = fields.One2many("islah.committee.decision", "appeal_id", string="Decisions")
    meeting_id = fields.Many2one(
        "islah.committee.meeting",
        related="decision_id.meeting_id",
        store=True,
        index=True,
        string="Meeting",
    )
    deadline = fields.Date(
        string="Appeal deadline",
        readonly=True,
        copy=False,
        help="Last day to appeal: the rejection's notification plus the company's appeal period.",
    )
    letter_number = fields.Char(related="decision_id.letter_number")
    notified_on = fields.Datetime(related="decision_id.notified_on", string="Outcome notified on")
    # what the current user may do now (see _get_transition_roles): the buttons
    can_submit = fields.Boolean(compute="_compute_transition_rights")
    can_cancel = fields.Boolean(compute="_compute_transition_rights")

    _appeal_open_uniq = models.UniqueIndex(
        "(request_id) WHERE state IN ('draft', 'submitted', 'scheduled')",
        "A request has one open appeal at a time.",
    )

    @api.depends_context("uid")
    @api.depends("state", "section")
    def _compute_transition_rights(self):
        self._islah_set_transition_rights()

    # ------------------------------------------------------------------
    # Transition table
    # ------------------------------------------------------------------

    def _get_transition_roles(self):
        """The officer of the section records an appeal and submits it (a
        portal submission is the beneficiary's own, checked by the portal);
        the officer cancels an open one (withdrawn by the beneficiary).
        Scheduling and deciding are the committee's steps (its meetings)."""
        officer = (GROUP_OFFICER,)
        return {
            **super()._get_transition_roles(),
            "submit": {
                "label": self.env._("Submit the appeal"),
                "states": ["draft"],
                "groups": officer,
            },
            "cancel": {
                "label": self.env._("Cancel the appeal"),
                "states": ["draft", "submitted", "scheduled"],
                "groups": officer,
            },
            "schedule": {
                "label": self.env._("Put on a meeting's agenda"),
                "states": ["submitted"],
                "groups": (GROUP_MANAGER,),
            },
            "decide": {
                "label": self.env._("Record the appeal's outcome"),
                "states": ["scheduled"],
                "groups": (GROUP_MANAGER,),
            },
        }

    def _islah_check_flow_states(self, states):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for appeal in self:
            if appeal.state not in states:
                raise UserError(
                    self.env._(
                        "Appeal %(name)s is %(state)s: this action is not possible now.",
                        name=appeal.name,
                        state=labels[appeal.state],
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def _get_flow_locked_fields(self):
        return {
            "state",
            "submitted_on",
            "decided_on",
            "outcome",
            "first_decision_id",
            "decision_id",
            "deadline",
        }

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # before the checks below: who may not record an appeal is told so
            self.check_access("create")
            locked = self._get_flow_locked_fields()
            for vals in vals_list:
                if any(vals.get(name) for name in locked if name != "state") or vals.get(
                    "state", "draft"
                ) not in ("draft", False):
                    raise UserError(
                        self.env._("An appeal's status and decision change only through its steps.")
                    )
        Request = self.env["islah.support.request"]
        for vals in vals_list:
            request = Request.browse(vals.get("request_id"))
            if not request:
                continue  # the required field says it
            request._islah_check_can_appeal()
            vals["first_decision_id"] = request._islah_rejection_decision().id
            vals["deadline"] = request._islah_appeal_deadline()
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(request.company_id)
                    .next_by_code("islah.appeal")
                    or "/"
                )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if forced := self._get_flow_locked_fields() & vals.keys():
                raise UserError(
                    self.env._(
                        "%(fields)s change only through the appeal's steps, never by hand.",
                        fields=", ".join(
                            self._fields[name]._description_string(self.env)
                            for name in sorted(forced)
                        ),
                    )
                )
            # a submitted appeal is the beneficiary's statement: kept as lodged
            if (vals.keys() - {"message_main_attachment_id"}) and (done := self._islah_not_draft()):
                raise UserError(
                    self.env._(
                        "Appeal %(name)s has been submitted: it can no longer change.",
                        name=done[0].name,
                    )
                )
        return super().write(vals)

    def _islah_not_draft(self):
        return self.filtered(lambda a: a.state != "draft")

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if not self.env.su and (done := self._islah_not_draft()):
            raise UserError(
                self.env._(
                    "Appeal %(name)s has been submitted: cancel it instead of deleting it.",
                    name=done[0].name,
                )
            )

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------

    def action_submit(self):
        """The officer submits an appeal recorded in the back office: the
        window is checked again on the day it is submitted."""
        self._check_transition("submit")
        self._islah_submit()
        return True

    def _islah_submit(self):
        for appeal in self:
            # the window and the one open appeal, on the day it is lodged
            appeal.request_id._islah_check_can_appeal(appeal)
            # sudo: the state is locked to every user; the step was checked
            appeal.sudo().write({"state": "submitted", "submitted_on": fields.Datetime.now()})
            appeal.message_post(
                body=self.env._("Appeal submitted: it goes on the next committee meeting's agenda.")
            )
        self._islah_schedule_on_next_meeting()

    def action_cancel(self):
        self._check_transition("cancel")
        for appeal in self:
            decisions = appeal.decision_ids.filtered(lambda d: d.meeting_id.state != "closed")
            # sudo: the agenda line is the meeting's; the step was checked
            appeal.sudo().write({"state": "cancelled", "decision_id": False})
            decisions.sudo().with_context(islah_appeal_cancel=True).unlink()
        return True

    @api.model
    def _islah_next_meeting(self, company):
        """The company's next planned meeting (draft, in the future)."""
        # sudo: the appeal's officer does not read the meetings
        return (
            self.env["islah.committee.meeting"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "draft"),
                    ("date_start", ">", fields.Datetime.now()),
                ],
                order="date_start, id",
                limit=1,
            )
        )

    def _islah_schedule_on_next_meeting(self, meeting=None):
        """Put the submitted appeals on ``meeting`` (by default their
        company's next planned meeting), with the first decision attached;
        without one, they wait in "submitted" until a meeting is planned."""
        for appeal in self.filtered(lambda a: a.state == "submitted"):
            target = meeting or self._islah_next_meeting(appeal.company_id)
            if not target or target.company_id != appeal.company_id:
                continue
            # sudo: the agenda is the meeting's, kept by its organisers; the
            # appeal's submission was checked (and is the system's own step)
            decision = (
                self.env["islah.committee.decision"]
                .sudo()
                .create(
                    {
                        "meeting_id": target.id,
                        "request_id": appeal.request_id.id,
                        "appeal_id": appeal.id,
                        "sequence": 90,
                    }
                )
            )
            appeal.sudo().write({"state": "scheduled", "decision_id": decision.id})
            appeal.sudo().message_post(
                body=self.env._(
                    "On the agenda of the committee meeting %(meeting)s.", meeting=target.name
                )
            )

    def _islah_back_to_waiting(self, reschedule=True):
        """Off an agenda: waits for a meeting again; its meeting deleted, on
        the next one planned at once (taken off by the organisers, it waits
        for the next meeting planned or their "pull pending requests")."""
        appeals = self.exists().filtered(lambda a: a.state == "scheduled")
        # sudo: the state is locked to every user; the meeting's step was checked
        appeals.sudo().write({"state": "submitted", "decision_id": False})
        if reschedule:
            appeals.sudo()._islah_schedule_on_next_meeting()

    def _islah_apply_decision(self, decision):
        """The meeting closed: the appeal decision's outcome is the appeal's;
        overturned, the request is approved through its flow."""
        self.ensure_one()
        outcome = APPEAL_OUTCOME_BY_DECISION.get(decision.outcome)
        if not outcome:
            # deferred: on the next meeting's agenda
            self.sudo().write({"state": "submitted", "decision_id": False})
            self._islah_schedule_on_next_meeting()
            return
        # sudo: the outcome is locked to every user; the closing was checked
        self.sudo().write(
            {
                "state": "decided",
                "outcome": outcome,
                "decided_on": fields.Datetime.now(),
                "decision_id": decision.id,
            }
        )
        if outcome == "overturned":
            self.request_id.sudo()._islah_overturn_on_appeal(self)
        labels = dict(self._fields["outcome"]._description_selection(self.env))
        self.sudo().message_post(
            body=self.env._(
                "Decided by the committee (%(meeting)s): %(outcome)s.",
                meeting=decision.meeting_id.name,
                outcome=labels[outcome],
            )
        )

    # ------------------------------------------------------------------
    # Portal
    # ------------------------------------------------------------------

    def _compute_display_name(self):
        for appeal in self:
            appeal.display_name = f"{appeal.name} ({appeal.request_id.name})"

    def action_view_decision(self):
        self.ensure_one()
        if not self.decision_id:
            raise UserError(self.env._("Appeal %(name)s is on no agenda yet.", name=self.name))
        return {
            "type": "ir.actions.act_window",
            "res_model": "islah.committee.decision",
            "res_id": self.decision_id.id,
            "view_mode": "form",
        }

    def _islah_check_section(self):
        """A clear message before the record rule's bare refusal."""
        user = self.env.user
        if self.env.su or user.share:
            return
        for appeal in self:
            if appeal.section not in user._islah_sections():
                raise AccessError(
                    self.env._("Appeals are recorded by an officer of the request's section.")
                )
