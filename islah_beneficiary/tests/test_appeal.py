"""Appeals of a rejection: the window, the path through a meeting, the
first decision shown to the members, the outcome applied to the request,
the access of each role and the figures, which count appeals apart."""

from datetime import date, datetime

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.service.model import call_kw
from odoo.tests import freeze_time, tagged

from .common import IslahCommitteeCommon

FIRST_MEETING = datetime(2026, 3, 1, 9, 0)


class IslahAppealCommon(IslahCommitteeCommon):
    """A request rejected at a meeting of 1 March 2026 (decided that day),
    voted by the chair, the secretary and member C (member D absent)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.islah_appeal_days = 30
        cls.website = cls.env.ref("islah_beneficiary.utm_medium_website")
        # other planned meetings (demo data) would take the appeals first
        cls.env["islah.committee.meeting"].search([("state", "=", "draft")]).write(
            {"date_start": datetime(2020, 1, 1, 9, 0)}
        )

    def _rejected_request(self, beneficiary=None, when=FIRST_MEETING):
        request = self._committee_request(beneficiary=beneficiary)
        meeting = self._meeting(
            requests=request,
            attendees=self.chair | self.secretary | self.member_c,
            date_start=when,
        )
        self._vote_all(meeting.decision_ids, "reject")
        meeting.decision_ids.with_user(self.secretary).reason = "Income above the limit"
        meeting.with_user(self.chair).action_close()
        self.assertEqual(request.state, "rejected")
        self.assertEqual(request.decided_on, when.date())
        return request

    def _appeal(self, request, user=None, **vals):
        user = user or self.officer_men
        appeal = (
            self.env["islah.appeal"]
            .with_user(user)
            .create(
                {
                    "request_id": request.id,
                    "reason": "We have new information about our income.",
                    "channel_id": self.channel_interview.id,
                    **vals,
                }
            )
        )
        appeal.action_submit()
        return appeal

    def _appeal_meeting(self, **vals):
        """The next planned meeting (after the frozen now), every member attending."""
        return self._meeting(date_start=datetime(2026, 3, 15, 9, 0), **vals)


@tagged("post_install", "-at_install", "islah_appeal")
class TestAppealWindow(IslahAppealCommon):
    def test_inside_the_window(self):
        request = self._rejected_request()
        self.assertEqual(request.appeal_deadline, date(2026, 3, 31))
        with freeze_time("2026-03-10 08:00:00"):
            appeal = self._appeal(request)
        self.assertEqual(appeal.state, "submitted")
        self.assertTrue(appeal.name.startswith("AP/"))
        self.assertEqual(appeal.section, "men")
        self.assertEqual(appeal.first_decision_id, request.final_decision_id)
        self.assertEqual(appeal.first_reason, "Income above the limit")
        self.assertEqual(appeal.deadline, date(2026, 3, 31))

    def test_edge_day_and_day_after(self):
        request = self._rejected_request()
        with (
            freeze_time("2026-04-01 08:00:00"),
            self.assertRaisesRegex(UserError, "time to appeal has passed"),
        ):
            self._appeal(request)
        with freeze_time("2026-03-31 20:00:00"):
            # the last day, in the user's time zone (UTC here)
            self.assertEqual(self._appeal(request).state, "submitted")

    def test_window_follows_the_setting(self):
        request = self._rejected_request()
        self.company.islah_appeal_days = 5
        with freeze_time("2026-03-07 08:00:00"), self.assertRaises(UserError):
            self._appeal(request)
        with freeze_time("2026-03-06 08:00:00"):
            self._appeal(request)

    def test_window_counts_from_the_notification(self):
        request = self._rejected_request()
        decision = request.final_decision_id
        decision.with_user(self.secretary).action_record_notification(
            "letter", datetime(2026, 3, 10, 9, 0)
        )
        self.assertEqual(request.appeal_deadline, date(2026, 4, 9))
        with freeze_time("2026-04-09 08:00:00"):
            self._appeal(request)

    def test_submit_rechecks_the_window(self):
        """A draft recorded in time but submitted late is refused."""
        request = self._rejected_request()
        with freeze_time("2026-03-30 08:00:00"):
            draft = (
                self.env["islah.appeal"]
                .with_user(self.officer_men)
                .create({"request_id": request.id, "reason": "x"})
            )
        with freeze_time("2026-04-02 08:00:00"), self.assertRaises(UserError):
            draft.action_submit()
        self.assertEqual(draft.state, "draft")

    def test_one_open_appeal_per_request(self):
        request = self._rejected_request()
        with freeze_time("2026-03-05 08:00:00"):
            first = self._appeal(request)
            with self.assertRaisesRegex(UserError, "already has an open appeal"):
                self._appeal(request)
            first.action_cancel()
            self.assertEqual(first.state, "cancelled")
            self._appeal(request)

    def test_only_a_rejected_request(self):
        request = self._committee_request()
        with self.assertRaisesRegex(UserError, "Only a rejected request"):
            self._appeal(request)

    def test_officer_of_the_other_section_refused(self):
        request = self._rejected_request()
        with freeze_time("2026-03-05 08:00:00"):
            with self.assertRaises(AccessError):
                call_kw(
                    self.env["islah.appeal"].with_user(self.officer_women),
                    "create",
                    [{"request_id": request.id, "reason": "x"}],
                    {},
                )
            appeal = self._appeal(request)
            for method, args in (("read", [["name"]]), ("action_cancel", [])):
                with self.assertRaises(AccessError):
                    call_kw(
                        self.env["islah.appeal"].with_user(self.officer_women),
                        method,
                        [appeal.ids, *args],
                        {},
                    )
            found = call_kw(
                self.env["islah.appeal"].with_user(self.officer_women),
                "search_read",
                [[("id", "=", appeal.id)], ["name"]],
                {},
            )
            self.assertEqual(found, [])

    def test_steps_are_role_checked(self):
        request = self._rejected_request()
        with freeze_time("2026-03-05 08:00:00"):
            appeal = self._appeal(request)
        # the state and outcome are the flow's
        for vals in ({"state": "decided"}, {"outcome": "overturned"}, {"reason": "changed"}):
            with self.assertRaises(UserError):
                call_kw(
                    self.env["islah.appeal"].with_user(self.officer_men),
                    "write",
                    [appeal.ids, vals],
                    {},
                )
        # the committee reads, never records or cancels
        with freeze_time("2026-03-05 08:00:00"), self.assertRaises(AccessError):
            call_kw(
                self.env["islah.appeal"].with_user(self.chair),
                "create",
                [{"request_id": request.id, "reason": "x"}],
                {},
            )
        # nobody puts an appeal on an agenda by hand
        meeting = self._appeal_meeting(start=False)
        with self.assertRaises(UserError):
            self.env["islah.committee.decision"].with_user(self.secretary).create(
                {"meeting_id": meeting.id, "request_id": request.id, "appeal_id": appeal.id}
            )


@tagged("post_install", "-at_install", "islah_appeal")
class TestAppealMeeting(IslahAppealCommon):
    def _through_meeting(self, vote):
        request = self._rejected_request()
        with freeze_time("2026-03-05 08:00:00"):
            appeal = self._appeal(request)
            # no meeting planned yet: it waits
            self.assertEqual(appeal.state, "submitted")
            self.assertFalse(appeal.decision_id)
            meeting = self._appeal_meeting()
        self.assertEqual(appeal.state, "scheduled")
        self.assertEqual(appeal.meeting_id, meeting)
        decision = appeal.decision_id
        self.assertEqual(decision.meeting_id, meeting)
        self.assertTrue(decision.is_appeal)
        self.assertEqual(decision.request_id, request)
        self.assertEqual(decision.first_decision_id, request.final_decision_id)
        self.assertEqual(decision.first_outcome, "rejected")
        self.assertEqual(decision.first_reason, "Income above the limit")
        self.assertEqual(decision.appeal_reason, appeal.reason)
        # who voted the first time, as the chair sees the agenda line
        line = decision.with_user(self.chair)
        self.assertEqual(line.first_voter_ids, self.chair | self.secretary | self.member_c)
        flags = {vote.member_id: vote.voted_first_decision for vote in line.vote_ids}
        self.assertEqual(
            flags,
            {self.chair: True, self.secretary: True, self.member_c: True, self.member_d: False},
        )
        # the members read the appeal on their meeting's agenda
        self.assertEqual(appeal.with_user(self.member_d).read(["name"])[0]["name"], appeal.name)
        self.assertFalse(
            self.env["islah.appeal"].with_user(self.outsider).search([("id", "=", appeal.id)])
        )
        self._vote_all(decision, vote)
        if vote == "reject":
            decision.with_user(self.secretary).reason = "No new fact"
        meeting.with_user(self.chair).action_close()
        return request, appeal, decision

    def test_overturned_request_is_approved(self):
        request, appeal, decision = self._through_meeting("approve")
        self.assertEqual(decision.outcome, "approved")
        self.assertEqual(appeal.state, "decided")
        self.assertEqual(appeal.outcome, "overturned")
        self.assertTrue(appeal.decided_on)
        self.assertEqual(request.state, "approved")
        # the first decision stays the request's: its date and deadline
        self.assertEqual(request.final_decision_id, appeal.first_decision_id)
        self.assertEqual(request.decided_on, date(2026, 3, 1))
        # approved on appeal: the service can start (the next step of the flow)
        self.assertTrue(request.with_user(self.officer_men).can_start_service)

    def test_portal_timeline_tells_the_appeal(self):
        """Overturned on appeal: the beneficiary's timeline says it was
        rejected first, then the appeal and its outcome, in order."""
        request, appeal, _decision = self._through_meeting("approve")
        timeline = request.sudo()._islah_portal_timeline()
        labels = [step["label"] for step in timeline]
        states = dict(request._fields["state"]._description_selection(self.env))
        outcomes = dict(appeal._fields["outcome"]._description_selection(self.env))
        rejected = labels.index(states["rejected"])
        self.assertNotIn(states["approved"], labels)
        self.assertEqual(
            labels[rejected + 1 : rejected + 3],
            [f"Appeal {appeal.name} lodged", outcomes["overturned"]],
        )

    def test_upheld_request_stays_rejected(self):
        request, appeal, decision = self._through_meeting("reject")
        self.assertEqual(decision.outcome, "rejected")
        self.assertEqual(appeal.outcome, "upheld")
        self.assertEqual(request.state, "rejected")
        # decided: the decision on an appeal is final
        with freeze_time("2026-03-20 08:00:00"), self.assertRaisesRegex(UserError, "is final"):
            self._appeal(request)

    def test_deferred_appeal_waits_for_the_next_meeting(self):
        request = self._rejected_request()
        with freeze_time("2026-03-05 08:00:00"):
            appeal = self._appeal(request)
            meeting = self._appeal_meeting()
            decision = appeal.decision_id
            self._vote_all(decision, "abstain")
            decision.with_user(self.secretary).reason = "Documents to check"
            meeting.with_user(self.chair).action_close()
            self.assertEqual(decision.outcome, "deferred")
            self.assertEqual(appeal.state, "submitted")
            later = self._meeting(date_start=datetime(2026, 3, 29, 9, 0), start=False)
        self.assertEqual(appeal.state, "scheduled")
        self.assertEqual(appeal.meeting_id, later)
        self.assertEqual(request.state, "rejected")

    def test_planned_meeting_takes_the_appeal_at_once(self):
        request = self._rejected_request()
        with freeze_time("2026-03-05 08:00:00"):
            meeting = self._appeal_meeting(start=False)
            appeal = self._appeal(request)
        self.assertEqual(appeal.meeting_id, meeting)
        # taken off the agenda: waits again; deleting the meeting too
        with freeze_time("2026-03-05 09:00:00"):
            appeal.decision_id.with_user(self.secretary).unlink()
            self.assertEqual(appeal.state, "submitted")
            meeting.with_user(self.secretary).action_pull_requests()
            self.assertEqual(appeal.state, "scheduled")
            meeting.with_user(self.secretary).unlink()
        self.assertEqual(appeal.state, "submitted")

    def test_no_more_information_on_appeal(self):
        request = self._rejected_request()
        with freeze_time("2026-03-05 08:00:00"):
            appeal = self._appeal(request)
            self._appeal_meeting()
        with self.assertRaises(ValidationError):
            appeal.decision_id.with_user(self.chair).write(
                {"override_outcome": "more_information", "override_reason": "x"}
            )

    def test_cancel_takes_the_appeal_off_the_agenda(self):
        request = self._rejected_request()
        with freeze_time("2026-03-05 08:00:00"):
            meeting = self._appeal_meeting(start=False)
            appeal = self._appeal(request)
            appeal.with_user(self.officer_men).action_cancel()
        self.assertEqual(appeal.state, "cancelled")
        self.assertFalse(meeting.decision_ids)


@tagged("post_install", "-at_install", "islah_appeal")
class TestAppealFigures(IslahAppealCommon):
    def test_appeal_decisions_counted_apart(self):
        request = self._rejected_request()
        with freeze_time("2026-03-05 08:00:00"):
            appeal = self._appeal(request)
            meeting = self._appeal_meeting()
        self._vote_all(appeal.decision_id, "approve")
        meeting.with_user(self.chair).action_close()
        self.assertEqual(request.state, "approved")
        report = self.env["islah.request.xlsx.report"].with_user(self.manager)
        domain = [("id", "=", request.id)]
        figures = report._summary_indicators(Domain(domain))
        # one request, one first decision (a rejection), one appeal overturned
        self.assertEqual(figures["decided"], 1)
        self.assertEqual(figures["rejected"], 1)
        self.assertEqual(figures["approved"], 0)
        self.assertEqual(figures["appeals"], 1)
        self.assertEqual(figures["appeals_overturned"], 1)
        self.assertEqual(figures["appeals_upheld"], 0)
        # the decisions: one first decision, one appeal decision
        Decision = self.env["islah.committee.decision"].with_user(self.manager)
        groups = dict(
            Decision._read_group([("request_id", "=", request.id)], ["is_appeal"], ["__count"])
        )
        self.assertEqual(groups, {False: 1, True: 1})
