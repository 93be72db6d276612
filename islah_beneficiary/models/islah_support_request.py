from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

OPEN_STATES = ("received", "verification", "research", "committee")
DECIDED_STATES = ("approved", "rejected", "in_service", "done")


class IslahSupportRequest(models.Model):
    """A beneficiary's request for a service, handled in the seven steps of
    the board-approved policy. Every state change goes through an
    ``action_*`` method that checks the step's preconditions."""

    _name = "islah.support.request"
    _description = "Support request"
    _inherit = ["mail.thread", "mail.activity.mixin", "portal.mixin"]
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
        string="Officer",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain=lambda self: [
            ("all_group_ids", "in", self.env.ref("islah_beneficiary.group_islah_beneficiary_officer").id)
        ],
    )
    lead_id = fields.Many2one("crm.lead", string="Inquiry", index="btree_not_null", copy=False)
    description = fields.Text(string="Need described by the applicant")
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
    data_verified_on = fields.Datetime(readonly=True, copy=False)

    # step 4: the applicant's declaration of responsibility
    declaration_accepted = fields.Boolean(
        string="Declaration of responsibility", readonly=True, copy=False, tracking=True
    )
    declaration_date = fields.Datetime(readonly=True, copy=False)

    # step 3: social research
    needs_research = fields.Boolean(related="service_type_id.needs_research")
    researcher_id = fields.Many2one(
        "res.users",
        tracking=True,
        index="btree_not_null",
        domain=lambda self: [
            ("all_group_ids", "in", self.env.ref("islah_beneficiary.group_islah_beneficiary_researcher").id)
        ],
    )
    visit_date = fields.Date(tracking=True)
    research_report = fields.Html(
        groups="islah_beneficiary.group_islah_beneficiary_researcher,"
        "islah_beneficiary.group_islah_beneficiary_committee",
    )
    research_return_reason = fields.Text(readonly=True, copy=False)

    # step 5: the committee and its two-week deadline
    submission_date = fields.Datetime(
        string="Submitted to committee", readonly=True, copy=False, tracking=True
    )
    decision_deadline = fields.Date(readonly=True, copy=False, tracking=True, index=True)
    decided_on = fields.Date(readonly=True, copy=False, tracking=True)
    sla_state = fields.Selection(
        [
            ("on_track", "On track"),
            ("at_risk", "At risk"),
            ("overdue", "Overdue"),
            ("met", "Met"),
            ("missed", "Missed"),
        ],
        string="Deadline status",
        readonly=True,
        copy=False,
        index=True,
    )
    days_to_decision = fields.Integer(compute="_compute_days_to_decision", store=True)

    # step 7: service delivery
    delivery_ids = fields.One2many("islah.service.delivery", "request_id", string="Deliveries")
    currency_id = fields.Many2one(related="company_id.currency_id")
    delivered_amount = fields.Monetary(compute="_compute_delivered_amount", store=True)
    cancel_reason = fields.Text(readonly=True, copy=False)

    @api.model
    def _group_expand_states(self, states, domain):
        return [key for key, _label in self._fields["state"].selection if key != "cancelled"]

    @api.depends("document_ids.received", "document_ids.verified_on")
    def _compute_documents_complete(self):
        for request in self:
            request.documents_complete = all(
                doc.received and doc.verified_on for doc in request.document_ids
            )

    @api.depends("submission_date", "decided_on")
    def _compute_days_to_decision(self):
        for request in self:
            if request.submission_date and request.decided_on:
                request.days_to_decision = (
                    request.decided_on - request.submission_date.date()
                ).days
            else:
                request.days_to_decision = 0

    @api.depends("delivery_ids.amount")
    def _compute_delivered_amount(self):
        for request in self:
            request.delivered_amount = sum(request.delivery_ids.mapped("amount"))

    def _compute_access_url(self):
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

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = (
                    self.env["ir.sequence"].with_company(company).next_by_code("islah.support.request")
                    or "/"
                )
        requests = super().create(vals_list)
        for request in requests.filtered(lambda r: not r.document_ids):
            request._prepare_document_checklist()
        return requests

    def write(self, vals):
        locked = {"beneficiary_id", "service_type_id", "company_id"}
        if locked & vals.keys() and not self.env.su:
            if decided := self.filtered(lambda r: r.state in DECIDED_STATES):
                raise UserError(
                    self.env._(
                        "Request %(name)s has been decided: its beneficiary and service "
                        "can no longer change.",
                        name=decided[0].name,
                    )
                )
        return super().write(vals)

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
                        "Request %(name)s is in the step \"%(state)s\": this action is not "
                        "possible now.",
                        name=request.name,
                        state=state_label[request.state],
                    )
                )

    def action_start_verification(self):
        """Step 2: the officer checks the data and documents."""
        self._check_state("received")
        self.write({"state": "verification"})
        return True

    def action_verify_data(self):
        """The officer has matched the applicant's data against their documents."""
        self._check_state("received", "verification")
        self.write({"data_verified_by_id": self.env.uid, "data_verified_on": fields.Datetime.now()})
        return True

    def action_record_declaration(self):
        """Step 4: the applicant declares being responsible for the data's correctness."""
        self._check_state("received", "verification")
        self.write({"declaration_accepted": True, "declaration_date": fields.Datetime.now()})
        return True

    def _verification_problems(self):
        """What still blocks leaving verification, as translated sentences."""
        self.ensure_one()
        problems = []
        missing = self.document_ids.filtered(lambda d: not d.received)
        if missing:
            problems.append(
                self.env._(
                    "documents not received: %(docs)s",
                    docs=", ".join(missing.document_type_id.mapped("name")),
                )
            )
        unverified = self.document_ids.filtered(lambda d: d.received and not d.verified_on)
        if unverified:
            problems.append(
                self.env._(
                    "documents not verified: %(docs)s",
                    docs=", ".join(unverified.document_type_id.mapped("name")),
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
        self._check_state("verification")
        for request in self:
            if problems := request._verification_problems():
                raise UserError(
                    self.env._(
                        "Request %(name)s cannot leave verification: %(problems)s.",
                        name=request.name,
                        problems="; ".join(problems),
                    )
                )
            if request.service_type_id.needs_research:
                request.write({"state": "research", "research_return_reason": False})
            elif request.service_type_id.needs_committee:
                request._enter_committee()
            else:
                request.write({"state": "approved", "decided_on": fields.Date.context_today(self)})
        return True

    def action_submit_research(self):
        """Step 3 done: the researcher's visit and report go to the committee."""
        self._check_state("research")
        for request in self:
            if not request.researcher_id:
                raise UserError(
                    self.env._("Assign a social researcher to %(name)s first.", name=request.name)
                )
            report = request.sudo().research_report
            if not request.visit_date or not report or not report.striptags().strip():
                raise UserError(
                    self.env._(
                        "Record the visit date and the research report of %(name)s "
                        "before submitting it to the committee.",
                        name=request.name,
                    )
                )
            if request.service_type_id.needs_committee:
                request._enter_committee()
            else:
                request.write({"state": "approved", "decided_on": fields.Date.context_today(self)})
        return True

    def action_return_to_verification(self, reason=None):
        """The researcher sends the request back, saying why."""
        self._check_state("research")
        reason = reason or self.env.context.get("islah_return_reason")
        if not reason or not reason.strip():
            raise UserError(self.env._("Say why the request goes back to verification."))
        for request in self:
            request.write({"state": "verification", "research_return_reason": reason})
            request.message_post(
                body=self.env._("Sent back to verification: %(reason)s", reason=reason)
            )
        return True

    def _enter_committee(self):
        """Step 5: submit to the Research Committee and start the deadline clock."""
        now = fields.Datetime.now()
        for request in self:
            request.write(
                {
                    "state": "committee",
                    "submission_date": now,
                    "decision_deadline": request._compute_deadline(now),
                    "sla_state": "on_track",
                }
            )
        self._update_sla_states()

    def _compute_deadline(self, start):
        """The decision deadline: the service's days, else the company's
        (14 calendar days by default), or working days of the company's
        calendar (its public holidays as leaves) when so configured."""
        self.ensure_one()
        company = self.company_id
        days = self.service_type_id.decision_days or company.islah_decision_days or 14
        calendar = company.resource_calendar_id
        if company.islah_deadline_working_days and calendar:
            deadline = calendar.plan_days(days, start, compute_leaves=True)
            if deadline:
                return deadline.date()
        return (start + timedelta(days=days)).date()

    def _apply_decision(self, outcome, decided_on=None):
        """A final decision (committee issue): approved or rejected, deadline met or missed."""
        if outcome not in ("approved", "rejected"):
            raise UserError(self.env._("A final decision is either approved or rejected."))
        self._check_state("committee")
        decided_on = decided_on or fields.Date.context_today(self)
        for request in self:
            met = not request.decision_deadline or decided_on <= request.decision_deadline
            request.write(
                {"state": outcome, "decided_on": decided_on, "sla_state": "met" if met else "missed"}
            )
        return True

    def action_start_service(self):
        """Step 6 done: registration complete, the service can be delivered."""
        self._check_state("approved")
        for request in self:
            if request.beneficiary_id.state != "registered":
                raise UserError(
                    self.env._(
                        "Complete the registration of %(name)s before the service starts.",
                        name=request.beneficiary_id.name,
                    )
                )
        self.write({"state": "in_service"})
        return True

    def action_done(self):
        """Step 7 done: at least one delivery was recorded."""
        self._check_state("in_service")
        for request in self:
            if not request.delivery_ids:
                raise UserError(
                    self.env._(
                        "Record at least one delivery of %(name)s before closing it.",
                        name=request.name,
                    )
                )
        self.write({"state": "done"})
        return True

    def action_cancel(self, reason=None):
        self._check_state(*OPEN_STATES, "approved")
        reason = reason or self.env.context.get("islah_cancel_reason")
        if not reason or not reason.strip():
            raise UserError(self.env._("Say why the request is cancelled."))
        self.write({"state": "cancelled", "cancel_reason": reason})
        for request in self:
            request.message_post(body=self.env._("Cancelled: %(reason)s", reason=reason))
        return True

    # ------------------------------------------------------------------
    # Deadline (SLA) states
    # ------------------------------------------------------------------

    @api.model
    def _update_sla_states(self):
        """Bring every open committee deadline up to date in one set-based pass:
        one search and one UPDATE per status, whatever the number of requests."""
        today = fields.Date.context_today(self)
        at_risk_days = self.env.company.islah_at_risk_days
        base = Domain("state", "=", "committee") & Domain("decision_deadline", "!=", False)
        targets = {
            "overdue": base & Domain("decision_deadline", "<", today),
            "at_risk": base
            & Domain("decision_deadline", ">=", today)
            & Domain("decision_deadline", "<=", today + timedelta(days=at_risk_days)),
            "on_track": base & Domain("decision_deadline", ">", today + timedelta(days=at_risk_days)),
        }
        changed = self.browse()
        for sla_state, domain in targets.items():
            stale = self.sudo().search(domain & Domain("sla_state", "!=", sla_state))
            stale.write({"sla_state": sla_state})
            changed |= stale
        return changed

    @api.model
    def _cron_update_sla_states(self):
        self._update_sla_states()
