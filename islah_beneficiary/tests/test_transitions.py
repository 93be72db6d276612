"""The transition tables (issue 10): every step of a request, a committee
decision and a meeting, for every role, through the RPC dispatcher the web
client uses; the fields only the flow writes; sane values."""

import base64
from datetime import datetime, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import call_kw
from odoo.tests import new_test_user, tagged

from .common import GROUP_RESEARCHER, IslahCommitteeCommon

# what an attacker may put in the JSON context of an RPC call
CONTEXT_TRICKS = {
    "islah_flow": True,
    "islah_workflow": True,
    "su": True,
    "sudo": True,
    "bypass_flow": True,
    "install_mode": True,
    "module": "islah_beneficiary",
    "tracking_disable": True,
}


# an appeal needs a notified rejection and, to be overturned, the committee's
# appeal decision: test_appeal.py takes these two steps for each role
APPEAL_STEPS = {"record_appeal", "overturn_on_appeal"}


class IslahTransitionCommon(IslahCommitteeCommon):
    """Every role of ``IslahCommon`` plus a researcher who is not assigned
    and the chair, secretary and members of ``IslahCommitteeCommon``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.researcher_other = new_test_user(
            cls.env,
            login="islah_researcher_other",
            groups=GROUP_RESEARCHER,
            islah_section="both",
            name="Other Researcher",
        )
        cls.request_users = {
            "officer_men": cls.officer_men,
            "officer_women": cls.officer_women,
            "researcher_assigned": cls.researcher,
            "researcher_other": cls.researcher_other,
            "committee_member": cls.committee_member,
            "manager": cls.manager,
            "manager_men": cls.manager_men,
            "internal_user": cls.internal_user,
            "portal_user": cls.portal_user,
        }

    def _call(self, records, user, method, *args, **kwargs):
        """``method`` of ``records`` as ``user`` through the RPC dispatcher."""
        Model = self.env[records._name].with_user(user)
        return call_kw(Model, method, [records.ids, *args], kwargs)

    def _allowed_by_table(self, record, step, user):
        """What the table says: one of the step's groups, or one of its roles
        on this record (the assigned researcher, the meeting's chair or
        secretary), and the user may edit the record (record rules)."""
        entry = record._get_transition_roles()[step]
        roles = set()
        if record._name == "islah.support.request" and record.researcher_id == user:
            roles.add("researcher")
        if (
            record._name == "islah.support.request"
            and not record.researcher_id
            and user.has_group(GROUP_RESEARCHER)
            and record.section in user._islah_sections()
        ):
            roles.add("section_researcher")
        meeting = record if record._name == "islah.committee.meeting" else None
        if record._name == "islah.committee.decision":
            meeting = record.meeting_id
        if meeting:
            roles |= {"chair"} if meeting.chair_id == user else set()
            roles |= {"secretary"} if meeting.secretary_id == user else set()
        role_ok = any(user.has_group(group) for group in entry.get("groups", ())) or bool(
            roles & set(entry.get("roles", ()))
        )
        return role_ok and record.with_user(user).has_access("write")

    def _assert_can_field(self, record, step, user, expected):
        """The ``can_<step>`` field says what the server allows."""
        fname = f"can_{step}"
        if fname in record._fields and record.with_user(user).has_access("read"):
            self.assertEqual(record.with_user(user)[fname], expected, f"{fname} for {user.login}")


@tagged("post_install", "-at_install", "islah_transitions")
class TestRequestTransitions(IslahTransitionCommon):
    """Each step of a request × each role, generated from
    ``_get_transition_roles()``: allowed where the table says so, refused
    with an AccessError elsewhere, and the form's ``can_*`` fields agree."""

    def _attach_all(self, request):
        for line in request.document_ids:
            attachment = self.env["ir.attachment"].create(
                {
                    "name": "scan.pdf",
                    "datas": base64.b64encode(b"%PDF-1.4 test"),
                    "res_model": line._name,
                    "res_id": line.id,
                }
            )
            line.write({"attachment_ids": [Command.link(attachment.id)]})

    def _ready(self, step):
        """A men's request, assigned to the researcher, ready for ``step``."""
        beneficiary = self._create_beneficiary(gender="male", consent=True)
        service = self.service_full
        state = {
            "start_verification": "received",
            "verify_data": "received",
            "record_declaration": "received",
            "verify_documents": "verification",
            "complete_verification": "verification",
            "take_research": "research",
            "record_research": "research",
            "submit_research": "research",
            "return_to_verification": "research",
            "start_service": "approved",
            "record_delivery": "in_service",
            "done": "in_service",
            "cancel": "received",
            "archive": "received",
            "archive_decided": "done",
            "edit_request": "received",
        }[step]
        if step == "complete_verification":
            service = self.service_no_research
        # nobody assigned yet: the research is for a researcher to take
        researcher = self.researcher if step != "take_research" else self.env["res.users"]
        request = self._request_in_state(
            state, beneficiary, service_type_id=service.id, researcher_id=researcher.id
        )
        if step in ("verify_documents", "complete_verification"):
            self._attach_all(request)
        if step == "complete_verification":
            request.document_ids.sudo().write(
                {"verified_by_id": self.officer_men.id, "verified_on": fields.Datetime.now()}
            )
            request.sudo().write(
                {
                    "data_verified_by_id": self.officer_men.id,
                    "data_verified_on": fields.Datetime.now(),
                    "declaration_accepted": True,
                    "declaration_date": fields.Datetime.now(),
                }
            )
        if step == "submit_research":
            request.sudo().write(
                {"visit_date": fields.Date.today(), "research_report": "<p>Seen the family.</p>"}
            )
        if step == "start_service":
            beneficiary.action_register()
        if step == "done":
            self.env["islah.service.delivery"].create(
                {"request_id": request.id, "description": "Counselling session"}
            )
        return request

    def _take(self, step, request, user):
        """Take ``step`` on ``request`` as ``user``, the way the web client does."""
        if step == "verify_documents":
            return self._call(request.document_ids, user, "action_verify")
        if step == "record_delivery":
            Delivery = self.env["islah.service.delivery"].with_user(user)
            return call_kw(
                Delivery, "create", [[{"request_id": request.id, "description": "Food basket"}]], {}
            )
        if step == "record_research":
            return self._call(request, user, "write", {"visit_date": fields.Date.today()})
        if step == "edit_request":
            return self._call(request, user, "write", {"description": "Corrected need"})
        if step == "overturn_on_appeal":
            # not an RPC method: the meeting's closing takes it
            return request.with_user(user)._islah_overturn_on_appeal(self.env["islah.appeal"])
        if step in ("cancel", "return_to_verification"):
            return self._call(request, user, f"action_{step}", reason="A reason")
        if step in ("archive", "archive_decided"):
            Model = self.env[request._name].with_user(user)
            return call_kw(
                Model,
                "action_archive",
                [request.ids],
                {"context": {"islah_archive_reason": "Entered twice"}},
            )
        return self._call(request, user, f"action_{step}")

    def _taken(self, step, request, user):
        """Whether ``step`` left its mark on ``request``."""
        request.invalidate_recordset()
        return {
            "start_verification": lambda: request.state == "verification",
            "verify_data": lambda: request.data_verified_by_id == user,
            "record_declaration": lambda: request.declaration_accepted,
            "verify_documents": lambda: all(request.document_ids.mapped("verified_on")),
            "complete_verification": lambda: request.state == "committee",
            "take_research": lambda: request.researcher_id == user,
            "record_research": lambda: request.visit_date == fields.Date.today(),
            "submit_research": lambda: request.state == "committee",
            "return_to_verification": lambda: request.state == "verification",
            "start_service": lambda: request.state == "in_service",
            "record_delivery": lambda: bool(
                request.delivery_ids.filtered(lambda d: d.description == "Food basket")
            ),
            "done": lambda: request.state == "done",
            "cancel": lambda: request.state == "cancelled",
            "archive": lambda: not request.active,
            "archive_decided": lambda: not request.active,
            "edit_request": lambda: request.description == "Corrected need",
        }[step]()

    def test_every_step_for_every_role(self):
        table = self.env["islah.support.request"]._get_transition_roles()
        self.assertGreaterEqual(len(table), 15)
        for step in set(table) - APPEAL_STEPS:
            for name, user in self.request_users.items():
                with self.subTest(step=step, user=name):
                    request = self._ready(step)
                    expected = self._allowed_by_table(request, step, user)
                    self._assert_can_field(request, step, user, expected)
                    if expected:
                        self._take(step, request, user)
                        self.assertTrue(self._taken(step, request, user))
                    else:
                        with self.assertRaises(AccessError):
                            self._take(step, request, user)
                        self.assertFalse(self._taken(step, request, user))

    def test_table_expectations(self):
        """The table itself, independently of its code: who takes what."""
        request = self._ready("submit_research")
        expect = {
            "officer_men": False,
            "researcher_assigned": True,
            "researcher_other": False,
            "manager": True,
            "manager_men": True,
            "committee_member": False,
        }
        for name, allowed in expect.items():
            self.assertEqual(
                self._allowed_by_table(request, "submit_research", self.request_users[name]),
                allowed,
                name,
            )
        done = self._ready("archive_decided")
        self.assertFalse(self._allowed_by_table(done, "archive_decided", self.officer_men))
        self.assertTrue(self._allowed_by_table(done, "archive_decided", self.manager_men))
        received = self._ready("cancel")
        self.assertTrue(self._allowed_by_table(received, "cancel", self.officer_men))
        self.assertFalse(self._allowed_by_table(received, "cancel", self.researcher))

    def test_wrong_state_is_a_user_error(self):
        """Out of its states a step is refused to everyone, a manager too."""
        table = self.env["islah.support.request"]._get_transition_roles()
        for step, entry in table.items():
            wrong = next(
                (s for s in ("cancelled", "done", "received") if s not in entry["states"]), None
            )
            # the archive button picks its step by the state, and the
            # deliveries and documents check the state through their own models
            if not wrong or step in (
                "record_delivery",
                "verify_documents",
                "archive",
                "archive_decided",
            ):
                continue
            with self.subTest(step=step):
                request = self._request_in_state(wrong, researcher_id=self.researcher.id)
                with self.assertRaises(UserError) as error:
                    self._take(step, request, self.manager)
                self.assertNotIsInstance(error.exception, AccessError)

    def test_survey_addon_can_extend_the_table(self):
        """The survey addon adds its steps with ``super()``: the table is a
        fresh dict per call that an override may extend."""
        Request = self.env["islah.support.request"]
        table = Request._get_transition_roles()
        table["new_step"] = {"label": "x", "states": ("done",), "groups": ()}
        self.assertNotIn("new_step", Request._get_transition_roles())


