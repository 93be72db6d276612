import base64
from datetime import date, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged

from .common import IslahCommon


@tagged("post_install", "-at_install", "islah_request_flow")
class TestRequestFlow(IslahCommon):
    """The request's steps: each transition, its preconditions and its errors."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.beneficiary = cls._create_beneficiary(name="Flow Beneficiary")

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _attach(self, line, name="scan.pdf"):
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "datas": base64.b64encode(b"%PDF-1.4 test"),
                "res_model": line._name,
                "res_id": line.id,
            }
        )
        line.with_user(self.officer_men).write({"attachment_ids": [Command.link(attachment.id)]})
        return attachment

    def _verified_request(self, service=None):
        """A request of the men's officer with everything verification needs."""
        request = self._create_request(
            self.beneficiary, service_type_id=(service or self.service_full).id
        ).with_user(self.officer_men)
        request.action_start_verification()
        for line in request.document_ids:
            self._attach(line)
        request.document_ids.action_verify()
        request.action_verify_data()
        request.action_record_declaration()
        return request

    # ------------------------------------------------------------------
    # numbering
    # ------------------------------------------------------------------

    def test_sequence_per_company_and_year(self):
        year = fields.Date.today().year
        first = self._create_request(self.beneficiary)
        second = self._create_request(self.beneficiary)
        self.assertRegex(first.name, rf"^REQ/{year}/\d{{5}}$")
        self.assertEqual(int(second.name[-5:]), int(first.name[-5:]) + 1)
        # a new year starts again at 1
        next_year = (
            self.env["islah.support.request"]
            .with_context(ir_sequence_date=f"{year + 5}-03-01")
            .create(
                {
                    "beneficiary_id": self.beneficiary.id,
                    "service_type_id": self.service_full.id,
                    "medium_id": self.channel_interview.id,
                }
            )
        )
        self.assertEqual(next_year.name, f"REQ/{year + 5}/00001")

    def test_sequence_of_a_new_company(self):
        """A company created after installation numbers its requests from 1."""
        year = fields.Date.today().year
        main_first = self._create_request(self.beneficiary)
        company = self.env["res.company"].create({"name": "Islah Branch Test"})
        sequences = self.env["ir.sequence"].search(
            [("code", "=", "islah.support.request"), ("company_id", "=", company.id)]
        )
        self.assertEqual(len(sequences), 1)
        beneficiary = self._create_beneficiary(company_id=company.id)
        request = self._create_request(beneficiary, company_id=company.id)
        self.assertEqual(request.company_id, company)
        self.assertEqual(request.name, f"REQ/{year}/00001")
        self.assertEqual(
            self._create_request(beneficiary, company_id=company.id).name, f"REQ/{year}/00002"
        )
        main_next = self._create_request(self.beneficiary)
        self.assertEqual(int(main_next.name[-5:]), int(main_first.name[-5:]) + 1)

    def test_sequence_created_on_the_fly(self):
        """A company that lost (or never had) its sequence still gets numbers."""
        year = fields.Date.today().year
        company = self.env["res.company"].create({"name": "Islah Branch Two"})
        self.env["ir.sequence"].search(
            [("code", "=", "islah.support.request"), ("company_id", "=", company.id)]
        ).unlink()
        beneficiary = self._create_beneficiary(company_id=company.id)
        request = self._create_request(beneficiary, company_id=company.id)
        self.assertEqual(request.name, f"REQ/{year}/00001")

    # ------------------------------------------------------------------
    # verification
    # ------------------------------------------------------------------

    def test_checklist_from_service(self):
        request = self._create_request(self.beneficiary)
        self.assertEqual(
            request.document_ids.document_type_id, self.doc_type_id_copy | self.doc_type_family
        )
        self.assertEqual(request.state, "received")

    def test_leave_verification_needs_everything(self):
        request = self._create_request(self.beneficiary).with_user(self.officer_men)
        with self.assertRaisesRegex(UserError, "this action is not possible now"):
            request.action_complete_verification()
        request.action_start_verification()
        self.assertEqual(request.state, "verification")
        with self.assertRaises(UserError) as error:
            request.action_complete_verification()
        message = error.exception.args[0]
        self.assertIn("cannot leave verification", message)
        self.assertIn("documents not received", message)
        self.assertIn(self.doc_type_family.name, message)
        self.assertIn("data are not verified", message)
        self.assertIn("declaration of responsibility is not recorded", message)

        id_copy, family = request.document_ids.sorted("sequence")
        with self.assertRaisesRegex(UserError, "has not been received yet"):
            id_copy.action_verify()
        self._attach(id_copy)
        self._attach(family)
        self.assertTrue(id_copy.received)
        with self.assertRaisesRegex(UserError, "documents not verified"):
            request.action_complete_verification()
        id_copy.action_verify()
        self.assertEqual(id_copy.verified_by_id, self.officer_men)
        self.assertTrue(id_copy.verified_on)
        with self.assertRaisesRegex(
            UserError, rf"documents not verified: {self.doc_type_family.name}"
        ):
            request.action_complete_verification()
        family.action_verify()
        self.assertTrue(request.documents_complete)

        request.action_verify_data()
        self.assertEqual(request.data_verified_by_id, self.officer_men)
        self.assertTrue(request.data_verified_on)
        with self.assertRaisesRegex(UserError, "declaration of responsibility is not recorded"):
            request.action_complete_verification()
        request.action_record_declaration()
        self.assertTrue(request.declaration_accepted)
        self.assertTrue(request.declaration_date)
        request.action_complete_verification()
        self.assertEqual(request.state, "research")

    def test_ticked_received_without_file_is_not_enough(self):
        """The checklist needs the scan: ticking "received" alone does not do."""
        request = self._create_request(self.beneficiary).with_user(self.officer_men)
        request.action_start_verification()
        request.document_ids.write({"received": True})
        with self.assertRaisesRegex(UserError, "has not been received yet"):
            request.document_ids[0].action_verify()

    def test_new_file_resets_verification(self):
        request = self._verified_request()
        line = request.document_ids[0]
        self.assertTrue(line.verified_on)
        self._attach(line, "second.pdf")
        self.assertFalse(line.verified_on)
        self.assertFalse(line.verified_by_id)

    def test_document_verification_fields_not_writable(self):
        request = self._create_request(self.beneficiary).with_user(self.officer_men)
        with self.assertRaisesRegex(UserError, "Verify button"):
            request.document_ids[0].write({"verified_on": fields.Datetime.now()})

    def test_documents_frozen_after_verification(self):
        request = self._verified_request()
        request.action_complete_verification()
        with self.assertRaisesRegex(UserError, "during the verification step"):
            request.document_ids[0].action_unverify()

    # ------------------------------------------------------------------
    # research
    # ------------------------------------------------------------------

    def test_research_then_committee(self):
        request = self._verified_request()
        request.action_complete_verification()
        self.assertEqual(request.state, "research")
        # a manager may take the researcher's step, not the officer
        with self.assertRaisesRegex(UserError, "Assign a social researcher"):
            request.with_user(self.manager).action_submit_research()
        request.researcher_id = self.researcher
        as_researcher = request.with_user(self.researcher)
        with self.assertRaisesRegex(UserError, "visit date and the research report"):
            as_researcher.action_submit_research()
        as_researcher.write({"visit_date": fields.Date.today()})
        as_researcher.write({"research_report": "<p><br></p>"})
        with self.assertRaisesRegex(UserError, "visit date and the research report"):
            as_researcher.action_submit_research()
        as_researcher.write({"research_report": "<p>The family needs support.</p>"})
        with freeze_time("2026-03-01 09:00:00"):
            as_researcher.action_submit_research()
        self.assertEqual(request.state, "committee")
        self.assertEqual(
            request.submission_date, fields.Datetime.to_datetime("2026-03-01 09:00:00")
        )
        self.assertEqual(request.decision_deadline, date(2026, 3, 15))
        self.assertEqual(request.decision_days_allowed, 14)

    def test_researcher_sends_back_with_reason(self):
        request = self._verified_request()
        request.action_complete_verification()
        request.researcher_id = self.researcher
        as_researcher = request.with_user(self.researcher)
        with self.assertRaisesRegex(UserError, "Say why the request goes back"):
            as_researcher.action_return_to_verification("  ")
        action = as_researcher.action_open_return_wizard()
        wizard = (
            self.env["islah.request.return"]
            .with_user(self.researcher)
            .with_context(**action["context"])
            .create({"reason": "The family record is out of date."})
        )
        wizard.action_confirm()
        self.assertEqual(request.state, "verification")
        self.assertEqual(request.research_return_reason, "The family record is out of date.")
        self.assertIn(
            "The family record is out of date.",
            request.message_ids.mapped("body")[0],
        )
        # back in research, the reason is cleared
        request.action_complete_verification()
        self.assertEqual(request.state, "research")
        self.assertFalse(request.research_return_reason)

    def test_return_only_from_research(self):
        request = self._verified_request()
        with self.assertRaisesRegex(UserError, "this action is not possible now"):
            request.action_return_to_verification("reason")

    def test_service_without_research(self):
        request = self._verified_request(self.service_no_research)
        self.assertFalse(request.needs_research)
        request.action_complete_verification()
        self.assertEqual(request.state, "committee")
        self.assertTrue(request.submission_date)
        self.assertEqual(request.sla_state, "on_track")
        with self.assertRaisesRegex(UserError, "this action is not possible now"):
            request.action_submit_research()

    def test_service_without_committee(self):
        request = self._verified_request(self.service_no_committee)
        request.action_complete_verification()
        request.write({"researcher_id": self.researcher.id})
        request.with_user(self.researcher).write(
            {"visit_date": fields.Date.today(), "research_report": "<p>Seen.</p>"}
        )
        request.with_user(self.researcher).action_submit_research()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.decided_on, fields.Date.today())
        self.assertFalse(request.submission_date)

    # ------------------------------------------------------------------
    # decision, service, closing
    # ------------------------------------------------------------------

    def test_decision_service_and_done(self):
        request = self._verified_request(self.service_no_research)
        request.action_complete_verification()
        with self.assertRaisesRegex(UserError, "either approved or rejected"):
            request._apply_decision("maybe")
        request._apply_decision("approved")
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.sla_state, "met")
        with self.assertRaisesRegex(UserError, "Complete the registration"):
            request.action_start_service()
        self.beneficiary.action_register()
        request.action_start_service()
        self.assertEqual(request.state, "in_service")
        with self.assertRaisesRegex(UserError, "at least one delivery"):
            request.action_done()
        self.env["islah.service.delivery"].with_user(self.officer_men).create(
            {"request_id": request.id, "description": "Food basket", "amount": 250}
        )
        self.assertEqual(request.delivered_amount, 250)
        request.action_done()
        self.assertEqual(request.state, "done")
        with self.assertRaisesRegex(UserError, "this action is not possible now"):
            request.action_cancel("Too late")

    def test_rejected_cannot_start_service(self):
        request = self._request_in_state("rejected", self.beneficiary)
        self.assertEqual(request.state, "rejected")
        with self.assertRaisesRegex(UserError, "this action is not possible now"):
            request.with_user(self.officer_men).action_start_service()

    def test_committee_member_cannot_move_requests(self):
        """The buttons check the user's right to edit the request."""
        request = self._request_in_state("approved", self.beneficiary)
        self.beneficiary.action_register()
        with self.assertRaises(AccessError):
            request.with_user(self.committee_member).action_start_service()
        self.assertEqual(request.state, "approved")

    # ------------------------------------------------------------------
    # deliveries
    # ------------------------------------------------------------------

    def test_delivery_rules(self):
        financial = self._request_in_state(
            "in_service", self.beneficiary, service_type_id=self.service_no_research.id
        )
        Delivery = self.env["islah.service.delivery"].with_user(self.officer_men)
        with self.assertRaisesRegex(ValidationError, "financial service"):
            Delivery.create({"request_id": financial.id, "description": "Cash", "amount": 0})
        delivery = Delivery.create(
            {"request_id": financial.id, "description": "Cash", "amount": 500}
        )
        self.assertEqual(delivery.delivered_by_id, self.officer_men)
        self.assertEqual(delivery.date, fields.Date.today())
        # a service in kind may go without an amount
        in_kind = self._request_in_state("in_service", self._create_beneficiary())
        Delivery.create({"request_id": in_kind.id, "description": "Counselling session"})
        # not before the service started
        received = self._create_request(self.beneficiary)
        with self.assertRaisesRegex(ValidationError, "requests in service"):
            Delivery.create({"request_id": received.id, "description": "Too early"})
        # a closed request's deliveries are frozen
        financial.with_user(self.officer_men).action_done()
        with self.assertRaisesRegex(UserError, "closed request cannot be changed"):
            delivery.with_user(self.officer_men).write({"amount": 600})
        with self.assertRaisesRegex(UserError, "closed request cannot be deleted"):
            delivery.with_user(self.manager).unlink()

    # ------------------------------------------------------------------
    # cancel, archive, lock
    # ------------------------------------------------------------------

    def test_cancel_needs_reason(self):
        request = self._create_request(self.beneficiary).with_user(self.officer_men)
        with self.assertRaisesRegex(UserError, "Say why the request is cancelled"):
            request.action_cancel()
        action = request.action_open_cancel_wizard()
        wizard = (
            self.env["islah.request.cancel"]
            .with_user(self.officer_men)
            .with_context(**action["context"])
            .create({"reason": "The applicant withdrew."})
        )
        self.assertEqual(wizard.mode, "cancel")
        wizard.action_confirm()
        self.assertEqual(request.state, "cancelled")
        self.assertEqual(request.cancel_reason, "The applicant withdrew.")
        self.assertIn("The applicant withdrew.", request.message_ids[0].body)

    def test_committee_request_cancelled_leaves_sla(self):
        request = self._request_in_state("committee", self.beneficiary)
        request.with_user(self.officer_men).action_cancel("Duplicate")
        self.assertEqual(request.state, "cancelled")
        self.assertFalse(request.sla_state)

    def test_state_cannot_be_written(self):
        """A user cannot jump a step by writing the state (or any workflow field)."""
        request = self._create_request(self.beneficiary).with_user(self.officer_men)
        with self.assertRaisesRegex(UserError, "only through the request's steps"):
            request.write({"state": "approved"})
        with self.assertRaisesRegex(UserError, "only through the request's steps"):
            request.write({"declaration_accepted": True})
        with self.assertRaisesRegex(UserError, "only through the request's steps"):
            request.write({"decision_deadline": fields.Date.today()})
        self.assertEqual(request.state, "received")
        with self.assertRaisesRegex(UserError, "starts as received"):
            self.env["islah.support.request"].with_user(self.officer_men).create(
                {
                    "beneficiary_id": self.beneficiary.id,
                    "service_type_id": self.service_full.id,
                    "medium_id": self.channel_interview.id,
                    "state": "committee",
                }
            )

    def test_form_state_readonly(self):
        request = self._create_request(self.beneficiary)
        with Form(request) as form:
            with self.assertRaises(AssertionError):
                form.state = "approved"

    def test_decided_request_locked(self):
        request = self._request_in_state("approved", self.beneficiary).with_user(self.officer_men)
        self.assertTrue(request.is_locked)
        other = self._create_beneficiary()
        with self.assertRaisesRegex(UserError, "has been decided"):
            request.write({"beneficiary_id": other.id})
        with self.assertRaisesRegex(UserError, "has been decided"):
            request.write({"service_type_id": self.service_no_research.id})
        with self.assertRaisesRegex(UserError, "has been decided"):
            request.write({"description": "Rewritten"})
        # the officer in charge may still change
        request.write({"officer_id": self.officer_men.id})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            request.with_user(self.manager).unlink()

    def test_archive_needs_reason(self):
        request = self._request_in_state("done", self.beneficiary).with_user(self.manager)
        with self.assertRaisesRegex(UserError, "Say why the request is archived"):
            request.action_archive()
        self.assertTrue(request.active)
        action = request.action_open_archive_wizard()
        wizard = (
            self.env["islah.request.cancel"]
            .with_user(self.manager)
            .with_context(**action["context"])
            .create({"reason": "Entered twice by mistake."})
        )
        wizard.action_confirm()
        self.assertFalse(request.active)
        self.assertIn("Entered twice by mistake.", request.message_ids[0].body)

    def test_received_request_can_be_deleted(self):
        request = self._create_request(self.beneficiary)
        request.with_user(self.manager).unlink()
        self.assertFalse(request.exists())

    # ------------------------------------------------------------------
    # tracking
    # ------------------------------------------------------------------

    def test_tracking(self):
        request = self._with_mail(self._create_request(self.beneficiary))
        self.env.cr.flush()
        request = request.with_user(self.officer_men)
        request.write({"medium_id": self.env.ref("islah_beneficiary.utm_medium_website").id})
        request.action_start_verification()
        self.env.cr.flush()
        tracked = request.sudo().message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("medium_id", tracked)
        self.assertIn("state", tracked)
        for name in (
            "state",
            "beneficiary_id",
            "service_type_id",
            "medium_id",
            "officer_id",
            "researcher_id",
            "visit_date",
            "data_verified_by_id",
            "declaration_accepted",
            "submission_date",
            "decision_deadline",
            "decided_on",
            "cancel_reason",
            "active",
        ):
            self.assertTrue(request._fields[name].tracking, name)
        self.assertTrue(self.env["islah.service.delivery"]._fields["amount"].tracking)

    def test_deadline_days_from_service_then_company(self):
        self.service_no_research.decision_days = 5
        request = self._request_in_state(
            "committee", self.beneficiary, service_type_id=self.service_no_research.id
        )
        self.assertEqual(request.decision_days_allowed, 5)
        self.assertEqual(
            request.decision_deadline,
            # the day of submission in the user's time zone, plus the service's days
            fields.Date.context_today(request, request.submission_date) + timedelta(days=5),
        )
        self.company.islah_decision_days = 10
        other = self._request_in_state("committee", self.beneficiary)
        self.assertEqual(other.decision_days_allowed, 10)
