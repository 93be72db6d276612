"""Acceptance of issue 11: every role does its day's work in the web client,
in Arabic, from its landing screen. Each tour fails on an access error (an
error dialog or console error) or a visible English label; each test then
asserts what the work changed in the records."""

from odoo.tests import tagged

from .tour_common import IslahTourCase


@tagged("post_install", "-at_install", "islah_ui", "islah_tour")
class TestRoleTours(IslahTourCase):
    def _officer_tour(self, section, officer, new_name, national_id, approved_name, gender):
        approved_beneficiary = self._beneficiary(approved_name, gender)
        approved = self._request(approved_beneficiary, "approved", officer_id=officer.id)

        self._tour(f"islah_tour_officer_{section}", officer.login)

        beneficiary = self.env["islah.beneficiary"].search([("national_id", "=", national_id)])
        self.assertEqual(beneficiary.name, new_name)
        self.assertEqual(beneficiary.section, section)
        request = self.env["islah.support.request"].search(
            [("beneficiary_id", "=", beneficiary.id)]
        )
        self.assertEqual(len(request), 1)
        self.assertEqual(request.state, "committee")
        self.assertEqual(request.officer_id, officer)
        self.assertEqual(request.data_verified_by_id, officer)
        self.assertTrue(request.declaration_accepted)
        self.assertEqual(request.document_ids.document_type_id, self.doc_type)
        self.assertTrue(request.document_ids.attachment_ids)
        self.assertEqual(request.document_ids.verified_by_id, officer)

        self.assertEqual(approved_beneficiary.state, "registered")
        self.assertEqual(approved.state, "done")
        self.assertEqual(len(approved.delivery_ids), 1)
        self.assertEqual(approved.delivery_ids.delivered_by_id, officer)
        # issue 11: a beneficiary registered by an officer speaks Arabic
        self.assertEqual(beneficiary.lang, "ar_001")

    def test_officer_men(self):
        self._officer_tour(
            "men", self.officer_men, "سالم جولة الرجال", "1965000019", "خالد المقبول", "male"
        )

    def test_officer_women(self):
        self._officer_tour(
            "women",
            self.officer_women,
            "سلمى جولة النساء",
            "1965000027",
            "هند المقبولة",
            "female",
        )

    def test_researcher(self):
        to_submit = self._request(
            self._beneficiary("فاطمة البحث", "female"),
            "research",
            self.service_research,
            researcher_id=self.researcher.id,
        )
        to_return = self._request(
            self._beneficiary("عمر الإعادة"),
            "research",
            self.service_research,
            researcher_id=self.researcher.id,
        )

        self._tour("islah_tour_researcher", self.researcher.login)

        self.assertEqual(to_submit.state, "committee")
        self.assertTrue(to_submit.visit_date)
        self.assertIn("توصي بتقديم الدعم", to_submit.research_report)
        self.assertTrue(to_submit.decision_deadline)
        self.assertEqual(to_return.state, "verification")
        self.assertIn("صورة الهوية غير واضحة", to_return.research_return_reason)

    # ------------------------------------------------------------------
    # The Research Committee
    # ------------------------------------------------------------------

    def _committee_request(self):
        return self._request(
            self._beneficiary("ليلى اللجنة", "female", email="laila@example.com"), "committee"
        )

    def _meeting_in_session(self, request):
        committee = self.chair | self.secretary | self.member
        meeting = (
            self.env["islah.committee.meeting"]
            .sudo()
            .create(
                {
                    "member_ids": [(6, 0, committee.ids)],
                    "attendee_ids": [(6, 0, committee.ids)],
                    "chair_id": self.chair.id,
                    "secretary_id": self.secretary.id,
                    "decision_ids": [(0, 0, {"request_id": request.id})],
                }
            )
        )
        meeting.action_start_session()
        return meeting

    def test_committee_secretary(self):
        request = self._committee_request()

        self._tour("islah_tour_committee_secretary", self.secretary.login)

        meeting = self.env["islah.committee.meeting"].search(
            [("secretary_id", "=", self.secretary.id)]
        )
        self.assertEqual(len(meeting), 1)
        self.assertEqual(meeting.state, "in_session")
        self.assertEqual(meeting.chair_id, self.chair)
        self.assertEqual(meeting.attendee_ids, self.chair | self.secretary | self.member)
        self.assertIn(request, meeting.decision_ids.request_id)
        decision = meeting.decision_ids.filtered(lambda d: d.request_id == request)
        self.assertEqual(decision.vote_ids.member_id, meeting.attendee_ids)
        self.assertIn("ناقشت اللجنة", meeting.minutes)

    def test_committee_member(self):
        request = self._committee_request()
        meeting = self._meeting_in_session(request)

        self._tour("islah_tour_committee_member", self.member.login)

        vote = meeting.decision_ids.vote_ids.filtered(lambda v: v.member_id == self.member)
        self.assertEqual(vote.vote, "approve")
        self.assertTrue(vote.voted_on)
        self.assertEqual(vote.comment, "الأسرة مستحقة للدعم.")
        others = meeting.decision_ids.vote_ids - vote
        self.assertFalse(any(others.mapped("vote")), "a member casts only their own vote")

    def test_committee_chair(self):
        request = self._committee_request()
        meeting = self._meeting_in_session(request)
        for user in (self.secretary, self.member):
            meeting.decision_ids.vote_ids.filtered(lambda v, u=user: v.member_id == u).with_user(
                user
            ).action_vote_approve()

        self._tour("islah_tour_committee_chair", self.chair.login)

        self.assertEqual(meeting.state, "closed")
        self.assertEqual(meeting.closed_by_id, self.chair)
        decision = meeting.decision_ids
        self.assertEqual(decision.outcome, "approved")
        self.assertEqual(set(decision.vote_ids.mapped("vote")), {"approve"})
        self.assertEqual(request.state, "approved")
        self.assertTrue(decision.letter_number)
        self.assertTrue(decision.notified_on)

    # ------------------------------------------------------------------
    # Manager and beneficiary
    # ------------------------------------------------------------------

    def test_manager(self):
        self._request(self._beneficiary("ناصر التقرير"), "committee")
        self._request(self._beneficiary("نورة التقرير", "female"), "approved")

        self._tour("islah_tour_manager", self.manager.login)

        export = self.env["islah.report.export"].search([("create_uid", "=", self.manager.id)])
        self.assertEqual(len(export), 1)

    def test_portal(self):
        beneficiary = self._beneficiary(False, partner_id=self.portal.partner_id.id)
        followed = self._request(beneficiary, "in_service")
        missing = self._request(beneficiary, "verification")

        self._tour("islah_tour_portal", self.portal.login, url="/my")

        self.assertEqual(followed.state, "in_service")
        line = missing.document_ids
        self.assertTrue(line.received)
        self.assertEqual(line.attachment_ids.mapped("name"), ["family-record.pdf"])
        self.assertFalse(line.verified_on, "an officer verifies it, not the upload")
