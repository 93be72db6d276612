"""Research Committee: meetings, quorum, votes, decisions and their lock."""

from datetime import date, datetime, timedelta

from psycopg2.errors import UniqueViolation

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import IslahCommitteeCommon


@tagged("post_install", "-at_install", "islah_committee")
class TestCommitteeMeeting(IslahCommitteeCommon):
    def test_sequence_and_members(self):
        meeting = self._meeting(start=False)
        self.assertTrue(meeting.name.startswith("CM/"))
        self.assertEqual(meeting.state, "draft")

    def test_chair_and_attendees_must_be_members(self):
        with self.assertRaises(ValidationError):
            self._meeting(start=False, chair_id=self.outsider.id)
        with self.assertRaises(ValidationError):
            self._meeting(start=False, attendees=self.members | self.outsider)
        with self.assertRaises(ValidationError):
            self._meeting(
                start=False, member_ids=[Command.set((self.members | self.officer_men).ids)]
            )

    def test_only_chair_or_secretary_organise(self):
        with self.assertRaises(AccessError):
            self.env["islah.committee.meeting"].with_user(self.member_c).create(
                {
                    "member_ids": [Command.set(self.members.ids)],
                    "chair_id": self.chair.id,
                    "secretary_id": self.secretary.id,
                }
            )
        meeting = self._meeting(start=False)
        with self.assertRaises(AccessError):
            meeting.with_user(self.member_c).write({"minutes": "<p>mine</p>"})
        with self.assertRaises(UserError):
            meeting.with_user(self.member_c).action_start_session()

    def test_pull_pending_requests(self):
        waiting = self._committee_request() | self._committee_request()
        received = self._create_request()
        elsewhere = self._committee_request()
        self._meeting(requests=elsewhere, start=False)
        meeting = self._meeting(start=False)
        meeting.with_user(self.secretary).action_pull_requests()
        self.assertEqual(
            meeting.decision_ids.request_id & (waiting | received | elsewhere), waiting
        )
        # pulling again adds nothing twice
        meeting.with_user(self.secretary).action_pull_requests()
        self.assertEqual(len(meeting.decision_ids.filtered(lambda d: d.request_id in waiting)), 2)

    def test_request_on_one_open_agenda_only(self):
        request = self._committee_request()
        self._meeting(requests=request, start=False)
        with self.assertRaises(ValidationError):
            self._meeting(requests=request, start=False)

    def test_agenda_only_requests_waiting_for_the_committee(self):
        with self.assertRaises(UserError):
            self._meeting(requests=self._create_request(), start=False)

    def test_start_session_freezes_quorum_and_hands_out_ballots(self):
        request = self._committee_request()
        meeting = self._meeting(
            requests=request, attendees=self.chair | self.secretary | self.member_c
        )
        self.assertEqual(meeting.state, "in_session")
        self.assertEqual(meeting.quorum, 3)
        self.assertEqual(
            meeting.decision_ids.vote_ids.member_id, self.chair | self.secretary | self.member_c
        )
        self.company.islah_committee_quorum = 5
        self.assertEqual(meeting.quorum, 3, "a later setting does not rewrite the meeting")
        self.assertTrue(meeting.quorum_reached)

    def test_attendance_change_updates_ballots(self):
        request = self._committee_request()
        meeting = self._meeting(
            requests=request, attendees=self.chair | self.secretary | self.member_c
        )
        meeting.with_user(self.secretary).write({"attendee_ids": [Command.link(self.member_d.id)]})
        self.assertIn(self.member_d, meeting.decision_ids.vote_ids.member_id)
        meeting.with_user(self.secretary).write(
            {"attendee_ids": [Command.unlink(self.member_c.id)]}
        )
        self.assertNotIn(self.member_c, meeting.decision_ids.vote_ids.member_id)
        # a request added during the session gets ballots too
        late = self._committee_request()
        meeting.with_user(self.secretary).action_pull_requests()
        late_decision = meeting.decision_ids.filtered(lambda d: d.request_id == late)
        self.assertEqual(late_decision.vote_ids.member_id, meeting.attendee_ids)

    def test_quorum_needed_to_decide(self):
        request = self._committee_request()
        meeting = self._meeting(requests=request, attendees=self.chair | self.secretary)
        self.assertFalse(meeting.quorum_reached)
        self._vote_all(meeting.decision_ids, "approve")
        with self.assertRaisesRegex(UserError, "quorum"):
            meeting.with_user(self.chair).action_close()
        self.assertEqual(request.state, "committee")
        meeting.with_user(self.secretary).write({"attendee_ids": [Command.link(self.member_c.id)]})
        self._vote(meeting.decision_ids, member_c="approve")
        meeting.with_user(self.chair).action_close()
        self.assertEqual(request.state, "approved")

    def test_close_needs_every_vote(self):
        request = self._committee_request()
        meeting = self._meeting(requests=request)
        self._vote(meeting.decision_ids, chair="approve", secretary="approve", member_c="approve")
        with self.assertRaisesRegex(UserError, "Member Noura"):
            meeting.with_user(self.secretary).action_close()

    def test_only_chair_secretary_or_manager_close(self):
        """A member or an officer does not close the meeting; since the
        transition table (issue 10) a manager may, as the chair and the
        secretary do."""
        meeting = self._meeting(requests=self._committee_request())
        self._vote_all(meeting.decision_ids, "approve")
        with self.assertRaises(UserError):
            meeting.with_user(self.member_c).action_close()
        with self.assertRaises(UserError):
            meeting.with_user(self.officer_men).action_close()
        self.assertEqual(meeting.state, "in_session")
        meeting.with_user(self.secretary).action_close()
        self.assertEqual(meeting.state, "closed")
        other = self._meeting(requests=self._committee_request())
        self._vote_all(other.decision_ids, "approve")
        other.with_user(self.manager).action_close()
        self.assertEqual(other.state, "closed")


