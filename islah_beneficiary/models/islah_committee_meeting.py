from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_list

from ..tools.committee import is_quorum_reached, meeting_quorum
from ..tools.constants import GROUP_COMMITTEE, GROUP_MANAGER


class IslahCommitteeMeeting(models.Model):
    """A meeting of the Research Committee. Its agenda is its decision lines,
    one per request; closing the meeting records and applies the decisions
    and locks them for good."""

    _name = "islah.committee.meeting"
    _description = "Research Committee meeting"
    # its steps (agenda, session, closing): islah_committee_meeting_session.py
    _inherit = ["mail.thread", "mail.activity.mixin", "islah.committee.meeting.session.mixin"]
    _order = "date_start desc, id desc"

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    date_start = fields.Datetime(
        string="Date and time", required=True, default=fields.Datetime.now, tracking=True
    )
    duration = fields.Float(default=2.0, help="Planned length, in hours.")
    date_stop = fields.Datetime(compute="_compute_date_stop")
    member_ids = fields.Many2many(
        "res.users",
        "islah_committee_meeting_member_rel",
        "meeting_id",
        "user_id",
        string="Members",
        default=lambda self: self._default_secretary_id(),
        domain=lambda self: [("all_group_ids", "in", self.env.ref(GROUP_COMMITTEE).id)],
    )
    chair_id = fields.Many2one("res.users", tracking=True, index=True)
    secretary_id = fields.Many2one(
        "res.users", tracking=True, index=True, default=lambda self: self._default_secretary_id()
    )
    attendee_ids = fields.Many2many(
        "res.users",
        "islah_committee_meeting_attendee_rel",
        "meeting_id",
        "user_id",
        string="Attendees",
    )
    attendee_count = fields.Integer(compute="_compute_quorum_reached")
    quorum = fields.Integer(
        readonly=True,
        copy=False,
        help="Minimum number of attending members, taken from the company's setting "
        "when the session starts and kept as it was then.",
    )
    quorum_reached = fields.Boolean(compute="_compute_quorum_reached")
    decision_ids = fields.One2many("islah.committee.decision", "meeting_id", string="Agenda")
    decision_count = fields.Integer(compute="_compute_decision_count")
    minutes = fields.Html()
    state = fields.Selection(
        [("draft", "Draft"), ("in_session", "In session"), ("closed", "Closed")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    closed_on = fields.Datetime(readonly=True, copy=False)
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    can_organise = fields.Boolean(
        compute="_compute_can_organise",
        help="The chair, the secretary or a manager, before the meeting is closed.",
    )

    @api.depends("date_start", "duration")
    def _compute_date_stop(self):
        for meeting in self:
            meeting.date_stop = meeting.date_start and meeting.date_start + timedelta(
                hours=meeting.duration or 1
            )

    @api.depends("attendee_ids", "quorum", "company_id.islah_committee_quorum")
    def _compute_quorum_reached(self):
        for meeting in self:
            meeting.attendee_count = len(meeting.attendee_ids)
            meeting.quorum_reached = is_quorum_reached(meeting.attendee_count, meeting._quorum())

    @api.depends("decision_ids")
    def _compute_decision_count(self):
        for meeting in self:
            meeting.decision_count = len(meeting.decision_ids)

    def _default_secretary_id(self):
        """A member who convenes a meeting keeps it: the organise rule lets
        only the chair and the secretary write it. A manager names them."""
        user = self.env.user
        if user.has_group(GROUP_COMMITTEE) and not user.has_group(GROUP_MANAGER):
            return user
        return self.env["res.users"]

    @api.depends_context("uid")
    @api.depends("chair_id", "secretary_id", "state")
    def _compute_can_organise(self):
        user = self.env.user
        is_manager = user.has_group(GROUP_MANAGER)
        for meeting in self:
            meeting.can_organise = meeting.state != "closed" and (
                is_manager or user in meeting.chair_id | meeting.secretary_id
            )

    @api.constrains("member_ids", "chair_id", "secretary_id", "attendee_ids")
    def _check_members(self):
        group = self.env.ref(GROUP_COMMITTEE)
        for meeting in self:
            # sudo: the groups of other users are not readable by organisers
            outsiders = meeting.member_ids.filtered(lambda u: group not in u.sudo().all_group_ids)
            if outsiders:
                raise ValidationError(
                    self.env._(
                        "Only members of the Research Committee can sit in a meeting: %(names)s.",
                        names=format_list(self.env, outsiders.mapped("name")),
                    )
                )
            for role, user in (
                (self.env._("chair"), meeting.chair_id),
                (self.env._("secretary"), meeting.secretary_id),
            ):
                if user and user not in meeting.member_ids:
                    raise ValidationError(
                        self.env._(
                            "The %(role)s of %(meeting)s must be one of its members.",
                            role=role,
                            meeting=meeting.name,
                        )
                    )
            if extra := meeting.attendee_ids - meeting.member_ids:
                raise ValidationError(
                    self.env._(
                        "Only members of %(meeting)s can attend it: %(names)s.",
                        meeting=meeting.name,
                        names=format_list(self.env, extra.mapped("name")),
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._check_organiser_values(vals_list)
            locked = self._get_flow_locked_fields()
            for vals in vals_list:
                if any(vals[name] for name in locked & vals.keys() if name != "state") or (
                    vals.get("state", "draft") != "draft"
                ):
                    raise UserError(self._islah_locked_message(locked & vals.keys()))
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company)
                    .next_by_code("islah.committee.meeting")
                    or "/"
                )
        meetings = super().create(vals_list)
        meetings._check_organiser()
        return meetings

    def write(self, vals):
        if not self.env.su:
            if forced := self._get_flow_locked_fields() & vals.keys():
                raise UserError(self._islah_locked_message(forced))
            closed_locked = self._get_closed_locked_fields()
            if closed_locked & vals.keys() and (
                closed := self.filtered(lambda m: m.state == "closed")
            ):
                raise UserError(
                    self.env._(
                        "Meeting %(name)s is closed: its record can no longer change.",
                        name=closed[0].name,
                    )
                )
            if vals.keys() - {"minutes"} & closed_locked:
                self._check_organiser()
        res = super().write(vals)
        if "attendee_ids" in vals:
            self.filtered(lambda m: m.state == "in_session").decision_ids._sync_votes()
        return res

    def _get_flow_locked_fields(self):
        """What only the meeting's steps write (session, quorum, closing).
        Extend with ``super()``."""
        return {"state", "quorum", "closed_on", "closed_by_id"}

    def _get_closed_locked_fields(self):
        """What a closed meeting no longer lets anyone change (the flow aside)."""
        return {
            "name",
            "company_id",
            "date_start",
            "duration",
            "member_ids",
            "chair_id",
            "secretary_id",
            "attendee_ids",
            "decision_ids",
            "minutes",
        }

    def _islah_locked_message(self, fnames):
        return self.env._(
            "%(fields)s change only through the meeting's steps (start of the "
            "session, closing), never by hand.",
            fields=format_list(
                self.env,
                [self._fields[name]._description_string(self.env) for name in sorted(fnames)],
            ),
        )

    def unlink(self):
        requests = self.decision_ids.request_id
        result = super().unlink()
        # off a deleted agenda, still waiting: the secretary is told again
        requests = requests.exists()
        requests.invalidate_recordset(["decision_ids"])
        requests._islah_schedule_committee_activity()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if not self.env.su and (held := self.filtered(lambda m: m.state != "draft")):
            raise UserError(
                self.env._(
                    "Meeting %(name)s has been held: it cannot be deleted.", name=held[0].name
                )
            )

    # ------------------------------------------------------------------
    # Quorum and organisers (the steps: islah_committee_meeting_session.py)
    # ------------------------------------------------------------------

    def _quorum(self):
        """The quorum of this meeting: frozen at the session's start, the
        company's current setting before."""
        self.ensure_one()
        return meeting_quorum(self.quorum, self.company_id.islah_committee_quorum)

    def _check_organiser(self):
        """Only the chair, the secretary or a manager organise a meeting."""
        if self.env.su or self.env.user.has_group(GROUP_MANAGER):
            return
        for meeting in self:
            if self.env.user not in meeting.chair_id | meeting.secretary_id:
                raise UserError(
                    self.env._(
                        "Only the chair or the secretary of %(meeting)s can organise it.",
                        meeting=meeting.name,
                    )
                )

    @api.model
    def _check_organiser_values(self, vals_list):
        """Before the record rule's bare refusal: a member creates only a
        meeting they chair or keep."""
        if self.env.user.has_group(GROUP_MANAGER):
            return
        defaults = self.default_get(["chair_id", "secretary_id"])
        for vals in vals_list:
            values = {**defaults, **vals}
            if self.env.uid not in (values.get("chair_id"), values.get("secretary_id")):
                raise AccessError(
                    self.env._(
                        "A meeting is organised by its chair or its secretary: name "
                        "yourself one of them, or ask a manager to plan it."
                    )
                )

    def action_view_decisions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "islah_beneficiary.islah_committee_decision_action"
        )
        action["domain"] = [("meeting_id", "=", self.id)]
        action["context"] = {"default_meeting_id": self.id}
        return action
