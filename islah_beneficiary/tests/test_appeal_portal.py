"""Appeals from the portal, over HTTP: the beneficiary's own rejected
request only, within the time allowed, documents checked; the appeal's
status page is theirs only."""

import re
from datetime import datetime, timedelta
from pathlib import Path

import polib
from lxml import html as lxml_html

from odoo.tests import HttpCase, tagged

from .common import PDF_DOC
from .test_appeal import IslahAppealCommon


@tagged("post_install", "-at_install", "islah_appeal")
class TestAppealPortal(HttpCase, IslahAppealCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_beneficiary = cls._create_beneficiary(partner_id=cls.portal_user.partner_id.id)
        cls.other_beneficiary = cls._create_beneficiary(name="Secret Other Person")

    def setUp(self):
        super().setUp()
        # rejected yesterday: inside the window (the server runs on the real clock)
        yesterday = datetime.now().replace(microsecond=0) - timedelta(days=1)
        self.own_request = self._rejected_request(self.own_beneficiary, when=yesterday)
        self.other_request = self._rejected_request(self.other_beneficiary, when=yesterday)
        self.authenticate(self.portal_user.login, self.portal_user.login)

    def _csrf(self, html):
        return re.search(r'csrf_token: "([^"]+)"', html).group(1)

    def _post(self, request, reason="My income has changed since the study.", files=None):
        page = self.url_open(f"/my/requests/{self.own_request.id}/appeal")
        return self.url_open(
            f"/my/requests/{request.id}/appeal",
            data={"csrf_token": self._csrf(page.text), "reason": reason},
            files=files or {},
        )

    def _appeals(self, request):
        self.env.invalidate_all()
        return self.env["islah.appeal"].search([("request_id", "=", request.id)])

    def test_own_rejected_request_appealed(self):
        page = self.url_open(f"/my/requests/{self.own_request.id}")
        self.assertIn(f'href="/my/requests/{self.own_request.id}/appeal"', page.text)
        response = self._post(
            self.own_request, files={"documents": ("payslip.pdf", PDF_DOC, "application/pdf")}
        )
        self.assertEqual(response.status_code, 200)
        appeal = self._appeals(self.own_request)
        self.assertEqual(len(appeal), 1)
        self.assertEqual(appeal.state, "submitted")
        self.assertEqual(appeal.channel_id, self.website)
        self.assertEqual(appeal.attachment_ids.mapped("name"), ["payslip.pdf"])
        self.assertEqual(appeal.reason, "My income has changed since the study.")
        self.assertIn(f"/my/appeals/{appeal.id}", response.url)
        self.assertIn(appeal.name, response.text)
        self.assertIn("your appeal was received", response.text)
        # once lodged: no second appeal button, the appeal listed instead
        page = self.url_open(f"/my/requests/{self.own_request.id}")
        self.assertNotIn(f'href="/my/requests/{self.own_request.id}/appeal"', page.text)
        self.assertIn(f'href="/my/appeals/{appeal.id}"', page.text)
        second = self._post(self.own_request)
        self.assertEqual(second.status_code, 400)
        self.assertEqual(len(self._appeals(self.own_request)), 1)

    def test_appeal_page_in_arabic_right_to_left(self):
        self.env["res.lang"]._activate_lang("ar_001")
        self.env["ir.module.module"]._load_module_terms(
            ["islah_beneficiary"], ["ar_001"], overwrite=True
        )
        catalogue = {
            e.msgid: e.msgstr
            for e in polib.pofile(str(Path(__file__).parents[1] / "i18n" / "ar.po"))
        }
        # the beneficiary reads the portal in their language
        self.portal_user.lang = "ar_001"
        self.authenticate(self.portal_user.login, self.portal_user.login)
        page = self.url_open(f"/my/requests/{self.own_request.id}/appeal")
        self.assertEqual(page.status_code, 200)
        doc = lxml_html.fromstring(page.content)
        self.assertEqual(doc.get("dir"), "rtl")
        self.assertEqual(doc.get("lang"), "ar-001")
        self.assertIn("o_rtl", doc.get_element_by_id("wrapwrap").get("class"))
        buttons = [b.text_content().strip() for b in doc.xpath("//form//button[@type='submit']")]
        self.assertIn(catalogue["Send the appeal"], buttons)

    def test_other_beneficiary_request_refused(self):
        self.assertEqual(
            self.url_open(f"/my/requests/{self.other_request.id}/appeal").status_code, 404
        )
        response = self._post(self.other_request)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Secret Other Person", response.text)
        self.assertFalse(self._appeals(self.other_request))
        # nor another beneficiary's appeal, by its number in the URL
        other_appeal = self._appeal(self.other_request)
        response = self.url_open(f"/my/appeals/{other_appeal.id}")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(other_appeal.name, response.text)
        self.assertEqual(self.url_open("/my/appeals/99999999").status_code, 404)

    def test_out_of_window_refused(self):
        late = self._rejected_request(self.own_beneficiary, when=datetime(2026, 1, 4, 9, 0))
        # told by e-mail when the meeting closed (now): dated back to the rejection
        late.final_decision_id.sudo().notified_on = datetime(2026, 1, 5, 9, 0)
        page = self.url_open(f"/my/requests/{late.id}")
        self.assertNotIn(f'href="/my/requests/{late.id}/appeal"', page.text)
        form = self.url_open(f"/my/requests/{late.id}/appeal")
        self.assertIn("The time to appeal has passed", form.text)
        response = self._post(late)
        self.assertEqual(response.status_code, 400)
        self.assertIn("The time to appeal has passed", response.text)
        self.assertFalse(self._appeals(late))

    def test_invalid_upload_refused_nothing_lost(self):
        reason = "The grounds I typed, which must come back."
        fake = self._post(
            self.own_request,
            reason=reason,
            files={"documents": ("payslip.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
        )
        self.assertEqual(fake.status_code, 400)
        self.assertIn("is not a PDF, JPG or PNG document", fake.text)
        self.assertIn(reason, fake.text)
        self.assertFalse(self._appeals(self.own_request))
        self.company.islah_max_upload_mb = 1
        big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10)
        response = self._post(
            self.own_request,
            reason=reason,
            files={"documents": ("big.pdf", big, "application/pdf")},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("is larger than 1 MB", response.text)
        self.assertFalse(self._appeals(self.own_request))

    def test_empty_reason_refused(self):
        response = self._post(self.own_request, reason="   ")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Say why you ask the committee", response.text)
        self.assertFalse(self._appeals(self.own_request))
