"""Retention: files past their period are anonymised by the daily cron, or
by a manager on request; nothing identifying is left, the figures stay."""

import base64
from unittest.mock import patch

import psycopg2

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import call_kw
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from ..models import islah_beneficiary_retention_mixin as retention
from ..report.islah_request_kpis import summary_rows
from .common import IslahCommon

# (table, SQL expression of its text columns) searched for the old data
TEXT_COLUMNS = [
    ("res_partner", "concat_ws(' ', name, complete_name, email, phone, street, street2, zip)"),
    ("islah_beneficiary", "concat_ws(' ', national_id, iban, district)"),
    ("islah_beneficiary_member", "concat_ws(' ', name, national_id, notes)"),
    (
        "crm_lead",
        "concat_ws(' ', name, contact_name, partner_name, email_from, phone, "
        "islah_national_id, description, street)",
    ),
    ("islah_support_request", "concat_ws(' ', description, research_report)"),
    ("mail_message", "concat_ws(' ', body, subject, email_from, reply_to)"),
    ("mail_mail", "concat_ws(' ', body_html, email_to, email_cc)"),
    (
        "mail_tracking_value",
        "concat_ws(' ', old_value_char, new_value_char, old_value_text, new_value_text)",
    ),
    ("ir_attachment", "concat_ws(' ', name, description)"),
    ("res_users", "login"),
]