@tagged("post_install", "-at_install", "islah_transitions")
class TestRequestAttacks(IslahTransitionCommon):
    """The attacks of issue 10, reproduced over RPC and refused."""

    def _researcher_request(self, state="research"):
        return self._request_in_state(state, researcher_id=self.researcher.id)

    def test_researcher_cannot_take_officer_steps(self):
        """A researcher cancelled and archived requests, verified data,
        recorded the declaration and started the service."""
        received = self._researcher_request("received")
        for method, kwargs in (
            ("action_verify_data", {}),
            ("action_record_declaration", {}),
            ("action_start_verification", {}),
            ("action_cancel", {"reason": "mine"}),
            ("action_open_cancel_wizard", {}),
        ):
            with self.subTest(method=method), self.assertRaises(AccessError):
                self._call(received, self.researcher, method, **kwargs)
        with self.assertRaises(AccessError):
            call_kw(
                self.env["islah.support.request"].with_user(self.researcher),
                "action_archive",
                [received.ids],
                {"context": {"islah_archive_reason": "mine"}},
            )
        approved = self._researcher_request("approved")
        approved.beneficiary_id.action_register()
        with self.assertRaises(AccessError):
            self._call(approved, self.researcher, "action_start_service")
        self.assertEqual((received.state, received.active), ("received", True))
        self.assertFalse(received.data_verified_on or received.declaration_accepted)
        self.assertEqual(approved.state, "approved")

    def test_officer_cannot_archive_a_decided_request(self):
        """An officer archived a decided request, hiding a missed deadline."""
        request = self._request_in_state("rejected")
        request.sudo().sla_state = "missed"
        with self.assertRaises(AccessError):
            call_kw(
                self.env["islah.support.request"].with_user(self.officer_men),
                "action_archive",
                [request.ids],
                {"context": {"islah_archive_reason": "Old"}},
            )
        with self.assertRaises(AccessError):
            self._call(request, self.officer_men, "action_open_archive_wizard")
        with self.assertRaises(UserError):
            self._call(request, self.officer_men, "write", {"active": False})
        self.assertTrue(request.active)
        # a manager may, with the reason in the chatter
        call_kw(
            self.env["islah.support.request"].with_user(self.manager),
            "action_archive",
            [request.ids],
            {"context": {"islah_archive_reason": "Entered twice"}},
        )
        self.assertFalse(request.active)
        self.assertTrue(any("Entered twice" in body for body in request.message_ids.mapped("body")))
        # restoring follows the same rule
        with self.assertRaises(AccessError):
            self._call(request, self.officer_men, "action_unarchive")
        self._call(request, self.manager, "action_unarchive")
        self.assertTrue(request.active)

    def test_officer_archives_an_undecided_request_with_reason(self):
        request = self._create_request()
        with self.assertRaisesRegex(UserError, "Say why"):
            self._call(request, self.officer_men, "action_archive")
        call_kw(
            self.env["islah.support.request"].with_user(self.officer_men),
            "action_archive",
            [request.ids],
            {"context": {"islah_archive_reason": "Duplicate"}},
        )
        self.assertFalse(request.active)

    def test_researcher_cannot_change_the_intake(self):
        """A researcher writes the visit and the report of their request,
        never who the beneficiary is, which service, or who handles it."""
        request = self._researcher_request()
        other = self._create_beneficiary()
        for vals in (
            {"beneficiary_id": other.id},
            {"service_type_id": self.service_no_committee.id},
            {"officer_id": self.researcher.id},
            {"researcher_id": self.researcher_other.id},
            {"description": "Rewritten"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                self._call(request, self.researcher, "write", vals)
        with self.assertRaises(UserError):
            self._call(request, self.researcher, "write", {"partner_id": other.partner_id.id})
        self.assertEqual(request.officer_id, self.env.user)
        self.assertNotEqual(request.beneficiary_id, other)
        self._call(
            request,
            self.researcher,
            "write",
            {"visit_date": fields.Date.today(), "research_report": "<p>Findings</p>"},
        )
        self.assertEqual(request.visit_date, fields.Date.today())

    def test_only_the_researcher_or_a_manager_write_the_research(self):
        request = self._researcher_request()
        for user in (self.officer_men, self.researcher_other, self.committee_member):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._call(request, user, "write", {"visit_date": fields.Date.today()})
        self.assertFalse(request.visit_date)
        self._call(request, self.manager, "write", {"visit_date": fields.Date.today()})
        self.assertEqual(request.visit_date, fields.Date.today())
        # and only during the research step
        request.sudo().write({"state": "verification"})
        with self.assertRaises(UserError):
            self._call(request, self.researcher, "write", {"visit_date": fields.Date.today()})

    def test_locked_fields_refused_whatever_the_context(self):
        """The flow's fields cannot be written over RPC, with or without a
        context key the client made up."""
        request = self._create_request()
        for vals in (
            {"state": "approved"},
            {"data_verified_by_id": self.officer_men.id},
            {"declaration_accepted": True},
            {"decision_deadline": fields.Date.today()},
            {"decided_on": fields.Date.today()},
            {"sla_state": "met"},
            {"cancel_reason": "x"},
            {"research_return_reason": "x"},
            {"submission_date": fields.Datetime.now()},
            {"information_request_reason": "x"},
            {"active": False},
        ):
            for context in ({}, CONTEXT_TRICKS):
                with self.subTest(vals=vals, context=bool(context)):
                    with self.assertRaises(UserError):
                        call_kw(
                            self.env["islah.support.request"].with_user(self.manager),
                            "write",
                            [request.ids, vals],
                            {"context": context},
                        )
        self.assertEqual((request.state, request.active), ("received", True))
        # nor given at creation
        with self.assertRaisesRegex(UserError, "starts as received"):
            call_kw(
                self.env["islah.support.request"].with_user(self.officer_men),
                "create",
                [
                    {
                        "beneficiary_id": request.beneficiary_id.id,
                        "service_type_id": self.service_full.id,
                        "medium_id": self.channel_interview.id,
                        "declaration_accepted": True,
                    }
                ],
                {"context": CONTEXT_TRICKS},
            )
        # document lines: verified by the button only
        line = request.document_ids[0]
        for context in ({}, CONTEXT_TRICKS):
            with self.assertRaisesRegex(UserError, "Verify button"):
                call_kw(
                    self.env["islah.request.document"].with_user(self.officer_men),
                    "write",
                    [line.ids, {"verified_on": fields.Datetime.now()}],
                    {"context": context},
                )
        self.assertFalse(line.verified_on)

    def test_documents_verified_by_officers_only(self):
        request = self._request_in_state("verification", researcher_id=self.researcher.id)
        line = request.document_ids[0]
        attachment = self.env["ir.attachment"].create(
            {
                "name": "a.pdf",
                "datas": base64.b64encode(b"%PDF-1.4"),
                "res_model": line._name,
                "res_id": line.id,
            }
        )
        line.write({"attachment_ids": [Command.link(attachment.id)]})
        for user in (self.researcher, self.committee_member, self.officer_women):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._call(line, user, "action_verify")
        self.assertFalse(line.verified_on)
        self._call(line, self.officer_men, "action_verify")
        self.assertEqual(line.verified_by_id, self.officer_men)


@tagged("post_install", "-at_install", "islah_transitions")
class TestSaneValues(IslahTransitionCommon):
    """Amounts and dates the flow accepts."""

    def test_delivery_amount_and_date(self):
        request = self._request_in_state("in_service")
        Delivery = self.env["islah.service.delivery"].with_user(self.officer_men)
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            call_kw(
                Delivery,
                "create",
                [{"request_id": request.id, "description": "Cash", "amount": -5}],
                {},
            )
        with self.assertRaisesRegex(ValidationError, "cannot be in the future"):
            call_kw(
                Delivery,
                "create",
                [
                    {
                        "request_id": request.id,
                        "description": "Later",
                        "date": fields.Date.today() + timedelta(days=1),
                    }
                ],
                {},
            )
        delivery = Delivery.create({"request_id": request.id, "description": "Given"})
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self._call(delivery, self.officer_men, "write", {"amount": -1})
        other = Delivery.create({"request_id": request.id, "description": "Given too"})
        with self.assertRaisesRegex(ValidationError, "cannot be in the future"):
            self._call(
                other, self.officer_men, "write", {"date": fields.Date.today() + timedelta(3)}
            )

    def test_visit_not_in_the_future(self):
        request = self._request_in_state("research", researcher_id=self.researcher.id)
        with self.assertRaisesRegex(ValidationError, "future"):
            self._call(
                request,
                self.researcher,
                "write",
                {"visit_date": fields.Date.today() + timedelta(days=2)},
            )

    def test_approved_amount_not_negative(self):
        request = self._committee_request()
        meeting = self._meeting(requests=request)
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self._call(meeting.decision_ids, self.secretary, "write", {"approved_amount": -100})


class IslahDecisionCommon(IslahTransitionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.decision_users = {
            "chair": cls.chair,
            "secretary": cls.secretary,
            "member_c": cls.member_c,
            "outsider": cls.outsider,
            "committee_member": cls.committee_member,
            "officer_men": cls.officer_men,
            "officer_women": cls.officer_women,
            "manager": cls.manager,
            "researcher": cls.researcher,
        }

    def _closed_decision(self, email=False):
        """A final (approved) decision on a men's request, at a closed
        meeting. Without ``email`` the letter is issued but not notified."""
        beneficiary = self._create_beneficiary(gender="male")
        request = self._committee_request(beneficiary=beneficiary)
        meeting = self._meeting(requests=request, date_start=datetime.now() - timedelta(days=1))
        self._vote_all(meeting.decision_ids, "approve")
        meeting.with_user(self.chair).action_close()
        decision = meeting.decision_ids
        self.assertTrue(decision.letter_number)
        if email:
            beneficiary.partner_id.email = "beneficiary@example.com"
        return decision


@tagged("post_install", "-at_install", "islah_transitions")
class TestDecisionTransitions(IslahDecisionCommon):
    """The letter and its notification: each step × each role."""

    def _ready(self, step):
        if step in ("resend_decision_letter", "correct_notification"):
            decision = self._closed_decision(email=True)
            decision.sudo().action_send_decision_letter()
            self.assertEqual(decision.letter_state, "notified")
            return decision
        return self._closed_decision(email=step == "send_decision_letter")

    def _take(self, step, decision, user):
        if step == "resend_decision_letter":
            return self._call(decision, user, "action_resend_decision_letter", reason="Lost")
        if step == "record_notification":
            return self._call(decision, user, "action_record_notification", "letter")
        if step == "correct_notification":
            return self._call(
                decision,
                user,
                "action_correct_notification",
                "letter",
                fields.Datetime.to_string(datetime.now() - timedelta(hours=1)),
                reason="Handed over in person",
            )
        return self._call(decision, user, f"action_{step}")

    def _taken(self, step, decision):
        decision.invalidate_recordset()
        return {
            "issue_letter": lambda: bool(decision.letter_number),
            "send_decision_letter": lambda: decision.notification_method == "email",
            "resend_decision_letter": lambda: any(
                "Lost" in body for body in decision.message_ids.mapped("body")
            ),
            "record_notification": lambda: decision.notification_method == "letter",
            "correct_notification": lambda: decision.notification_method == "letter",
        }[step]()

    def test_every_step_for_every_role(self):
        table = self.env["islah.committee.decision"]._get_transition_roles()
        self.assertEqual(len(table), 5)
        for step in table:
            for name, user in self.decision_users.items():
                with self.subTest(step=step, user=name):
                    decision = self._ready(step)
                    expected = self._allowed_by_table(decision, step, user)
                    self._assert_can_field(decision, step, user, expected)
                    if expected:
                        self._take(step, decision, user)
                        self.assertTrue(self._taken(step, decision))
                    else:
                        with self.assertRaises(AccessError):
                            self._take(step, decision, user)
                        if step != "issue_letter":
                            self.assertFalse(self._taken(step, decision))

    def test_table_expectations(self):
        decision = self._ready("send_decision_letter")
        for user, allowed in (
            (self.chair, True),
            (self.secretary, True),
            (self.manager, True),
            (self.member_c, False),
            (self.officer_men, False),
        ):
            self.assertEqual(
                self._allowed_by_table(decision, "send_decision_letter", user), allowed
            )
        self.assertTrue(self._allowed_by_table(decision, "record_notification", self.officer_men))

    def test_letter_sent_once(self):
        """Any committee member sent the letter again and again."""
        decision = self._ready("send_decision_letter")
        with self.assertRaises(AccessError):
            self._call(decision, self.member_c, "action_send_decision_letter")
        self._call(decision, self.secretary, "action_send_decision_letter")
        first = decision.notified_on
        self.assertTrue(first)
        for user in (self.secretary, self.chair, self.manager):
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "again"):
                self._call(decision, user, "action_send_decision_letter")
        self.assertEqual(decision.notified_on, first)

    def test_resend_needs_a_reason_and_is_recorded(self):
        decision = self._ready("resend_decision_letter")
        first = decision.notified_on
        with self.assertRaisesRegex(UserError, "Say why"):
            self._call(decision, self.chair, "action_resend_decision_letter")
        with self.assertRaisesRegex(UserError, "Say why"):
            self._call(decision, self.chair, "action_resend_decision_letter", reason="  ")
        self._call(
            decision, self.chair, "action_resend_decision_letter", reason="Wrong address before"
        )
        note = decision.message_ids.filtered(lambda m: "Wrong address before" in m.body)
        self.assertEqual(len(note), 1)
        self.assertIn(self.chair.name, note.body)
        self.assertEqual(note.author_id, self.chair.partner_id)
        self.assertEqual(decision.notified_on, first, "the first notification date stays")

    def test_correction_needs_a_reason_and_is_logged(self):
        decision = self._ready("correct_notification")
        when = datetime.now().replace(microsecond=0) - timedelta(hours=2)
        args = ("letter", fields.Datetime.to_string(when))
        with self.assertRaisesRegex(UserError, "Say why"):
            self._call(decision, self.secretary, "action_correct_notification", *args)
        with self.assertRaises(ValidationError):
            self._call(
                decision,
                self.secretary,
                "action_correct_notification",
                "letter",
                fields.Datetime.to_string(datetime.now() + timedelta(days=1)),
                reason="x",
            )
        with self.assertRaises(AccessError):
            self._call(decision, self.officer_men, "action_correct_notification", *args, reason="x")
        self._call(
            decision, self.secretary, "action_correct_notification", *args, reason="In person"
        )
        self.assertEqual((decision.notification_method, decision.notified_on), ("letter", when))
        body = decision.message_ids.filtered(lambda m: "In person" in m.body).body
        self.assertTrue(body)
        self.assertIn("E-mail", body, "the former method is kept in the log")

    def test_officer_cannot_rewrite_the_letter(self):
        """An officer rewrote the letter number, letter date and "notified
        on" of a closed decision."""
        decision = self._ready("correct_notification")
        before = (decision.letter_number, decision.letter_date, decision.notified_on)
        for vals in (
            {"letter_number": "DL/FAKE/1"},
            {"letter_date": fields.Date.today() - timedelta(days=30)},
            {"notified_on": fields.Datetime.now() - timedelta(days=30)},
            {"notification_method": "phone"},
            {"decided_on": fields.Date.today()},
        ):
            for user in (self.officer_men, self.secretary, self.manager):
                for context in ({}, CONTEXT_TRICKS):
                    with self.subTest(vals=vals, user=user.login, context=bool(context)):
                        with self.assertRaises(UserError):
                            call_kw(
                                self.env["islah.committee.decision"].with_user(user),
                                "write",
                                [decision.ids, vals],
                                {"context": context},
                            )
        self.assertEqual(
            (decision.letter_number, decision.letter_date, decision.notified_on), before
        )

    def test_closed_decision_locked_as_a_whole(self):
        decision = self._ready("send_decision_letter")
        for vals in ({"sequence": 99}, {"approved_notes": "later"}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                self._call(decision, self.manager, "write", vals)

    def test_mirrors_of_the_request_not_written_through_a_decision(self):
        """A related field would write the request (or its beneficiary)."""
        request = self._committee_request()
        decision = self._meeting(requests=request).decision_ids
        other = self._create_beneficiary()
        for vals in (
            {"beneficiary_id": other.id},
            {"partner_id": other.partner_id.id},
            {"decision_deadline": fields.Date.today()},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                self._call(decision, self.manager, "write", vals)
        self.assertNotEqual(request.beneficiary_id, other)


@tagged("post_install", "-at_install", "islah_transitions")
class TestMeetingTransitions(IslahDecisionCommon):
    """Preparing, opening and closing a meeting: each step × each role."""

    def _ready(self, step):
        if step == "close":
            meeting = self._meeting(requests=self._committee_request())
            self._vote_all(meeting.decision_ids, "approve")
            return meeting
        return self._meeting(start=False)

    def _taken(self, step, meeting):
        meeting.invalidate_recordset()
        return {
            "pull_requests": lambda: bool(meeting.decision_ids),
            "start_session": lambda: meeting.state == "in_session",
            "close": lambda: meeting.state == "closed",
        }[step]()

    def test_every_step_for_every_role(self):
        table = self.env["islah.committee.meeting"]._get_transition_roles()
        self.assertEqual(set(table), {"pull_requests", "start_session", "close"})
        for step in table:
            for name, user in self.decision_users.items():
                with self.subTest(step=step, user=name):
                    if step == "pull_requests":
                        self._committee_request()
                    meeting = self._ready(step)
                    expected = self._allowed_by_table(meeting, step, user)
                    self._assert_can_field(meeting, step, user, expected)
                    if expected:
                        self._call(meeting, user, f"action_{step}")
                        self.assertTrue(self._taken(step, meeting))
                    else:
                        with self.assertRaises(AccessError):
                            self._call(meeting, user, f"action_{step}")
                        self.assertFalse(self._taken(step, meeting))

    def test_state_and_quorum_not_written_by_hand(self):
        """The secretary could close the meeting (or lower its quorum) by
        writing the field, skipping the recording of the decisions."""
        meeting = self._meeting(requests=self._committee_request())
        for vals in ({"state": "closed"}, {"state": "draft"}, {"quorum": 1}, {"closed_on": False}):
            for context in ({}, CONTEXT_TRICKS):
                with self.subTest(vals=vals, context=bool(context)):
                    with self.assertRaises(UserError):
                        call_kw(
                            self.env["islah.committee.meeting"].with_user(self.secretary),
                            "write",
                            [meeting.ids, vals],
                            {"context": context},
                        )
        self.assertEqual((meeting.state, meeting.quorum), ("in_session", 3))
        with self.assertRaises(UserError):
            self.env["islah.committee.meeting"].with_user(self.secretary).create(
                {
                    "member_ids": [Command.set(self.members.ids)],
                    "chair_id": self.chair.id,
                    "secretary_id": self.secretary.id,
                    "state": "in_session",
                }
            )
