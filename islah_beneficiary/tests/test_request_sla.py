import logging
from datetime import date, datetime
from unittest.mock import patch

from odoo import fields
from odoo.tests import freeze_time, tagged

from odoo.addons.base_automation.models.base_automation import BaseAutomation

from .common import IslahCommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install", "islah_request_sla")
class TestRequestSla(IslahCommon):
    """The committee's deadline: computed on submission, in calendar or
    working days, and its status kept current (on track, at risk, overdue,
    then met or missed)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "islah_decision_days": 14,
                "islah_at_risk_days": 3,
                "islah_deadline_working_days": False,
            }
        )
        cls.beneficiary = cls._create_beneficiary(name="SLA Beneficiary")

    def _submitted(self, when="2026-03-01 09:00:00", **vals):
        with freeze_time(when):
            return self._request_in_state("committee", self.beneficiary, **vals)

    def _sla_on(self, request, day):
        with freeze_time(day):
            self.env["islah.support.request"]._cron_update_sla_states()
        return request.sla_state

    def test_calendar_days_deadline(self):
        request = self._submitted()
        self.assertEqual(request.submission_date, datetime(2026, 3, 1, 9, 0))
        self.assertEqual(request.decision_deadline, date(2026, 3, 15))
        self.assertEqual(request.sla_state, "on_track")

    def test_boundary_days(self):
        """At risk from ``at_risk_days`` before the deadline up to the deadline
        day itself; overdue only from the day after."""
        request = self._submitted()
        self.assertEqual(self._sla_on(request, "2026-03-11 10:00:00"), "on_track")
        self.assertEqual(self._sla_on(request, "2026-03-12 10:00:00"), "at_risk")
        self.assertEqual(self._sla_on(request, "2026-03-15 12:00:00"), "at_risk")
        self.assertEqual(self._sla_on(request, "2026-03-16 09:00:00"), "overdue")
        # the state is stored and searchable
        Request = self.env["islah.support.request"]
        self.assertIn(request, Request.search([("sla_state", "=", "overdue")]))
        self.assertNotIn(request, Request.search([("sla_state", "=", "at_risk")]))
        # back on track if the deadline is moved (e.g. by a manager, as superuser)
        request.sudo().decision_deadline = date(2026, 4, 30)
        self.assertEqual(self._sla_on(request, "2026-03-16 10:00:00"), "on_track")

    def test_no_warning_days(self):
        self.company.islah_at_risk_days = 0
        request = self._submitted()
        self.assertEqual(self._sla_on(request, "2026-03-14 10:00:00"), "on_track")
        self.assertEqual(self._sla_on(request, "2026-03-15 10:00:00"), "at_risk")
        self.assertEqual(self._sla_on(request, "2026-03-16 10:00:00"), "overdue")

    def test_met_on_deadline_day(self):
        request = self._submitted()
        with freeze_time("2026-03-15 12:00:00"):
            request._apply_decision("approved")
        self.assertEqual(request.sla_state, "met")
        self.assertEqual(request.decided_on, date(2026, 3, 15))
        self.assertEqual(request.decision_days_taken, 14)
        # decided requests are left alone by the cron
        self.assertEqual(self._sla_on(request, "2026-04-01 10:00:00"), "met")

    def test_missed_the_day_after(self):
        request = self._submitted()
        request._apply_decision("rejected", decided_on=date(2026, 3, 16))
        self.assertEqual(request.state, "rejected")
        self.assertEqual(request.sla_state, "missed")

    def test_update_only_given_requests(self):
        first = self._submitted()
        second = self._submitted()
        with freeze_time("2026-03-20 10:00:00"):
            changed = first._update_sla_states()
        self.assertEqual(changed, first)
        self.assertEqual(first.sla_state, "overdue")
        self.assertEqual(second.sla_state, "on_track")

    def test_at_risk_days_per_company(self):
        company = self.env["res.company"].create({"name": "SLA Branch", "islah_at_risk_days": 1})
        beneficiary = self._create_beneficiary(company_id=company.id)
        with freeze_time("2026-03-01 09:00:00"):
            other = self._request_in_state("committee", beneficiary, company_id=company.id)
        main = self._submitted()
        self._sla_on(main, "2026-03-13 10:00:00")
        self.assertEqual(main.sla_state, "at_risk")
        self.assertEqual(other.sla_state, "on_track")

    def test_working_days_deadline(self):
        """Sunday to Thursday, a public holiday as a global leave: the
        deadline skips Fridays, Saturdays and the holiday."""
        calendar = self.env["resource.calendar"].create(
            {
                "name": "Saudi week (test)",
                "tz": "Asia/Riyadh",
                "attendance_ids": [
                    fields.Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 8,
                            "hour_to": 16,
                            "day_period": "morning",
                        }
                    )
                    for day in (6, 0, 1, 2, 3)  # Sunday, Monday ... Thursday
                ],
            }
        )
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday (test)",
                "calendar_id": calendar.id,
                # Wednesday 4 March 2026, whole day in Riyadh (UTC+3)
                "date_from": datetime(2026, 3, 3, 21, 0),
                "date_to": datetime(2026, 3, 4, 20, 59, 59),
            }
        )
        self.company.write(
            {
                "resource_calendar_id": calendar.id,
                "islah_deadline_working_days": True,
                "islah_decision_days": 5,
            }
        )
        # submitted on Sunday 1 March: Mon 2, Tue 3, (Wed 4 holiday), Thu 5,
        # (Fri 6, Sat 7), Sun 8, Mon 9
        request = self._submitted()
        self.assertEqual(request.decision_deadline, date(2026, 3, 9))
        # submitted on Thursday 5 March: Sun 8, Mon 9, Tue 10, Wed 11, Thu 12
        request = self._submitted("2026-03-05 09:00:00")
        self.assertEqual(request.decision_deadline, date(2026, 3, 12))
        # calendar days again when the setting is off
        self.company.islah_deadline_working_days = False
        request = self._submitted()
        self.assertEqual(request.decision_deadline, date(2026, 3, 6))

    def test_update_is_set_based(self):
        """Updating 50 stale requests costs the same queries as 5. The rules
        the changes fire (one to-do or e-mail per request, by nature) are
        recorded instead of run: the pass itself is measured, and it hands
        each rule exactly the requests that changed."""
        processed = {}

        def record_process(automation, records, domain_post=None):
            processed.setdefault(automation.id, self.env["islah.support.request"])
            processed[automation.id] |= records

        def stale_requests(count):
            requests = self.env["islah.support.request"]
            for _i in range(count):
                requests |= self._submitted()
            # half overdue, half at risk, all still marked on track
            requests.sudo().write({"sla_state": "on_track"})
            requests[: count // 2].sudo().write({"decision_deadline": date(2026, 3, 10)})
            requests[count // 2 :].sudo().write({"decision_deadline": date(2026, 3, 21)})
            self.env.flush_all()
            self.env.invalidate_all()
            return requests

        def count_queries(requests):
            processed.clear()
            with (
                freeze_time("2026-03-20 10:00:00"),
                patch.object(BaseAutomation, "_process", autospec=True, side_effect=record_process),
            ):
                before = self.env.cr.sql_log_count
                self.env["islah.support.request"]._cron_update_sla_states()
                self.env.flush_all()
                spent = self.env.cr.sql_log_count - before
            self.assertEqual(set(requests.mapped("sla_state")), {"overdue", "at_risk"})
            half = len(requests) // 2
            at_risk = self.env.ref("islah_beneficiary.base_automation_request_at_risk")
            escalation = self.env.ref("islah_beneficiary.base_automation_request_escalation")
            self.assertEqual(processed[at_risk.id], requests[half:])
            self.assertEqual(processed[escalation.id], requests[:half])
            return spent

        count_queries(stale_requests(2))  # warm the caches
        few = count_queries(stale_requests(5))
        # the first batch is no longer stale: same situation for the second run
        many = count_queries(stale_requests(50))
        _logger.info("SLA update: 5 stale requests %s queries, 50 stale requests %s", few, many)
        self.assertEqual(few, many, f"5 requests: {few} queries, 50 requests: {many}")

    def test_pass_query_count(self):
        """The whole pass, rules included, costs a constant number of queries
        whatever the number of requests: here 3 then 30 stale requests back on
        track (no rule fires), beside others whose status holds."""
        current = self._submitted()
        with freeze_time("2026-03-02 10:00:00"):  # the other requests (demo) current
            self.env["islah.support.request"]._update_sla_states()
        for count in (3, 30):
            requests = self.env["islah.support.request"]
            for _i in range(count):
                requests |= self._submitted()
            requests.sudo().write({"sla_state": "at_risk"})
            self.env.flush_all()
            self.env.invalidate_all()
            with freeze_time("2026-03-02 10:00:00"), self.assertQueryCount(6):
                # what the cron runs: every request
                changed = self.env["islah.support.request"]._update_sla_states()
            self.assertEqual(changed, requests)
            self.assertEqual(set(requests.mapped("sla_state")), {"on_track"})
            self.assertEqual(current.sla_state, "on_track")
