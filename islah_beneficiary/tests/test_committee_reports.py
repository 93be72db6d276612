"""The decision letter e-mailed by the shipped automation, and the printed
letter and minutes."""

from datetime import datetime

from odoo.tests import HttpCase, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.mail.tests.common import MailCase

from .common import IslahCommitteeCommon

LETTER_REPORT = "islah_beneficiary.action_report_committee_decision"
MINUTES_REPORT = "islah_beneficiary.action_report_committee_minutes"


# post_install: automation rules hook into the models once the registry is
# fully loaded, after the at_install tests.
@tagged("islah_committee", "post_install", "-at_install")
class TestCommitteeLetters(IslahCommitteeCommon, MailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ar_001")
        cls.beneficiary = cls._create_beneficiary(
            name="Fatimah Al-Qahtani",
            gender="female",
            email="fatimah@example.com",
            lang="ar_001",
        )

    def _letters_to(self, partner):
        """Decision e-mails to ``partner`` (not the request's other e-mails)."""
        return self._new_mails.filtered(
            lambda m: partner in m.recipient_ids and m.model == "islah.committee.decision"
        )

    def _close(self, outcome, beneficiary=None, reason=None):
        request = self._committee_request(beneficiary=beneficiary or self.beneficiary)
        meeting = self._meeting(requests=request, date_start=datetime(2026, 3, 1, 9, 0))
        decision = meeting.decision_ids
        self._vote_all(decision, "reject" if outcome == "rejected" else "approve")
        if outcome in ("deferred", "more_information"):
            decision.with_user(self.chair).write(
                {"override_outcome": outcome, "override_reason": "Not ready"}
            )
        if reason:
            decision.with_user(self.secretary).reason = reason
        meeting.with_user(self.secretary).action_close()
        return decision

    def test_final_decision_emails_the_letter(self):
        with self.mock_mail_gateway():
            decision = self._close("rejected", reason="Income above the support threshold")
        self.assertTrue(decision.letter_number.startswith("DL/"))
        self.assertEqual(decision.notification_method, "email")
        self.assertTrue(decision.notified_on)
        mails = self._letters_to(self.beneficiary.partner_id)
        self.assertEqual(len(mails), 1, "one e-mail to the beneficiary")
        self.assertIn(decision.request_id.name, mails.subject)
        self.assertIn("Income above the support threshold", str(mails.body_html))
        # named in the beneficiary's language by the report's own (translated)
        # file-name expression; under test mode reports are HTML: ".html"
        lang = self.beneficiary.partner_id.lang or "en_US"
        report = self.env.ref(LETTER_REPORT).with_context(lang=lang)
        expected = safe_eval(report.print_report_name, {"object": decision})
        self.assertIn(decision.letter_number.replace("/", "-"), expected)
        self.assertEqual(
            [name.rsplit(".", 1)[0] for name in mails.attachment_ids.mapped("name")], [expected]
        )
        self.assertIn("fatimah@example.com", mails.recipient_ids.mapped("email"))
        # the letter is written for her: Arabic, right to left, reason stated
        letter = mails.attachment_ids.raw.decode()
        self.assertIn('dir="rtl"', letter)
        self.assertIn("Income above the support threshold", letter)
        self.assertIn(decision.letter_number, letter)

    def test_approval_is_emailed_too(self):
        with self.mock_mail_gateway():
            decision = self._close("approved")
        self.assertEqual(decision.request_id.state, "approved")
        self.assertEqual(len(self._letters_to(self.beneficiary.partner_id)), 1)

    def test_no_letter_before_a_final_decision(self):
        with self.mock_mail_gateway():
            decision = self._close("deferred", reason="Waiting for the family's documents")
        self.assertFalse(decision.letter_number)
        self.assertFalse(self._letters_to(self.beneficiary.partner_id))

    def test_without_email_the_officer_is_asked_to_notify(self):
        no_email = self._create_beneficiary(name="No Mail Person")
        with self.mock_mail_gateway():
            decision = self._close("approved", beneficiary=no_email)
        self.assertFalse(self._letters_to(no_email.partner_id))
        self.assertFalse(decision.notified_on)
        self.assertTrue(decision.letter_number)
        self.assertTrue(decision.request_id.sudo().activity_ids)

    def test_letter_renders(self):
        decision = self._close("rejected", reason="Not eligible this year")
        html = self.env["ir.actions.report"]._render_qweb_html(LETTER_REPORT, decision.ids)[0]
        html = html.decode()
        self.assertIn("o_islah_letterhead", html)
        self.assertIn(decision.letter_number, html)
        self.assertIn(decision.request_id.name, html)
        self.assertIn("Not eligible this year", html)

    def test_minutes_render(self):
        decision = self._close("rejected", reason="Not eligible this year")
        decision.vote_ids.filtered(
            lambda v: v.member_id == self.member_c
        ).sudo().comment = "Needs a second visit"
        meeting = decision.meeting_id
        html = self.env["ir.actions.report"]._render_qweb_html(MINUTES_REPORT, meeting.ids)[0]
        html = html.decode()
        for text in (
            meeting.name,
            decision.request_id.name,
            "Not eligible this year",
            "Needs a second visit",
            self.chair.name,
            self.secretary.name,
            self.member_d.name,
            "Signatures",
        ):
            self.assertIn(text, html)
        self.assertIn("4 / 3", " ".join(html.split()))


@tagged("islah_committee", "post_install", "-at_install")
class TestCommitteePdf(IslahCommitteeCommon, HttpCase):
    """Real PDFs where wkhtmltopdf works. An HttpCase, so that wkhtmltopdf's
    requests for the report assets share the test's transaction instead of
    waiting on it."""

    def test_pdf_rendering(self):
        Report = self.env["ir.actions.report"]
        self.assertIn(
            Report.get_wkhtmltopdf_state(),
            ("ok", "upgrade"),
            "wkhtmltopdf is needed for real PDFs: see README.md",
        )
        request = self._committee_request()
        meeting = self._meeting(requests=request)
        self._vote_all(meeting.decision_ids, "approve")
        meeting.with_user(self.secretary).action_close()
        decision = meeting.decision_ids
        decision.sudo()._issue_letter()
        Report = Report.with_context(force_report_rendering=True)
        for report, records in ((LETTER_REPORT, decision), (MINUTES_REPORT, meeting)):
            content, kind = Report._render_qweb_pdf(report, records.ids)
            self.assertEqual(kind, "pdf")
            self.assertTrue(content.startswith(b"%PDF"))
