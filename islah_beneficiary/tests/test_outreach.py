from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

import polib
import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.service.model import call_kw
from odoo.tests import freeze_time, new_test_user, tagged
from odoo.tools import mute_logger

from ..models import islah_outreach_run_mixin as outreach_run
from ..tools.constants import GROUP_OFFICER
from .common import IslahCommon


class IslahOutreachCommon(IslahCommon):
    """Outreach on fresh services (no condition: anyone qualifies), every
    other service's outreach switched off so that only these run."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["islah.service.type"].search([]).write({"outreach_enabled": False})
        # the files already there (demo data) are not contacted by these tests
        cls.env["islah.beneficiary"].search([]).write({"islah_outreach_opt_out": True})
        cls.Outreach = cls.env["islah.outreach"]
        cls.service_invite = cls.env["islah.service.type"].create(
            {"name": "Test outreach invite", "outreach_enabled": True, "outreach_invite": True}
        )
        cls.service_call = cls.env["islah.service.type"].create(
            {"name": "Test outreach call", "outreach_enabled": True}
        )
        cls.company = cls.env.company
        cls.company.write({"islah_outreach_max_contacts": 2, "islah_outreach_period_days": 90})
        cls.today = fields.Date.context_today(cls.Outreach)

    @classmethod
    def _registered(cls, **vals):
        vals.setdefault("email", "person%s@example.com" % (cls._national_id_counter + 1))
        beneficiary = cls._create_beneficiary(**vals)
        beneficiary.sudo().write({"state": "registered"})
        return beneficiary

    def _run(self):
        return self.Outreach._cron_islah_outreach()

    def _outreach(self, beneficiary, service=None):
        domain = [("beneficiary_id", "in", beneficiary.ids)]
        if service:
            domain.append(("service_type_id", "=", service.id))
        return self.Outreach.search(domain)

    def _invitations(self, outreach):
        """The invitations: the mails to the beneficiaries (not the officers'
        notices of their to-dos)."""
        return self.env["mail.mail"].search(
            [
                ("model", "=", "islah.outreach"),
                ("res_id", "in", outreach.ids),
                ("recipient_ids", "in", outreach.partner_id.ids),
            ]
        )

    def _todo(self, outreach):
        return self.env["mail.activity"].search(
            [("res_model", "=", "islah.outreach"), ("res_id", "in", outreach.ids)]
        )


@tagged("post_install", "-at_install")
class TestOutreachRun(IslahOutreachCommon):
    def test_invitation_or_todo(self):
        """Invitation where the service allows it, a to-do otherwise."""
        beneficiary = self._registered()
        result = self._run()
        invited = self._outreach(beneficiary, self.service_invite)
        called = self._outreach(beneficiary, self.service_call)
        self.assertEqual(invited.method, "invitation")
        self.assertEqual(invited.state, "planned")
        self.assertEqual(len(self._invitations(invited)), 1)
        self.assertFalse(self._todo(invited))
        self.assertEqual(called.method, "todo")
        todo = self._todo(called)
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.user_id, called.user_id)
        self.assertIn(self.service_call.name, todo.summary)
        self.assertGreaterEqual(result["invitation"], 1)
        self.assertGreaterEqual(result["todo"], 1)

    def test_only_registered(self):
        draft = self._create_beneficiary(email="draft@example.com")
        self._run()
        self.assertFalse(self._outreach(draft))

    def test_no_consent_no_contact(self):
        beneficiary = self._registered(consent=False)
        self._run()
        self.assertFalse(self._outreach(beneficiary))

    def test_withdrawn_consent_no_contact(self):
        beneficiary = self._registered()
        beneficiary._islah_withdraw_consent()
        self._run()
        self.assertFalse(self._outreach(beneficiary))

    def test_opt_out_no_contact(self):
        beneficiary = self._registered()
        beneficiary.with_user(self.officer_men).islah_outreach_opt_out = True
        self._run()
        self.assertFalse(self._outreach(beneficiary))

    def test_blacklisted_email_gets_todo(self):
        """A blacklisted address never gets the invitation: an officer calls."""
        beneficiary = self._registered(email="blocked@example.com")
        self.env["mail.blacklist"].sudo()._add("blocked@example.com")
        self._run()
        outreach = self._outreach(beneficiary, self.service_invite)
        self.assertEqual(outreach.method, "todo")
        self.assertFalse(self._invitations(outreach))
        self.assertTrue(self._todo(outreach))

    def test_no_email_gets_todo(self):
        beneficiary = self._registered(email=False)
        self._run()
        self.assertEqual(self._outreach(beneficiary, self.service_invite).method, "todo")

    def test_todo_for_officer_of_the_section(self):
        """A woman's to-do goes to a women's officer, a man's to a men's,
        balanced between the section's officers."""
        officer_women2 = new_test_user(
            self.env, login="islah_officer_women2", groups=GROUP_OFFICER, islah_section="women"
        )
        women = self._registered(gender="female") | self._registered(gender="female")
        man = self._registered()
        self._run()
        women_todos = self._outreach(women, self.service_call)
        self.assertEqual(len(women_todos), 2)
        for outreach in women_todos:
            self.assertIn(outreach.user_id.islah_section, ("women", "both"))
            self.assertNotEqual(outreach.user_id, self.officer_men)
            self.assertEqual(self._todo(outreach).user_id, outreach.user_id)
        # balanced: the two calls go to two officers, not both to one
        self.assertEqual(len(women_todos.user_id), 2)
        man_todo = self._outreach(man, self.service_call)
        self.assertIn(man_todo.user_id.islah_section, ("men", "both"))
        self.assertNotIn(man_todo.user_id, self.officer_women | officer_women2)

    def test_contact_limit(self):
        """Two contacts per 90 days: the third service waits for the period."""
        third = self.env["islah.service.type"].create(
            {"name": "Test outreach third", "outreach_enabled": True}
        )
        beneficiary = self._registered()
        self._run()
        self.assertEqual(len(self._outreach(beneficiary)), 2)
        self.assertFalse(self._outreach(beneficiary, third))
        # still within the period: refused
        with freeze_time(fields.Datetime.now() + timedelta(days=89)):
            self._run()
        self.assertEqual(len(self._outreach(beneficiary)), 2)
        # the period over: the third is made, the first two are not repeated
        with freeze_time(fields.Datetime.now() + timedelta(days=91)):
            self._run()
        self.assertEqual(len(self._outreach(beneficiary)), 3)
        self.assertEqual(len(self._outreach(beneficiary, third)), 1)

    def test_manual_outreach_respects_limit(self):
        beneficiary = self._registered()
        self._run()
        third = self.env["islah.service.type"].create({"name": "Test outreach manual"})
        with self.assertRaises(UserError):
            self.Outreach.with_user(self.officer_men).create(
                {"beneficiary_id": beneficiary.id, "service_type_id": third.id}
            )

    def test_not_twice_for_one_service(self):
        beneficiary = self._registered()
        self._run()
        first = self._outreach(beneficiary)
        self.assertEqual(len(first), 2)
        self._run()
        self.assertEqual(self._outreach(beneficiary), first)
        # an outcome recorded, still never again for the same service
        first.with_user(self.officer_men).action_not_interested()
        with freeze_time(fields.Datetime.now() + timedelta(days=200)):
            self._run()
        self.assertEqual(self._outreach(beneficiary), first)

    def test_open_outreach_unique(self):
        beneficiary = self._registered()
        self._run()
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.Outreach.create(
                {"beneficiary_id": beneficiary.id, "service_type_id": self.service_call.id}
            )

    def test_not_when_request_open_or_had(self):
        beneficiary = self._registered()
        self._request_in_state("research", beneficiary, service_type_id=self.service_invite.id)
        self._request_in_state("done", beneficiary, service_type_id=self.service_call.id)
        self._run()
        self.assertFalse(self._outreach(beneficiary))

    def test_not_after_rejection_until_review(self):
        """The committee said no: no invitation to the same service, until a
        confirmed review of the file after the rejection."""
        self.service_call.outreach_enabled = False
        beneficiary = self._registered()
        request = self._request_in_state(
            "rejected", beneficiary, service_type_id=self.service_invite.id
        )
        request.sudo().decided_on = self.today - timedelta(days=30)
        Review = self.env["islah.beneficiary.review"].sudo()
        # a review from before the rejection changes nothing
        Review.create(
            {"beneficiary_id": beneficiary.id, "reviewed_on": self.today - timedelta(days=60)}
        ).write({"state": "done"})
        self._run()
        self.assertFalse(self._outreach(beneficiary))
        # a review still in draft neither
        review = Review.create({"beneficiary_id": beneficiary.id})
        self._run()
        self.assertFalse(self._outreach(beneficiary))
        review.write({"state": "done"})
        self._run()
        self.assertEqual(len(self._outreach(beneficiary, self.service_invite)), 1)

    def test_not_eligible_not_contacted(self):
        self.service_call.max_age = 30
        beneficiary = self._registered(birth_date=self.today - relativedelta(years=50))
        self._run()
        self.assertFalse(self._outreach(beneficiary, self.service_call))
        self.assertTrue(self._outreach(beneficiary, self.service_invite))

    def test_unknown_fact_gets_todo_only(self):
        """Eligible "to be confirmed" (no birth date for an age condition):
        an officer's to-do, never an invitation."""
        self.service_invite.min_age = 18
        beneficiary = self._registered(birth_date=False)
        self._run()
        outreach = self._outreach(beneficiary, self.service_invite)
        self.assertEqual(outreach.method, "todo")
        self.assertFalse(self._invitations(outreach))
        self.assertTrue(outreach.eligibility_note)

    def test_scheduled_run_in_batches_resumes(self):
        """In the scheduled job each batch is committed; when the time is up
        the run stops, and the next call goes on where it stopped without
        contacting anyone twice."""
        first, second, third = (self._registered() for _i in range(3))
        calls = []

        def time_up(processed, remaining=None):
            calls.append((processed, remaining))
            return 0

        with patch.object(outreach_run, "OUTREACH_BATCH", 1):
            self.Outreach._islah_run_outreach(progress=time_up)
            self.assertEqual(calls, [(1, 2)])
            self.assertTrue(self._outreach(first))
            self.assertFalse(self._outreach(second | third))
            counts = self.Outreach._islah_run_outreach(progress=lambda *a, **kw: 60)
        self.assertEqual(counts["outreach"], 4, "the second and third files, two services each")
        self.assertEqual(len(self._outreach(first)), 2)
        self.assertEqual(len(self._outreach(second)), 2)
        # the scheduled job commits through the progress API, and only there
        cron = type(self.env["ir.cron"])
        with patch.object(cron, "_commit_progress", return_value=60) as commit:
            self.Outreach._cron_islah_outreach()
            commit.assert_not_called()
            self.Outreach.with_context(ir_cron_progress_id=1)._cron_islah_outreach()
            commit.assert_called()

    def test_note_in_the_officers_language(self):
        """The run is the scheduler's; the note is for the officer who calls,
        so it is written in their language."""
        self.env["res.lang"]._activate_lang("ar_001")
        self.service_invite.outreach_enabled = False
        self.service_call.min_family_size = 1
        officers = self.Outreach._islah_outreach_officers(self.company, "men")
        officers.write({"lang": "ar_001"})
        beneficiary = self._registered()
        self._run()
        outreach = self._outreach(beneficiary, self.service_call)
        arabic = {
            e.msgid: e.msgstr
            for e in polib.pofile(str(Path(__file__).parents[1] / "i18n" / "ar.po"))
        }
        condition = arabic["at least %(low)s"] % {"low": 1}
        self.assertEqual(
            outreach.eligibility_note,
            arabic["The family size (%(size)s) meets the condition: %(condition)s."]
            % {"size": beneficiary.member_count, "condition": condition},
        )

    def test_periodic_service_due_again(self):
        self.service_call.outreach_enabled = False
        self.service_invite.period_months = 6
        beneficiary = self._registered()
        request = self._request_in_state(
            "in_service", beneficiary, service_type_id=self.service_invite.id
        )
        self.env["islah.service.delivery"].sudo().create(
            {
                "request_id": request.id,
                "description": "Given",
                "date": self.today - relativedelta(months=2),
            }
        )
        request.sudo().write({"state": "done"})
        self._run()
        self.assertFalse(self._outreach(beneficiary))
        # five months later: six since the delivery, due again, once
        with freeze_time(fields.Datetime.now() + relativedelta(months=5)):
            self._run()
            self._run()
        self.assertEqual(len(self._outreach(beneficiary, self.service_invite)), 1)

    def test_once_only_service_not_due_again(self):
        self.service_call.outreach_enabled = False
        beneficiary = self._registered()
        self._request_in_state("done", beneficiary, service_type_id=self.service_invite.id)
        with freeze_time(fields.Datetime.now() + relativedelta(years=2)):
            self._run()
        self.assertFalse(self._outreach(beneficiary))

    def test_window_closed_waits(self):
        self.service_call.outreach_enabled = False
        self.service_invite.application_start = self.today + timedelta(days=10)
        beneficiary = self._registered()
        self._run()
        self.assertFalse(self._outreach(beneficiary))
        with freeze_time(fields.Datetime.now() + timedelta(days=11)):
            self._run()
        self.assertEqual(len(self._outreach(beneficiary)), 1)

    def test_invitation_in_arabic(self):
        self.service_call.outreach_enabled = False
        self.service_invite.with_context(lang="ar_001").name = "خدمة الاختبار"
        template = self.env.ref("islah_beneficiary.mail_template_islah_outreach_invitation")
        template.with_context(lang="ar_001").subject = "دعوة: {{ object.service_type_id.name }}"
        arabic = self._registered(lang="ar_001")
        english = self._registered(lang="en_US")
        self._run()
        mail_ar = self._invitations(self._outreach(arabic))
        mail_en = self._invitations(self._outreach(english))
        self.assertEqual(mail_ar.subject, "دعوة: خدمة الاختبار")
        self.assertIn("خدمة الاختبار", mail_ar.body_html)
        self.assertIn("Test outreach invite", mail_en.subject)
        self.assertIn(
            "/islah/request?service_type_id=%s" % self.service_invite.id, mail_ar.body_html
        )
        self.assertEqual(mail_ar.recipient_ids, arabic.partner_id)

    def test_application_linked(self):
        beneficiary = self._registered()
        self._run()
        outreach = self._outreach(beneficiary, self.service_call)
        other = self._outreach(beneficiary, self.service_invite)
        request = self._create_request(beneficiary, service_type_id=self.service_call.id)
        self.assertEqual(outreach.request_id, request)
        self.assertEqual(outreach.state, "applied")
        self.assertEqual(outreach.converted_count, 1)
        self.assertFalse(self._todo(outreach))
        self.assertEqual(other.state, "planned")
        self.assertFalse(other.request_id)

    def test_application_by_officer_linked(self):
        beneficiary = self._registered(gender="female")
        self._run()
        outreach = self._outreach(beneficiary, self.service_call)
        request = (
            self.env["islah.support.request"]
            .with_user(self.officer_women)
            .create(
                {
                    "beneficiary_id": beneficiary.id,
                    "service_type_id": self.service_call.id,
                    "medium_id": self.channel_interview.id,
                }
            )
        )
        self.assertEqual(outreach.request_id, request)
        self.assertEqual(outreach.state, "applied")


