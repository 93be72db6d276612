import base64

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.islah_beneficiary.tools import format_hijri

from .common import IslahCommon

RECEIPT = "islah_beneficiary.islah_support_request_receipt_report"


@tagged("post_install", "-at_install", "islah_request_reports")
class TestRequestReports(IslahCommon):
    """The acknowledgement receipt on the association's letterhead."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "email": "letters@islah.test",
                "islah_bank_account": "123456789",
                "islah_iban": "SA9480000440608010220026",
                "islah_men_phone": "0553304342",
                "islah_women_phone": "0551234567",
                "islah_decision_days": 14,
            }
        )
        cls.beneficiary = cls._create_beneficiary(name="Receipt Beneficiary", lang="en_US")
        cls.request = cls._create_request(cls.beneficiary)
        line = cls.request.document_ids.filtered(
            lambda d: d.document_type_id == cls.doc_type_id_copy
        )
        attachment = cls.env["ir.attachment"].create(
            {
                "name": "id.pdf",
                "datas": base64.b64encode(b"%PDF-1.4"),
                "res_model": line._name,
                "res_id": line.id,
            }
        )
        line.attachment_ids = [Command.link(attachment.id)]
        cls.request.action_record_declaration()

    def _html(self, request=None):
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            RECEIPT, (request or self.request).ids
        )
        return html.decode()

    def test_receipt_content(self):
        html = self._html()
        request = self.request
        self.assertIn(request.name, html)
        self.assertIn("Receipt Beneficiary", html)
        self.assertIn(self.service_full.name, html)
        self.assertIn(self.channel_interview.name, html)
        # documents received, not the missing ones
        self.assertIn(self.doc_type_id_copy.name, html)
        self.assertNotIn(self.doc_type_family.name, html)
        self.assertIn("directly responsible for the correctness", html)
        self.assertIn("Declared on", html)
        self.assertIn("within <strong>14</strong> days", html)
        # letterhead: number, Gregorian and Hijri date, attachments count
        self.assertIn("o_islah_letter_number", html)
        hijri = format_hijri(request._islah_received_date(), "en_US")
        self.assertTrue(hijri)
        self.assertIn(hijri, html)
        self.assertRegex(html, r'o_islah_letter_attachments">\s*1\s*<')
        # footer from the company's settings
        for value in (
            "123456789",
            "SA9480000440608010220026",
            "0553304342",
            "0551234567",
            "letters@islah.test",
        ):
            self.assertIn(value, html)
        self.assertNotIn('dir="rtl"', html)

    def test_footer_follows_settings(self):
        self.company.islah_iban = "SA0380000000608010167519"
        self.assertIn("SA0380000000608010167519", self._html())

    def test_receipt_right_to_left_in_arabic(self):
        self.env["res.lang"]._activate_lang("ar_001")
        self.beneficiary.partner_id.lang = "ar_001"
        html = self._html()
        self.assertIn('dir="rtl"', html)
        self.assertIn(format_hijri(self.request._islah_received_date(), "ar_001"), html)
        self.assertIn("هـ", html)

    def test_receipt_without_declaration(self):
        request = self._create_request(self._create_beneficiary(lang="en_US"))
        html = self._html(request)
        self.assertIn("has not been recorded yet", html)
        self.assertIn("No document has been received yet", html)

    def test_print_button(self):
        action = self.request.with_user(self.officer_men).action_print_receipt()
        self.assertEqual(action["report_name"], "islah_beneficiary.report_support_request_receipt")


@tagged("post_install", "-at_install")
class TestRequestReceiptPdf(IslahCommon, HttpCase):
    """A real PDF through wkhtmltopdf. An HttpCase, so that wkhtmltopdf's
    requests for the report assets are served inside the test's transaction
    instead of waiting on it."""

    def test_receipt_pdf(self):
        report = self.env["ir.actions.report"]
        self.assertIn(
            report.get_wkhtmltopdf_state(),
            ("ok", "upgrade"),
            "wkhtmltopdf is needed for real PDFs: see README.md",
        )
        request = self._create_request(self._create_beneficiary())
        pdf, report_format = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            RECEIPT, request.ids
        )
        self.assertEqual(report_format, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
