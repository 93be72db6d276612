"""The letters as real PDFs, read back as text.

wkhtmltopdf built against an unpatched Qt (Debian's package) ignores
``--header-html``/``--footer-html``: a letterhead left in Odoo's separate
header and footer pages vanished from the PDF, and its old WebKit stacked the
Arabic labels of a shrink-to-fit table one letter per line. These tests render
each letter with the wkhtmltopdf found on this machine and read the text back
with ``pdftotext -layout``.
"""

import subprocess
import tempfile
import unicodedata
from datetime import date, datetime

from odoo.tests import HttpCase, tagged

from odoo.addons.islah_beneficiary.tools import format_hijri

from .test_committee import IslahCommitteeCommon

RECEIPT = "islah_beneficiary.islah_support_request_receipt_report"
DECISION = "islah_beneficiary.action_report_committee_decision"
MINUTES = "islah_beneficiary.action_report_committee_minutes"

LETTERHEAD = {
    "name": "Islah Letters Test Association",
    "email": "letters@islah.test",
    "islah_bank_account": "608010167519",
    "islah_iban": "SA0380000000608010167519",
    "islah_men_phone": "0553304342",
    "islah_women_phone": "0551234567",
}
FOOTER_VALUES = ("islah_bank_account", "islah_iban", "islah_men_phone", "islah_women_phone")


class IslahLetterCommon(IslahCommitteeCommon):
    """The company's letterhead settings, and in each language a received
    request, a decision with its letter issued and the meeting's minutes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ar_001")
        cls.company.write(LETTERHEAD)

    def _letters(self, lang):
        beneficiary = self._create_beneficiary(name=f"Letter Beneficiary {lang}", lang=lang)
        receipt = self._create_request(beneficiary)
        request = self._committee_request(beneficiary=beneficiary)
        meeting = self._meeting(requests=request, date_start=datetime(2026, 3, 1, 9, 0))
        self._vote_all(meeting.decision_ids, "approve")
        meeting.with_user(self.secretary).action_close()
        decision = meeting.decision_ids
        decision.sudo()._issue_letter()
        self.assertTrue(decision.letter_number)
        meeting = meeting.with_context(lang=lang)
        return (
            (RECEIPT, receipt, receipt.name, receipt._islah_received_date()),
            (DECISION, decision, decision.letter_number, decision.letter_date),
            (MINUTES, meeting, meeting.name, date(2026, 3, 1)),
        )


@tagged("post_install", "-at_install", "islah_letter_pdf")
class TestLetterPdf(IslahLetterCommon, HttpCase):
    """Each letter, in Arabic and in English, printed by wkhtmltopdf. An
    HttpCase, so that wkhtmltopdf's requests for the report assets are served
    inside the test's transaction."""

    def _pdf_text(self, report, records):
        Report = self.env["ir.actions.report"].with_context(
            force_report_rendering=True, lang=records.env.lang
        )
        pdf, kind = Report._render_qweb_pdf(report, records.ids)
        self.assertEqual(kind, "pdf")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf_file:
            pdf_file.write(pdf)
            pdf_file.flush()
            text = subprocess.run(
                ["pdftotext", "-layout", "-enc", "UTF-8", pdf_file.name, "-"],
                capture_output=True,
                check=True,
                text=True,
            ).stdout
        # Arabic glyphs may come back as presentation forms, wrapped in bidi
        # embedding marks: compare letters.
        text = unicodedata.normalize("NFKC", text)
        return "".join(c for c in text if unicodedata.category(c) != "Cf")

    def _check_letters(self, lang, labels):
        for report, records, number, letter_date in self._letters(lang):
            with self.subTest(report=report, lang=lang):
                text = self._pdf_text(report, records.with_context(lang=lang))
                words = set(text.split())
                for field in FOOTER_VALUES:
                    self.assertIn(LETTERHEAD[field], words, f"{field} missing")
                self.assertIn(LETTERHEAD["email"], text)
                self.assertIn(LETTERHEAD["name"], text)
                self.assertIn(number, text)
                hijri = format_hijri(letter_date, lang)
                self.assertTrue(hijri)
                self.assertIn(hijri.split()[0], words, "Hijri date missing")
                for label in labels:
                    self.assertIn(label, words, f"label {label!r} broken")

    def test_arabic_letters(self):
        """Arabic letters keep the letterhead, footer and whole-word labels."""
        self.assertIn(self.env["ir.actions.report"].get_wkhtmltopdf_state(), ("ok", "upgrade"))
        self._check_letters("ar_001", ("الرقم:", "التاريخ:", "المرفقات:"))

    def test_english_letters(self):
        """English letters keep the letterhead and footer too."""
        self._check_letters("en_US", ("Number:", "Date:", "Attachments:"))
