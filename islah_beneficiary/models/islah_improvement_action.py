from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.constants import GROUP_MANAGER, GROUP_OFFICER, SECTION_SELECTION

# written by the flow only (its buttons, as the system)
FLOW_FIELDS = frozenset({"state", "started_on", "done_on"})
# what the owner (not a manager) may write on their action
OWNER_FIELDS = frozenset({"action_taken", "root_cause"})


class IslahImprovementAction(models.Model):
    """An improvement action: a problem seen in the beneficiaries' voice
    (suggestions and complaints, low satisfaction scores, an indicator),
    its root cause, what is done and by whom, by when; its effect measured
    afterwards (see the indicator mixin), and the authors of its sources
    who asked told what came of it ("you said, we did")."""

    _name = "islah.improvement.action"
    _description = "Improvement action"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "islah.flow.mixin",
        "islah.improvement.action.indicator.mixin",
        "islah.improvement.action.summary.mixin",
        "islah.improvement.action.outcome.mixin",
    ]
    _order = "id desc"

    name = fields.Char(string="Problem", required=True, tracking=True, help="In one line.")
    problem = fields.Text(string="Problem description")
    root_cause = fields.Text(string="Root cause")
    action_taken = fields.Text(string="Action", help="What is done about it.")
    public_summary = fields.Text(
        string="Public summary",
        translate=True,
        help='What may be published in "you said, we did" and told to the authors of the '
        "suggestions and complaints: never a person's name.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        tracking=True,
        index=True,
        domain=lambda self: [
            ("share", "=", False),
            ("all_group_ids", "in", self.env.ref(GROUP_OFFICER).id),
        ],
        default=lambda self: self.env.user,
    )
    due_date = fields.Date(string="Due date", tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("in_progress", "In progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    done_on = fields.Date(string="Done on", readonly=True, copy=False, tracking=True)
    is_late = fields.Boolean(
        string="Late",
        compute="_compute_is_late",
        store=True,
        help="Not done and past its due date, or done after it.",
    )
    source = fields.Selection(
        [
            ("feedback", "Suggestions and complaints"),
            ("survey", "Low satisfaction scores"),
            ("indicator", "An indicator"),
        ],
        default="indicator",
        required=True,
    )
    service_type_id = fields.Many2one("islah.service.type", string="Service", index=True)
    section = fields.Selection(
        SECTION_SELECTION, index=True, help="Empty: the action concerns both sections."
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    # what the current user may do now (see _get_transition_roles): the buttons
    can_start = fields.Boolean(compute="_compute_transition_rights")
    can_done = fields.Boolean(compute="_compute_transition_rights")
    can_cancel = fields.Boolean(compute="_compute_transition_rights")
    can_reset = fields.Boolean(compute="_compute_transition_rights")

    @api.depends("state", "due_date", "done_on")
    def _compute_is_late(self):
        # stored, and kept current by the daily pass (_cron_islah_late_actions)
        today = fields.Date.context_today(self)
        for action in self:
            if not action.due_date or action.state == "cancelled":
                action.is_late = False
            elif action.state == "done":
                action.is_late = bool(action.done_on and action.done_on > action.due_date)
            else:
                action.is_late = today > action.due_date

    @api.depends_context("uid")
    @api.depends("state", "user_id")
    def _compute_transition_rights(self):
        self._islah_set_transition_rights()

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._islah_check_manager(self.env._("Only managers open improvement actions."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if FLOW_FIELDS & vals.keys():
                raise UserError(
                    self.env._("The status of an action changes through its buttons only.")
                )
            if not self.env.user.has_group(GROUP_MANAGER) and vals.keys() - OWNER_FIELDS:
                raise AccessError(
                    self.env._(
                        "The owner of an action records its root cause and what is done; "
                        "the rest is for the managers."
                    )
                )
        return super().write(vals)

    def _islah_check_manager(self, message):
        if not self.env.su and not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(message)

    @api.model
    def _islah_open_draft(self, values):
        """Create a draft action from its sources' ``values`` and open it:
        what "Open improvement action" does on suggestions, complaints and
        survey answers."""
        action = self.create(values)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": action.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    # ------------------------------------------------------------------
    # Transition table
    # ------------------------------------------------------------------

    def _get_transition_roles(self):
        """Managers open (create), cancel and reopen actions; the owner and
        the managers move them in progress and done."""
        return {
            **super()._get_transition_roles(),
            "start": {
                "label": self.env._("Start"),
                "states": ["draft"],
                "groups": (GROUP_MANAGER,),
                "roles": ("owner",),
            },
            "done": {
                "label": self.env._("Mark as done"),
                "states": ["in_progress"],
                "groups": (GROUP_MANAGER,),
                "roles": ("owner",),
            },
            "cancel": {
                "label": self.env._("Cancel"),
                "states": ["draft", "in_progress"],
                "groups": (GROUP_MANAGER,),
            },
            "reset": {
                "label": self.env._("Reopen"),
                "states": ["cancelled", "done"],
                "groups": (GROUP_MANAGER,),
            },
        }

    def _islah_flow_roles(self):
        self.ensure_one()
        return {"owner"} if self.user_id == self.env.user else set()

    def _islah_flow_role_labels(self):
        return {"owner": self.env._("the owner of the action")}

    def _islah_check_flow_states(self, states):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for action in self:
            if action.state not in states:
                raise UserError(
                    self.env._(
                        "%(name)s is %(state)s: this step is not possible now.",
                        name=action.display_name,
                        state=labels.get(action.state, action.state),
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_start(self):
        self._check_transition("start")
        for action in self:
            # sudo: the flow fields are locked to users (see write); the step was checked
            action.sudo().write(
                {"state": "in_progress", "started_on": fields.Date.context_today(self)}
            )
            # the period before ends the day the work starts: measure it now
        self._islah_measure()
        return True

    def action_done(self):
        self._check_transition("done")
        for action in self:
            if not (action.action_taken or "").strip():
                raise UserError(
                    self.env._(
                        "Write what was done before marking %(name)s as done.", name=action.name
                    )
                )
        # sudo: as above
        self.sudo().write({"state": "done", "done_on": fields.Date.context_today(self)})
        self._islah_measure()
        self._islah_send_you_said_we_did()
        return True

    def action_cancel(self):
        self._check_transition("cancel")
        # sudo: as above
        self.sudo().write({"state": "cancelled"})
        return True

    def action_reset(self):
        self._check_transition("reset")
        # sudo: as above
        for action in self:
            action.sudo().write(
                {"state": "in_progress" if action.started_on else "draft", "done_on": False}
            )
        return True

    def action_recompute(self):
        """Measure the indicator again, from the records as they are now."""
        self.check_access("read")
        if not self.env.su and not self.env.user.has_group(GROUP_MANAGER):
            for action in self:
                if action.user_id != self.env.user:
                    raise AccessError(
                        self.env._("Only the owner and the managers recompute an action.")
                    )
        self._islah_measure()
        return True

    @api.model
    def _cron_islah_late_actions(self):
        """Keep ``is_late`` current: the open actions whose due date passed."""
        today = fields.Date.context_today(self)
        # sudo: every company's actions, whichever user runs the pass
        late = self.sudo().search(
            [
                ("state", "in", ["draft", "in_progress"]),
                ("due_date", "<", today),
                ("is_late", "=", False),
            ]
        )
        if late:
            self.env.add_to_compute(self._fields["is_late"], late)
            late.flush_recordset(["is_late"])
        return late

    @api.model
    def _cron_islah_improvement_actions(self):
        """The daily pass: late actions, then the measures still running."""
        self._cron_islah_late_actions()
        self._cron_islah_measure_actions()
        return True
