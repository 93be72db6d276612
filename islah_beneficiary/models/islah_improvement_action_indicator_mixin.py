from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

DEFAULT_MEASURE_DAYS = 90
# the indicators where fewer is better (the others: more is better)
LOWER_IS_BETTER = frozenset({"complaints"})


class IslahImprovementActionIndicatorMixin(models.AbstractModel):
    """The effect of an improvement action, measured from the data: the
    action's indicator over the ``measure_days`` before the action started,
    and over as many days from the day it was done, for the action's
    service and section when set. Never typed: ``_islah_measure()`` writes
    the stored figures (when the action is done, by the Recompute button and
    by a daily pass while the period after is running), so that the figures
    group in the analysis views.

    Each indicator is one method ``_islah_indicator_<code>(date_from,
    date_to)`` returning ``(value, sample size)``: an addon adds an
    indicator by extending the selection and defining its method (the survey
    addon adds the average satisfaction)."""

    _name = "islah.improvement.action.indicator.mixin"
    _description = "Improvement action: indicator before and after"

    indicator = fields.Selection(
        [
            ("deadline_compliance", "Decisions within the deadline (%)"),
            ("complaints", "Complaints received"),
            ("feedback_on_time", "Suggestions and complaints answered on time (%)"),
        ],
        help="What measures the effect of the action, computed from the records over "
        "the period before the action started and the period after it was done.",
    )
    measure_days = fields.Integer(
        string="Measure period (days)",
        default=DEFAULT_MEASURE_DAYS,
        help="Length of each period compared: the days before the action started, "
        "and as many days from the day it was done.",
    )
    started_on = fields.Date(
        string="Started on", readonly=True, copy=False, help="When the work on it began."
    )
    indicator_before = fields.Float(
        string="Before", readonly=True, copy=False, digits=(16, 1), aggregator="avg"
    )
    indicator_after = fields.Float(
        string="After", readonly=True, copy=False, digits=(16, 1), aggregator="avg"
    )
    indicator_effect = fields.Float(
        string="Effect",
        readonly=True,
        copy=False,
        digits=(16, 1),
        aggregator="avg",
        help="The indicator after minus before.",
    )
    indicator_before_count = fields.Integer(
        string="Records before", readonly=True, copy=False, help="How many records measured."
    )
    indicator_after_count = fields.Integer(
        string="Records after", readonly=True, copy=False, help="How many records measured."
    )
    indicator_improved = fields.Boolean(
        string="Improved",
        readonly=True,
        copy=False,
        help="The indicator moved the right way (up, or down for complaints).",
    )
    measured_on = fields.Date(string="Measured on", readonly=True, copy=False)
    before_date_from = fields.Date(compute="_compute_measure_periods", string="Before: from")
    before_date_to = fields.Date(compute="_compute_measure_periods", string="Before: to")
    after_date_from = fields.Date(compute="_compute_measure_periods", string="After: from")
    after_date_to = fields.Date(compute="_compute_measure_periods", string="After: to")

    _islah_measure_days_positive = models.Constraint(
        "CHECK(measure_days > 0)", "The measure period must be at least one day."
    )

    @api.depends("measure_days", "started_on", "create_date", "done_on")
    def _compute_measure_periods(self):
        for action in self:
            periods = action._islah_measure_periods()
            before, after = periods if periods else ((False, False), (False, False))
            action.before_date_from, action.before_date_to = before
            action.after_date_from, action.after_date_to = after or (False, False)

    def _islah_start_day(self):
        """The day the action started: ``started_on``, else its creation."""
        self.ensure_one()
        if self.started_on:
            return self.started_on
        created = self.create_date or fields.Datetime.now()
        return fields.Date.context_today(self, created)

    def _islah_measure_periods(self):
        """``((before_from, before_to), (after_from, after_to) or None)``, both
        ends included: the ``measure_days`` ending the day before the action
        started, and as many from the day it was done (None until done)."""
        self.ensure_one()
        days = max(self.measure_days or DEFAULT_MEASURE_DAYS, 1)
        start = self._islah_start_day()
        before = (start - timedelta(days=days), start - timedelta(days=1))
        after = None
        if self.done_on:
            after = (self.done_on, self.done_on + timedelta(days=days - 1))
        return before, after

    # ------------------------------------------------------------------
    # The indicators
    # ------------------------------------------------------------------

    def _islah_indicator_value(self, date_from, date_to):
        """The action's indicator over ``date_from``..``date_to`` (both
        included), for its service and section when set: a float (0.0 when
        nothing was measured)."""
        return self._islah_indicator_sample(date_from, date_to)[0]

    def _islah_indicator_sample(self, date_from, date_to):
        """``(value, sample size)`` of the action's indicator over the period."""
        self.ensure_one()
        if not self.indicator:
            return 0.0, 0
        method = getattr(self, f"_islah_indicator_{self.indicator}", None)
        if method is None:
            return 0.0, 0
        return method(date_from, date_to)

    def _islah_scope_domain(
        self, service_field="service_type_id", section_field="section", company_field="company_id"
    ):
        """The action's company, service and section, on a measured model."""
        self.ensure_one()
        domain = Domain(company_field, "=", self.company_id.id)
        if self.service_type_id and service_field:
            domain &= Domain(service_field, "=", self.service_type_id.id)
        if self.section and section_field:
            domain &= Domain(section_field, "=", self.section)
        return domain

    @staticmethod
    def _islah_datetime_bounds(field, date_from, date_to):
        """A datetime field between two days, both included."""
        return Domain(field, ">=", fields.Datetime.to_datetime(date_from)) & Domain(
            field, "<", fields.Datetime.to_datetime(date_to + timedelta(days=1))
        )

    @staticmethod
    def _islah_percent(part, total):
        return round(part * 100.0 / total, 1) if total else 0.0

    def _islah_indicator_deadline_compliance(self, date_from, date_to):
        """Of the requests decided in the period (``decided_on``), the share
        decided by their deadline, as the flow counts it: no deadline, or
        decided on or before it (the sla_state "met")."""
        # sudo: figures over every request of the scope, whichever section
        # the reader serves; only counts leave this method
        Request = self.env["islah.support.request"].sudo().with_context(active_test=False)
        domain = (
            self._islah_scope_domain()
            & Domain("decided_on", ">=", date_from)
            & Domain("decided_on", "<=", date_to)
        )
        requests = Request.search_fetch(domain, ["decided_on", "decision_deadline"])
        on_time = sum(
            1 for r in requests if not r.decision_deadline or r.decided_on <= r.decision_deadline
        )
        return self._islah_percent(on_time, len(requests)), len(requests)

    def _islah_feedback_received_field(self):
        """The field of islah.feedback that dates its receipt."""
        Feedback = self.env["islah.feedback"]
        return "received_on" if "received_on" in Feedback._fields else "create_date"

    def _islah_indicator_complaints(self, date_from, date_to):
        """The complaints received in the period."""
        if "islah.feedback" not in self.env:
            return 0.0, 0
        # sudo: a count over every complaint of the scope, even those about the reader
        Feedback = self.env["islah.feedback"].sudo()
        domain = (
            self._islah_scope_domain()
            & Domain("kind", "=", "complaint")
            & Domain("state", "!=", "cancelled")
            & self._islah_datetime_bounds(self._islah_feedback_received_field(), date_from, date_to)
        )
        count = Feedback.search_count(domain)
        return float(count), count

    def _islah_indicator_feedback_on_time(self, date_from, date_to):
        """Of the suggestions and complaints answered in the period
        (``answered_on``), the share answered by their response deadline."""
        if "islah.feedback" not in self.env:
            return 0.0, 0
        # sudo: as above, only counts leave this method
        Feedback = self.env["islah.feedback"].sudo()
        domain = (
            self._islah_scope_domain()
            & Domain("kind", "in", ["suggestion", "complaint"])
            & self._islah_datetime_bounds("answered_on", date_from, date_to)
        )
        answered = Feedback.search_fetch(domain, ["answered_on_time"])
        on_time = len(answered.filtered("answered_on_time"))
        return self._islah_percent(on_time, len(answered)), len(answered)

    # ------------------------------------------------------------------
    # Measuring
    # ------------------------------------------------------------------

    def _islah_measure(self):
        """Compute and store the figures before and after (after: from the
        done date; nothing until done)."""
        today = fields.Date.context_today(self)
        for action in self:
            if not action.indicator:
                continue
            before, after = action._islah_measure_periods()
            value_before, count_before = action._islah_indicator_sample(*before)
            vals = {
                "indicator_before": value_before,
                "indicator_before_count": count_before,
                "measured_on": today,
            }
            if after:
                value_after, count_after = action._islah_indicator_sample(*after)
                effect = round(value_after - value_before, 1)
                better = effect < 0 if action.indicator in LOWER_IS_BETTER else effect > 0
                vals.update(
                    {
                        "indicator_after": value_after,
                        "indicator_after_count": count_after,
                        "indicator_effect": effect,
                        "indicator_improved": better and bool(count_before or count_after),
                    }
                )
            else:
                vals.update(
                    {
                        "indicator_after": 0.0,
                        "indicator_after_count": 0,
                        "indicator_effect": 0.0,
                        "indicator_improved": False,
                    }
                )
            # sudo: the figures are read-only to every user; measuring is the
            # system's (the owner's button and the daily pass alike)
            action.sudo().write(vals)
        return True

    @api.model
    def _cron_islah_measure_actions(self):
        """Re-measure the actions done within their last measure period
        (the period after is still filling up) and those never measured."""
        today = fields.Date.context_today(self)
        # sudo: every company's actions, whichever user runs the pass
        actions = (
            self.sudo()
            .search([("state", "=", "done"), ("indicator", "!=", False)])
            .filtered(
                lambda a: (
                    not a.measured_on
                    or a.done_on + timedelta(days=a.measure_days or DEFAULT_MEASURE_DAYS)
                    >= today - timedelta(days=1)
                )
            )
        )
        actions._islah_measure()
        return actions
