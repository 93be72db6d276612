from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.constants import GROUP_OFFICER

# outreach still waiting for its outcome: one at most per person and service
OUTREACH_OPEN_STATES = ("planned", "reached", "no_answer")
# written only by the flow (the buttons, the cron, the linking of a request)
OUTREACH_FLOW_FIELDS = frozenset(
    {"state", "method", "contacted_on", "request_id", "beneficiary_id", "service_type_id"}
)


class IslahOutreach(models.Model):
    """The association reaching a registered beneficiary who meets a
    service's conditions and has not had it (or whose periodic service is
    due again): a to-do for an officer of their section, or an invitation
    by e-mail. The officer records the outcome; a request of that service
    that follows is linked to it."""

    _name = "islah.outreach"
    _description = "Outreach to a beneficiary"
    _inherit = [
        "islah.outreach.run.mixin",
        "islah.flow.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "contacted_on desc, id desc"

    beneficiary_id = fields.Many2one(
        "islah.beneficiary", required=True, ondelete="cascade", index=True, readonly=True
    )
    partner_id = fields.Many2one(related="beneficiary_id.partner_id")
    service_type_id = fields.Many2one(
        "islah.service.type", string="Service", required=True, ondelete="cascade", index=True,
        readonly=True,
    )  # fmt: skip
    section = fields.Selection(
        related="beneficiary_id.section", store=True, index=True, string="Section"
    )
    company_id = fields.Many2one(
        related="beneficiary_id.company_id", store=True, index=True, string="Company"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Officer",
        tracking=True,
        domain=[("share", "=", False)],
        help="The officer of the beneficiary's section who contacts them.",
    )
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("reached", "Reached"),
            ("not_interested", "Not interested"),
            ("applied", "Applied"),
            ("no_answer", "No answer"),
        ],
        string="Status",
        default="planned",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    method = fields.Selection(
        [("todo", "Officer to-do"), ("invitation", "Invitation sent")],
        default="todo",
        required=True,
        readonly=True,
        tracking=True,
    )
    request_id = fields.Many2one(
        "islah.support.request",
        string="Application",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The request of this service the beneficiary made after the outreach.",
    )
    contacted_on = fields.Datetime(
        string="Contacted on", default=fields.Datetime.now, required=True, readonly=True,
        index=True,
    )  # fmt: skip
    eligibility_note = fields.Text(
        string="Why",
        readonly=True,
        help="Why the beneficiary was found: the conditions met, or the facts still to be "
        "confirmed.",
    )
    outcome_on = fields.Datetime(string="Outcome recorded on", readonly=True)
    # figures (pivot measures): 1 or 0 per outreach
    reached_count = fields.Integer(
        string="Reached", compute="_compute_figures", store=True, aggregator="sum"
    )
    converted_count = fields.Integer(
        string="Converted into requests", compute="_compute_figures", store=True, aggregator="sum"
    )
    can_reached = fields.Boolean(compute="_compute_can_steps")
    can_not_interested = fields.Boolean(compute="_compute_can_steps")
    can_applied = fields.Boolean(compute="_compute_can_steps")
    can_no_answer = fields.Boolean(compute="_compute_can_steps")

    _open_uniq = models.UniqueIndex(
        "(beneficiary_id, service_type_id) WHERE state IN ('planned', 'reached', 'no_answer')",
        "This beneficiary already has an open outreach for this service.",
    )

    @api.depends("state", "request_id")
    def _compute_figures(self):
        for outreach in self:
            outreach.reached_count = int(outreach.state in ("reached", "not_interested", "applied"))
            outreach.converted_count = int(bool(outreach.request_id) or outreach.state == "applied")

    @api.depends("beneficiary_id", "service_type_id")
    def _compute_display_name(self):
        for outreach in self:
            outreach.display_name = self.env._(
                "%(service)s: %(name)s",
                service=outreach.service_type_id.name or "",
                name=outreach.beneficiary_id.name or "",
            )

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_can_steps(self):
        self._islah_set_transition_rights()

    # ------------------------------------------------------------------
    # Flow
    # ------------------------------------------------------------------

    def _get_transition_roles(self):
        officer = [GROUP_OFFICER]
        return {
            "reached": {
                "label": self.env._("Reached"),
                "states": ["planned", "no_answer"],
                "groups": officer,
            },
            "not_interested": {
                "label": self.env._("Not interested"),
                "states": ["planned", "reached", "no_answer"],
                "groups": officer,
            },
            "applied": {
                "label": self.env._("Applied"),
                "states": ["planned", "reached", "no_answer"],
                "groups": officer,
            },
            "no_answer": {
                "label": self.env._("No answer"),
                "states": ["planned"],
                "groups": officer,
            },
        }

    def _islah_check_flow_states(self, states):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for outreach in self:
            if outreach.state not in states:
                raise UserError(
                    self.env._(
                        "%(name)s is %(state)s: this outcome cannot be recorded now.",
                        name=outreach.display_name,
                        state=labels.get(outreach.state),
                    )
                )

    def _islah_set_outcome(self, state):
        self._check_transition(state)
        # sudo: the flow fields are locked to every user (see write); the
        # user's right to take this step on these records was checked above
        self.sudo().write({"state": state, "outcome_on": fields.Datetime.now()})
        self._islah_close_todos()
        return True

    def action_reached(self):
        return self._islah_set_outcome("reached")

    def action_not_interested(self):
        return self._islah_set_outcome("not_interested")

    def action_applied(self):
        return self._islah_set_outcome("applied")

    def action_no_answer(self):
        return self._islah_set_outcome("no_answer")

    def action_view_request(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "islah.support.request",
            "res_id": self.request_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # staff record an outreach they made themselves: planned, as a
            # to-do, now; the outcome through the buttons
            for vals in vals_list:
                for name in OUTREACH_FLOW_FIELDS - {"beneficiary_id", "service_type_id"}:
                    vals.pop(name, None)
        outreaches = super().create(vals_list)
        if not self.env.su:
            outreaches._islah_check_manual()
        return outreaches

    def write(self, vals):
        if not self.env.su and OUTREACH_FLOW_FIELDS & vals.keys():
            raise UserError(
                self.env._(
                    "The status of an outreach is recorded with its buttons, and its "
                    "beneficiary and service never change."
                )
            )
        return super().write(vals)

    def _islah_check_manual(self):
        """An outreach staff add by hand follows the rules of the run: a
        registered, consenting beneficiary who did not opt out, within the
        contact limit."""
        for outreach in self:
            # sudo: the consent records are staff-only but read for a yes or no
            beneficiary = outreach.beneficiary_id.sudo()
            if beneficiary.state != "registered":
                raise UserError(
                    self.env._(
                        "%(name)s is not registered: only registered beneficiaries are contacted.",
                        name=beneficiary.name,
                    )
                )
            if beneficiary.islah_outreach_opt_out or not beneficiary._islah_has_consent():
                raise UserError(
                    self.env._(
                        "%(name)s asked not to be contacted, or has no active consent.",
                        name=beneficiary.name,
                    )
                )
            counts = self.sudo()._islah_contact_counts(beneficiary, beneficiary.company_id)
            if counts.get(beneficiary.id, 0) > beneficiary.company_id.islah_outreach_max_contacts:
                raise UserError(
                    self.env._(
                        "%(name)s was already contacted %(count)s times in the last %(days)s "
                        "days: the limit is reached.",
                        name=beneficiary.name,
                        count=counts[beneficiary.id] - 1,
                        days=beneficiary.company_id.islah_outreach_period_days,
                    )
                )

    # ------------------------------------------------------------------
    # The application that follows
    # ------------------------------------------------------------------

    @api.model
    def _islah_link_requests(self, requests):
        """Link each new request to the open outreach of its beneficiary and
        service, which becomes ``applied``: one query for the batch."""
        requests = requests.filtered(lambda r: r.beneficiary_id and r.service_type_id)
        if not requests:
            return self.browse()
        # sudo: the request's creator (the portal, a web intake's conversion,
        # another section's manager) need not read the outreach to close it
        Outreach = self.sudo()
        outreaches = Outreach.search(
            [
                ("beneficiary_id", "in", requests.beneficiary_id.ids),
                ("service_type_id", "in", requests.service_type_id.ids),
                ("state", "in", OUTREACH_OPEN_STATES),
            ]
        )
        by_pair = {(o.beneficiary_id.id, o.service_type_id.id): o for o in outreaches}
        linked = Outreach.browse()
        now = fields.Datetime.now()
        for request in requests:
            outreach = by_pair.pop((request.beneficiary_id.id, request.service_type_id.id), None)
            if outreach:
                outreach.write({"request_id": request.id, "state": "applied", "outcome_on": now})
                linked |= outreach
        linked._islah_close_todos()
        return linked.with_env(self.env)

    def _islah_close_todos(self):
        """Mark the officers' to-dos of these outreach done: the outcome is in."""
        if not self:
            return
        # sudo: the to-do may be another officer's; the outcome closes it
        self.env["mail.activity"].sudo().search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("activity_type_id", "=", self.env.ref("mail.mail_activity_data_todo").id),
            ]
        ).action_feedback()
