"""Consent is a record: the notice version, the date, the channel, who
recorded it and its withdrawal; nobody changes or deletes one, and only the
staff of the beneficiary's section read it."""

from datetime import datetime

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.service.model import call_kw
from odoo.tests import Form, freeze_time, tagged

from .common import IslahCommon

T0 = datetime(2026, 5, 10, 8, 30, 0)


@tagged("post_install", "-at_install")
class TestConsent(IslahCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.notice = cls.env["islah.privacy.notice"].create(
            {
                "version": "test-9.9",
                "name": "Test notice",
                "body": "<p>Test notice text</p>",
                "date_published": fields.Date.today(),
            }
        )
        cls.channel_phone = cls.env.ref("islah_beneficiary.utm_medium_phone_call")
        cls.channel_website = cls.env.ref("islah_beneficiary.utm_medium_website")
        cls.channel_portal = cls.env.ref("islah_beneficiary.utm_medium_portal")
        Beneficiary = cls.env["islah.beneficiary"]
        # created by the officers of the sections, read in the test's environment
        cls.man = (
            Beneficiary.with_user(cls.officer_men)
            .create(
                {
                    "name": "Consent Man",
                    "gender": "male",
                    "national_id": cls._new_national_id(),
                    "consent": True,
                }
            )
            .with_env(cls.env)
        )
        cls.woman = (
            Beneficiary.with_user(cls.officer_women)
            .create(
                {
                    "name": "Consent Woman",
                    "gender": "female",
                    "national_id": cls._new_national_id(),
                    "consent": True,
                }
            )
            .with_env(cls.env)
        )

    def _rpc(self, user, method, *args, model="islah.consent", **kwargs):
        return call_kw(self.env[model].with_user(user), method, list(args), kwargs)

    # ------------------------------------------------------------------
    # Recording and withdrawing
    # ------------------------------------------------------------------

    def test_consent_box_records_a_consent(self):
        """``consent=True`` on create (code, demo data, the new-file form)
        records a consent: current notice, interview, the officer, now."""
        consent = self.man.consent_ids
        self.assertEqual(len(consent), 1)
        self.assertEqual(consent.notice_id, self.notice, "the notice in force")
        self.assertEqual(consent.channel_id, self.channel_interview)
        self.assertEqual(consent.recorded_by_id, self.officer_men)
        self.assertEqual(consent.state, "active")
        self.assertEqual(consent.section, "men")
        self.assertEqual(consent.partner_id, self.man.partner_id)
        self.assertTrue(self.man.consent)
        self.assertEqual(self.man.consent_date, fields.Date.context_today(self.man))
        self.assertTrue(self.man._islah_has_consent())

    def test_no_consent_no_record(self):
        beneficiary = self._create_beneficiary(consent=False)
        self.assertFalse(beneficiary.consent_ids)
        self.assertFalse(beneficiary.consent)
        self.assertFalse(beneficiary.consent_date)
        self.assertFalse(beneficiary._islah_has_consent())
        self.assertIn(
            beneficiary,
            self.env["islah.beneficiary"].search([("consent", "=", False)]),
            "the 'Consent missing' filter finds it",
        )

    def test_clearing_the_box_withdraws(self):
        man = self.man.with_user(self.officer_men)
        man.write({"consent": False})
        consent = man.consent_ids
        self.assertEqual(len(consent), 1, "the consent is kept, withdrawn")
        self.assertEqual(consent.state, "withdrawn")
        self.assertEqual(consent.withdrawn_by_id, self.officer_men)
        self.assertEqual(consent.withdrawal_channel_id, self.channel_interview)
        self.assertTrue(consent.withdrawn_on)
        self.assertFalse(man.consent)
        self.assertFalse(man.consent_date)

    @freeze_time(T0)
    def test_record_consent_online(self):
        """Part A's call after a web intake: the website channel, the date
        the applicant ticked the box, nobody recorded it."""
        beneficiary = self._create_beneficiary(consent=False)
        given_on = datetime(2026, 5, 9, 20, 0, 0)
        consent = beneficiary.with_user(self.officer_men)._islah_record_consent(
            notice=self.notice,
            channel=self.channel_website,
            given_on=given_on,
            recorded_by=False,
        )
        self.assertEqual(consent, beneficiary.consent_ids)
        self.assertEqual(consent.given_on, given_on)
        self.assertEqual(consent.channel_id, self.channel_website)
        self.assertFalse(consent.recorded_by_id)
        self.assertEqual(consent.notice_id.version, "test-9.9")
        self.assertTrue(beneficiary.consent)

    def test_portal_withdrawal(self):
        """Part C's call: as superuser, in the portal user's name."""
        withdrawn = (
            self.man.with_user(self.portal_user)
            .sudo()
            ._islah_withdraw_consent(channel=self.channel_portal)
        )
        self.assertEqual(withdrawn.withdrawn_by_id, self.portal_user)
        self.assertEqual(withdrawn.withdrawal_channel_id, self.channel_portal)
        self.assertFalse(self.man.consent)
        self.assertFalse(self.man._islah_has_consent())

    def test_history_and_chatter(self):
        man = self._with_mail(self.man.with_user(self.officer_men))
        man._islah_withdraw_consent(channel=self.channel_phone)
        man._islah_record_consent(channel=self.channel_phone)
        self.assertEqual(man.consent_ids.mapped("state"), ["active", "withdrawn"])
        self.assertTrue(man.consent)
        bodies = " ".join(man.message_ids.mapped(lambda m: m.body.striptags()))
        self.assertIn("Consent to data processing withdrawn (Phone call)", bodies)
        self.assertIn(
            "Consent to data processing recorded (Phone call, privacy notice test-9.9)", bodies
        )

    def test_register_needs_an_active_consent(self):
        man = self.man.with_user(self.officer_men)
        man._islah_withdraw_consent()
        with self.assertRaisesRegex(UserError, "before consenting"):
            man.action_register()
        man._islah_record_consent()
        man.action_register()
        self.assertEqual(man.state, "registered")

    def test_buttons(self):
        """Record consent: a dialog creating the consent, the channel chosen,
        in the officer's name; withdraw: a dialog on the active consent."""
        beneficiary = self._create_beneficiary(consent=False).with_user(self.officer_men)
        action = beneficiary.action_islah_record_consent()
        self.assertEqual(action["res_model"], "islah.consent")
        self.assertEqual(action["target"], "new")
        Consent = self.env["islah.consent"].with_user(self.officer_men)
        # what the dialog saves: the channel; the beneficiary from its default
        consent = Consent.with_context(**action["context"]).create(
            {"channel_id": self.channel_phone.id}
        )
        self.assertEqual(consent.beneficiary_id, beneficiary)
        self.assertEqual(consent.recorded_by_id, self.officer_men)
        self.assertEqual(consent.notice_id, self.notice)
        self.assertTrue(beneficiary.consent)

        action = beneficiary.action_islah_withdraw_consent()
        self.assertEqual(action["res_id"], consent.id)
        Consent.browse(action["res_id"]).write({"withdrawal_channel_id": self.channel_phone.id})
        self.assertEqual(consent.state, "withdrawn")
        self.assertEqual(consent.withdrawn_by_id, self.officer_men)
        self.assertFalse(beneficiary.consent)
        with self.assertRaisesRegex(UserError, "no active consent"):
            beneficiary.action_islah_withdraw_consent()

    def test_dialogs(self):
        """The two dialogs as the web client fills and saves them."""
        beneficiary = self._create_beneficiary(consent=False).with_user(self.officer_men)
        action = beneficiary.action_islah_record_consent()
        Consent = self.env["islah.consent"].with_user(self.officer_men)
        with Form(
            Consent.with_context(**action["context"]),
            view="islah_beneficiary.islah_consent_view_form_record",
        ) as dialog:
            self.assertEqual(dialog.notice_id, self.notice, "the notice shown")
            dialog.channel_id = self.channel_phone
        consent = dialog.record
        self.assertEqual(consent.beneficiary_id, beneficiary)
        self.assertEqual(consent.channel_id, self.channel_phone)
        self.assertEqual(consent.recorded_by_id, self.officer_men)

        action = beneficiary.action_islah_withdraw_consent()
        with Form(
            Consent.browse(action["res_id"]),
            view="islah_beneficiary.islah_consent_view_form_withdraw",
        ) as dialog:
            dialog.withdrawal_channel_id = self.channel_phone
        self.assertEqual(consent.state, "withdrawn")
        self.assertEqual(consent.withdrawal_channel_id, self.channel_phone)
        self.assertFalse(beneficiary.consent)

    def test_new_file_form_box(self):
        """The officer's new-file form: the box records the first consent."""
        with Form(self.env["islah.beneficiary"].with_user(self.officer_men)) as form:
            form.name = "Form Consent"
            form.national_id = self._new_national_id()
            form.gender = "male"
            form.consent = True
        beneficiary = form.record
        self.assertEqual(beneficiary.consent_ids.recorded_by_id, self.officer_men)
        self.assertTrue(beneficiary.consent)

    # ------------------------------------------------------------------
    # Immutability
    # ------------------------------------------------------------------

    def test_consent_is_immutable(self):
        consent = self.man.consent_ids
        other_notice = self.env["islah.privacy.notice"].create(
            {"version": "test-0.1", "name": "Old", "date_published": "2020-01-01"}
        )
        for vals in (
            {"given_on": "2020-01-01 10:00:00"},
            {"notice_id": other_notice.id},
            {"beneficiary_id": self.woman.id},
            {"channel_id": self.channel_phone.id},
            {"recorded_by_id": self.manager.id},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "cannot be changed"):
                self._rpc(self.manager, "write", consent.ids, vals)
        self.assertEqual(consent.notice_id, self.notice)
        self.assertEqual(consent.beneficiary_id, self.man)

    def test_withdrawal_once_and_in_own_name(self):
        consent = self.man.consent_ids
        with self.assertRaisesRegex(UserError, "your own name"):
            self._rpc(self.officer_men, "write", consent.ids, {"withdrawn_by_id": self.manager.id})
        self._rpc(
            self.officer_men, "write", consent.ids, {"withdrawal_channel_id": self.channel_phone.id}
        )
        self.assertEqual(consent.state, "withdrawn")
        self.assertEqual(consent.withdrawn_by_id, self.officer_men)
        with self.assertRaisesRegex(UserError, "already withdrawn"):
            self._rpc(self.manager, "write", consent.ids, {"withdrawn_on": "2020-01-01 10:00:00"})

    @freeze_time(T0)
    def test_direct_create_is_now_and_in_own_name(self):
        """Staff creating a consent by RPC cannot back-date it nor put it in
        another name, nor create it withdrawn."""
        beneficiary = self._create_beneficiary(consent=False)
        consent_id = self._rpc(
            self.officer_men,
            "create",
            {
                "beneficiary_id": beneficiary.id,
                "channel_id": self.channel_phone.id,
                "given_on": "2020-01-01 10:00:00",
                "recorded_by_id": self.manager.id,
                "withdrawn_on": "2020-02-01 10:00:00",
            },
        )
        consent = self.env["islah.consent"].browse(consent_id)
        self.assertEqual(consent.given_on, T0)
        self.assertEqual(consent.recorded_by_id, self.officer_men)
        self.assertEqual(consent.state, "active")

    def test_nobody_unlinks_cascade_only(self):
        consent = self.man.consent_ids
        for user in (self.officer_men, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._rpc(user, "unlink", consent.ids)
        beneficiary = self._create_beneficiary()
        consent = beneficiary.consent_ids
        self.assertTrue(consent)
        beneficiary.with_user(self.manager).unlink()
        self.assertFalse(consent.exists(), "a deleted draft file takes its consents")

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    def test_officer_reads_own_section_only(self):
        domain = [("beneficiary_id", "in", (self.man | self.woman).ids)]
        rows = self._rpc(self.officer_men, "search_read", domain, ["beneficiary_id", "given_on"])
        self.assertEqual([r["beneficiary_id"][0] for r in rows], self.man.ids)
        self.assertTrue(self._rpc(self.officer_men, "read", self.man.consent_ids.ids, ["state"]))
        groups = self._rpc(
            self.officer_men, "formatted_read_group", domain, ["section"], ["__count"]
        )
        self.assertEqual([(g["section"], g["__count"]) for g in groups], [("men", 1)])

        # the other section's officer gets nothing
        self.assertFalse(
            self._rpc(self.officer_women, "search_read", [("section", "=", "men")], ["state"])
        )
        self.assertFalse(
            self._rpc(
                self.officer_women,
                "formatted_read_group",
                [("section", "=", "men")],
                ["section"],
                ["__count"],
            )
        )
        self.assertFalse(
            self._rpc(
                self.officer_women,
                "read_group",
                [("section", "=", "men")],
                ["section"],
                ["section"],
            )
        )
        with self.assertRaises(AccessError):
            self._rpc(self.officer_women, "read", self.man.consent_ids.ids, ["state"])
        # nor records one on a file of the other section
        with self.assertRaises(AccessError):
            self._rpc(
                self.officer_women,
                "create",
                {"beneficiary_id": self.man.id, "channel_id": self.channel_phone.id},
            )
        with self.assertRaises(AccessError):
            self.man.with_user(self.officer_women)._islah_record_consent()
        with self.assertRaises(AccessError):
            self.man.with_user(self.officer_women)._islah_withdraw_consent()
        self.assertTrue(self.man.consent)

    def test_managers_read_their_sections(self):
        domain = [("beneficiary_id", "in", (self.man | self.woman).ids)]
        rows = self._rpc(self.manager, "search_read", domain, ["section"])
        self.assertEqual({r["section"] for r in rows}, {"men", "women"})
        rows = self._rpc(self.manager_men, "search_read", domain, ["section"])
        self.assertEqual({r["section"] for r in rows}, {"men"})
        groups = self._rpc(self.manager, "formatted_read_group", domain, ["section"], ["__count"])
        self.assertEqual(len(groups), 2)

    def test_no_access_for_other_roles(self):
        ids = (self.man | self.woman).consent_ids.ids
        for user in (self.researcher, self.committee_member, self.portal_user, self.internal_user):
            for method, args in (
                ("search_read", ([], ["state"])),
                ("read", (ids, ["state"])),
                ("formatted_read_group", ([], ["section"], ["__count"])),
                ("create", ({"beneficiary_id": self.man.id},)),
            ):
                with self.subTest(user=user.login, method=method), self.assertRaises(AccessError):
                    self._rpc(user, method, *args)

    def test_history_hidden_from_researchers(self):
        """The consent list is the staff's: a researcher's form has no field
        on a model they cannot read."""
        fields_researcher = self._rpc(
            self.researcher, "fields_get", model="islah.beneficiary", attributes=["type"]
        )
        self.assertNotIn("consent_ids", fields_researcher)
        self.assertIn("consent", fields_researcher)
        fields_officer = self._rpc(
            self.officer_men, "fields_get", model="islah.beneficiary", attributes=["type"]
        )
        self.assertIn("consent_ids", fields_officer)
