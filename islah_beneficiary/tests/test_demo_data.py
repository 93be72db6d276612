"""The demo data shows the product: every step of both sections, a closed
meeting decided by a quorum, staff tools with files, Arabic names (the
answered surveys: islah_survey_ext). On a database without demo data, none
of it exists."""

import re

from odoo.tests import TransactionCase

STEPS = (
    "received",
    "verification",
    "research",
    "committee",
    "approved",
    "rejected",
    "in_service",
    "done",
    "cancelled",
)
DEMO_USERS = (
    "user_officer_men_demo",
    "user_officer_women_demo",
    "user_researcher_demo",
    "user_researcher_women_demo",
    "user_committee_chair_demo",
    "user_committee_secretary_demo",
    "user_committee_demo",
    "user_manager_demo",
)
STAFF_GUIDES = (
    "staff_guide_bylaws",
    "staff_guide_research",
    "staff_guide_support_policy",
    "staff_guide_request_form",
)
ARABIC = re.compile(r"^[\u0600-\u06ff ]+$")


class TestDemoData(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.meeting = cls.env.ref(
            "islah_beneficiary.committee_meeting_closed_demo", raise_if_not_found=False
        )

    def _demo_records(self, model):
        """The records of ``model`` the addon's demo files created."""
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "islah_beneficiary"),
                ("model", "=", model),
                ("name", "=like", "%_demo"),
            ]
        )
        return self.env[model].browse(data.mapped("res_id")).exists()

    def test_no_demo_no_demo_records(self):
        """Without demo data, none of the demo records exists (and the
        shipped staff tools stay without files)."""
        if self.meeting:
            return
        for model in ("res.users", "islah.beneficiary", "islah.support.request"):
            self.assertFalse(self._demo_records(model), model)
        self.assertFalse(self._demo_records("islah.committee.meeting"))

    def test_every_step_in_both_sections(self):
        requests = self._demo_records("islah.support.request").with_context(active_test=False)
        if not self.meeting:
            self.assertFalse(requests)
            return
        for section in ("men", "women"):
            steps = set(requests.filtered(lambda r, s=section: r.section == s).mapped("state"))
            self.assertEqual(steps, set(STEPS), f"{section}: steps missing")

    def test_requests_reached_their_step_the_real_way(self):
        """What each step's actions leave behind is there: verified documents
        with files, the declaration, the research, the deadline, deliveries."""
        if not self.meeting:
            return
        requests = self._demo_records("islah.support.request")
        past_verification = requests.filtered(
            lambda r: r.state not in ("received", "verification", "cancelled")
        )
        self.assertTrue(past_verification)
        for request in past_verification:
            self.assertTrue(request.documents_complete, request.name)
            self.assertTrue(request.document_ids.attachment_ids, request.name)
            self.assertTrue(
                request.data_verified_by_id.has_group(
                    "islah_beneficiary.group_islah_beneficiary_officer"
                )
            )
            self.assertTrue(request.declaration_accepted and request.declaration_date)
            if request.needs_research and request.state != "research":
                self.assertTrue(request.researcher_id and request.visit_date)
            if request.service_type_id.needs_committee and request.state != "research":
                self.assertTrue(request.submission_date and request.decision_deadline)
        for request in requests.filtered(lambda r: r.state in ("in_service", "done")):
            self.assertTrue(request.delivery_ids, request.name)
            self.assertEqual(request.beneficiary_id.state, "registered")
        # the urgent request's two-day deadline: at risk, overdue once the days pass
        self.assertTrue({"at_risk", "overdue"} & set(requests.mapped("sla_state")))

    def test_closed_meeting_decided_by_a_quorum(self):
        if not self.meeting:
            self.assertFalse(self._demo_records("islah.committee.decision"))
            return
        meeting = self.meeting
        self.assertEqual(meeting.state, "closed")
        self.assertTrue(meeting.quorum_reached)
        self.assertGreaterEqual(len(meeting.attendee_ids), meeting.quorum)
        self.assertGreaterEqual(meeting.quorum, 3)
        self.assertEqual(set(meeting.decision_ids.mapped("outcome")), {"approved", "rejected"})
        for decision in meeting.decision_ids:
            # every attending member cast their own vote
            self.assertEqual(decision.vote_ids.member_id, meeting.attendee_ids)
            self.assertTrue(all(decision.vote_ids.mapped("vote")))
            self.assertTrue(decision.letter_number, decision.request_id.name)
            self.assertEqual(decision.request_id.final_decision_id, decision)
        self.assertIn("notified", meeting.decision_ids.mapped("letter_state"))
        self.assertIn("to_notify", meeting.decision_ids.mapped("letter_state"))
        # the company's committee: a secretary, and enough members for the quorum
        company = meeting.company_id
        committee = self.env.ref("islah_beneficiary.group_islah_beneficiary_committee")
        self.assertEqual(
            company.islah_committee_secretary_id,
            self.env.ref("islah_beneficiary.user_committee_secretary_demo"),
        )
        members = self._demo_records("res.users").filtered(lambda u: committee in u.all_group_ids)
        self.assertGreaterEqual(len(members), company.islah_committee_quorum)

    def test_staff_tools_have_files(self):
        guides = self.env["islah.staff.guide"].browse(
            [self.env.ref(f"islah_beneficiary.{xmlid}").id for xmlid in STAFF_GUIDES]
        )
        demo_files = self._demo_records("ir.attachment").filtered(
            lambda a: a.res_model == "islah.staff.guide"
        )
        if not self.meeting:
            self.assertFalse(demo_files)
            return
        self.assertEqual(sorted(demo_files.mapped("res_id")), sorted(guides.ids))
        for guide in guides:
            files = guide.attachment_ids
            self.assertTrue(files, guide.name)
            self.assertEqual(files.mapped("mimetype"), ["application/pdf"])
            self.assertTrue(files.raw.startswith(b"%PDF-"), guide.name)

    def test_demo_users_have_arabic_names(self):
        users = self.env["res.users"].browse(
            [
                user.id
                for xmlid in DEMO_USERS
                if (user := self.env.ref(f"islah_beneficiary.{xmlid}", raise_if_not_found=False))
            ]
        )
        if not self.meeting:
            self.assertFalse(users)
            return
        self.assertEqual(len(users), len(DEMO_USERS))
        for user in users:
            self.assertRegex(user.name, ARABIC)
            # the staff work in Arabic, on the association's time
            self.assertEqual((user.lang, user.tz), ("ar_001", "Asia/Riyadh"))
        self.assertEqual(
            set(users.mapped("login")),
            {
                "officer_men",
                "officer_women",
                "researcher",
                "researcher_women",
                "committee_chair",
                "committee_secretary",
                "committee",
                "manager",
            },
        )
