from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MailCase

from .common import IslahCommon


@tagged("post_install", "-at_install", "islah_request_automation")
class TestRequestAutomation(IslahCommon, MailCase):
    """The automation rules shipped as data fire: acknowledgement e-mail on
    receipt, to-do for the committee secretary, at-risk to-do and escalation
    e-mail for the managers (these two on the change of the deadline status
    made by the deadline-status pass, from the company's at-risk days)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"email": "contact@islah.test", "islah_decision_days": 14, "islah_at_risk_days": 3}
        )
        cls.beneficiary = cls._create_beneficiary(
            name="Automation Beneficiary", email="beneficiary@example.com", lang="en_US"
        )

    def _run_deadline_pass(self):
        """The deadline-status scheduled action, which fires the at-risk and
        escalation rules for the requests whose status it changes."""
        self.env["islah.support.request"]._cron_update_sla_states()
        self.env.flush_all()
        self.env.invalidate_all()

    def test_automations_shipped(self):
        for xmlid, trigger in (
            ("base_automation_request_acknowledgement", "on_create"),
            ("base_automation_request_committee", "on_state_set"),
            ("base_automation_request_at_risk", "on_create_or_write"),
            ("base_automation_request_escalation", "on_create_or_write"),
        ):
            automation = self.env.ref(f"islah_beneficiary.{xmlid}")
            self.assertEqual(automation.trigger, trigger)
            self.assertTrue(automation.active)
        # the deadline warnings watch the status only, with no delay of their
        # own: the company's at-risk days are the one source (see below)
        sla_state = self.env["ir.model.fields"]._get("islah.support.request", "sla_state")
        for xmlid, status in (
            ("base_automation_request_at_risk", "at_risk"),
            ("base_automation_request_escalation", "overdue"),
        ):
            automation = self.env.ref(f"islah_beneficiary.{xmlid}")
            self.assertEqual(automation.trigger_field_ids, sla_state)
            self.assertFalse(automation.trg_date_id)
            self.assertIn(f"('sla_state', '=', '{status}')", automation.filter_domain)

    def test_acknowledgement_email(self):
        with self.mock_mail_gateway():
            request = self._create_request(self.beneficiary)
            self.env.flush_all()
        mails = self._new_mails.filtered(lambda m: request.name in (m.subject or ""))
        self.assertEqual(len(mails), 1, "one acknowledgement e-mail")
        mail = mails
        self.assertIn(self.beneficiary.partner_id, mail.recipient_ids)
        body = mail.body_html
        self.assertIn(request.name, body)
        self.assertIn("14", body)
        self.assertIn("Research Committee", body)
        self.assertIn("responsible for the correctness", body)
        self.assertTrue(
            any(att.name.startswith("Receipt") for att in mail.attachment_ids),
            mail.attachment_ids.mapped("name"),
        )
        # visible in the chatter too
        self.assertIn(request.name, request.message_ids[0].subject or "")

    def test_acknowledgement_in_beneficiary_language(self):
        template = self.env.ref("islah_beneficiary.mail_template_request_acknowledgement")
        self.assertEqual(template.lang, "{{ object.partner_id.lang }}")
        self.assertFalse(template.use_default_to)

    def test_no_email_no_acknowledgement(self):
        beneficiary = self._create_beneficiary(name="Without E-mail")
        with self.mock_mail_gateway():
            request = self._create_request(beneficiary)
            self.env.flush_all()
        self.assertFalse(self._new_mails.filtered(lambda m: request.name in (m.subject or "")))

    def test_committee_secretary_activity(self):
        self.company.islah_committee_secretary_id = self.committee_member
        request = self._create_request(
            self.beneficiary, service_type_id=self.service_no_research.id
        )
        request._enter_committee()
        activities = request.activity_ids
        self.assertEqual(activities.user_id, self.committee_member)
        self.assertEqual(activities.date_deadline, request.decision_deadline)
        self.assertIn(request.name, activities.summary)

    def test_committee_activity_falls_back_to_managers(self):
        self.company.islah_committee_secretary_id = False
        request = self._create_request(self.beneficiary)
        request._enter_committee()
        self.assertIn(self.manager, request.activity_ids.user_id)
        self.assertIn(self.manager_men, request.activity_ids.user_id)
        self.assertNotIn(self.officer_men, request.activity_ids.user_id)

    def test_at_risk_activity(self):
        request = self._request_in_state("committee", self.beneficiary)
        far = self._request_in_state("committee", self._create_beneficiary())
        today = fields.Date.today()
        request.sudo().decision_deadline = today + timedelta(days=2)
        far.sudo().decision_deadline = today + timedelta(days=10)
        request.activity_ids.unlink()
        far.activity_ids.unlink()
        self._run_deadline_pass()
        summaries = request.activity_ids.mapped("summary")
        self.assertTrue(any("Deadline at risk" in s for s in summaries), summaries)
        self.assertIn(self.manager, request.activity_ids.user_id)
        self.assertFalse(far.activity_ids)

    def test_escalation_email(self):
        request = self._request_in_state("committee", self.beneficiary)
        decided = self._request_in_state("approved", self._create_beneficiary())
        yesterday_but_one = fields.Date.today() - timedelta(days=2)
        (request | decided).sudo().write({"decision_deadline": yesterday_but_one})
        with self.mock_mail_gateway():
            self._run_deadline_pass()
        mails = self._new_mails.filtered(lambda m: "Overdue" in (m.subject or ""))
        self.assertEqual(len(mails), 1, mails.mapped("subject"))
        self.assertIn(request.name, mails.subject)
        self.assertIn(self.manager.partner_id, mails.recipient_ids)
        self.assertNotIn(self.beneficiary.partner_id, mails.recipient_ids)

    def _at_risk_todos(self, request):
        return request.activity_ids.filtered(lambda a: "Deadline at risk" in (a.summary or ""))

    def test_at_risk_follows_the_company_setting(self):
        """The company's at-risk days, not a delay of the rule, decide when
        the managers' to-do comes (it was 3 days, hard-coded)."""
        self.company.islah_at_risk_days = 5
        request = self._request_in_state("committee", self.beneficiary)
        later = self._request_in_state("committee", self._create_beneficiary())
        today = fields.Date.today()
        request.sudo().decision_deadline = today + timedelta(days=5)
        later.sudo().decision_deadline = today + timedelta(days=6)
        self._run_deadline_pass()
        self.assertEqual((request.sla_state, later.sla_state), ("at_risk", "on_track"))
        self.assertTrue(self._at_risk_todos(request))
        self.assertFalse(self._at_risk_todos(later))

    def test_warnings_fire_once_for_the_requests_that_changed(self):
        """The pass fires the rules for the requests whose status it changed,
        and for those only: a request already at risk or overdue is not warned
        again, nor one whose status stays."""
        today = fields.Date.today()
        at_risk, overdue, on_track = (
            self._request_in_state("committee", self._create_beneficiary()) for _i in range(3)
        )
        at_risk.sudo().decision_deadline = today + timedelta(days=1)
        overdue.sudo().decision_deadline = today - timedelta(days=1)
        with self.mock_mail_gateway():
            self._run_deadline_pass()
        todos = self._at_risk_todos(at_risk)  # one per manager of the section
        self.assertTrue(todos)
        self.assertFalse(self._at_risk_todos(on_track) | self._at_risk_todos(overdue))
        # (in the beneficiary's language: Arabic here, so found by number)
        escalations = self._new_mails.filtered(lambda m: overdue.name in (m.subject or ""))
        self.assertEqual(len(escalations), 1, self._new_mails.mapped("subject"))
        self.assertIn(self.manager.partner_id, escalations.recipient_ids)
        # the next day's pass: nothing changed, nothing fires again
        with self.mock_mail_gateway():
            self._run_deadline_pass()
        self.assertEqual(self._at_risk_todos(at_risk), todos)
        self.assertFalse(self._new_mails.filtered(lambda m: overdue.name in (m.subject or "")))
        # an overdue request whose deadline is moved back is on track, unwarned
        overdue.sudo().decision_deadline = today + timedelta(days=20)
        with self.mock_mail_gateway():
            self._run_deadline_pass()
        self.assertEqual(overdue.sla_state, "on_track")
        self.assertFalse(self._at_risk_todos(overdue))
        self.assertFalse(self._new_mails)
