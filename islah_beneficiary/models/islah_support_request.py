from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_list
from ..tools.constants import GROUP_MANAGER, GROUP_OFFICER, GROUP_RESEARCHER

OPEN_STATES = ("received", "verification", "research", "committee")
DECIDED_STATES = ("approved", "rejected", "in_service", "done")
ALL_STATES = (*OPEN_STATES, *DECIDED_STATES, "cancelled")

# The to-dos a step hands to the next person, by activity type, and the
# states in which their reason holds: out of these they are closed.
TODO_VERIFICATION = "islah_beneficiary.mail_activity_type_verification"
TODO_RESEARCH = "islah_beneficiary.mail_activity_type_research"
TODO_AGENDA = "islah_beneficiary.mail_activity_type_committee_agenda"
TODO_AT_RISK = "islah_beneficiary.mail_activity_type_deadline_at_risk"
TODO_NOTIFY = "islah_beneficiary.mail_activity_type_notify_decision"
TODO_START_SERVICE = "islah_beneficiary.mail_activity_type_start_service"
HANDOFF_TODO_STATES = {
    TODO_VERIFICATION: ("verification",),
    TODO_RESEARCH: ("research",),
    TODO_AGENDA: ("committee",),
    TODO_AT_RISK: ("committee",),
    TODO_NOTIFY: ("approved", "rejected", "in_service", "done"),
    TODO_START_SERVICE: ("approved",),
}