@tagged("post_install", "-at_install", "islah_committee")
class TestCommitteeVoting(IslahCommitteeCommon):
    def setUp(self):
        super().setUp()
        self.request = self._committee_request()
        self.meeting = self._meeting(requests=self.request)
        self.decision = self.meeting.decision_ids

    def _ballot(self, user):
        return self.decision.vote_ids.filtered(lambda v: v.member_id == user)

    def test_member_votes_own_line(self):
        self._ballot(self.member_c).with_user(self.member_c).write(
            {"vote": "reject", "comment": "x"}
        )
        self.assertEqual(self._ballot(self.member_c).vote, "reject")
        self.assertTrue(self._ballot(self.member_c).voted_on)
        self._ballot(self.member_d).with_user(self.member_d).action_vote_abstain()
        self.assertEqual(self._ballot(self.member_d).vote, "abstain")

    def test_member_cannot_vote_for_another(self):
        with self.assertRaisesRegex(UserError, "own line"):
            self._ballot(self.member_d).with_user(self.member_c).write({"vote": "approve"})
        # not the chair, not a manager either (the python check, past the rules)
        with self.assertRaisesRegex(UserError, "own line"):
            self._ballot(self.member_d).with_user(self.chair).write({"vote": "approve"})
        manager = self.manager
        self.meeting.sudo().write(
            {"member_ids": [Command.link(manager.id)], "attendee_ids": [Command.link(manager.id)]}
        )
        with self.assertRaisesRegex(UserError, "own line"):
            self._ballot(self.member_d).with_user(manager).write({"vote": "approve"})
        self.assertFalse(self._ballot(self.member_d).vote)

    def test_non_member_cannot_vote(self):
        ballot = self._ballot(self.member_c)
        with self.assertRaises(AccessError):
            ballot.with_user(self.outsider).write({"vote": "approve"})
        with self.assertRaises(AccessError):
            ballot.with_user(self.officer_men).write({"vote": "approve"})
        # and nobody hands themselves a ballot
        with self.assertRaises(UserError):
            self.env["islah.committee.vote"].with_user(self.outsider).create(
                {"decision_id": self.decision.id, "member_id": self.outsider.id, "vote": "approve"}
            )
        with self.assertRaises(UserError):
            self.env["islah.committee.vote"].with_user(self.manager).create(
                {"decision_id": self.decision.id, "member_id": self.manager.id, "vote": "approve"}
            )

    def test_ballot_cannot_be_moved_to_another_member(self):
        with self.assertRaises(UserError):
            self._ballot(self.member_c).with_user(self.member_c).write(
                {"member_id": self.member_d.id}
            )

    def test_votes_only_during_the_session(self):
        draft = self._meeting(requests=self._committee_request(), start=False)
        draft.action_start_session()
        self._vote_all(draft.decision_ids, "approve")
        draft.with_user(self.secretary).action_close()
        with self.assertRaises(UserError):
            draft.decision_ids.vote_ids.filtered(lambda v: v.member_id == self.member_c).with_user(
                self.member_c
            ).write({"vote": "reject"})

    def test_majority_approves(self):
        self._vote(
            self.decision,
            chair="reject",
            secretary="approve",
            member_c="approve",
            member_d="abstain",
        )
        self.assertEqual((self.decision.approve_count, self.decision.reject_count), (2, 1))
        self.assertEqual(self.decision.proposed_outcome, "approved")

    def test_majority_rejects(self):
        self._vote(
            self.decision,
            chair="approve",
            secretary="reject",
            member_c="reject",
            member_d="abstain",
        )
        self.assertEqual(self.decision.proposed_outcome, "rejected")

    def test_tie_goes_the_chairs_way(self):
        self._vote(
            self.decision,
            chair="reject",
            secretary="approve",
            member_c="approve",
            member_d="reject",
        )
        self.assertEqual(self.decision.vote_result, "rejected")
        self._vote(self.decision, chair="approve")
        self._vote(self.decision, member_c="reject")
        self.assertEqual(self.decision.vote_result, "approved")

    def test_tie_without_chairs_vote_is_deferred(self):
        self._vote(
            self.decision,
            chair="abstain",
            secretary="approve",
            member_c="reject",
            member_d="abstain",
        )
        self.assertEqual(self.decision.vote_result, "deferred")
        self._vote(self.decision, secretary="abstain", member_c="abstain")
        self.assertEqual(self.decision.vote_result, "deferred", "nobody for, nobody against")

    def test_override_only_by_the_chair_with_a_reason(self):
        self._vote_all(self.decision, "approve")
        with self.assertRaisesRegex(UserError, "chair"):
            self.decision.with_user(self.secretary).write(
                {"override_outcome": "deferred", "override_reason": "wait"}
            )
        with self.assertRaisesRegex(UserError, "chair"):
            self.decision.with_user(self.manager).write(
                {"override_outcome": "deferred", "override_reason": "wait"}
            )
        with self.assertRaises(ValidationError):
            self.decision.with_user(self.chair).write({"override_outcome": "deferred"})
        self.decision.with_user(self.chair).write(
            {"override_outcome": "more_information", "override_reason": "Unclear income"}
        )
        self.assertEqual(self.decision.vote_result, "approved")
        self.assertEqual(self.decision.proposed_outcome, "more_information")

    def test_outcome_is_not_written_by_hand(self):
        with self.assertRaises(UserError):
            self.decision.with_user(self.chair).write({"outcome": "approved"})
        with self.assertRaises(UserError):
            self.decision.with_user(self.manager).write({"outcome": "approved"})

    def test_reason_required_for_rejection_deferral_and_information(self):
        self._vote_all(self.decision, "reject")
        with self.assertRaisesRegex(UserError, "reason"):
            self.meeting.with_user(self.secretary).action_close()
        self.decision.with_user(self.secretary).reason = "Income above the threshold"
        self.meeting.with_user(self.secretary).action_close()
        self.assertEqual(self.decision.outcome, "rejected")
        with self.assertRaises(ValidationError):
            self.decision.sudo().reason = False


