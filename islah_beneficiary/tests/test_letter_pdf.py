"""The letters as real PDFs, read back as text.

wkhtmltopdf built against an unpatched Qt (Debian's package) ignores
``--header-html``/``--footer-html``: a letterhead left in Odoo's separate
header and footer pages vanished from the PDF, and its old WebKit stacked the
Arabic labels of a shrink-to-fit table one letter per line, ran right-to-left
lines past the margin and drew words over each other. On that build the
letters are printed by headless Chromium (models/ir_actions_report.py). These
tests render each letter with the engines found on this machine and read the
text back with ``pdftotext``: the whole text, and each word as drawn with its
box (``-bbox``), which must lie inside the page and not over another word.

Set ISLAH_LETTER_PDF_DIR to a directory to keep the PDFs, to look at them.
"""

import os
import subprocess
import unicodedata
from datetime import date, datetime
from itertools import combinations
from unittest.mock import patch

from lxml import etree

from odoo.tests import HttpCase, tagged
from odoo.tests.common import release_test_lock

from odoo.addons.base.models.ir_actions_report import _wkhtml
from odoo.addons.islah_beneficiary.models import ir_actions_report
from odoo.addons.islah_beneficiary.tools import format_hijri

from .common import IslahCommitteeCommon

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


def _letters_of(text):
    """``text`` as letters: Arabic glyphs may come back as presentation
    forms, wrapped in bidi embedding marks."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def _is_rtl(word):
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in word)


class LetterPdf:
    """A PDF read back by pdftotext: its text, producer, and for each page
    its size and the words drawn on it, with their boxes."""

    def __init__(self, pdf):
        self.text = _letters_of(self._pdftotext(pdf, "-layout"))
        root = etree.fromstring(self._pdftotext(pdf, "-bbox").encode())
        ns = {"x": "http://www.w3.org/1999/xhtml"}
        producer = root.xpath("//x:meta[@name='Producer']/@content", namespaces=ns)
        self.producer = producer[0] if producer else ""
        self.pages = []
        for page in root.xpath("//x:page", namespaces=ns):
            words = []
            for word in page.xpath("x:word", namespaces=ns):
                text = _letters_of(word.text or "")
                # pdftotext gives a word's glyphs in the order drawn: an
                # Arabic word comes back right to left.
                if _is_rtl(text):
                    text = text[::-1]
                box = tuple(float(word.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
                words.append((text, box))
            self.pages.append((float(page.get("width")), float(page.get("height")), words))
        self.words = {text for _w, _h, words in self.pages for text, _box in words}

    @staticmethod
    def _pdftotext(pdf, mode):
        return subprocess.run(
            ["pdftotext", mode, "-enc", "UTF-8", "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout.decode()


class ChromiumPrintMixin:
    """For an ``HttpCase`` that prints real PDFs: what HttpCase does for
    wkhtmltopdf (whose --cookie it sets), done for Chromium too: the
    browser's asset requests are let in while it prints."""

    def setUp(self):
        super().setUp()
        run_chromium = ir_actions_report._run_chromium

        def _run_chromium(command):
            with patch.object(self, "http_request_allow_all", True), release_test_lock():
                return run_chromium(command)

        self.startPatcher(patch.object(ir_actions_report, "_run_chromium", _run_chromium))


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
class TestLetterPdf(ChromiumPrintMixin, IslahLetterCommon, HttpCase):
    """Each letter, in Arabic and in English, as a real PDF. An HttpCase, so
    that the requests of wkhtmltopdf or Chromium for the report assets are
    served inside the test's transaction."""

    def _pdf(self, report, records):
        Report = self.env["ir.actions.report"].with_context(
            force_report_rendering=True, lang=records.env.lang
        )
        pdf, kind = Report._render_qweb_pdf(report, records.ids)
        self.assertEqual(kind, "pdf")
        if os.environ.get("ISLAH_LETTER_PDF_DIR"):
            name = f"{report.rsplit('_', 1)[-1]}_{records.env.lang}.pdf"
            with open(os.path.join(os.environ["ISLAH_LETTER_PDF_DIR"], name), "wb") as dump:
                dump.write(pdf)
        return LetterPdf(pdf)

    def _expected_producer(self):
        """Skia (Chromium) on the unpatched build when Chromium is found,
        else Qt (wkhtmltopdf)."""
        if not _wkhtml().is_patched_qt and ir_actions_report._find_chromium():
            return "Skia"
        return "Qt"

    def _assert_words_in_place(self, pdf):
        """No word past the page's edges, none drawn over another."""
        for width, height, words in pdf.pages:
            for text, (x_min, y_min, x_max, y_max) in words:
                self.assertGreaterEqual(x_min, 0, f"{text!r} past the left edge")
                self.assertLessEqual(x_max, width, f"{text!r} past the right edge")
                self.assertGreaterEqual(y_min, 0, f"{text!r} past the top edge")
                self.assertLessEqual(y_max, height, f"{text!r} past the bottom edge")
            for (text1, box1), (text2, box2) in combinations(words, 2):
                # boxes may touch (kerning, diacritics): 1pt each way
                overlap_x = min(box1[2], box2[2]) - max(box1[0], box2[0])
                overlap_y = min(box1[3], box2[3]) - max(box1[1], box2[1])
                self.assertFalse(overlap_x > 1 and overlap_y > 1, f"{text1!r} drawn over {text2!r}")

    def _check_letters(self, lang, labels):
        for report, records, number, letter_date in self._letters(lang):
            with self.subTest(report=report, lang=lang):
                pdf = self._pdf(report, records.with_context(lang=lang))
                self.assertIn(self._expected_producer(), pdf.producer)
                for field in FOOTER_VALUES:
                    self.assertIn(LETTERHEAD[field], pdf.words, f"{field} missing")
                self.assertIn(LETTERHEAD["email"], pdf.text)
                self.assertIn(LETTERHEAD["name"], pdf.text)
                self.assertIn(number, pdf.text)
                hijri = format_hijri(letter_date, lang)
                self.assertTrue(hijri)
                self.assertIn(hijri.split()[0], pdf.words, "Hijri date missing")
                for label in labels:
                    self.assertIn(label, pdf.words, f"label {label!r} broken")
                self._assert_words_in_place(pdf)

    def test_arabic_letters(self):
        """Arabic letters keep the letterhead, footer and whole-word labels,
        inside the page and without overlapping words."""
        self.assertIn(self.env["ir.actions.report"].get_wkhtmltopdf_state(), ("ok", "upgrade"))
        self._check_letters("ar_001", ("الرقم:", "التاريخ:", "المرفقات:"))

    def test_english_letters(self):
        """English letters keep the letterhead and footer too."""
        self._check_letters("en_US", ("Number:", "Date:", "Attachments:"))

    def test_engine(self):
        """Chromium only for this module's letters, and only where
        wkhtmltopdf is the unpatched build: the patched one (the Docker
        image) prints them with its header and footer pages."""
        Report = self.env["ir.actions.report"]
        unpatched = _wkhtml()._replace(is_patched_qt=False)
        patched = _wkhtml()._replace(is_patched_qt=True)
        with (
            patch.object(ir_actions_report, "_find_chromium", return_value="/usr/bin/chromium"),
            patch.object(ir_actions_report, "_wkhtml", return_value=unpatched),
        ):
            self.assertEqual(Report._islah_chromium_for(RECEIPT), "/usr/bin/chromium")
            self.assertIsNone(Report._islah_chromium_for("base.ir_module_reference_print"))
            self.assertIsNone(Report._islah_chromium_for(False))
        with (
            patch.object(ir_actions_report, "_find_chromium", return_value="/usr/bin/chromium"),
            patch.object(ir_actions_report, "_wkhtml", return_value=patched),
        ):
            self.assertIsNone(Report._islah_chromium_for(RECEIPT))

    def _fallback_pdf(self, chromium, message):
        receipt = self._letters("en_US")[0][1]
        unpatched = _wkhtml()._replace(is_patched_qt=False)
        with (
            patch.object(ir_actions_report, "_find_chromium", return_value=chromium),
            patch.object(ir_actions_report, "_wkhtml", return_value=unpatched),
            self.assertLogs(ir_actions_report.__name__, "WARNING") as logs,
        ):
            pdf = self._pdf(RECEIPT, receipt)
        self.assertIn(message, "\n".join(logs.output))
        self.assertIn("Qt", pdf.producer)
        self.assertIn(receipt.name, pdf.text)

    def test_fallback_without_chromium(self):
        """Without Chromium the letter is still printed, by wkhtmltopdf, and
        the administrator is warned."""
        self._fallback_pdf(None, "No Chromium found")

    def test_fallback_when_chromium_fails(self):
        """A Chromium that fails does not stop the letter: wkhtmltopdf
        prints it, with a warning."""
        self._fallback_pdf("/bin/false", "Chromium could not print")
