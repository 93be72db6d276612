import base64
import re
from unittest.mock import patch

from lxml import html as lxml_html

from odoo.tests import HttpCase, tagged

from .common import IslahCommon

# a real 1x1 PNG and a minimal PDF: their content is sniffed, not their name
PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
PDF_DOC = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@tagged("post_install", "-at_install", "islah_web_form")
class TestRequestForm(HttpCase, IslahCommon):
    """The public request form: CSRF, validation, all-or-nothing creation,
    uploads, idempotency, RTL."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.website_channel = cls.env.ref("islah_beneficiary.utm_medium_website")
        cls.inactive_service = cls.env["islah.service.type"].create(
            {"name": "Test retired service", "active": False}
        )
        cls.env.ref("islah_beneficiary.crm_team_islah_women").user_id = cls.officer_women

    def setUp(self):
        super().setUp()
        self.Request = self.env["islah.support.request"].with_context(active_test=False)
        self.Beneficiary = self.env["islah.beneficiary"].with_context(active_test=False)
        self.Attachment = self.env["ir.attachment"]

    # helpers ------------------------------------------------------------

    def _get_form(self, url="/islah/request"):
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)
        token = re.search(r'name="form_token" value="([^"]+)"', response.text).group(1)
        return response, csrf, token

    def _values(self, **overrides):
        values = {
            "name": "Sara Abdullah",
            "national_id": self._new_national_id(),
            "gender": "female",
            "mobile": "0551234567",
            "email": "sara@example.com",
            "city": "Riyadh",
            "service_type_id": str(self.service_full.id),
            "description": "We need family counselling.",
            "declaration": "1",
        }
        values.update(overrides)
        return {key: value for key, value in values.items() if value is not None}

    def _post(self, data, files=None, csrf=True):
        _response, csrf_token, form_token = self._get_form()
        data = dict({"form_token": form_token}, **data)
        if csrf is True:
            data["csrf_token"] = csrf_token
        elif csrf:
            data["csrf_token"] = csrf
        return self.url_open("/islah/request", data=data, files=files or None)

    def _counts(self):
        self.env.invalidate_all()
        return (
            self.Request.search_count([]),
            self.Beneficiary.search_count([]),
            self.env["crm.lead"].with_context(active_test=False).search_count([]),
            self.Attachment.search_count([("res_model", "=", "islah.support.request")]),
        )

    # GET -----------------------------------------------------------------

    def test_get_renders_form(self):
        response, csrf, token = self._get_form()
        self.assertTrue(csrf and token)
        html = response.text
        for field in (
            "name",
            "national_id",
            "gender",
            "mobile",
            "email",
            "city",
            "service_type_id",
            "description",
            "declaration",
            "attachments",
        ):
            self.assertIn(f'name="{field}"', html)
        self.assertIn('for="islah_national_id"', html, "labels are tied to inputs")
        self.assertIn("directly responsible for the correctness", html)
        self.assertIn(self.service_full.name, html)
        self.assertNotIn(self.inactive_service.name, html, "only active services")
        self.assertIn('enctype="multipart/form-data"', html)

    def test_each_get_has_new_form_token(self):
        _r, _c, token1 = self._get_form()
        _r, _c, token2 = self._get_form()
        self.assertNotEqual(token1, token2)

    def test_arabic_page_is_rtl(self):
        self.env["res.lang"]._activate_lang("ar_001")
        response = self.url_open("/ar/islah/request")
        self.assertEqual(response.status_code, 200)
        self.assertIn('dir="rtl"', response.text)
        self.assertIn("o_rtl", response.text)

    # POST: success ---------------------------------------------------------

    def test_submit_creates_request(self):
        before = self._counts()
        values = self._values()
        response = self._post(
            values,
            files=[
                ("attachments", ("id-copy.pdf", PDF_DOC, "application/pdf")),
                ("attachments", ("family.png", PNG_1PX, "image/png")),
            ],
        )
        self.assertEqual(response.status_code, 200)
        after = self._counts()
        self.assertEqual(after[0], before[0] + 1)
        request = self.Request.search([], order="id desc", limit=1)
        self.assertIn(request.name, response.text, "confirmation shows the number")
        self.assertIn("islah_request_confirmation", response.text)
        beneficiary = request.beneficiary_id
        self.assertEqual(beneficiary.national_id, values["national_id"])
        self.assertEqual(beneficiary.name, "Sara Abdullah")
        self.assertEqual(beneficiary.phone, "+966551234567")
        self.assertEqual(beneficiary.email, "sara@example.com")
        self.assertEqual(beneficiary.city, "Riyadh")
        self.assertEqual(beneficiary.section, "women")
        self.assertEqual(request.medium_id, self.website_channel)
        self.assertEqual(request.service_type_id, self.service_full)
        self.assertEqual(request.state, "received")
        self.assertTrue(request.declaration_accepted)
        self.assertTrue(request.declaration_date)
        public_user = self.env.ref("base.public_user")
        self.assertNotEqual(request.officer_id, public_user, "never the public user")
        self.assertEqual(request.officer_id, self.officer_women, "the team leader")
        attachments = self.Attachment.search(
            [("res_model", "=", request._name), ("res_id", "=", request.id)]
        )
        # (other attachments, e.g. a generated receipt, may join them)
        self.assertLessEqual({"family.png", "id-copy.pdf"}, set(attachments.mapped("name")))
        self.assertEqual(len(request.document_ids), 2, "checklist prepared, to assign")
        # the inquiry is recorded for the women's team, as a lead
        lead = request.lead_id
        self.assertEqual(lead.type, "lead")
        self.assertEqual(lead.team_id, self.env.ref("islah_beneficiary.crm_team_islah_women"))
        self.assertEqual(lead.medium_id, self.website_channel)
        self.assertNotEqual(lead.user_id, public_user)
        self.assertEqual(lead.islah_request_ids, request)

    def test_existing_beneficiary_reused(self):
        beneficiary = self._create_beneficiary(gender="female", name="Sara Known")
        before = self._counts()
        self._post(self._values(national_id=beneficiary.national_id, name="Sara typed"))
        after = self._counts()
        self.assertEqual(after[1], before[1], "no duplicate beneficiary")
        request = self.Request.search([], order="id desc", limit=1)
        self.assertEqual(request.beneficiary_id, beneficiary)
        self.assertEqual(beneficiary.name, "Sara Known", "the visitor cannot rename them")

    def test_double_submit_creates_one_request(self):
        _response, csrf, form_token = self._get_form()
        data = dict(self._values(), csrf_token=csrf, form_token=form_token)
        before = self._counts()
        first = self.url_open("/islah/request", data=data)
        second = self.url_open("/islah/request", data=data)
        after = self._counts()
        self.assertEqual(after[0], before[0] + 1)
        request = self.Request.search([], order="id desc", limit=1)
        self.assertIn(request.name, first.text)
        self.assertIn(request.name, second.text, "the second post confirms the first")

    # POST: refused -------------------------------------------------------

    def assertRefused(self, response, before, message):
        self.assertEqual(response.status_code, 200)
        self.assertIn("islah_form_errors", response.text)
        self.assertIn(message, response.text)
        self.assertEqual(self._counts(), before, "nothing created")

    def test_bad_national_id_refused(self):
        before = self._counts()
        response = self._post(self._values(national_id="1012345673", name="Kept Name"))
        self.assertRefused(response, before, "is not a valid Saudi national ID or iqama number")
        self.assertIn('value="Kept Name"', response.text, "the input is kept")
        self.assertIn("We need family counselling.", response.text)

    def test_bad_national_id_same_message_as_back_office(self):
        errors = self.Request.sudo()._islah_web_form_errors(
            self._values(national_id="1012345673"), []
        )
        with self.assertRaises(Exception) as office:
            self.env["islah.beneficiary"].create(
                {"name": "X", "national_id": "1012345673", "gender": "male"}
            )
        self.assertEqual(errors["national_id"], office.exception.args[0])

    def test_bad_mobile_refused(self):
        before = self._counts()
        response = self._post(self._values(mobile="12345"))
        self.assertRefused(response, before, "is not a valid Saudi mobile number")

    def test_missing_declaration_refused(self):
        before = self._counts()
        response = self._post(self._values(declaration=None))
        self.assertRefused(response, before, "You must declare that you are directly responsible")

    def _declaration_checked(self, response):
        page = lxml_html.fromstring(response.content)
        (box,) = page.xpath("//input[@name='declaration']")
        return "checked" in box.attrib

    def test_unticked_declaration_stays_unticked_after_an_error(self):
        # the applicant never ticked it: an empty value must not render checked=""
        response = self._post(self._values(declaration=None, name=""))
        self.assertIn("islah_form_errors", response.text)
        self.assertFalse(self._declaration_checked(response))
        # ticked, and another field wrong: it stays ticked, as the applicant left it
        response = self._post(self._values(name=""))
        self.assertIn("islah_form_errors", response.text)
        self.assertTrue(self._declaration_checked(response))

    def test_missing_required_fields_refused(self):
        before = self._counts()
        response = self._post(self._values(name="", description=""))
        self.assertRefused(response, before, "This field is required.")

    def test_inactive_service_refused(self):
        before = self._counts()
        response = self._post(self._values(service_type_id=str(self.inactive_service.id)))
        self.assertRefused(response, before, "Choose a service from the list.")

    def test_missing_csrf_refused(self):
        before = self._counts()
        with self.assertLogs("odoo.http", "WARNING"):
            response = self._post(self._values(), csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._counts(), before)

    def test_forged_csrf_refused(self):
        before = self._counts()
        with self.assertLogs("odoo.http", "WARNING"):
            response = self._post(
                self._values(), csrf="0123456789abcdef0123456789abcdef01234567o9999999999"
            )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._counts(), before)

    def test_oversized_file_refused(self):
        self.env.company.islah_max_upload_mb = 1
        big = PDF_DOC + b"0" * (1024 * 1024)
        before = self._counts()
        response = self._post(
            self._values(), files=[("attachments", ("big.pdf", big, "application/pdf"))]
        )
        self.assertRefused(response, before, "big.pdf is larger than 1 MB")

    def test_wrong_extension_refused(self):
        before = self._counts()
        response = self._post(
            self._values(), files=[("attachments", ("notes.txt", b"hello", "text/plain"))]
        )
        self.assertRefused(response, before, "only PDF, JPG and PNG files are accepted")

    def test_disguised_file_refused(self):
        """A file named .pdf whose content is not a PDF is refused."""
        before = self._counts()
        response = self._post(
            self._values(),
            files=[
                ("attachments", ("invoice.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf"))
            ],
        )
        self.assertRefused(response, before, "the content of the file is not a PDF")

    def test_error_during_creation_rolls_back_everything(self):
        """A failure after the beneficiary was created leaves nothing behind."""
        before = self._counts()
        Request = self.registry["islah.support.request"]

        def failing(records):
            raise ValueError("boom")

        with patch.object(Request, "action_record_declaration", failing):
            with self.assertRaises(ValueError):
                self.env["islah.support.request"].sudo()._islah_create_from_web_form(
                    self._values(), [("a.pdf", PDF_DOC)]
                )
        self.assertEqual(self._counts(), before)

    def test_total_size_and_file_count_capped(self):
        """Each file within the limit, together above it: refused too."""
        self.env.company.islah_max_upload_mb = 1
        Request = self.env["islah.support.request"]
        chunk = PDF_DOC + b"0" * (900 * 1024)
        self.assertEqual(Request._islah_check_uploads([("a.pdf", chunk)] * 4), [])
        errors = Request._islah_check_uploads([("a.pdf", chunk)] * 5)
        self.assertEqual(errors, ["The files together are larger than 4 MB."])
        errors = Request._islah_check_uploads([("a.png", PNG_1PX)] * 11)
        self.assertEqual(errors, ["Send at most 10 files."])