@tagged("post_install", "-at_install", "islah_committee")
class TestCommitteeDecisions(IslahCommitteeCommon):
    def _decide(self, outcomes, when=date(2026, 3, 1)):
        """One request per outcome on a meeting held on ``when``, then closed."""
        requests = {outcome: self._committee_request() for outcome in outcomes}
        meeting = self._meeting(
            requests=self.env["islah.support.request"].union(*requests.values()),
            date_start=datetime.combine(when, datetime.min.time()) + timedelta(hours=9),
        )
        for outcome, request in requests.items():
            decision = meeting.decision_ids.filtered(lambda d, r=request: d.request_id == r)
            self._vote_all(decision, "reject" if outcome == "rejected" else "approve")
            if outcome in ("deferred", "more_information"):
                decision.with_user(self.chair).write(
                    {"override_outcome": outcome, "override_reason": "Not ready"}
                )
            if outcome != "approved":
                decision.with_user(self.secretary).reason = f"Reason for {outcome}"
        meeting.with_user(self.chair).action_close()
        return meeting, requests

    def test_close_applies_each_decision(self):
        with freeze_time("2026-02-25 08:00:00"):
            meeting, requests = self._decide(
                ["approved", "rejected", "deferred", "more_information"]
            )
        self.assertEqual(meeting.state, "closed")
        self.assertEqual(requests["approved"].state, "approved")
        self.assertEqual(requests["approved"].sla_state, "met")
        self.assertEqual(requests["approved"].decided_on, date(2026, 3, 1))
        self.assertEqual(requests["rejected"].state, "rejected")
        self.assertEqual(requests["approved"].final_decision_id.outcome, "approved")
        # deferred: waits for the next meeting, deadline still running
        self.assertEqual(requests["deferred"].state, "committee")
        self.assertEqual(requests["deferred"].decision_deadline, date(2026, 3, 11))
        self.assertFalse(requests["deferred"].final_decision_id)
        # more information: back to verification, deadline still shown
        info = requests["more_information"]
        self.assertEqual(info.state, "verification")
        self.assertEqual(info.decision_deadline, date(2026, 3, 11))
        self.assertEqual(info.information_request_reason, "Reason for more_information")
        # the deferred request is pulled onto the next meeting; the decided ones are not
        follow_up = self._meeting(start=False)
        follow_up.with_user(self.secretary).action_pull_requests()
        pulled = follow_up.decision_ids.request_id
        self.assertIn(requests["deferred"], pulled)
        self.assertFalse(pulled & (requests["approved"] | requests["rejected"] | info))

    def test_deadline_met_or_missed(self):
        with freeze_time("2026-02-01 08:00:00"):
            on_time = self._committee_request()
            late = self._committee_request()
        self.assertEqual(on_time.decision_deadline, date(2026, 2, 15))
        meeting = self._meeting(requests=on_time, date_start=datetime(2026, 2, 15, 9, 0))
        self._vote_all(meeting.decision_ids, "approve")
        meeting.with_user(self.chair).action_close()
        self.assertEqual((on_time.state, on_time.sla_state), ("approved", "met"))
        meeting = self._meeting(requests=late, date_start=datetime(2026, 2, 16, 9, 0))
        self._vote_all(meeting.decision_ids, "approve")
        meeting.decision_ids.with_user(self.chair).write(
            {"override_outcome": "rejected", "override_reason": "Duplicate of another aid"}
        )
        meeting.decision_ids.with_user(self.secretary).reason = "Already supported this year"
        meeting.with_user(self.chair).action_close()
        self.assertEqual((late.state, late.sla_state), ("rejected", "missed"))
        self.assertEqual(late.decision_days_taken, 15)

    def test_closed_meeting_is_locked_for_everyone(self):
        meeting, requests = self._decide(["approved"])
        decision = meeting.decision_ids
        for user in (self.chair, self.secretary, self.manager):
            with self.assertRaises(UserError):
                decision.with_user(user).write({"reason": "changed afterwards"})
            with self.assertRaises(UserError):
                decision.with_user(user).write({"approved_amount": 500})
            with self.assertRaises(UserError):
                decision.with_user(user).unlink()
            with self.assertRaises(UserError):
                meeting.with_user(user).write({"attendee_ids": [Command.unlink(self.member_d.id)]})
            with self.assertRaises(UserError):
                meeting.with_user(user).unlink()
        with self.assertRaises(UserError):
            decision.vote_ids[:1].with_user(self.manager).unlink()
        own = decision.vote_ids.filtered(lambda v: v.member_id == self.member_c)
        with self.assertRaises(UserError):
            own.with_user(self.member_c).write({"vote": "reject"})
        # the history is intact, and the letter can still be issued
        self.assertEqual(decision.outcome, "approved")
        self.assertEqual(len(decision.vote_ids), 4)
        decision.with_user(self.secretary).action_issue_letter()
        self.assertTrue(decision.letter_number)

    def test_correction_by_a_later_meeting(self):
        """A deferral is corrected by a new decision at a later meeting; the
        first decision stays as it was."""
        meeting, requests = self._decide(["deferred"])
        request = requests["deferred"]
        second = self._meeting(requests=request)
        self._vote_all(second.decision_ids, "approve")
        second.with_user(self.chair).action_close()
        self.assertEqual(request.state, "approved")
        self.assertEqual(sorted(request.decision_ids.mapped("outcome")), ["approved", "deferred"])
        self.assertEqual(meeting.decision_ids.outcome, "deferred")

    def test_one_final_decision_per_request(self):
        meeting, requests = self._decide(["approved"])
        request = requests["approved"]
        later = self._meeting(start=False)
        Decision = self.env["islah.committee.decision"].sudo()
        # python check, with a clear message
        with self.assertRaisesRegex(ValidationError, "already has a final decision"):
            Decision.create(
                {"meeting_id": later.id, "request_id": request.id, "outcome": "rejected"}
            )
        # the database index, past the python check
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(UniqueViolation),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                "INSERT INTO islah_committee_decision "
                "(meeting_id, request_id, company_id, outcome) VALUES (%s, %s, %s, 'rejected')",
                (later.id, request.id, self.company.id),
            )

    def test_research_report_shown_read_only_to_members(self):
        request = self._committee_request()
        request.sudo().research_report = "<p>Visited the family: urgent need.</p>"
        meeting = self._meeting(requests=request)
        decision = meeting.decision_ids.with_user(self.member_c)
        self.assertIn("urgent need", decision.research_report)
        self.assertEqual(decision.beneficiary_id.name, request.beneficiary_id.name)
        with self.assertRaises(AccessError):
            request.with_user(self.member_c).write({"research_report": "<p>edited</p>"})
        # the sensitive fields stay out of reach
        with self.assertRaises(AccessError):
            _ = decision.beneficiary_id.national_id

    def test_decision_form_hides_sensitive_fields(self):
        arch = (
            self.env["islah.committee.decision"]
            .with_user(self.member_c)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn("research_report", arch)
        for fname in ("national_id", "monthly_income", "iban"):
            self.assertNotIn(fname, arch)


@tagged("post_install", "-at_install", "islah_committee")
class TestCommitteeAccess(IslahCommitteeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.request_men = cls._committee_request(gender="male")
        cls.request_women = cls._committee_request(gender="female")

    def _closed_meeting(self):
        meeting = self._meeting(requests=self.request_men | self.request_women)
        self._vote_all(meeting.decision_ids, "approve")
        meeting.with_user(self.chair).action_close()
        return meeting

    def test_members_read_their_meetings_only(self):
        meeting = self._meeting(requests=self.request_men, start=False)
        Meeting = self.env["islah.committee.meeting"]
        self.assertIn(meeting, Meeting.with_user(self.member_c).search([]))
        self.assertNotIn(meeting, Meeting.with_user(self.outsider).search([]))
        with self.assertRaises(AccessError):
            meeting.with_user(self.outsider).read(["name"])
        Decision = self.env["islah.committee.decision"]
        self.assertFalse(
            Decision.with_user(self.outsider).search([("meeting_id", "=", meeting.id)])
        )
        self.assertIn(meeting, Meeting.with_user(self.manager).search([]))

    def test_officer_reads_closed_decisions_of_their_section(self):
        meeting = self._meeting(requests=self.request_men | self.request_women)
        Decision = self.env["islah.committee.decision"].with_user(self.officer_men)
        self.assertFalse(Decision.search([("meeting_id", "=", meeting.id)]), "not while in session")
        self._vote_all(meeting.decision_ids, "approve")
        meeting.with_user(self.chair).action_close()
        visible = Decision.search([("meeting_id", "=", meeting.id)])
        self.assertEqual(visible.request_id, self.request_men)
        # officers record how the beneficiary was told, not the decision
        with self.assertRaises(UserError):
            visible.write({"notification_method": "phone", "notified_on": datetime(2026, 3, 2)})
        visible.action_record_notification("phone", datetime(2026, 3, 2, 10, 0))
        self.assertEqual(
            (visible.notification_method, visible.notified_on),
            ("phone", datetime(2026, 3, 2, 10, 0)),
        )
        with self.assertRaises(UserError):
            visible.write({"reason": "other"})
        with self.assertRaises(AccessError):
            meeting.with_user(self.officer_men).read(["name"])
        with self.assertRaises(AccessError):
            self.env["islah.committee.vote"].with_user(self.officer_men).search([])

    def test_researcher_and_plain_users_see_nothing(self):
        self._closed_meeting()
        for user in (self.researcher, self.internal_user, self.portal_user):
            for model in (
                "islah.committee.meeting",
                "islah.committee.decision",
                "islah.committee.vote",
            ):
                with self.assertRaises(AccessError):
                    self.env[model].with_user(user).search([])

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "Other association"})
        meeting = self._meeting(requests=self.request_men)
        self.manager.write({"company_ids": [Command.link(other.id)]})
        for model, record in (
            ("islah.committee.meeting", meeting),
            ("islah.committee.decision", meeting.decision_ids),
            ("islah.committee.vote", meeting.decision_ids.vote_ids[:1]),
        ):
            Model = self.env[model].with_user(self.manager)
            self.assertTrue(Model.search([("id", "=", record.id)]))
            self.assertFalse(
                Model.with_company(other).search([("id", "=", record.id)]),
                "another company's committee stays out of sight",
            )


@tagged("post_install", "-at_install", "islah_committee")
class TestCommitteeManagerAccess(IslahCommitteeCommon):
    def test_manager_organises_any_meeting(self):
        meeting = (
            self.env["islah.committee.meeting"]
            .with_user(self.manager)
            .create(
                {
                    "member_ids": [Command.set(self.members.ids)],
                    "chair_id": self.chair.id,
                    "secretary_id": self.secretary.id,
                    "attendee_ids": [Command.set(self.members.ids)],
                }
            )
        )
        meeting.with_user(self.manager).action_pull_requests()
        meeting.with_user(self.manager).action_start_session()
        self.assertEqual(meeting.state, "in_session")
