from datetime import datetime, time, timedelta

from odoo import api, fields, models

from odoo.addons.base_automation.models.base_automation import WRITE_TRIGGERS

from ..tools.deadline_pass import update_deadline_states

DEFAULT_DECISION_DAYS = 14


class IslahRequestDeadlineMixin(models.AbstractModel):
    """The Research Committee's decision deadline of a request (step 5 of the
    policy): the days it has, the deadline computed on submission, its status
    kept current by a daily pass, and the days the decision took.

    The company's ``islah_at_risk_days`` is the one setting behind "at risk":
    the at-risk and escalation automations fire on the change of
    ``sla_state`` that the pass makes, not on a delay of their own."""

    _name = "islah.request.deadline.mixin"
    _description = "Request with a committee decision deadline"

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
    # the string of the former ``days_to_decision``: its translations hold
    decision_days_taken = fields.Integer(
        string="Days To Decision", compute="_compute_decision_days_taken", store=True
    )
    decision_days_allowed = fields.Integer(
        string="Decision deadline (days)",
        compute="_compute_decision_days_allowed",
        help="Days the Research Committee has to decide: the service's, else the company's.",
    )

    @api.depends("service_type_id.decision_days", "company_id.islah_decision_days")
    def _compute_decision_days_allowed(self):
        for request in self:
            request.decision_days_allowed = request._islah_decision_days_allowed()

    @api.depends("submission_date", "decided_on")
    def _compute_decision_days_taken(self):
        for request in self:
            if request.submission_date and request.decided_on:
                request.decision_days_taken = (
                    request.decided_on - request.submission_date.date()
                ).days
            else:
                request.decision_days_taken = 0

    def _islah_decision_days_allowed(self):
        """How many days the committee has: the service's, else the company's."""
        self.ensure_one()
        return (
            self.service_type_id.decision_days
            or self.company_id.islah_decision_days
            or DEFAULT_DECISION_DAYS
        )

    def _islah_deadline_from(self, start):
        """The decision deadline of a submission at ``start``: the days
        allowed in calendar days (14 by default), or working days of the
        company's calendar (its public holidays as leaves) when so configured.
        The day of submission does not count."""
        self.ensure_one()
        company = self.company_id
        days = self._islah_decision_days_allowed()
        calendar = company.resource_calendar_id
        start_day = fields.Date.context_today(self, start)
        if company.islah_deadline_working_days and calendar:
            next_day = datetime.combine(start_day + timedelta(days=1), time.min)
            deadline = calendar.plan_days(days, next_day, compute_leaves=True)
            if deadline:
                return deadline.date()
        return start_day + timedelta(days=days)

    # ------------------------------------------------------------------
    # The deadline-status pass
    # ------------------------------------------------------------------

    def _update_sla_states(self):
        """Bring the open committee deadlines up to date: one UPDATE for all
        the companies (each request against its company's at-risk days),
        whatever the number of requests, then the automations watching
        ``sla_state`` for the requests that changed, and those only. On an empty recordset (the
        cron), every request; otherwise only these. Returns the changed ones.

        The deadline day itself is at risk (also with 0 warning days); a
        request is overdue from the day after its deadline."""
        # the flow writes the state and the deadline just before calling us
        rows = update_deadline_states(self, "decision_deadline", ("committee",), "on_track")
        changed = self.browse(row[0] for row in rows)
        if changed:
            changed._islah_run_sla_automations({rid: old or False for rid, old, _new in rows})
        return changed

    def _islah_run_sla_automations(self, old_states):
        """What an ORM write of ``sla_state`` would have fired on these
        requests, which the set-based UPDATE bypassed: the automation rules
        watching the field (the at-risk to-do, the escalation e-mail), each
        on the requests matching its domain. ``old_states``: ``{id: previous
        sla_state}``, so that rules watching other fields do not fire."""
        old_values = {rid: {"sla_state": old} for rid, old in old_states.items()}
        automations = self.env["base.automation"]._get_actions(self, WRITE_TRIGGERS)
        # those watching the status or every field (what _process would keep),
        # before filtering possibly many records by their domains
        sla_state = self.env["ir.model.fields"]._get(self._name, "sla_state")
        automations = automations.filtered(
            lambda rule: (
                not rule.sudo().trigger_field_ids or sla_state in rule.sudo().trigger_field_ids
            )
        )
        # sudo: as the pass wrote the status (the flow and the cron); the
        # rules' actions run as superuser anyway, as from the ORM write hook
        requests = self.with_env(automations.env).sudo()
        for automation in automations.with_context(old_values=old_values):
            # (a "before update" domain cannot be checked once the rows are
            # updated; the shipped rules on the status have none)
            records, domain_post = automation._filter_post_export_domain(requests, feedback=True)
            automation._process(records, domain_post=domain_post)

    @api.model
    def _cron_update_sla_states(self):
        self.browse()._update_sla_states()
