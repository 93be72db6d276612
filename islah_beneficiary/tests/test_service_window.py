"""Application windows: open on the first and last day (the association's
days), closed before and after; the note in the reader's language with the
Hijri date; the public form neither offers nor takes a closed service; staff
cannot register a request for it, a manager can."""

from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import call_kw
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import IslahCommon
from .test_request_form import IslahIntakeHttpCommon


class IslahWindowCommon(IslahCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # March 2026: 1 March is 12 Ramadan 1447, 31 March is 13 Shawwal 1447
        cls.service = cls.env["islah.service.type"].create(
            {
                "name": "Test Ramadan basket",
                "application_start": date(2026, 3, 1),
                "application_end": date(2026, 3, 31),
            }
        )


@tagged("post_install", "-at_install", "islah_eligibility")
class TestServiceWindow(IslahWindowCommon):
    def test_open_days(self):
        service = self.service
        self.assertFalse(service._islah_is_open(date(2026, 2, 28)))
        self.assertTrue(service._islah_is_open(date(2026, 3, 1)), "the first day is in")
        self.assertTrue(service._islah_is_open(date(2026, 3, 31)), "the last day is in")
        self.assertFalse(service._islah_is_open(date(2026, 4, 1)))
        self.assertTrue(self.service_full._islah_is_open(date(1990, 1, 1)), "no window: open")

    def test_open_ended_windows(self):
        self.service.application_end = False
        self.assertTrue(self.service._islah_is_open(date(2099, 1, 1)))
        self.assertFalse(self.service._islah_is_open(date(2026, 2, 28)))
        self.service.write({"application_start": False, "application_end": date(2026, 3, 31)})
        self.assertTrue(self.service._islah_is_open(date(2000, 1, 1)))
        self.assertFalse(self.service._islah_is_open(date(2026, 4, 1)))

    @freeze_time("2026-02-28 20:59:00")
    def test_today_before_midnight_in_riyadh(self):
        # 23:59 on 28 February in Riyadh: not yet
        self.assertFalse(self.service._islah_is_open())
        self.assertFalse(self.service.is_open)

    @freeze_time("2026-02-28 21:00:00")
    def test_today_after_midnight_in_riyadh(self):
        # 00:00 on 1 March in Riyadh, still 28 February in UTC
        self.assertTrue(self.service._islah_is_open())
        self.assertTrue(self.service.is_open)

    @freeze_time("2026-04-01 06:00:00")
    def test_closed_after(self):
        self.assertFalse(self.service._islah_is_open())

    @freeze_time("2026-02-15 09:00:00")
    def test_note_before(self):
        note = self.service.with_context(lang="en_US").window_note
        self.assertIn("Applications open on", note)
        self.assertIn("March 1, 2026", note)
        self.assertIn("12/09/1447 AH", note)
        self.assertIn("12/10/1447 AH", note, "and when they close")

    @freeze_time("2026-03-15 09:00:00")
    def test_note_inside(self):
        note = self.service.with_context(lang="en_US").window_note
        self.assertEqual(note, "Applications are open until March 31, 2026 (12/10/1447 AH).")
        self.assertFalse(self.service_full.window_note, "always open: no note")

    @freeze_time("2026-04-02 09:00:00")
    def test_note_after(self):
        note = self.service.with_context(lang="en_US").window_note
        self.assertEqual(note, "Applications closed on March 31, 2026 (12/10/1447 AH).")

    @freeze_time("2026-04-02 09:00:00")
    def test_note_in_arabic(self):
        self.env["res.lang"]._activate_lang("ar_001")
        note = self.service.with_context(lang="ar_001").window_note
        self.assertIn("12/10/1447 هـ", note)
        self.assertIn("مارس", note, "the month as an Arabic reader writes it")

    def test_window_checked(self):
        with self.assertRaises(ValidationError) as error:
            self.service.with_user(self.manager).write({"application_end": date(2026, 2, 1)})
        self.assertIn("cannot close", str(error.exception))
        self.service.with_user(self.manager).write({"application_end": date(2026, 3, 1)})

    def test_public_form_offers_open_services_only(self):
        Lead = self.env["crm.lead"]
        with freeze_time("2026-02-28 09:00:00"):
            self.assertNotIn(self.service, Lead._islah_web_intake_services())
            self.assertIn(self.service_full, Lead._islah_web_intake_services())
        with freeze_time("2026-03-31 09:00:00"):
            self.assertIn(self.service, Lead._islah_web_intake_services())
        with freeze_time("2026-04-01 09:00:00"):
            self.assertNotIn(self.service, Lead._islah_web_intake_services())
            errors = Lead.sudo()._islah_web_intake_errors(
                self._web_form_values(service_type_id=str(self.service.id)), []
            )
        self.assertIn("Applications closed on", errors["service_type_id"])

    # staff ---------------------------------------------------------------

    def _create_as(self, user, **vals):
        beneficiary = self._create_beneficiary()
        return call_kw(
            self.env["islah.support.request"].with_user(user),
            "create",
            [
                {
                    "beneficiary_id": beneficiary.id,
                    "service_type_id": self.service.id,
                    "medium_id": self.channel_interview.id,
                    **vals,
                }
            ],
            {},
        )

    def test_officer_refused_outside_the_window(self):
        for day in ("2026-02-28 09:00:00", "2026-04-01 09:00:00"):
            with freeze_time(day), self.subTest(day=day):
                with self.assertRaises(UserError) as error, mute_logger("odoo.sql_db"):
                    self._create_as(self.officer_men)
                self.assertIn("is not taking applications", str(error.exception))
                self.assertIn("1447 AH", str(error.exception))

    def test_officer_inside_the_window(self):
        for day in ("2026-03-01 09:00:00", "2026-03-31 09:00:00"):
            with freeze_time(day), self.subTest(day=day):
                self.assertTrue(self._create_as(self.officer_men))

    def test_officer_cannot_switch_to_a_closed_service(self):
        with freeze_time("2026-04-01 09:00:00"):
            request = self._create_request()
            with self.assertRaises(UserError), mute_logger("odoo.sql_db"):
                call_kw(
                    request.with_user(self.officer_men),
                    "write",
                    [request.ids, {"service_type_id": self.service.id}],
                    {},
                )
            self.assertEqual(request.service_type_id, self.service_full)
        with freeze_time("2026-03-20 09:00:00"):
            request.with_user(self.officer_men).write({"service_type_id": self.service.id})
        self.assertEqual(request.service_type_id, self.service)

    @freeze_time("2026-04-05 09:00:00")
    def test_manager_overrides(self):
        self.assertTrue(self._create_as(self.manager))

    def _lead_received(self, when):
        lead = self.env["crm.lead"].create({"name": "Test intake"})
        # the creation date is the transaction's (freezegun does not reach it)
        self.env.cr.execute("UPDATE crm_lead SET create_date = %s WHERE id = %s", (when, lead.id))
        lead.invalidate_recordset(["create_date"])
        return lead

    def test_intake_received_inside_converted_after(self):
        """An application that came in on time is not refused for being
        converted after the window closed."""
        # 31 March, 23:30 in Riyadh
        lead = self._lead_received("2026-03-31 20:30:00")
        with freeze_time("2026-04-03 09:00:00"):
            self.assertTrue(self._create_as(self.officer_men, lead_id=lead.id))
        early = self._lead_received("2026-02-20 12:00:00")
        with freeze_time("2026-03-10 09:00:00"):
            with self.assertRaises(UserError):
                self._create_as(self.officer_men, lead_id=early.id)


@tagged("post_install", "-at_install", "islah_web_form", "islah_eligibility")
class TestServiceWindowForm(IslahIntakeHttpCommon):
    """Over HTTP, with a window around the real today (the server thread
    keeps the real clock)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        cls.closed = cls.env["islah.service.type"].create(
            {
                "name": "Test summer camp",
                "application_start": today + timedelta(days=20),
                "application_end": today + timedelta(days=40),
            }
        )
        cls.open = cls.env["islah.service.type"].create(
            {
                "name": "Test winter clothes",
                "application_start": today - timedelta(days=20),
                "application_end": today + timedelta(days=20),
            }
        )

    def test_form_lists_open_services_only(self):
        response, _csrf, _token = self._get_form()
        self.assertIn(self.open.name, response.text)
        self.assertNotIn(self.closed.name, response.text)

    def test_closed_service_refused_with_the_note(self):
        before = self._counts()
        values = self._values(service_type_id=str(self.closed.id), name="Noura Closed")
        response = self._post(values)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._counts(), before, "nothing created")
        self.assertIn("is not taking applications at the moment", response.text)
        self.assertIn("Applications open on", response.text)
        self.assertIn(" AH)", response.text)
        self.assertIn("Noura Closed", response.text, "what was typed is kept")

    def test_open_service_accepted(self):
        before = self._counts()
        self._post(self._values(service_type_id=str(self.open.id)))
        self.assertEqual(self._counts()[2], before[2] + 1)
