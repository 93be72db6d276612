from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_list

from ..tools.constants import (  # noqa: F401 (OPEN/DECIDED states: imported from here by others)
    ALL_STATES,
    DECIDED_STATES,
    GROUP_MANAGER,
    GROUP_OFFICER,
    GROUP_RESEARCHER,
    OPEN_STATES,
)
from .islah_request_todo_mixin import TODO_RESEARCH


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
        "islah.request.workflow.mixin",
        "islah.request.steps.mixin",
        "islah.request.todo.mixin",
        "islah.request.committee.mixin",
        "islah.request.portal.mixin",
        "islah.access.logged.mixin",
        "islah.request.deadline.mixin",
        "islah.request.eligibility.mixin",
        "islah.request.guide.mixin",
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
    # when each step began (the beneficiary's timeline): stamped by the steps
    verification_started_on = fields.Datetime(
        string="Verification started on", readonly=True, copy=False
    )
    research_started_on = fields.Datetime(string="Research started on", readonly=True, copy=False)
    service_started_on = fields.Datetime(string="Service started on", readonly=True, copy=False)
    done_on = fields.Datetime(string="Completed on", readonly=True, copy=False)
    cancelled_on = fields.Datetime(string="Cancelled on", readonly=True, copy=False)
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

    def _islah_received_date(self):
        """The day the request was received, in the user's time zone."""
        self.ensure_one()
        return fields.Date.context_today(self, self.create_date or fields.Datetime.now())
