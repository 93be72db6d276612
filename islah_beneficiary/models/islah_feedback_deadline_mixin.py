from datetime import datetime, time, timedelta

from odoo import api, fields, models

from ..tools.deadline_pass import update_deadline_states

DEFAULT_FEEDBACK_RESPONSE_DAYS = 5


class IslahFeedbackDeadlineMixin(models.AbstractModel):
    """The response deadline of a suggestion or complaint: working days of
    the company's calendar (Sunday to Thursday, its public holidays as
    leaves), a status kept current by a daily set-based pass, the escalation
    to a manager of the section when it becomes overdue, and the days the
    answer took."""

    _name = "islah.feedback.deadline.mixin"
    _description = "Suggestion or complaint with a response deadline"

    deadline = fields.Date(
        string="Response deadline", readonly=True, copy=False, tracking=True, index=True
    )
    sla_state = fields.Selection(
        [("on_time", "On time"), ("at_risk", "At risk"), ("overdue", "Overdue")],
        string="Deadline status",
        readonly=True,
        copy=False,
        index=True,
        default="on_time",
    )
    answer_days = fields.Integer(
        string="Days to answer",
        compute="_compute_answer_days",
        store=True,
        help="Calendar days from receipt to the written answer.",
    )
    answered_on_time = fields.Boolean(
        compute="_compute_answer_days",
        store=True,
        help="The answer was sent on or before the response deadline.",
    )

    @api.depends("received_on", "answered_on", "deadline")
    def _compute_answer_days(self):
        for feedback in self:
            if feedback.received_on and feedback.answered_on:
                answered_day = fields.Date.context_today(feedback, feedback.answered_on)
                received_day = fields.Date.context_today(feedback, feedback.received_on)
                feedback.answer_days = (answered_day - received_day).days
                feedback.answered_on_time = bool(
                    not feedback.deadline or answered_day <= feedback.deadline
                )
            else:
                feedback.answer_days = 0
                feedback.answered_on_time = False

    def _islah_feedback_response_days(self):
        self.ensure_one()
        return self.company_id.islah_feedback_response_days or DEFAULT_FEEDBACK_RESPONSE_DAYS

    def _islah_deadline_from(self, start):
        """The response deadline of a receipt at ``start``: the company's
        response days (5 by default) in working days of its calendar, its
        public holidays as leaves; calendar days when it has no calendar.
        The day of receipt does not count (as for the committee's deadline)."""
        self.ensure_one()
        days = self._islah_feedback_response_days()
        calendar = self.company_id.resource_calendar_id
        start_day = fields.Date.context_today(self, start)
        if calendar:
            next_day = datetime.combine(start_day + timedelta(days=1), time.min)
            deadline = calendar.plan_days(days, next_day, compute_leaves=True)
            if deadline:
                return deadline.date()
        return start_day + timedelta(days=days)

    def _islah_set_deadline(self):
        for feedback in self:
            feedback.deadline = feedback._islah_deadline_from(feedback.received_on)
        self._update_sla_states()

    # ------------------------------------------------------------------
    # The deadline-status pass
    # ------------------------------------------------------------------

    def _update_sla_states(self):
        """Bring the open response deadlines up to date in one UPDATE for
        every company (each against its company's at-risk days), then
        escalate those that became overdue. On an empty recordset (the
        cron), every open record; otherwise only these. Returns the changed
        ones. The deadline day itself is at risk; overdue from the next day."""
        rows = update_deadline_states(self, "deadline", ("new", "in_progress"), "on_time")
        changed = self.browse(row[0] for row in rows)
        if changed:
            overdue = self.browse(row[0] for row in rows if row[2] == "overdue")
            # sudo: the pass runs for every section, as the cron does; the
            # escalation (a to-do and a note for a manager of the section)
            # is islah.feedback.mail.mixin's
            overdue.sudo()._islah_escalate_overdue()
        return changed

    @api.model
    def _cron_update_sla_states(self):
        self.browse()._update_sla_states()
