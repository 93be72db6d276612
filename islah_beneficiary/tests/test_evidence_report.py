"""The policy's evidence report: its figures on a known fixture, read back
from the PDF in Arabic and in English, without personal data; only managers
print it."""

from datetime import date, datetime

from odoo.exceptions import AccessError
from odoo.service.model import call_kw
from odoo.tests import HttpCase, tagged

from odoo.addons.islah_beneficiary.tools import policy_text

from .common import IslahCommitteeCommon
from .test_letter_pdf import ChromiumPrintMixin, LetterPdf
from .test_voice_figures import make_action, make_appeal

EVIDENCE = "islah_beneficiary.action_report_policy_evidence"
PERIOD = {"date_from": date(2025, 1, 1), "date_to": date(2025, 1, 31)}


class IslahEvidenceCommon(IslahCommitteeCommon):
    """Five requests received in January 2025 (a period no demo data
    reaches): four men's, two by interview and two by phone, and a women's
    by interview.

        r1 interview  verified before submission, declaration, deadline met,
                      decision notified in writing
        r2 interview  verified before submission, declaration, deadline met,
                      decision not notified
        r3 phone      verified before submission, no declaration, deadline
                      missed, decided
        r4 phone      data verified after the submission, no declaration,
                      not decided yet
        r5 interview  (women) not submitted, declaration
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ar_001")
        cls.channel_phone = cls.env.ref("islah_beneficiary.utm_medium_phone_call")
        cls.names = []

        def request(channel, gender="male", **values):
            name = f"Evidence Person {'ABCDE'[len(cls.names) // 3]}"
            beneficiary = cls._create_beneficiary(name=name, gender=gender)
            cls.names.append(name)
            cls.names.append(beneficiary.national_id)
            record = cls._create_request(
                beneficiary,
                service_type_id=cls.service_no_research.id,
                medium_id=channel.id,
            )
            cls.names.append(record.name)
            cls._set(record, create_date=datetime(2025, 1, 15, 9, 0), **values)
            return record

        submitted = datetime(2025, 1, 16, 9, 0)
        verified = datetime(2025, 1, 15, 10, 0)
        cls.r1 = request(
            cls.channel_interview,
            submission_date=submitted,
            data_verified_on=verified,
            declaration_accepted=True,
            sla_state="met",
            decided_on=date(2025, 1, 20),
            state="committee",
        )
        cls.r2 = request(
            cls.channel_interview,
            submission_date=submitted,
            data_verified_on=verified,
            declaration_accepted=True,
            sla_state="met",
            decided_on=date(2025, 1, 22),
            state="committee",
        )
        cls.r3 = request(
            cls.channel_phone,
            submission_date=submitted,
            data_verified_on=verified,
            declaration_accepted=False,
            sla_state="missed",
            decided_on=date(2025, 2, 10),
        )
        cls.r4 = request(
            cls.channel_phone,
            submission_date=submitted,
            data_verified_on=datetime(2025, 1, 18, 9, 0),
            declaration_accepted=False,
            sla_state="on_track",
        )
        cls.r5 = request(cls.channel_interview, gender="female", declaration_accepted=True)
        decision = cls.env["islah.committee.decision"].create(
            {"meeting_id": cls._evidence_meeting().id, "request_id": cls.r1.id}
        )
        cls._set(decision, notified_on=datetime(2025, 1, 21, 9, 0))
        cls.env["islah.committee.decision"].create(
            {"meeting_id": cls._evidence_meeting().id, "request_id": cls.r2.id}
        )
        for record in cls.r1 | cls.r2 | cls.r3:
            cls._set(record, state="approved")
        cls._evidence_feedback()
        # an improvement action opened and done (late) in January 2025, and
        # an appeal of a rejection submitted and overturned then
        action = make_action(
            cls.env,
            cls.manager,
            service_type_id=cls.service_no_research.id,
            due_date=date(2025, 1, 10),
            done_on=date(2025, 1, 20),
        )
        cls._set(action, create_date=datetime(2025, 1, 5, 9, 0))
        rejected = cls._request_in_state("rejected", service_type_id=cls.service_no_research.id)
        make_appeal(
            cls.env,
            rejected,
            cls.channel_interview,
            outcome="overturned",
            submitted_on=datetime(2025, 1, 22, 9, 0),
            decided_on=datetime(2025, 1, 25, 9, 0),
        )
        cls.env.invalidate_all()

    @classmethod
    def _evidence_feedback(cls):
        """A complaint answered on time and accepted, a suggestion overdue
        without an answer, a thanks (not measured), received in January 2025."""
        Feedback = cls.env["islah.feedback"]
        values = {"description": "Evidence fixture", "section": "men"}
        complaint = Feedback.create(
            {**values, "kind": "complaint", "author_name": "Evidence Author"}
        )
        suggestion = Feedback.create({**values, "kind": "suggestion"})
        thanks = Feedback.create({**values, "kind": "thanks"})
        cls.names += [complaint.name, suggestion.name, "Evidence Author"]
        complaint.sudo().write(
            {
                "received_on": datetime(2025, 1, 10, 9, 0),
                "deadline": date(2025, 1, 16),
                "answered_on": datetime(2025, 1, 14, 9, 0),
                "state": "closed",
                "author_response": "accepted",
            }
        )
        suggestion.sudo().write(
            {
                "received_on": datetime(2025, 1, 10, 9, 0),
                "deadline": date(2025, 1, 16),
                "sla_state": "overdue",
            }
        )
        thanks.sudo().write({"received_on": datetime(2025, 1, 10, 9, 0)})

    @classmethod
    def _evidence_meeting(cls):
        return cls.env["islah.committee.meeting"].create(
            {
                "date_start": datetime(2025, 1, 19, 9, 0),
                "member_ids": [(6, 0, cls.members.ids)],
                "chair_id": cls.chair.id,
                "secretary_id": cls.secretary.id,
            }
        )

    @classmethod
    def _set(cls, record, **values):
        """Write fixture values straight into the table (dates of the past,
        states the workflow would take weeks to reach)."""
        record.flush_recordset()
        columns = ", ".join(f"{name} = %s" for name in values)
        cls.env.cr.execute(
            f"UPDATE {record._table} SET {columns} WHERE id = %s",  # noqa: S608
            [*values.values(), record.id],
        )
        record.invalidate_recordset()

    def _wizard(self, user, **values):
        return self.env["islah.policy.evidence"].with_user(user).create({**PERIOD, **values})

    def _figures(self, user):
        wizard = self._wizard(user)
        return {f["key"]: f for f in wizard._islah_evidence_figures(**PERIOD)}


@tagged("post_install", "-at_install", "islah_evidence")
class TestEvidenceFigures(IslahEvidenceCommon):
    """The figures, as computed for the report, and who may have them."""

    def test_figures_manager(self):
        """A manager of both sections: every request of the period."""
        figures = self._figures(self.manager)
        self.assertEqual(figures[f"channel_{self.channel_interview.id}"]["value"], 3)
        self.assertEqual(figures[f"channel_{self.channel_phone.id}"]["value"], 2)
        self.assertEqual(figures["requests"]["value"], 5)
        expected = {
            "verified": (3, 4, "75.0%"),
            "declaration": (3, 5, "60.0%"),
            "deadline": (2, 3, "66.7%"),
            "informed": (1, 3, "33.3%"),
        }
        for key, (numerator, denominator, value) in expected.items():
            figure = figures[key]
            self.assertEqual(
                (figure["numerator"], figure["denominator"], figure["value"]),
                (numerator, denominator, value),
                key,
            )
            self.assertTrue(figure["definition"])
        self.assertEqual((figures["complaints"]["value"], figures["suggestions"]["value"]), (1, 1))
        self.assertEqual(figures["feedback_on_time"]["value"], "50.0%")
        self.assertEqual(figures["feedback_accepted"]["value"], "100.0%")
        self.assertEqual(figures["improvement_opened"]["value"], 1)
        self.assertEqual(figures["improvement_done"]["value"], 1)
        self.assertEqual(figures["improvement_late"]["value"], "100.0%")
        self.assertEqual(figures["improvement_improved"]["value"], "no case")
        self.assertEqual(figures["appeals_submitted"]["value"], 1)
        self.assertEqual(figures["appeals_upheld"]["value"], 0)
        self.assertEqual(
            (
                figures["appeals_overturned"]["numerator"],
                figures["appeals_overturned"]["denominator"],
            ),
            (1, 1),
        )

    def test_figures_section_manager(self):
        """A men's manager gets the men's section's figures only."""
        figures = self._figures(self.manager_men)
        self.assertEqual(figures[f"channel_{self.channel_interview.id}"]["value"], 2)
        self.assertEqual(figures["requests"]["value"], 4)
        self.assertEqual(figures["declaration"]["value"], "50.0%")
        self.assertEqual(figures["verified"]["value"], "75.0%")
        wizard = self._wizard(self.manager_men)
        self.assertEqual(wizard._islah_sections_text(), "Men's section")

    def test_every_channel_listed(self):
        """The seven policy channels are all listed, with zero when unused."""
        figures = self._figures(self.manager)
        channels = self.env["utm.medium"].search([("islah_channel", "=", True)])
        self.assertEqual(len(channels), 7)
        for channel in channels:
            self.assertIn(f"channel_{channel.id}", figures)

    def test_no_case(self):
        """A period without requests: shares are "no case", not 0%."""
        wizard = self._wizard(self.manager, date_from=date(2024, 1, 1), date_to=date(2024, 1, 2))
        figures = {
            f["key"]: f for f in wizard._islah_evidence_figures(date(2024, 1, 1), date(2024, 1, 2))
        }
        self.assertEqual(figures["requests"]["value"], 0)
        self.assertEqual(figures["verified"]["value"], "no case")

    def test_only_managers(self):
        """Officers, researchers and committee members cannot open the
        wizard through RPC, nor render the report of a manager's wizard."""
        for user in (self.officer_men, self.researcher, self.committee_member, self.internal_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                call_kw(self.env["islah.policy.evidence"].with_user(user), "create", [PERIOD], {})
        wizard = self._wizard(self.manager)
        Report = self.env["ir.actions.report"].with_user(self.officer_men)
        with self.assertRaises(AccessError):
            Report._render_qweb_html(EVIDENCE, wizard.ids)
        # the report model checks the group itself, even on a readable record
        with self.assertRaises(AccessError):
            self.env["report.islah_beneficiary.report_policy_evidence"].with_user(
                self.officer_men
            )._get_report_values(wizard.ids)
        action = call_kw(wizard.with_user(self.manager), "action_print", [wizard.ids], {})
        self.assertEqual(action["report_name"], "islah_beneficiary.report_policy_evidence")

    def test_bad_period(self):
        with self.assertRaises(Exception):  # noqa: B017 (ValidationError, translated)
            self._wizard(self.manager, date_from=date(2025, 2, 1), date_to=date(2025, 1, 1))


@tagged("post_install", "-at_install", "islah_evidence", "islah_letter_pdf")
class TestEvidencePdf(ChromiumPrintMixin, IslahEvidenceCommon, HttpCase):
    """The report as a real PDF, read back with pdftotext."""

    def _pdf(self, lang):
        wizard = self._wizard(self.manager, lang=lang)
        Report = self.env["ir.actions.report"].with_user(self.manager)
        pdf, kind = Report.with_context(force_report_rendering=True, lang=lang)._render_qweb_pdf(
            EVIDENCE, wizard.ids
        )
        self.assertEqual(kind, "pdf")
        return LetterPdf(pdf)

    def _assert_figures(self, pdf):
        text = " ".join(pdf.text.split())
        for share in ("75.0%", "60.0%", "66.7%", "33.3%", "50.0%", "100.0%"):
            self.assertIn(share, text)
        for numerator, denominator in ((3, 4), (3, 5), (2, 3), (1, 3)):
            # pdftotext reads a number pair of a right-to-left line backwards
            self.assertRegex(
                text, rf"\b{numerator} ?/ ?{denominator}\b|\b{denominator} ?/ ?{numerator}\b"
            )
        for personal in self.names:
            self.assertNotIn(personal, text, "personal data in the evidence report")
        self.assertIn(self.company.email, text)  # on the letterhead

    def test_arabic_pdf(self):
        """In Arabic: the policy's clauses quoted in its own words."""
        pdf = self._pdf("ar_001")
        self._assert_figures(pdf)
        for word in ("المقابلة", "أسبوعين", "مسئولية", "اجتماعه"):
            self.assertIn(word, pdf.words, word)
        self.assertNotIn("The Board of Directors", pdf.text)

    def test_english_pdf(self):
        """In English: the clauses translated, the figures the same."""
        pdf = self._pdf("en_US")
        self._assert_figures(pdf)
        text = " ".join(pdf.text.split())
        self.assertIn("No. 7 on Wednesday 14/6/1445 H (27/12/2023)", text)
        self.assertIn("within a period of two weeks", text)
        self.assertIn("Decided within the deadline", text)
        self.assertNotIn(policy_text.CLAUSES["committee"][0][:20], text)
