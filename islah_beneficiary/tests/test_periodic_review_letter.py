"""The periodic review's suspension letter as a real PDF, in Arabic and in
English, read back with ``pdftotext`` (see ``test_letter_pdf``)."""

import os
from datetime import date

from odoo.tests import HttpCase, tagged

from odoo.addons.islah_beneficiary.tools import format_hijri

from .common import IslahCommon
from .test_letter_pdf import LETTERHEAD, ChromiumPrintMixin, LetterPdf

REPORT = "islah_beneficiary.action_report_review_suspension"


@tagged("post_install", "-at_install", "islah_review", "islah_letter_pdf")
class TestReviewLetterPdf(ChromiumPrintMixin, IslahCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ar_001")
        cls.company.write(LETTERHEAD)

    def _suspended(self, lang, gender):
        beneficiary = self._create_beneficiary(
            name=f"Review Letter {lang}", lang=lang, gender=gender
        )
        beneficiary.action_register()
        beneficiary.sudo().next_review_date = date(2026, 1, 10)
        self.assertTrue(beneficiary._islah_suspend_for_review(date(2026, 2, 15)))
        return beneficiary

    def _pdf(self, beneficiary):
        Report = self.env["ir.actions.report"].with_context(
            force_report_rendering=True, lang=beneficiary.lang
        )
        pdf, kind = Report._render_qweb_pdf(REPORT, beneficiary.ids)
        self.assertEqual(kind, "pdf")
        if os.environ.get("ISLAH_LETTER_PDF_DIR"):
            name = f"review_{beneficiary.lang}.pdf"
            with open(os.path.join(os.environ["ISLAH_LETTER_PDF_DIR"], name), "wb") as dump:
                dump.write(pdf)
        return LetterPdf(pdf)

    def _check(self, lang, gender, phone, labels):
        beneficiary = self._suspended(lang, gender)
        pdf = self._pdf(beneficiary)
        self.assertIn(beneficiary.review_letter_number, pdf.text)
        self.assertIn(LETTERHEAD["name"], pdf.text)
        self.assertIn(phone, pdf.words, "the section's phone to book the review")
        hijri = format_hijri(date(2026, 2, 15), lang)
        self.assertIn(hijri.split()[0], pdf.words, "the letter's Hijri date")
        for label in labels:
            self.assertIn(label, pdf.words)
        return pdf

    def test_arabic_letter(self):
        self._check("ar_001", "female", LETTERHEAD["islah_women_phone"], ("الرقم:", "التاريخ:"))

    def test_english_letter(self):
        pdf = self._check("en_US", "male", LETTERHEAD["islah_men_phone"], ("Number:", "Date:"))
        self.assertIn("your file is suspended until it is reviewed", " ".join(pdf.text.split()))
