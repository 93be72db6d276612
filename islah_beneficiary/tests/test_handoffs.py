"""Hand-offs: each step gives the next person a to-do, and a to-do goes
away when its reason does; required documents are waived, never removed.

Regressions: after verification a request entered social research with no
researcher and no to-do; two "put on the committee agenda" to-dos stayed
open after the request was closed; an officer could complete verification
after deleting the service's required documents."""

import base64

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import GROUP_COMMITTEE, GROUP_OFFICER, GROUP_RESEARCHER, IslahCommon

TODO = "islah_beneficiary.mail_activity_type_%s"


@tagged("post_install", "-at_install", "islah_handoffs")
class IslahHandoffCommon(IslahCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.researcher_men = new_test_user(
            cls.env, login="islah_ho_res_men", groups=GROUP_RESEARCHER, islah_section="men"
        )
        cls.researcher_women = new_test_user(
            cls.env, login="islah_ho_res_women", groups=GROUP_RESEARCHER, islah_section="women"
        )
        cls.secretary = new_test_user(
            cls.env, login="islah_ho_secretary", groups=GROUP_COMMITTEE, name="Secretary"
        )
        cls.company.islah_committee_secretary_id = cls.secretary
        cls.company.islah_committee_quorum = 1
        cls.beneficiary = cls._create_beneficiary(name="Handoff Beneficiary")

    def _todos(self, request, kind, user=None):
        activities = request.sudo().activity_search([TODO % kind])
        return activities.filtered(lambda a: a.user_id == user) if user else activities

    def _new_request(self, **vals):
        vals.setdefault("officer_id", self.officer_men.id)
        return self._create_request(self.beneficiary, **vals).with_user(self.officer_men)

    def _attach(self, line):
        attachment = self.env["ir.attachment"].create(
            {
                "name": "scan.pdf",
                "datas": base64.b64encode(b"%PDF-1.4 scan"),
                "res_model": line._name,
                "res_id": line.id,
            }
        )
        line.write({"attachment_ids": [Command.link(attachment.id)]})

    def _verify(self, request):
        """Step 2 as the officer: documents, data, declaration, done."""
        request = request.with_user(self.officer_men)
        if request.state == "received":
            request.action_start_verification()
        for line in request.document_ids.filtered(lambda d: not d.waived and not d.verified_on):
            self._attach(line)
            line.action_verify()
        if not request.data_verified_on:
            request.action_verify_data()
        if not request.declaration_accepted:
            request.action_record_declaration()
        request.action_complete_verification()
        return request


class TestResearchHandoff(IslahHandoffCommon):
    def test_unassigned_research_tells_section_researchers(self):
        request = self._verify(self._new_request())
        self.assertEqual(request.state, "research")
        users = self._todos(request, "research").user_id
        self.assertIn(self.researcher, users, "a researcher of both sections")
        self.assertIn(self.researcher_men, users)
        self.assertNotIn(self.researcher_women, users, "not the other section's")
        self.assertNotIn(self.manager, users, "managers only when no researcher")

    def test_researcher_takes_the_research(self):
        request = self._verify(self._new_request())
        as_researcher = request.with_user(self.researcher_men)
        self.assertTrue(as_researcher.can_take_research)
        self.assertFalse(request.with_user(self.researcher_women).search([("id", "=", request.id)]))
        as_researcher.action_take_research()
        self.assertEqual(request.researcher_id, self.researcher_men)
        self.assertEqual(self._todos(request, "research").user_id, self.researcher_men)
        self.assertIn("Social research", self._todos(request, "research").summary)
        # the others can no longer take it, nor see it
        with self.assertRaises(AccessError):
            request.with_user(self.researcher).action_take_research()

    def test_assignment_moves_the_todo(self):
        request = self._verify(self._new_request())
        request.with_user(self.manager).write({"researcher_id": self.researcher.id})
        todos = self._todos(request, "research")
        self.assertEqual(todos.user_id, self.researcher)
        self.assertEqual(len(todos), 1)

    def test_assigned_researcher_gets_the_todo(self):
        request = self._verify(self._new_request(researcher_id=self.researcher.id))
        self.assertEqual(self._todos(request, "research").user_id, self.researcher)

    def test_research_submitted_tells_the_secretary(self):
        request = self._verify(self._new_request(researcher_id=self.researcher.id))
        as_researcher = request.with_user(self.researcher)
        as_researcher.write({"visit_date": "2026-01-10", "research_report": "<p>Visited.</p>"})
        as_researcher.action_submit_research()
        self.assertEqual(request.state, "committee")
        self.assertFalse(self._todos(request, "research"), "research done: its to-do closed")
        agenda = self._todos(request, "committee_agenda")
        self.assertEqual(agenda.user_id, self.secretary)
        self.assertEqual(agenda.date_deadline, request.decision_deadline)

    def test_sent_back_tells_the_officer(self):
        request = self._verify(self._new_request(researcher_id=self.researcher.id))
        request.with_user(self.researcher).action_return_to_verification("The lease is missing.")
        self.assertEqual(self._todos(request, "verification").user_id, self.officer_men)
        self._verify(request)
        self.assertFalse(self._todos(request, "verification"))


class TestCommitteeHandoff(IslahHandoffCommon):
    def _meeting(self, requests):
        meeting = (
            self.env["islah.committee.meeting"]
            .with_user(self.secretary)
            .create(
                {
                    "member_ids": [Command.set(self.secretary.ids)],
                    "chair_id": self.secretary.id,
                    "attendee_ids": [Command.set(self.secretary.ids)],
                }
            )
        )
        self.assertEqual(meeting.secretary_id, self.secretary, "the member who convenes it")
        if requests:
            self.env["islah.committee.decision"].with_user(self.secretary).create(
                [{"meeting_id": meeting.id, "request_id": r.id} for r in requests]
            )
        return meeting

    def _decide(self, request, vote, reason=None):
        meeting = self._meeting(request)
        meeting.with_user(self.secretary).action_start_session()
        decision = meeting.decision_ids
        if reason:
            decision.with_user(self.secretary).reason = reason
        decision.vote_ids.with_user(self.secretary).write({"vote": vote})
        meeting.with_user(self.secretary).action_close()
        return decision

    def test_no_duplicate_agenda_todo(self):
        request = self._request_in_state("committee", self.beneficiary)
        request._islah_schedule_committee_activity()
        request._islah_schedule_committee_activity()
        self.assertEqual(len(self._todos(request, "committee_agenda")), 1)

    def test_agenda_todos_closed_on_agenda(self):
        """Without a secretary every manager of the section is asked: the
        request put on an agenda closes all of them."""
        self.company.islah_committee_secretary_id = False
        request = self._request_in_state("committee", self.beneficiary)
        self.assertGreaterEqual(len(self._todos(request, "committee_agenda")), 2)
        self._meeting(request)
        self.assertFalse(self._todos(request, "committee_agenda"))

    def test_agenda_todos_closed_when_cancelled(self):
        self.company.islah_committee_secretary_id = False
        request = self._request_in_state("committee", self.beneficiary)
        request._islah_schedule_at_risk_activity()
        self.assertTrue(self._todos(request, "deadline_at_risk"))
        request.with_user(self.officer_men).action_cancel("The family moved away.")
        self.assertFalse(self._todos(request, "committee_agenda"))
        self.assertFalse(self._todos(request, "deadline_at_risk"))

    def test_deferred_back_on_the_secretary_list(self):
        request = self._request_in_state("committee", self.beneficiary)
        meeting = self._meeting(request)
        self.assertFalse(self._todos(request, "committee_agenda"))
        meeting.with_user(self.secretary).action_start_session()
        decision = meeting.decision_ids
        decision.with_user(self.secretary).write({"reason": "Wait for the school fees."})
        decision.vote_ids.with_user(self.secretary).write({"vote": "abstain"})
        meeting.with_user(self.secretary).action_close()
        self.assertEqual(decision.outcome, "deferred")
        self.assertEqual(self._todos(request, "committee_agenda").user_id, self.secretary)

    def test_off_the_agenda_secretary_told_again(self):
        request = self._request_in_state("committee", self.beneficiary)
        meeting = self._meeting(request)
        self.assertFalse(self._todos(request, "committee_agenda"))
        meeting.decision_ids.with_user(self.secretary).unlink()
        self.assertEqual(self._todos(request, "committee_agenda").user_id, self.secretary)

    def test_approved_tells_the_officer(self):
        request = self._request_in_state(
            "committee", self.beneficiary, officer_id=self.officer_men.id
        )
        request._islah_schedule_at_risk_activity()
        decision = self._decide(request, "approve")
        self.assertEqual(request.state, "approved")
        self.assertFalse(self._todos(request, "deadline_at_risk"), "decided: no longer at risk")
        self.assertEqual(self._todos(request, "start_service").user_id, self.officer_men)
        # no e-mail address: the officer gives the letter by hand
        notify = self._todos(request, "notify_decision")
        self.assertEqual(notify.user_id, self.officer_men)
        self.assertEqual(len(notify), 1, "one to-do, not one per automation")
        self.assertFalse(self._todos(request, "committee_agenda"))
        decision.with_user(self.officer_men).action_record_notification("letter")
        self.assertFalse(self._todos(request, "notify_decision"))
        self.beneficiary.sudo().state = "registered"
        request.with_user(self.officer_men).action_start_service()
        self.assertFalse(self._todos(request, "start_service"))

    def test_rejected_tells_the_officer(self):
        request = self._request_in_state(
            "committee", self.beneficiary, officer_id=self.officer_men.id
        )
        self._decide(request, "reject", reason="Income above the threshold.")
        self.assertEqual(request.state, "rejected")
        self.assertEqual(self._todos(request, "notify_decision").user_id, self.officer_men)
        self.assertFalse(self._todos(request, "start_service"))

    def test_member_convenes_a_meeting(self):
        """ "New" on meetings works for a member: they keep the meeting they
        create; naming others only gives a clear refusal."""
        Meeting = self.env["islah.committee.meeting"].with_user(self.committee_member)
        meeting = Meeting.create({})
        self.assertEqual(meeting.secretary_id, self.committee_member)
        self.assertTrue(meeting.can_organise)
        with self.assertRaisesRegex(AccessError, "chair or its secretary"):
            Meeting.create(
                {
                    "member_ids": [Command.set(self.secretary.ids)],
                    "secretary_id": self.secretary.id,
                }
            )


class TestDocumentWaiver(IslahHandoffCommon):
    def test_officer_cannot_remove_or_waive_required_documents(self):
        request = self._new_request()
        request.action_start_verification()
        line = request.document_ids[:1]
        with self.assertRaises(UserError):
            line.with_user(self.officer_men).unlink()
        with self.assertRaises(UserError):
            request.write({"document_ids": [Command.delete(line.id)]})
        with self.assertRaises(AccessError):
            line.with_user(self.officer_men).action_waive("No reason")
        with self.assertRaises(AccessError):
            line.with_user(self.officer_men).write({"waive_reason": "Lost"})
        with self.assertRaises(UserError):
            line.with_user(self.officer_men).write({"waived": True})
        self.assertTrue(line.exists())

    def test_manager_waives_with_reason_logged(self):
        request = self._new_request()
        request.action_start_verification()
        line = request.document_ids.filtered(lambda d: d.document_type_id == self.doc_type_family)
        as_manager = line.with_user(self.manager)
        with self.assertRaises(UserError):
            as_manager.action_waive()
        with self.assertRaises(UserError):
            as_manager.unlink()
        as_manager.write({"waive_reason": "The family record was lost in the flood."})
        as_manager.action_waive()
        self.assertTrue(line.waived)
        self.assertEqual(line.waived_by_id, self.manager)
        self.assertTrue(line.waived_on)
        self.assertTrue(line.is_satisfied)
        body = request.sudo().message_ids[:1].body
        self.assertIn("lost in the flood", body)
        self.assertIn(self.manager.name, body)
        # the waived document no longer blocks the verification
        request = self._verify(request)
        self.assertEqual(request.state, "research")
        self.assertFalse(line.received)

    def test_unverified_documents_still_block(self):
        request = self._new_request()
        request.action_start_verification()
        request.action_verify_data()
        request.action_record_declaration()
        with self.assertRaisesRegex(UserError, "not received"):
            request.action_complete_verification()

    def test_waiver_withdrawn(self):
        request = self._new_request()
        request.action_start_verification()
        line = request.document_ids[:1].with_user(self.manager)
        line.action_waive("Original at the ministry.")
        line.action_unwaive()
        self.assertFalse(line.waived)
        self.assertFalse(line.is_satisfied)


class TestCreationMessage(IslahHandoffCommon):
    """Regression: "Support request created" was logged in English for
    Arabic users (a web intake runs in the visitor's browser language)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ar_001")
        cls.env["ir.module.module"]._load_module_terms(
            ["mail", "islah_beneficiary"], ["ar_001"], overwrite=True
        )
        cls.arabic_name = (
            cls.env["ir.model"]._get("islah.support.request").with_context(lang="ar_001").name
        )

    def _created_note(self, request):
        return (
            request.sudo()
            .message_ids.filtered(lambda m: m.message_type == "notification")[-1:]
            .body
        )

    def test_staff_language(self):
        officer = new_test_user(
            self.env,
            login="islah_ho_arabic_officer",
            groups=GROUP_OFFICER,
            islah_section="men",
            lang="ar_001",
        )
        Request = self.env["islah.support.request"].with_context(**self._mail_context())
        request = Request.with_user(officer).create(
            {
                "beneficiary_id": self.beneficiary.id,
                "service_type_id": self.service_full.id,
                "medium_id": self.channel_interview.id,
            }
        )
        self.assertIn(self.arabic_name, self._created_note(request))

    def test_web_intake_in_the_beneficiary_language(self):
        self.beneficiary.partner_id.lang = "ar_001"
        public = self.env.ref("base.public_user")
        Request = (
            self.env["islah.support.request"]
            .with_context(**self._mail_context(), lang="en_US")
            .with_user(public)
            .sudo()
        )
        request = Request.create(
            {
                "beneficiary_id": self.beneficiary.id,
                "service_type_id": self.service_full.id,
                "medium_id": self.channel_interview.id,
            }
        )
        self.assertIn(self.arabic_name, self._created_note(request))
        self.assertNotIn("created", self._created_note(request))

    def test_system_loaded_in_the_beneficiary_language(self):
        """Demo data and imports are created by the system user (English)."""
        self.beneficiary.partner_id.lang = "ar_001"
        Request = self.env["islah.support.request"].with_context(**self._mail_context())
        self.assertTrue(Request.env.user._is_superuser())
        request = Request.create(
            {
                "beneficiary_id": self.beneficiary.id,
                "service_type_id": self.service_full.id,
                "medium_id": self.channel_interview.id,
            }
        )
        self.assertIn(self.arabic_name, self._created_note(request))
