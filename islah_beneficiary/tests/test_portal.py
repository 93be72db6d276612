import re

from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from .common import PDF_DOC, IslahCommon


@tagged("post_install", "-at_install", "islah_portal")
class TestPortal(HttpCase, IslahCommon):
    """/my/requests: a beneficiary sees only their own requests and sends
    missing documents while the request is being received or verified."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_beneficiary = cls._create_beneficiary(
            partner_id=cls.portal_user.partner_id.id, gender="female"
        )
        cls.own_request = cls._create_request(cls.own_beneficiary)
        cls.other_request = cls._create_request(
            cls._create_beneficiary(name="Secret Other Person", gender="female"),
            description="Private need of another family",
        )

    def _csrf(self, html):
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def test_list_shows_only_own_requests(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        response = self.url_open("/my/requests")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.own_request.name, response.text)
        self.assertNotIn(self.other_request.name, response.text)

    def test_home_counter(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        result = self.make_jsonrpc_request("/my/counters", {"counters": ["islah_request_count"]})
        self.assertEqual(result["islah_request_count"], 1)
        self.assertIn('href="/my/requests"', self.url_open("/my").text)

    def test_detail_shows_state_deadline_decision(self):
        request = self._request_in_state("approved", self.own_beneficiary)
        self.authenticate(self.portal_user.login, self.portal_user.login)
        response = self.url_open(f"/my/requests/{request.id}")
        self.assertEqual(response.status_code, 200)
        html = response.text
        self.assertIn(request.name, html)
        self.assertIn("o_islah_deadline", html)
        self.assertIn("o_islah_decision", html)
        self.assertIn("Approved", html)
        self.assertIn("o_islah_timeline", html)

    def test_timeline_lists_state_changes(self):
        request = self._with_mail(self.own_request)
        self.env.cr.flush()
        request.action_start_verification()
        self.env.cr.flush()
        labels = [step["label"] for step in request._islah_portal_timeline()]
        self.assertEqual(labels, ["Received", "Verification"])

    def test_timeline_shows_steps_taken_by_arabic_speaking_staff(self):
        """Tracking stores each state's label in the writer's language: the
        timeline is built from the request's dates, so every step taken by
        an Arabic-speaking officer shows, in the reader's language."""
        self.env["res.lang"]._activate_lang("ar_001")
        self.officer_women.lang = "ar_001"
        self.portal_user.lang = "ar_001"
        request = self._with_mail(self.own_request).with_user(self.officer_women)
        request.action_start_verification()
        for line in request.document_ids:
            scan = self.env["ir.attachment"].create(
                {"name": "scan.pdf", "raw": PDF_DOC, "res_model": line._name, "res_id": line.id}
            )
            line.write({"attachment_ids": [Command.link(scan.id)]})
            line.action_verify()
        request.action_verify_data()
        request.action_record_declaration()
        request.action_complete_verification()
        request = request.sudo()
        for lang, expected in (
            ("ar_001", ["تم الاستلام", "التحقق", "البحث الاجتماعي"]),
            ("en_US", ["Received", "Verification", "Social research"]),
        ):
            with self.subTest(lang=lang):
                timeline = request.with_context(lang=lang)._islah_portal_timeline()
                self.assertEqual([step["label"] for step in timeline], expected)
                dates = [step["date"] for step in timeline]
                self.assertEqual(dates, sorted(dates))
        self.authenticate(self.portal_user.login, self.portal_user.login)
        html = self.url_open(f"/my/requests/{request.id}").text
        for label in ("تم الاستلام", "التحقق", "البحث الاجتماعي"):
            self.assertIn(label, html)

    def test_timeline_goes_through_the_decision_to_the_service(self):
        request = self._request_in_state("approved", self.own_beneficiary)
        request.sudo()._islah_write_workflow({"state": "in_service"})
        labels = [step["label"] for step in request._islah_portal_timeline()]
        self.assertEqual(labels, ["Received", "Research Committee", "Approved", "In service"])

    def test_other_request_by_url_not_found(self):
        self.authenticate(self.portal_user.login, self.portal_user.login)
        response = self.url_open(f"/my/requests/{self.other_request.id}")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(self.other_request.name, response.text)
        self.assertNotIn("Secret Other Person", response.text)
        self.assertNotIn("Private need", response.text)
        missing = self.url_open("/my/requests/99999999")
        self.assertEqual(missing.status_code, 404)

    def test_access_token_link_works_without_login(self):
        url = self.other_request.get_portal_url()
        self.assertIn("access_token=", url)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.other_request.name, response.text)
        forged = self.url_open(f"/my/requests/{self.other_request.id}?access_token=forged")
        self.assertEqual(forged.status_code, 404)

    def _upload(self, request, line, filename="id.pdf", content=PDF_DOC):
        page = self.url_open(f"/my/requests/{request.id}")
        return self.url_open(
            f"/my/requests/{request.id}/documents/{line.id}",
            data={"csrf_token": self._csrf(page.text)},
            files={"file": (filename, content, "application/pdf")},
        )

    def test_upload_missing_document(self):
        line = self.own_request.document_ids[0]
        self.assertFalse(line.received)
        self.authenticate(self.portal_user.login, self.portal_user.login)
        response = self._upload(self.own_request, line)
        self.assertEqual(response.status_code, 200)
        self.assertIn("your document was received", response.text)
        self.env.invalidate_all()
        self.assertTrue(line.received)
        self.assertFalse(line.verified_on, "received, not verified")
        self.assertEqual(line.attachment_ids.mapped("name"), ["id.pdf"])
        self.assertEqual(line.attachment_ids.res_id, self.own_request.id)

    def test_upload_refused_for_closed_request(self):
        request = self._request_in_state("committee", self.own_beneficiary)
        line = request.document_ids[0]
        self.authenticate(self.portal_user.login, self.portal_user.login)
        page = self.url_open(f"/my/requests/{request.id}")
        self.assertNotIn(f"/documents/{line.id}", page.text, "no upload form")
        own_page = self.url_open(f"/my/requests/{self.own_request.id}")
        response = self.url_open(
            f"/my/requests/{request.id}/documents/{line.id}",
            data={"csrf_token": self._csrf(own_page.text)},
            files={"file": ("id.pdf", PDF_DOC, "application/pdf")},
        )
        self.assertEqual(response.status_code, 400)
        self.env.invalidate_all()
        self.assertFalse(line.received)
        self.assertFalse(line.attachment_ids)

    def test_upload_bad_type_refused(self):
        line = self.own_request.document_ids[0]
        self.authenticate(self.portal_user.login, self.portal_user.login)
        response = self._upload(self.own_request, line, "id.pdf", b"not a pdf")
        self.assertEqual(response.status_code, 400)
        self.env.invalidate_all()
        self.assertFalse(line.received)

    def test_upload_to_other_request_refused(self):
        line = self.other_request.document_ids[0]
        self.authenticate(self.portal_user.login, self.portal_user.login)
        page = self.url_open(f"/my/requests/{self.own_request.id}")
        response = self.url_open(
            f"/my/requests/{self.other_request.id}/documents/{line.id}",
            data={"csrf_token": self._csrf(page.text)},
            files={"file": ("id.pdf", PDF_DOC, "application/pdf")},
        )
        self.assertEqual(response.status_code, 404)
        self.env.invalidate_all()
        self.assertFalse(line.received)

    def test_upload_without_csrf_refused(self):
        line = self.own_request.document_ids[0]
        self.authenticate(self.portal_user.login, self.portal_user.login)
        with self.assertLogs("odoo.http", "WARNING"):
            response = self.url_open(
                f"/my/requests/{self.own_request.id}/documents/{line.id}",
                data={},
                files={"file": ("id.pdf", PDF_DOC, "application/pdf")},
            )
        self.assertEqual(response.status_code, 400)
        self.env.invalidate_all()
        self.assertFalse(line.received)