class IslahSupportRequest(models.Model):
    """A beneficiary's request for a service, handled in the seven steps of
    the board-approved policy. Every state change goes through an
    ``action_*`` method that checks the step's preconditions."""

    _name = "islah.support.request"
    _description = "Support request"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "islah.flow.mixin",
        "islah.access.logged.mixin",
        "islah.request.deadline.mixin",
    ]
    _islah_logged_fields = ("research_report",)
    _order = "id desc"
    _rec_names_search = ["name", "beneficiary_id.name"]

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/", index="trigram"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    beneficiary_id = fields.Many2one(
        "islah.beneficiary", required=True, index=True, tracking=True, ondelete="restrict"
    )
    partner_id = fields.Many2one(
        related="beneficiary_id.partner_id", store=True, index=True, string="Contact"
    )
    section = fields.Selection(related="beneficiary_id.section", store=True, index=True)
    service_type_id = fields.Many2one(
        "islah.service.type", string="Service", required=True, tracking=True, index=True
    )
    medium_id = fields.Many2one(
        "utm.medium",
        string="Channel",
        required=True,
        tracking=True,
        index=True,
        domain=[("islah_channel", "=", True)],
    )
    officer_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain=lambda self: [
            (
                "all_group_ids",
                "in",
                self.env.ref(GROUP_OFFICER).id,
            )
        ],
    )
    lead_id = fields.Many2one(
        "crm.lead", string="Inquiry", index="btree_not_null", copy=False, tracking=True
    )
    description = fields.Text(string="Need described by the applicant", tracking=True)
    state = fields.Selection(
        [
            ("received", "Received"),
            ("verification", "Verification"),
            ("research", "Social research"),
            ("committee", "Research Committee"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("in_service", "In service"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="received",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        group_expand="_group_expand_states",
    )
    active = fields.Boolean(default=True, tracking=True)

    # step 2: data and documents
    document_ids = fields.One2many("islah.request.document", "request_id", string="Documents")
    documents_complete = fields.Boolean(compute="_compute_documents_complete")
    data_verified_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    data_verified_on = fields.Datetime(readonly=True, copy=False, tracking=True)

    # step 4: the applicant's declaration of responsibility
    declaration_accepted = fields.Boolean(
        string="Declaration of responsibility", readonly=True, copy=False, tracking=True
    )
    declaration_date = fields.Datetime(readonly=True, copy=False, tracking=True)

    # step 3: social research
    needs_research = fields.Boolean(related="service_type_id.needs_research")
    researcher_id = fields.Many2one(
        "res.users",
        tracking=True,
        index="btree_not_null",
        domain=lambda self: [
            (
                "all_group_ids",
                "in",
                self.env.ref(GROUP_RESEARCHER).id,
            )
        ],
    )
    visit_date = fields.Date(tracking=True)
    research_report = fields.Html(
        groups="islah_beneficiary.group_islah_beneficiary_researcher,"
        "islah_beneficiary.group_islah_beneficiary_committee",
    )
    research_return_reason = fields.Text(readonly=True, copy=False, tracking=True)

    # step 7: service delivery
    delivery_ids = fields.One2many("islah.service.delivery", "request_id", string="Deliveries")
    currency_id = fields.Many2one(related="company_id.currency_id")
    delivered_amount = fields.Monetary(compute="_compute_delivered_amount", store=True)
    cancel_reason = fields.Text(readonly=True, copy=False, tracking=True)
    escalation_partner_ids = fields.Many2many(
        "res.partner",
        compute="_compute_escalation_partner_ids",
        help="Who is warned about the committee deadline: the managers of the company.",
    )
    is_locked = fields.Boolean(
        compute="_compute_is_locked",
        help="Decided or delivered: the request's content can no longer change.",
    )
    # what the current user may do now (see _get_transition_roles): the buttons
    can_edit_request = fields.Boolean(compute="_compute_transition_rights")
    can_start_verification = fields.Boolean(compute="_compute_transition_rights")
    can_verify_data = fields.Boolean(compute="_compute_transition_rights")
    can_record_declaration = fields.Boolean(compute="_compute_transition_rights")
    can_verify_documents = fields.Boolean(compute="_compute_transition_rights")
    can_complete_verification = fields.Boolean(compute="_compute_transition_rights")
    can_take_research = fields.Boolean(compute="_compute_transition_rights")
    can_record_research = fields.Boolean(compute="_compute_transition_rights")
    can_submit_research = fields.Boolean(compute="_compute_transition_rights")
    can_return_to_verification = fields.Boolean(compute="_compute_transition_rights")
    can_start_service = fields.Boolean(compute="_compute_transition_rights")
    can_record_delivery = fields.Boolean(compute="_compute_transition_rights")
    can_done = fields.Boolean(compute="_compute_transition_rights")
    can_cancel = fields.Boolean(compute="_compute_transition_rights")
    can_archive = fields.Boolean(compute="_compute_transition_rights")
    can_archive_decided = fields.Boolean(compute="_compute_transition_rights")

    @api.model
    def _group_expand_states(self, states, domain):
        return [key for key, _label in self._fields["state"].selection if key != "cancelled"]

    @api.depends("document_ids.is_satisfied")
    def _compute_documents_complete(self):
        for request in self:
            request.documents_complete = all(request.document_ids.mapped("is_satisfied"))

    @api.depends("company_id", "section")
    def _compute_escalation_partner_ids(self):
        partners = {}
        for request in self:
            key = (request.company_id, request.section)
            if request.company_id and key not in partners:
                partners[key] = request.company_id._islah_managers(request.section).partner_id
            request.escalation_partner_ids = partners.get(key, False)

    @api.depends("state")
    def _compute_is_locked(self):
        for request in self:
            request.is_locked = request.state in DECIDED_STATES

    @api.depends_context("uid")
    @api.depends("state", "researcher_id")
    def _compute_transition_rights(self):
        self._islah_set_transition_rights()

    @api.depends("delivery_ids.amount")
    def _compute_delivered_amount(self):
        for request in self:
            request.delivered_amount = sum(request.delivery_ids.mapped("amount"))

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for request in self:
            request.access_url = f"/my/requests/{request.id}"

    @api.depends("name", "beneficiary_id")
    def _compute_display_name(self):
        for request in self:
            request.display_name = (
                f"{request.name} - {request.beneficiary_id.name}"
                if request.beneficiary_id
                else request.name
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.constrains("visit_date")
    def _check_visit_date(self):
        today = fields.Date.context_today(self)
        for request in self:
            if request.visit_date and request.visit_date > today:
                raise ValidationError(
                    self.env._(
                        "The visit of %(name)s cannot be dated in the future (%(date)s).",
                        name=request.name,
                        date=request.visit_date,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            locked = self.browse()._get_flow_locked_fields()
            # what a new request may carry: its first state, and being active
            initial = {"state": "received", "active": True}
            for vals in vals_list:
                if forced := sorted(
                    key
                    for key in locked & vals.keys()
                    if (vals[key] != initial[key] if key in initial else vals[key])
                ):
                    raise UserError(
                        self.env._(
                            "A new request starts as received: %(fields)s are set by "
                            "the handling steps, not by hand.",
                            fields=format_list(self.env, forced),
                        )
                    )
                for step, fnames in self._get_field_transitions().items():
                    if step != "edit_request" and fnames & {k for k, v in vals.items() if v}:
                        raise UserError(
                            self.env._(
                                "A new request starts as received: %(fields)s are recorded "
                                "later, in their step.",
                                fields=format_list(self.env, sorted(fnames & vals.keys())),
                            )
                        )
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self._islah_next_number(company)
        requests = super().create(vals_list)
        for request in requests.filtered(lambda r: not r.document_ids):
            request._prepare_document_checklist()
        return requests

    def _creation_message(self):
        """The "created" note in the language of its readers: the creator's
        for staff; for a web or portal intake (the public user's language
        is the visitor's browser) and for data loaded by the system (demo,
        imports) the beneficiary's, as the record's."""
        self.ensure_one()
        user = self.env.user
        lang = (
            user.lang
            if not (user.share or user._is_superuser())
            else (self.partner_id.lang or self.company_id.partner_id.lang or user.lang)
        )
        return super(IslahSupportRequest, self.with_context(lang=lang))._creation_message()

    @api.model
    def _islah_next_number(self, company):
        """The next ``REQ/<year>/<n>`` number of ``company``'s own sequence,
        created on the fly for a company that predates the module."""
        # sudo: sequences are configuration no officer can read or create
        Sequence = self.env["ir.sequence"].sudo().with_company(company)
        number = Sequence.search(
            [("code", "=", "islah.support.request"), ("company_id", "=", company.id)], limit=1
        )
        if not number:
            # sudo: same, for a company created before the module
            company.sudo()._islah_create_request_sequence()
        return Sequence.next_by_code("islah.support.request") or "/"

    def write(self, vals):
        if self.env.su:
            result = super().write(vals)
        else:
            self._check_flow_fields(vals)
            if vals.get("beneficiary_id"):
                # the new beneficiary must be one the user may see already
                self.env["islah.beneficiary"].browse(vals["beneficiary_id"]).check_access("read")
            result = super().write(vals)
            if self._get_scope_fields() & vals.keys():
                # record rules are checked before a write: check them after it too,
                # so that no write moves a request into the writer's own scope
                self.check_access("write")
        if "researcher_id" in vals:
            # a new assignment: the research to-dos start over (automation 6
            # gives the researcher theirs), the section's "take it" ones too
            # sudo: the to-dos of other users, closed by the flow
            self.sudo().activity_unlink([TODO_RESEARCH])
        if {"state", "researcher_id", "active"} & vals.keys():
            self._islah_close_stale_todos()
        return result

    def _get_scope_fields(self):
        """The fields that decide who may see a request."""
        return {"beneficiary_id", "company_id", "researcher_id"}

    # ------------------------------------------------------------------
    # Locked fields and who writes what
    # ------------------------------------------------------------------

    def _get_flow_locked_fields(self):
        """The fields only the steps write, on every request; on these
        records, also what their decision froze for good (archive a wrong
        request, with the reason, instead). Mirrors of the beneficiary
        (read-only related fields) are never written through a request.
        Extend with ``super()``."""
        locked = {
            "state",
            "active",
            "data_verified_by_id",
            "data_verified_on",
            "declaration_accepted",
            "declaration_date",
            "research_return_reason",
            "submission_date",
            "decision_deadline",
            "decided_on",
            "sla_state",
            "cancel_reason",
        } | {name for name, field in self._fields.items() if field.related and field.readonly}
        if any(request.state in DECIDED_STATES for request in self):
            locked |= {
                "beneficiary_id",
                "service_type_id",
                "company_id",
                "medium_id",
                "description",
                "lead_id",
                "document_ids",
                "researcher_id",
                "visit_date",
                "research_report",
            }
        return locked

    def _get_field_transitions(self):
        """``{step: fields}``: who may take the step of the transition table
        may write these fields, nobody else (the intake data is the
        officer's, the visit and the report the researcher's)."""
        return {
            "edit_request": {
                "beneficiary_id",
                "service_type_id",
                "officer_id",
                "company_id",
                "medium_id",
                "lead_id",
                "description",
                "researcher_id",
                "document_ids",
            },
            "record_research": {"visit_date", "research_report"},
        }

    def _check_flow_fields(self, vals):
        """Refuse a write of locked fields, or of fields of a step the user
        may not take (a caller's context cannot change this: only the flow's
        own superuser writes pass)."""
        always = self.browse()._get_flow_locked_fields()
        if forced := always & vals.keys():
            raise UserError(
                self.env._(
                    "%(fields)s change only through the request's steps (the buttons "
                    "of the form), never by hand.",
                    fields=self._islah_field_labels(forced),
                )
            )
        for request in self:
            if frozen := (request._get_flow_locked_fields() - always) & vals.keys():
                raise UserError(
                    self.env._(
                        "Request %(name)s has been decided: %(fields)s can no longer "
                        "change. Archive it, with the reason, if it was wrong.",
                        name=request.name,
                        fields=self._islah_field_labels(frozen),
                    )
                )
        for step, fnames in self._get_field_transitions().items():
            if fnames & vals.keys():
                self._check_transition(step)

    def _islah_field_labels(self, fnames):
        return format_list(
            self.env, [self._fields[name]._description_string(self.env) for name in sorted(fnames)]
        )

    def _islah_write_workflow(self, vals):
        """Write fields that only the steps may set. The caller checked the
        step (``_check_transition``: state, role and write access)."""
        # sudo: the locked fields are refused to every user; the step was checked
        return self.sudo().write(vals)

    # ------------------------------------------------------------------
    # Transition table
    # ------------------------------------------------------------------

    def _get_transition_roles(self):
        """Every step of a request: the states it starts from, and who takes
        it. Officers (managers are officers too) receive, verify and serve;
        the researcher assigned to a request (or a manager) studies it; only
        a manager archives a decided request. Extend with ``super()``."""
        officer = (GROUP_OFFICER,)
        research = {"groups": (GROUP_MANAGER,), "roles": ("researcher",)}
        intake = ("received", "verification")
        return {
            **super()._get_transition_roles(),
            "edit_request": {
                "label": self.env._("Edit the request"),
                "states": ALL_STATES,
                "groups": officer,
            },
            "start_verification": {
                "label": self.env._("Start verification"),
                "states": ["received"],
                "groups": officer,
            },
            "verify_data": {
                "label": self.env._("Data verified"),
                "states": intake,
                "groups": officer,
            },
            "record_declaration": {
                "label": self.env._("Record declaration"),
                "states": intake,
                "groups": officer,
            },
            "verify_documents": {
                "label": self.env._("Verify documents"),
                "states": intake,
                "groups": officer,
            },
            "complete_verification": {
                "label": self.env._("Complete verification"),
                "states": ["verification"],
                "groups": officer,
            },
            # nobody assigned yet: a researcher of the section takes it
            "take_research": {
                "label": self.env._("Take the research"),
                "states": ["research"],
                "roles": ["section_researcher"],
            },
            "record_research": {
                "label": self.env._("Record the visit and the research report"),
                "states": ["research"],
                **research,
            },
            "submit_research": {
                "label": self.env._("Submit to committee"),
                "states": ["research"],
                **research,
            },
            "return_to_verification": {
                "label": self.env._("Send back to verification"),
                "states": ["research"],
                **research,
            },
            "start_service": {
                "label": self.env._("Start service"),
                "states": ["approved"],
                "groups": officer,
            },
            "record_delivery": {
                "label": self.env._("Record a delivery"),
                "states": ["in_service"],
                "groups": officer,
            },
            "done": {
                "label": self.env._("Close as delivered"),
                "states": ["in_service"],
                "groups": officer,
            },
            "cancel": {
                "label": self.env._("Cancel request"),
                "states": [*OPEN_STATES, "approved"],
                "groups": officer,
            },
            # a request before the committee has a deadline running: archived,
            # it would leave the compliance figures, so that is a manager's call
            "archive": {
                "label": self.env._("Archive"),
                "states": ["received", "verification", "research", "cancelled"],
                "groups": officer,
            },
            "archive_decided": {
                "label": self.env._("Archive a decided request"),
                "states": ["committee", *DECIDED_STATES],
                "groups": (GROUP_MANAGER,),
            },
        }

    def _islah_flow_roles(self):
        self.ensure_one()
        user = self.env.user
        if not user.has_group(GROUP_RESEARCHER):
            return set()
        if self.researcher_id == user:
            return {"researcher"}
        if not self.researcher_id and self.section in user._islah_sections():
            return {"section_researcher"}
        return set()

    def _islah_flow_role_labels(self):
        return {
            "researcher": self.env._("the social researcher assigned to the request"),
            "section_researcher": self.env._("a social researcher of the request's section"),
        }

    def _islah_check_flow_states(self, states):
        self._check_state(*states)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        if decided := self.filtered(lambda r: r.state not in ("received", "cancelled")):
            raise UserError(
                self.env._(
                    "Request %(name)s is already being handled and cannot be deleted: "
                    "cancel or archive it, with the reason in the chatter.",
                    name=decided[0].name,
                )
            )

    def _islah_archive_step(self):
        """Archiving a request before the committee or decided hides it from
        the deadline figures: a manager's step; an earlier one stays with
        the officers."""
        decided = ("committee", *DECIDED_STATES)
        return "archive_decided" if any(r.state in decided for r in self) else "archive"

    def action_archive(self):
        """Archiving needs a reason (context ``islah_archive_reason``, given by
        the reason wizard), posted in the chatter."""
        reason = (self.env.context.get("islah_archive_reason") or "").strip()
        return self._islah_set_active(False, reason)

    def action_unarchive(self):
        """Restoring follows the archiving's rule, and is logged too."""
        reason = (self.env.context.get("islah_archive_reason") or "").strip()
        return self._islah_set_active(True, reason)

    def _islah_set_active(self, active, reason):
        for step in ("archive", "archive_decided"):
            records = self.filtered(lambda r, s=step: r._islah_archive_step() == s)
            records._check_transition(step)
        if not active and not reason:
            raise UserError(
                self.env._("Say why the request is archived (Archive button of the form).")
            )
        self._islah_write_workflow({"active": active})
        if not active:
            body = self.env._("Archived: %(reason)s", reason=reason)
        elif reason:
            body = self.env._("Restored from the archive: %(reason)s", reason=reason)
        else:
            body = self.env._("Restored from the archive.")
        for request in self:
            request.message_post(body=body)
        return True

    def action_open_archive_wizard(self):
        for request in self:
            request._check_transition(request._islah_archive_step())
        return self._islah_open_reason_wizard("archive")

    def action_open_cancel_wizard(self):
        self._check_transition("cancel")
        return self._islah_open_reason_wizard("cancel")

    def _islah_open_reason_wizard(self, mode):
        titles = {
            "cancel": self.env._("Cancel the request"),
            "archive": self.env._("Archive the request"),
        }
        return {
            "type": "ir.actions.act_window",
            "name": titles[mode],
            "res_model": "islah.request.cancel",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_ids": self.ids, "default_mode": mode},
        }

    def action_open_return_wizard(self):
        self._check_transition("return_to_verification")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send back to verification"),
            "res_model": "islah.request.return",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_ids": self.ids},
        }

    def action_print_receipt(self):
        return self.env.ref("islah_beneficiary.islah_support_request_receipt_report").report_action(
            self
        )

    def _islah_log_documents(self, lines, verified):
        """Note in each request's chatter which documents were (un)verified."""
        for request in self:
            own_lines = lines.filtered(lambda line, r=request: line.request_id == r)
            names = format_list(self.env, own_lines.document_type_id.mapped("name"))
            body = (
                self.env._("Documents verified: %(docs)s", docs=names)
                if verified
                else self.env._("Documents to verify again: %(docs)s", docs=names)
            )
            request.message_post(body=body)

    def _islah_received_date(self):
        """The day the request was received, in the user's time zone."""
        self.ensure_one()
        return fields.Date.context_today(self, self.create_date or fields.Datetime.now())

    # ------------------------------------------------------------------
    # Hand-offs: each step gives the next person a to-do, closed when its
    # reason is gone (see HANDOFF_TODO_STATES and _islah_close_stale_todos)
    # ------------------------------------------------------------------

    def _islah_schedule_todos(self, act_type, get_users, get_summary, get_note, get_date=None):
        """One to-do of ``act_type`` per request and user, written in the
        user's language; a user who has one open already gets no second."""
        for request in self:
            # sudo: a to-do for the next person, whoever moved the request on
            request = request.sudo()
            users = get_users(request) - request.activity_search([act_type]).user_id
            for user in users:
                in_lang = request.with_context(lang=user.lang or self.env.lang)
                request.activity_schedule(
                    act_type,
                    date_deadline=get_date(request) if get_date else None,
                    summary=get_summary(in_lang),
                    note=get_note(in_lang),
                    user_id=user.id,
                )
        return True

    def _islah_close_stale_todos(self):
        """Close the hand-off to-dos whose reason is gone: the request left
        their step (or the archive took it), another researcher took the
        research, the request is on an agenda, the decision was notified."""
        # sudo: the to-dos of other users, closed by the flow
        for request in self.sudo():
            stale = request.activity_search(
                [
                    act_type
                    for act_type, states in HANDOFF_TODO_STATES.items()
                    if not request.active or request.state not in states
                ]
            )
            if request.state == "research" and request.researcher_id:
                stale |= request.activity_search([TODO_RESEARCH]).filtered(
                    lambda a, r=request: a.user_id != r.researcher_id
                )
            if request.state == "committee" and request.committee_meeting_id:
                stale |= request.activity_search([TODO_AGENDA])
            if request.final_decision_id.notified_on:
                stale |= request.activity_search([TODO_NOTIFY])
            stale.unlink()
        return True

    def _islah_officers(self):
        """Who takes the request back: its officer, else the section's managers."""
        self.ensure_one()
        officer = self.officer_id
        if officer.active and not officer.share and officer.has_group(GROUP_OFFICER):
            return officer
        return self.company_id._islah_managers(self.section)

    def _islah_section_researchers(self):
        """The social researchers who serve the request's section (managers
        aside); none: the section's managers."""
        self.ensure_one()
        researcher = self.env.ref(GROUP_RESEARCHER)
        manager = self.env.ref(GROUP_MANAGER)
        # sudo: who the researchers are, whatever the caller may read of res.users
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("all_group_ids", "in", researcher.id),
                    ("all_group_ids", "not in", manager.id),
                    ("company_ids", "in", self.company_id.id),
                    ("share", "=", False),
                    ("islah_section", "in", [s for s in (self.section, "both") if s]),
                ]
            )
        )
        return users or self.company_id._islah_managers(self.section)

    def _islah_schedule_verification_todo(self):
        """Sent back to verification: a to-do for the officer."""
        return self._islah_schedule_todos(
            TODO_VERIFICATION,
            lambda request: request._islah_officers(),
            lambda request: request.env._("Verify %(name)s again", name=request.name),
            lambda request: request.env._(
                "%(name)s came back to verification: complete what is asked and "
                "complete the verification again.",
                name=request.name,
            ),
        )

    def _islah_schedule_research_todos(self):
        """In research: a to-do for the assigned researcher, or for each
        researcher of the section while nobody is assigned."""
        requests = self.filtered(lambda r: r.state == "research")
        requests.filtered("researcher_id")._islah_schedule_todos(
            TODO_RESEARCH,
            lambda request: request.researcher_id,
            lambda request: request.env._("Social research of %(name)s", name=request.name),
            lambda request: request.env._(
                "Visit the applicant of %(name)s, write the research report and "
                "submit it to the committee.",
                name=request.name,
            ),
        )
        requests.filtered(lambda r: not r.researcher_id)._islah_schedule_todos(
            TODO_RESEARCH,
            lambda request: request._islah_section_researchers(),
            lambda request: request.env._("Take the research of %(name)s", name=request.name),
            lambda request: request.env._(
                "%(name)s waits for a social researcher of its section: take it with "
                "the Take the research button.",
                name=request.name,
            ),
        )
        return True

    def _islah_schedule_committee_activity(self):
        """A to-do for the committee secretary (else the managers) to put the
        request on the committee's agenda before its deadline."""
        requests = self.filtered(lambda r: r.state == "committee" and not r.committee_meeting_id)
        return requests._islah_schedule_todos(
            TODO_AGENDA,
            lambda request: request.company_id._islah_committee_secretaries(request.section),
            lambda request: request.env._(
                "Put %(name)s on the committee agenda", name=request.name
            ),
            lambda request: request.env._(
                "The Research Committee must decide by %(deadline)s.",
                deadline=request.decision_deadline,
            ),
            lambda request: request.decision_deadline,
        )

    def _islah_schedule_at_risk_activity(self):
        """A to-do for the managers: the committee deadline is close."""
        return self.filtered(lambda r: r.state == "committee")._islah_schedule_todos(
            TODO_AT_RISK,
            lambda request: request.company_id._islah_managers(request.section),
            lambda request: request.env._("Deadline at risk: %(name)s", name=request.name),
            lambda request: request.env._(
                "The Research Committee has not decided yet; the deadline is %(deadline)s.",
                deadline=request.decision_deadline,
            ),
            lambda request: request.decision_deadline,
        )

    def _islah_schedule_decision_todos(self):
        """Decided: the officer tells the beneficiary (unless the letter went
        by e-mail) and, once approved, completes the registration and
        starts the service."""
        self.filtered(
            lambda r: (
                r.state in ("approved", "rejected")
                and r.final_decision_id
                and not r.final_decision_id.notified_on
            )
        )._islah_schedule_notify_todo()
        self.filtered(lambda r: r.state == "approved")._islah_schedule_todos(
            TODO_START_SERVICE,
            lambda request: request._islah_officers(),
            lambda request: request.env._("Start the service of %(name)s", name=request.name),
            lambda request: request.env._(
                "%(name)s is approved: complete the beneficiary's registration and "
                "start the service.",
                name=request.name,
            ),
        )
        return True

    def _islah_schedule_notify_todo(self, letter=None):
        """The committee's decision must be given to the beneficiary by hand."""
        return self._islah_schedule_todos(
            TODO_NOTIFY,
            lambda request: request._islah_officers(),
            lambda request: request.env._(
                "Notify the committee's decision on %(name)s", name=request.name
            ),
            lambda request: request.env._(
                "Give the beneficiary the decision letter %(letter)s by hand, by post "
                "or by phone, and record the notification on the decision.",
                letter=letter or request.final_decision_id.letter_number or "",
            ),
        )

    def _prepare_document_checklist(self):
        """One checklist line per document the service requires."""
        self.ensure_one()
        self.document_ids = [
            fields.Command.create({"document_type_id": doc_type.id})
            for doc_type in self.service_type_id.document_type_ids
        ]

    # ------------------------------------------------------------------
    # Actions: the seven steps
    # ------------------------------------------------------------------

    def _check_state(self, *allowed):
        for request in self:
            if request.state not in allowed:
                state_label = dict(request._fields["state"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        'Request %(name)s is in the step "%(state)s": this action is not '
                        "possible now.",
                        name=request.name,
                        state=state_label[request.state],
                    )
                )

    def action_start_verification(self):
        """Step 2: the officer checks the data and documents."""
        self._check_transition("start_verification")
        self._islah_write_workflow({"state": "verification"})
        return True

    def action_verify_data(self):
        """The officer has matched the applicant's data against their documents."""
        self._check_transition("verify_data")
        self._islah_write_workflow(
            {"data_verified_by_id": self.env.uid, "data_verified_on": fields.Datetime.now()}
        )
        return True

    def action_record_declaration(self):
        """Step 4: the applicant declares being responsible for the data's correctness."""
        self._check_transition("record_declaration")
        self._islah_write_workflow(
            {"declaration_accepted": True, "declaration_date": fields.Datetime.now()}
        )
        return True

    def _verification_problems(self):
        """What still blocks leaving verification, as translated sentences."""
        self.ensure_one()
        problems = []
        # a document waived by a manager counts as given and checked
        documents = self.document_ids.filtered(lambda d: not d.waived)
        missing = documents.filtered(lambda d: not d.received or not d.attachment_ids)
        if missing:
            problems.append(
                self.env._(
                    "documents not received: %(docs)s",
                    docs=format_list(self.env, missing.document_type_id.mapped("name")),
                )
            )
        unverified = documents.filtered(
            lambda d: d.received and d.attachment_ids and not d.verified_on
        )
        if unverified:
            problems.append(
                self.env._(
                    "documents not verified: %(docs)s",
                    docs=format_list(self.env, unverified.document_type_id.mapped("name")),
                )
            )
        if not self.data_verified_on:
            problems.append(self.env._("the applicant's data are not verified"))
        if not self.declaration_accepted:
            problems.append(
                self.env._("the applicant's declaration of responsibility is not recorded")
            )
        return problems

    def action_complete_verification(self):
        """Leave verification: to research, to the committee, or straight to
        approval for a service that needs no decision."""
        self._check_transition("complete_verification")
        for request in self:
            if problems := request._verification_problems():
                raise UserError(
                    self.env._(
                        "Request %(name)s cannot leave verification: %(problems)s.",
                        name=request.name,
                        problems=self.env._("; ").join(problems),
                    )
                )
            if request.service_type_id.needs_research:
                request._islah_write_workflow(
                    {"state": "research", "research_return_reason": False}
                )
            else:
                request._islah_after_assessment()
        return True

    def _islah_after_assessment(self):
        """To the committee, or approved at once for a service without one."""
        for request in self:
            if request.service_type_id.needs_committee:
                request._enter_committee()
            else:
                request._islah_write_workflow(
                    {
                        "state": "approved",
                        "decided_on": fields.Date.context_today(self),
                        "sla_state": False,
                    }
                )

    def action_take_research(self):
        """A researcher of the section takes a request nobody was assigned."""
        self._check_transition("take_research")
        self._islah_write_workflow({"researcher_id": self.env.uid})
        for request in self:
            request.message_post(
                body=self.env._("%(user)s takes the social research.", user=self.env.user.name)
            )
        return True

    def action_submit_research(self):
        """Step 3 done: the researcher's visit and report go to the committee."""
        self._check_transition("submit_research")
        for request in self:
            if not request.researcher_id:
                raise UserError(
                    self.env._("Assign a social researcher to %(name)s first.", name=request.name)
                )
            report = request.research_report
            if not request.visit_date or not report or not report.striptags().strip():
                raise UserError(
                    self.env._(
                        "Record the visit date and the research report of %(name)s "
                        "before submitting it to the committee.",
                        name=request.name,
                    )
                )
            request._islah_after_assessment()
        return True

    def action_return_to_verification(self, reason=None):
        """The researcher sends the request back, saying why."""
        self._check_transition("return_to_verification")
        reason = reason or self.env.context.get("islah_return_reason")
        if not reason or not reason.strip():
            raise UserError(self.env._("Say why the request goes back to verification."))
        for request in self:
            request._islah_write_workflow(
                {"state": "verification", "research_return_reason": reason}
            )
            request.message_post(
                body=self.env._("Sent back to verification: %(reason)s", reason=reason)
            )
        self._islah_schedule_verification_todo()
        return True

    def _enter_committee(self):
        """Step 5: submit to the Research Committee and start the deadline clock."""
        now = fields.Datetime.now()
        for request in self:
            request._islah_write_workflow(
                {
                    "state": "committee",
                    "submission_date": now,
                    "decision_deadline": request._islah_deadline_from(now),
                    "sla_state": "on_track",
                }
            )
        self._update_sla_states()
        return True

    def _apply_decision(self, outcome, decided_on=None):
        """A final decision (committee issue): approved or rejected, deadline met or missed."""
        if outcome not in ("approved", "rejected"):
            raise UserError(self.env._("A final decision is either approved or rejected."))
        self._check_state("committee")
        decided_on = decided_on or fields.Date.context_today(self)
        for request in self:
            met = not request.decision_deadline or decided_on <= request.decision_deadline
            request._islah_write_workflow(
                {
                    "state": outcome,
                    "decided_on": decided_on,
                    "sla_state": "met" if met else "missed",
                }
            )
        return True

    def action_start_service(self):
        """Step 6 done: registration complete, the service can be delivered."""
        self._check_transition("start_service")
        for request in self:
            if request.beneficiary_id.state != "registered":
                raise UserError(
                    self.env._(
                        "Complete the registration of %(name)s before the service starts.",
                        name=request.beneficiary_id.name,
                    )
                )
        self._islah_write_workflow({"state": "in_service"})
        return True

    def action_done(self):
        """Step 7 done: at least one delivery was recorded."""
        self._check_transition("done")
        for request in self:
            if not request.delivery_ids:
                raise UserError(
                    self.env._(
                        "Record at least one delivery of %(name)s before closing it.",
                        name=request.name,
                    )
                )
        self._islah_write_workflow({"state": "done"})
        return True

    def action_cancel(self, reason=None):
        """Cancel an open or approved request, saying why (the reason wizard)."""
        self._check_transition("cancel")
        reason = reason or self.env.context.get("islah_cancel_reason")
        if not reason or not reason.strip():
            raise UserError(self.env._("Say why the request is cancelled."))
        self._islah_write_workflow(
            {"state": "cancelled", "cancel_reason": reason, "sla_state": False}
        )
        for request in self:
            request.message_post(body=self.env._("Cancelled: %(reason)s", reason=reason))
        return True