@tagged("post_install", "-at_install")
class TestRetention(IslahCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"islah_retention_years": 10, "islah_retention_years_unapproved": 2})
        cls.service_money = cls.service_no_research
        # due: an approved (done) request 11 years ago, with everything that
        # can hold the person's data
        cls.old = cls._create_beneficiary(
            name="Zubaida Qasimiyya Retentia",
            lang="en_US",
            phone="0551239876",
            email="zubaida.retentia@example.com",
            street="12 Retentia street",
            district="Al Retentia",
            iban="SA0380000000608010167519",
            monthly_income=4321,
            birth_date="1980-05-01",
            member_ids=[
                (0, 0, {"name": "Yusra Qasimiyya Retentia", "relation": "daughter"}),
            ],
        )
        cls.old_request = cls._request_in_state(
            "in_service", cls.old, service_type_id=cls.service_money.id
        )
        cls.env["islah.service.delivery"].create(
            {"request_id": cls.old_request.id, "description": "Food basket", "amount": 500}
        )
        cls.old_request.sudo().write(
            {"state": "done", "description": "Zubaida Qasimiyya Retentia needs help"}
        )
        cls.old_lead = cls.env["crm.lead"].create(
            {
                "name": "Inquiry of Zubaida Qasimiyya Retentia",
                "contact_name": "Zubaida Qasimiyya Retentia",
                "email_from": "zubaida.retentia@example.com",
                "phone": "0551239876",
                "islah_national_id": cls.old.national_id,
                "islah_beneficiary_id": cls.old.id,
                "description": "<p>Call Zubaida Qasimiyya Retentia</p>",
            }
        )
        # due: a rejected request 3 years ago (no approved request: 2 years)
        cls.unapproved = cls._create_beneficiary(
            name="Rejected Retentia", email="rejected.retentia@example.com"
        )
        cls.unapproved_request = cls._request_in_state("rejected", cls.unapproved)
        # due: no request at all, file created 3 years ago
        cls.no_request = cls._create_beneficiary(name="Lonely Retentia")
        # due: its open request is archived
        cls.archived = cls._create_beneficiary(name="Archived Retentia")
        cls.archived_request = cls._request_in_state("verification", cls.archived)
        cls.archived_request.sudo().write({"active": False})
        # kept: approved 5 years ago
        cls.recent = cls._create_beneficiary(name="Recent Retentia", lang="en_US")
        cls.recent_request = cls._request_in_state("done", cls.recent)
        # kept: legal hold
        cls.held = cls._create_beneficiary(name="Held Retentia")
        cls.held_request = cls._request_in_state("done", cls.held)
        cls.held.islah_legal_hold = True
        # kept: a request still in research
        cls.open = cls._create_beneficiary(name="Open Retentia")
        cls.open_request = cls._request_in_state("research", cls.open)
        # kept: a rejected request last year
        cls.young = cls._create_beneficiary(name="Young Retentia")
        cls.young_request = cls._request_in_state("rejected", cls.young)

        cls.fixture = (
            cls.old
            | cls.unapproved
            | cls.no_request
            | cls.archived
            | cls.recent
            | cls.held
            | cls.open
            | cls.young
        )
        cls.requests = (
            cls.env["islah.support.request"]
            .with_context(active_test=False)
            .search([("beneficiary_id", "in", cls.fixture.ids)])
        )
        cls._age(cls.fixture, years=12)
        for request, years in (
            (cls.old_request, 11),
            (cls.unapproved_request, 3),
            (cls.archived_request, 11),
            (cls.recent_request, 5),
            (cls.held_request, 11),
            (cls.open_request, 11),
            (cls.young_request, 1),
        ):
            cls._age(request, years)
        cls._age(cls.no_request, years=3)

    @classmethod
    def _age(cls, records, years):
        records.flush_recordset()
        cls.env.execute_query(
            SQL(
                "UPDATE %s SET create_date = NOW() AT TIME ZONE 'UTC' - MAKE_INTERVAL(years => %s)"
                " WHERE id IN %s",
                SQL.identifier(records._table),
                years,
                tuple(records.ids),
            )
        )
        records.invalidate_recordset(["create_date"])

    def _add_traces(self):
        """Messages, tracking, attachments and an e-mail copy about ``old``."""
        old, request = self.old, self.old_request
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"id-{old.national_id}.pdf",
                "datas": base64.b64encode(b"%PDF Zubaida"),
                "res_model": "islah.support.request",
                "res_id": request.id,
            }
        )
        request.document_ids[:1].sudo().write({"attachment_ids": [(4, attachment.id)]})
        self.env["ir.attachment"].create(
            {
                "name": "Zubaida Qasimiyya Retentia family record.pdf",
                "raw": b"x",
                "res_model": "islah.beneficiary",
                "res_id": old.id,
            }
        )
        old.message_post(
            body="Visited Zubaida Qasimiyya Retentia, 0551239876",
            attachments=[("visit-zubaida.txt", b"notes")],
        )
        request.message_post(body="Receipt sent to zubaida.retentia@example.com")
        self.old_lead.message_post(body=f"ID given: {old.national_id}")
        # tracking values are written when the cursor flushes
        self.env.cr.flush()
        # not the association's own IBAN (its letterhead shows that one everywhere)
        self._with_mail(old).write({"iban": "SA3510000000123456789012", "monthly_income": 5000})
        self._with_mail(self.old_lead).write({"contact_name": "Zubaida Q. Retentia"})
        self.env.cr.flush()
        self.env["mail.mail"].create(
            {
                "subject": "Your receipt",
                "body_html": "<p>Dear Zubaida Qasimiyya Retentia</p>",
                "email_to": "zubaida.retentia@example.com",
                "model": "islah.support.request",
                "res_id": request.id,
                "attachment_ids": [(0, 0, {"name": "receipt-zubaida.pdf", "raw": b"%PDF receipt"})],
            }
        )

    def _markers(self, beneficiary):
        return [
            beneficiary.name,
            beneficiary.national_id,
            *(
                [
                    beneficiary.phone[-9:],
                    beneficiary.email,
                    "Retentia street",
                    "Al Retentia",
                    "SA0380000000608010167519",
                    "SA3510000000123456789012",
                ]
                if beneficiary == self.old
                else []
            ),
        ]

    def _leftovers(self, markers):
        """``{(table, marker): count}`` of rows still holding a marker."""
        self.env.flush_all()
        found = {}
        for table, expression in TEXT_COLUMNS:
            for marker in markers:
                [(count,)] = self.env.execute_query(
                    SQL(
                        "SELECT COUNT(*) FROM %s WHERE %s ILIKE %s",
                        SQL.identifier(table),
                        SQL(expression),
                        f"%{marker}%",
                    )
                )
                if count:
                    found[table, marker] = count
        return found

    def _figures(self):
        """What the reports count, over the fixture's requests."""
        Request = self.env["islah.support.request"].with_context(active_test=False)
        domain = [("id", "in", self.requests.ids)]
        by_group = Request._read_group(
            domain,
            ["state", "section", "service_type_id", "medium_id", "create_date:month"],
            ["__count", "delivered_amount:sum"],
        )
        deliveries = self.env["islah.service.delivery"]._read_group(
            [("request_id", "in", self.requests.ids)],
            ["section", "service_type_id", "date:month"],
            ["__count", "amount:sum"],
        )
        export = (
            self.env["islah.report.export"]
            .with_user(self.manager)
            .create({"date_from": "2000-01-01", "date_to": "2100-12-31"})
        )
        return {
            "requests": sorted(map(repr, by_group)),
            "deliveries": sorted(map(repr, deliveries)),
            "beneficiaries": self.env["islah.beneficiary"]
            .with_context(active_test=False)
            .search_count([("id", "in", self.fixture.ids)]),
            "members": len(self.fixture.member_ids),
            "summary": summary_rows(
                export.env["islah.request.xlsx.report"], export._request_domain()
            ),
        }

    def _run_cron(self):
        with patch.object(type(self.env["ir.cron"]), "_commit_progress", return_value=1.0):
            return self.env["islah.beneficiary"]._cron_islah_anonymise_expired()

    # ------------------------------------------------------------------
    # Which files are due
    # ------------------------------------------------------------------

    def test_due_files(self):
        due = self.env["islah.beneficiary"]._islah_retention_due() & self.fixture
        self.assertEqual(due, self.old | self.unapproved | self.no_request | self.archived)

    def test_due_follows_company_settings(self):
        self.company.islah_retention_years_unapproved = 4
        due = self.env["islah.beneficiary"]._islah_retention_due() & self.fixture
        self.assertEqual(due, self.old | self.archived)
        self.company.islah_retention_years = 12
        due = self.env["islah.beneficiary"]._islah_retention_due() & self.fixture
        self.assertEqual(due, self.archived, "no approved request: 4 years")

    # ------------------------------------------------------------------
    # The scheduled action
    # ------------------------------------------------------------------

    def test_cron_leaves_nothing_identifying_and_keeps_the_figures(self):
        self._add_traces()
        due = self.old | self.unapproved | self.no_request | self.archived
        markers = [marker for beneficiary in due for marker in self._markers(beneficiary)]
        markers += ["Yusra Qasimiyya", "receipt-zubaida", "visit-zubaida", "Zubaida Q."]
        kept_names = (self.fixture - due).mapped("name")
        self.assertTrue(self._leftovers(markers), "the fixture holds the data searched")
        old_records = [
            ("islah.beneficiary", self.old.ids),
            ("islah.support.request", self.old_request.ids),
            ("crm.lead", self.old_lead.ids),
        ]
        Attachment = self.env["ir.attachment"]
        attachment_domain = [
            "|",
            "|",
            *(
                term
                for model, ids in old_records
                for term in ["&", ("res_model", "=", model), ("res_id", "in", ids)]
            ),
        ]
        self.assertGreaterEqual(Attachment.search_count(attachment_domain), 3)
        Tracking = self.env["mail.tracking.value"]
        tracking_domain = [
            ("mail_message_id.model", "=", "islah.beneficiary"),
            ("mail_message_id.res_id", "=", self.old.id),
            ("field_id.name", "in", ["iban", "monthly_income"]),
        ]
        self.assertEqual(Tracking.search_count(tracking_domain), 2)
        received = self.old_request.document_ids.mapped("received")
        figures = self._figures()
        with patch.object(retention._logger, "info") as log_info:
            count = self._run_cron()
        self.assertGreaterEqual(count, 4)
        log_info.assert_called_once_with("Retention: %s beneficiaries anonymised", count)
        self.env.flush_all()
        self.env.invalidate_all()

        self.assertEqual(self._leftovers(markers), {})
        self.assertEqual(Attachment.search_count(attachment_domain), 0)
        self.assertFalse(self.env["mail.mail"].search([("res_id", "=", self.old_request.id)]))
        # the figures the reports need are unchanged
        self.assertEqual(self._figures(), figures)
        self.assertEqual(self.old_request.document_ids.mapped("received"), received)
        # the kept files are whole
        self.assertFalse((self.fixture - due).filtered("anonymised_on"))
        for name in kept_names:
            self.assertTrue(self._leftovers([name]).get(("res_partner", name)), name)

        old = self.old
        self.assertTrue(all(due.mapped("anonymised_on")))
        self.assertIn(str(old.id), old.name)
        self.assertNotEqual(old.name, self.unapproved.name)
        self.assertEqual(old.national_id, f"ANON-{old.id}")
        self.assertFalse(old.phone or old.email or old.street or old.district or old.birth_date)
        self.assertFalse(old.iban)
        self.assertEqual(old.monthly_income, 0)
        # what the reports group by stays
        self.assertEqual((old.gender, old.section), ("male", "men"))
        self.assertEqual(self.old_request.state, "done")
        self.assertEqual(self.old_request.delivered_amount, 500)
        self.assertEqual(len(old.member_ids), 1)
        self.assertFalse(self.old_lead.email_from or self.old_lead.phone)
        self.assertFalse(self.old_lead.sudo().islah_national_id)
        self.assertFalse(self.old_lead.description)
        # the chatter says when and why, nothing more
        last = old.message_ids[:1]
        self.assertIn("retention period", last.body)
        self.assertFalse(any(marker in last.body for marker in markers))
        # the tracking of sensitive fields is gone
        self.assertEqual(Tracking.search_count(tracking_domain), 0)

        # idempotent: a second run changes nothing
        names = due.mapped("name")
        self._run_cron()
        self.assertEqual(due.mapped("name"), names)
        self.assertFalse(self.env["islah.beneficiary"]._islah_retention_due() & self.fixture)

    def test_cron_commits_per_batch(self):
        calls = []

        def progress(cron, processed=0, remaining=None, deactivate=False):
            calls.append((processed, remaining))
            return 1.0

        with patch.object(type(self.env["ir.cron"]), "_commit_progress", progress):
            self.env["islah.beneficiary"]._cron_islah_anonymise_expired()
        self.assertEqual(calls[0][0], 0)
        self.assertGreaterEqual(calls[0][1], 4)
        self.assertEqual(sum(processed for processed, _remaining in calls), calls[0][1])

    @mute_logger("odoo.addons.islah_beneficiary.models.islah_beneficiary_retention_mixin")
    def test_cron_skips_a_shared_contact_and_goes_on(self):
        kept = self._create_beneficiary(partner_id=self.old.partner_id.id, gender="female")
        self._run_cron()
        self.assertFalse(self.old.anonymised_on, "its contact is also a kept file's")
        self.assertTrue(kept.partner_id.name.startswith("Zubaida"))
        self.assertTrue(self.unapproved.anonymised_on)

    @mute_logger("odoo.addons.islah_beneficiary.models.islah_beneficiary_retention_mixin")
    def test_cron_goes_on_after_any_error_on_one_file(self):
        """An unexpected error on one file (a database constraint, an
        extension's bug) is logged and that file retried tomorrow: the
        others due are still anonymised."""
        Beneficiary = type(self.env["islah.beneficiary"])
        original = Beneficiary._islah_anonymise
        old = self.old

        def anonymise(records):
            if old in records:
                raise psycopg2.IntegrityError("broken extension")
            return original(records)

        with patch.object(Beneficiary, "_islah_anonymise", anonymise):
            self._run_cron()
        self.assertFalse(old.anonymised_on)
        self.assertTrue(old.partner_id.name.startswith("Zubaida"))
        self.assertTrue(self.unapproved.anonymised_on)
        self.assertTrue(self.archived.anonymised_on)

    def test_only_the_persons_mail_and_messages_go(self):
        """Anonymising ali@ takes neither bali@'s e-mail with it nor a message
        on another record that was sent to others too (the person only
        leaves its recipients)."""
        old = self.old
        Mail = self.env["mail.mail"]
        own = Mail.create({"subject": "Yours", "email_to": old.email})
        other = Mail.create({"subject": "Not yours", "email_to": f"b{old.email}"})
        colleague = self.env["res.partner"].create({"name": "Another Recipient"})
        shared = self.env.user.partner_id.message_post(
            body="Meeting notes for the families day",
            partner_ids=(old.partner_id | colleague).ids,
        )
        alone = self.env.user.partner_id.message_post(
            body="A word for Zubaida alone", partner_ids=old.partner_id.ids
        )
        self._run_cron()
        self.assertTrue(old.anonymised_on)
        self.assertFalse(own.exists())
        self.assertTrue(other.exists())
        self.assertIn("Meeting notes for the families day", shared.body)
        self.assertEqual(shared.partner_ids, colleague)
        self.assertFalse(alone.body)

    def test_web_intakes_never_converted_are_scrubbed(self):
        """An intake nobody converted (a stranger's, abandoned) is bound to no
        file: past the period of a file without an approved request it
        loses what was typed, its chatter, files and e-mails."""
        Lead = self.env["crm.lead"]
        values = {
            "type": "lead",
            "islah_gender": "female",
            "contact_name": "Stale Applicant",
            "email_from": "stale.applicant@example.com",
        }
        stale = Lead.create({**values, "name": "Stale Applicant asks for help"})
        recent = Lead.create({**values, "name": "Recent Applicant"})
        (stale | recent).sudo().write(
            {
                "islah_identity_state": "unverified",
                "islah_national_id": self._new_national_id(),
                "islah_need": "Rent for the family",
                "islah_intake_ref": "WEB-STALE",
            }
        )
        stale.message_post(body="Called Stale Applicant back")
        scan = self.env["ir.attachment"].create(
            {"name": "id-stale.pdf", "raw": b"%PDF", "res_model": "crm.lead", "res_id": stale.id}
        )
        self._age(stale, years=3)
        self._run_cron()
        self.assertEqual(
            stale.read(["contact_name", "email_from", "islah_national_id", "islah_need", "name"])[
                0
            ],
            {
                "id": stale.id,
                "contact_name": False,
                "email_from": False,
                "islah_national_id": False,
                "islah_need": False,
                "name": "WEB-STALE",
            },
        )
        self.assertFalse(scan.exists())
        self.assertNotIn("Stale Applicant", " ".join(stale.message_ids.mapped("body")))
        self.assertEqual(recent.contact_name, "Stale Applicant", "not past the period yet")
        self.assertEqual(recent.islah_need, "Rent for the family")

    def test_portal_user_archived(self):
        user = self.env["res.users"].create(
            {
                "name": "Portal Retentia",
                "login": "portal.retentia@example.com",
                "email": "portal.retentia@example.com",
                "group_ids": [(6, 0, self.env.ref("base.group_portal").ids)],
            }
        )
        beneficiary = self._create_beneficiary(partner_id=user.partner_id.id)
        self._age(beneficiary, 3)
        self._run_cron()
        self.assertTrue(beneficiary.anonymised_on)
        self.assertFalse(user.active)
        self.assertNotIn("retentia", user.login)
        self.assertFalse(user.email)

    # ------------------------------------------------------------------
    # On request
    # ------------------------------------------------------------------

    def _anonymise_as(self, user, beneficiary):
        return call_kw(
            self.env["islah.beneficiary"].with_user(user),
            "action_islah_anonymise",
            [beneficiary.ids],
            {},
        )

    def test_manager_anonymises_on_request(self):
        self.assertTrue(self._anonymise_as(self.manager, self.recent))
        self.assertTrue(self.recent.anonymised_on)
        self.assertFalse(self._leftovers(["Recent Retentia"]))
        body = self.recent.message_ids[:1].body
        self.assertIn("on request", body)
        self.assertIn(self.manager.name, body)
        # twice is harmless
        self.assertTrue(self._anonymise_as(self.manager, self.recent))

    def test_others_may_not_anonymise(self):
        for user in (self.officer_men, self.researcher, self.committee_member, self.internal_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._anonymise_as(user, self.recent)
        self.assertFalse(self.recent.anonymised_on)
        with self.assertRaises(AccessError):
            call_kw(
                self.env["islah.beneficiary"].with_user(self.officer_men),
                "_islah_anonymise",
                [self.recent.ids],
                {},
            )

    def test_manager_of_other_section_may_not_anonymise(self):
        woman = self._create_beneficiary(name="Woman Retentia", gender="female")
        with self.assertRaises(AccessError):
            self._anonymise_as(self.manager_men, woman)
        self.assertFalse(woman.anonymised_on)

    def test_refused_under_legal_hold_or_open_request(self):
        with self.assertRaisesRegex(UserError, "legal hold"):
            self._anonymise_as(self.manager, self.held)
        with self.assertRaisesRegex(UserError, self.open_request.name):
            self._anonymise_as(self.manager, self.open)
        self.assertFalse((self.held | self.open).filtered("anonymised_on"))
        # lifting the hold lets the request through
        self.held.with_user(self.manager).islah_legal_hold = False
        self._anonymise_as(self.manager, self.held)
        self.assertTrue(self.held.anonymised_on)

    def test_only_managers_set_the_legal_hold(self):
        with self.assertRaises(AccessError):
            call_kw(
                self.env["islah.beneficiary"].with_user(self.officer_men),
                "write",
                [self.recent.ids, {"islah_legal_hold": True}],
                {},
            )
        call_kw(
            self.env["islah.beneficiary"].with_user(self.manager),
            "write",
            [self.recent.ids, {"islah_legal_hold": True}],
            {},
        )
        self.assertTrue(self.recent.islah_legal_hold)

    # ------------------------------------------------------------------
    # The national ID placeholder
    # ------------------------------------------------------------------

    def test_placeholder_id_only_on_anonymised_files(self):
        with self.assertRaises(ValidationError):
            self.recent.national_id = f"ANON-{self.recent.id}"
        self.recent.sudo()._islah_anonymise()
        self.assertEqual(self.recent.national_id, f"ANON-{self.recent.id}")
        self.assertFalse(self.recent.id_kind)

    def test_staff_contact_is_refused(self):
        staff = self._create_beneficiary(partner_id=self.officer_women.partner_id.id)
        with self.assertRaisesRegex(UserError, "staff"):
            self._anonymise_as(self.manager, staff)
        self.assertTrue(self.officer_women.active)
        self.assertFalse(staff.anonymised_on)

    # ------------------------------------------------------------------
    # The form
    # ------------------------------------------------------------------

    def test_form_button_for_managers_only(self):
        Beneficiary = self.env["islah.beneficiary"]
        manager_arch = Beneficiary.with_user(self.manager).get_views([(False, "form")])
        officer_arch = Beneficiary.with_user(self.officer_men).get_views([(False, "form")])
        manager_arch = manager_arch["views"]["form"]["arch"]
        officer_arch = officer_arch["views"]["form"]["arch"]
        self.assertIn("action_islah_anonymise", manager_arch)
        self.assertIn("islah_legal_hold", manager_arch)
        self.assertNotIn("action_islah_anonymise", officer_arch)
        self.assertNotIn("islah_legal_hold", officer_arch)
        self.assertIn("Anonymised", officer_arch, "the ribbon")
