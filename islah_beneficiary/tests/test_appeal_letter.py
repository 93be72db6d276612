"""The outcome letter of an appeal: the decision letter's format (the
letterhead, its number, the Gregorian and Hijri dates), in the
beneficiary's language, read back from the real PDF."""

import os

from odoo.tests import HttpCase, freeze_time, tagged

from odoo.addons.islah_beneficiary.tools import format_hijri

from .test_appeal import IslahAppealCommon
from .test_letter_pdf import LETTERHEAD, ChromiumPrintMixin, LetterPdf

DECISION = "islah_beneficiary.action_report_committee_decision"


@tagged("post_install", "-at_install", "islah_appeal", "islah_letter_pdf")
class TestAppealLetter(ChromiumPrintMixin, IslahAppealCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ar_001")
        cls.company.write(LETTERHEAD)

    def _decided_appeal(self, lang, vote):
        beneficiary = self._create_beneficiary(
            name=f"Appeal Letter Beneficiary {lang}", lang=lang, email=f"appeal.{lang}@example.com"
        )
        request = self._rejected_request(beneficiary)
        with freeze_time("2026-03-05 08:00:00"):
            appeal = self._appeal(request)
            meeting = self._appeal_meeting()
        decision = appeal.decision_id
        self._vote_all(decision, vote)
        if vote == "reject":
            decision.with_user(self.secretary).reason = "No new fact was brought"
        meeting.with_user(self.chair).action_close()
        # the shipped automation issued and e-mailed the outcome letter
        self.assertTrue(decision.letter_number)
        self.assertEqual(decision.notification_method, "email")
        return appeal, decision

    def _pdf(self, decision, lang):
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True, lang=lang)
        pdf, kind = Report._render_qweb_pdf(DECISION, decision.ids)
        self.assertEqual(kind, "pdf")
        if os.environ.get("ISLAH_LETTER_PDF_DIR"):
            name = f"appeal_{decision.appeal_id.outcome}_{lang}.pdf"
            with open(os.path.join(os.environ["ISLAH_LETTER_PDF_DIR"], name), "wb") as dump:
                dump.write(pdf)
        return LetterPdf(pdf)

    def _check_letterhead(self, pdf, appeal, decision, lang):
        # pdftotext -layout wraps the lines: compare the words
        pdf.flat = " ".join(pdf.text.split())
        self.assertIn(LETTERHEAD["name"], pdf.text)
        self.assertIn(decision.letter_number, pdf.text)
        self.assertIn(appeal.name, pdf.text)
        self.assertIn(appeal.request_id.name, pdf.text)
        hijri = format_hijri(decision.letter_date, lang)
        self.assertIn(hijri.split()[0], pdf.words, "Hijri date missing")

    def test_english_outcome_letters(self):
        appeal, decision = self._decided_appeal("en_US", "approve")
        pdf = self._pdf(decision, "en_US")
        self._check_letterhead(pdf, appeal, decision, "en_US")
        self.assertIn("Decision of the Research Committee on your appeal", pdf.flat)
        self.assertIn("Rejection overturned", pdf.flat)
        self.assertIn("Your request is approved", pdf.flat)

        appeal, decision = self._decided_appeal("en_US", "reject")
        pdf = self._pdf(decision, "en_US")
        self._check_letterhead(pdf, appeal, decision, "en_US")
        self.assertIn("Rejection upheld", pdf.flat)
        self.assertIn("No new fact was brought", pdf.flat)
        # the e-mail: the appeal's own template, not the first decision's
        subjects = decision.message_ids.mapped("subject")
        self.assertTrue([s for s in subjects if s and "your appeal" in s], subjects)

    def test_arabic_outcome_letter(self):
        appeal, decision = self._decided_appeal("ar_001", "approve")
        pdf = self._pdf(decision, "ar_001")
        self._check_letterhead(pdf, appeal, decision, "ar_001")
        # the letterhead's Arabic labels: the letter is printed in Arabic
        for label in ("الرقم:", "التاريخ:"):
            self.assertIn(label, pdf.words)
        # the first decision's letter stays the first decision's
        first = appeal.first_decision_id
        self.assertFalse(first.is_appeal)
        self.assertNotEqual(first.letter_number, decision.letter_number)