@tagged("post_install", "-at_install")
class TestOutreachAccess(IslahOutreachCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.man = cls._registered()
        cls.Outreach._cron_islah_outreach()
        cls.outreach = cls.Outreach.search(
            [("beneficiary_id", "=", cls.man.id), ("service_type_id", "=", cls.service_call.id)]
        )

    def _rpc(self, user, method, args, kwargs=None):
        return call_kw(self.env["islah.outreach"].with_user(user), method, args, kwargs or {})

    def test_other_section_cannot_read_or_write(self):
        with self.assertRaises(AccessError):
            self._rpc(self.officer_women, "read", [self.outreach.ids, ["state"]])
        with self.assertRaises(AccessError):
            self._rpc(self.officer_women, "write", [self.outreach.ids, {"user_id": False}])
        with self.assertRaises(AccessError):
            self._rpc(self.officer_women, "action_reached", [self.outreach.ids])
        found = self._rpc(
            self.officer_women, "search_read", [[("id", "=", self.outreach.id)], ["state"]]
        )
        self.assertEqual(found, [])
        groups = self._rpc(
            self.officer_women,
            "formatted_read_group",
            [[("beneficiary_id", "=", self.man.id)], ["state"], ["__count"]],
        )
        self.assertEqual(groups, [])

    def test_own_section_records_outcome(self):
        self.assertEqual(
            self._rpc(self.officer_men, "read", [self.outreach.ids, ["state"]])[0]["state"],
            "planned",
        )
        self._rpc(self.officer_men, "action_no_answer", [self.outreach.ids])
        self.assertEqual(self.outreach.state, "no_answer")
        self._rpc(self.officer_men, "action_reached", [self.outreach.ids])
        self.assertEqual(self.outreach.state, "reached")
        self.assertEqual(self.outreach.reached_count, 1)
        # reached: no answer is not a step from there
        with self.assertRaises(UserError):
            self._rpc(self.officer_men, "action_no_answer", [self.outreach.ids])
        self._rpc(self.officer_men, "action_applied", [self.outreach.ids])
        with self.assertRaises(UserError):
            self._rpc(self.officer_men, "action_not_interested", [self.outreach.ids])
        self.assertFalse(self._todo(self.outreach))

    def test_status_not_written_directly(self):
        with self.assertRaises(UserError):
            self._rpc(self.officer_men, "write", [self.outreach.ids, {"state": "applied"}])

    def test_portal_and_internal_no_access(self):
        for user in (self.portal_user, self.internal_user):
            with self.assertRaises(AccessError):
                self._rpc(user, "read", [self.outreach.ids, ["state"]])
            with self.assertRaises(AccessError):
                self._rpc(user, "action_reached", [self.outreach.ids])

    def test_chatter_other_section(self):
        with self.assertRaises(AccessError):
            self._rpc(self.officer_women, "message_post", [self.outreach.ids], {"body": "x"})
