"""/my/personal-data: a beneficiary's rights over the data held about them
(PDPL), over real HTTP as the portal beneficiary, another portal
beneficiary, a visitor and an internal user."""

import re
import subprocess
from datetime import date
from unittest.mock import patch

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import release_test_lock

from odoo.addons.islah_beneficiary.models import ir_actions_report

from .common import IslahCommon
from .test_letter_pdf import _letters_of


@tagged("post_install", "-at_install", "islah_portal")
class TestPortalPersonalData(HttpCase, IslahCommon):
    """The portal beneficiary sees everything held about them, and only
    that: not another beneficiary's data, not the internal assessments."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.env["islah.beneficiary.category"].create({"name": "Test widows"})
        cls.national_id = cls._new_national_id()
        cls.beneficiary = cls._create_beneficiary(
            partner_id=cls.portal_user.partner_id.id,
            national_id=cls.national_id,
            gender="female",
            birth_date=date(1990, 5, 17),
            marital_status="widowed",
            iban="SA0380000000608010167519",
            monthly_income=3250,
            district="Test District Nakheel",
            category_ids=[(6, 0, cls.category.ids)],
            member_ids=[(0, 0, {"name": "Test Child Sara", "relation": "daughter"})],
        )
        cls.beneficiary.partner_id.write({"email": "own@example.com", "city": "Test City Jeddah"})
        cls.request = cls._create_request(cls.beneficiary)
        cls.request.sudo().research_report = "<p>Confidential research assessment</p>"

        cls.other_portal_user = new_test_user(
            cls.env,
            login="islah_portal_other",
            groups="base.group_portal",
            name="Secret Other Person",
        )
        cls.other = cls._create_beneficiary(
            partner_id=cls.other_portal_user.partner_id.id, gender="female"
        )
        cls.other_request = cls._create_request(cls.other)

    def _login(self, user=None):
        user = user or self.portal_user
        self.authenticate(user.login, user.login)

    def _csrf(self, html):
        return re.search(r'csrf_token(?:" value=|: )"([^"]+)"', html).group(1)

    def _page(self):
        response = self.url_open("/my/personal-data")
        self.assertEqual(response.status_code, 200)
        return response.text

    # ------------------------------------------------------------------
    # Seeing the data
    # ------------------------------------------------------------------

    def test_page_shows_everything_held(self):
        self._login()
        html = self._page()
        for value in (
            self.beneficiary.name,
            self.national_id,
            "SA0380000000608010167519",
            "3,250",
            "Test District Nakheel",
            "Test City Jeddah",
            "own@example.com",
            "Test Child Sara",
            "Test widows",
            "Widowed",
            self.request.name,
            self.service_full.name,
            self.beneficiary.birth_date_hijri,
        ):
            self.assertIn(value, html)
        # the consent record (Part B) and the privacy notice
        self.assertIn("o_islah_pd_consent_active", html)
        self.assertIn("o_islah_privacy_notice", html)
        # internal assessments are not shown, and the page says so
        self.assertNotIn("Confidential research assessment", html)
        self.assertIn("internal assessments are available on request", " ".join(html.split()))
        self.assertIn('href="/my/personal-data/pdf"', html)

    def test_other_beneficiary_not_shown(self):
        self._login()
        html = self._page()
        self.assertNotIn("Secret Other Person", html)
        self.assertNotIn(self.other_request.name, html)
        self._login(self.other_portal_user)
        html = self._page()
        self.assertIn(self.other_request.name, html)
        self.assertNotIn(self.national_id, html)
        self.assertNotIn(self.request.name, html)

    def test_arabic_page(self):
        self.env["res.lang"]._activate_lang("ar_001")
        self.portal_user.lang = "ar_001"
        self._login()
        html = self._page()
        self.assertIn("o_rtl", html, "right to left")
        self.assertIn("أنثى", html, "values in Arabic")
        # the page's own text (needs the Arabic terms of i18n/ar.po)
        self.assertIn("بياناتي الشخصية", html)
        self.assertIn(self.national_id, html)

    def test_public_redirected_to_login(self):
        for url in ("/my/personal-data", "/my/personal-data/pdf"):
            response = self.url_open(url, allow_redirects=False)
            self.assertIn(response.status_code, (302, 303))
            self.assertIn("/web/login", response.headers["Location"])

    def test_internal_user_without_file_gets_404(self):
        self._login(self.internal_user)
        for url in ("/my/personal-data", "/my/personal-data/pdf"):
            self.assertEqual(self.url_open(url).status_code, 404)

    def test_home_card(self):
        self._login()
        result = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["islah_personal_data_count"]}
        )
        self.assertEqual(result["islah_personal_data_count"], 1)
        self.assertIn('href="/my/personal-data"', self.url_open("/my").text)
        self._login(self.internal_user)
        result = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["islah_personal_data_count"]}
        )
        self.assertEqual(result["islah_personal_data_count"], 0)

    # ------------------------------------------------------------------
    # The PDF
    # ------------------------------------------------------------------

    def _real_pdf_rendering(self):
        """In tests Odoo renders reports as HTML: force the real PDF, and let
        the browser printing it fetch the report assets from this server."""
        Report = type(self.env["ir.actions.report"])
        pre_render = Report._pre_render_qweb_pdf

        def _forced(report, *args, **kwargs):
            return pre_render(report.with_context(force_report_rendering=True), *args, **kwargs)

        run_chromium = ir_actions_report._run_chromium

        def _run_chromium(command):
            with patch.object(self, "http_request_allow_all", True), release_test_lock():
                return run_chromium(command)

        self.startPatcher(patch.object(Report, "_pre_render_qweb_pdf", _forced))
        self.startPatcher(patch.object(ir_actions_report, "_run_chromium", _run_chromium))

    def _pdf_text(self):
        response = self.url_open("/my/personal-data/pdf", timeout=180)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        return _letters_of(
            subprocess.run(
                ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
                input=response.content,
                capture_output=True,
                check=True,
            ).stdout.decode()
        )

    def test_pdf_read_back(self):
        self._real_pdf_rendering()
        self._login()
        text = self._pdf_text()
        self.assertIn(self.beneficiary.name, text)
        self.assertIn(self.national_id, text)
        self.assertIn(self.request.name, text)
        self.assertIn("SA0380000000608010167519", text)
        self.assertIn("available on request", " ".join(text.split()))
        self.assertNotIn("Secret Other Person", text)
        self.assertNotIn(self.other_request.name, text)
        self.assertNotIn("Confidential research assessment", text)

    def test_pdf_in_arabic(self):
        """On the letterhead, in the beneficiary's language."""
        self.env["res.lang"]._activate_lang("ar_001")
        self.portal_user.lang = "ar_001"
        self._real_pdf_rendering()
        self._login()
        text = self._pdf_text()
        self.assertIn("التاريخ", text, "the letterhead in Arabic")
        self.assertIn(self.national_id, text)
        self.assertIn(self.request.name, text)

    # ------------------------------------------------------------------
    # Asking for a correction
    # ------------------------------------------------------------------

    def _post(self, url, **data):
        csrf = self._csrf(self._page())
        return self.url_open(url, data={"csrf_token": csrf, **data})

    def _corrections(self):
        return (
            self.env["islah.data.correction"]
            .sudo()
            .search([("beneficiary_id", "=", self.beneficiary.id)])
        )

    def test_correction_request(self):
        self.env.ref("islah_beneficiary.crm_team_islah_women").user_id = self.officer_women
        self._login()
        response = self._post(
            "/my/personal-data/correction", description="  My IBAN changed: SA44...  "
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_islah_pd_message", response.text)
        correction = self._corrections()
        self.assertEqual(len(correction), 1)
        self.assertEqual(correction.description, "My IBAN changed: SA44...")
        self.assertEqual(correction.section, "women")
        self.assertEqual(correction.state, "new")
        self.assertEqual(correction.officer_id, self.officer_women)
        self.assertEqual(correction.activity_ids.user_id, self.officer_women)
        self.assertNotIn(
            self.portal_user.partner_id, correction.message_partner_ids, "not a follower"
        )
        # listed on the page with its state
        self.assertIn("My IBAN changed: SA44...", response.text)
        self.assertIn("o_islah_pd_corrections", response.text)

    def test_correction_bad_input(self):
        self._login()
        response = self._post("/my/personal-data/correction", description="   ")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Describe the correction you ask for.", response.text)
        response = self._post("/my/personal-data/correction", description="x" * 2001)
        self.assertEqual(response.status_code, 400)
        self.assertIn("at most 2000 characters", response.text)
        self.assertFalse(self._corrections())

    def test_posts_need_csrf(self):
        self._login()
        for url, data in (
            ("/my/personal-data/correction", {"description": "Fix my name"}),
            ("/my/personal-data/withdraw-consent", {"confirm": "1"}),
        ):
            response = self.url_open(url, data=data)
            self.assertEqual(response.status_code, 400)
        self.assertFalse(self._corrections())
        self.assertTrue(self.beneficiary._islah_has_consent())

    def test_internal_user_cannot_post(self):
        self._login(self.internal_user)
        csrf = self._csrf(self.url_open("/my").text)
        response = self.url_open(
            "/my/personal-data/correction", data={"csrf_token": csrf, "description": "Hi"}
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.env["islah.data.correction"].sudo().search_count([]))

    # ------------------------------------------------------------------
    # Withdrawing consent
    # ------------------------------------------------------------------

    def test_withdraw_consent(self):
        self._login()
        html = self._page()
        self.assertIn("o_islah_pd_withdraw_form", html)
        self.assertIn("no longer sends", html, "the effect is explained")
        # not confirmed: nothing withdrawn
        response = self._post("/my/personal-data/withdraw-consent")
        self.assertEqual(response.status_code, 400)
        self.assertTrue(self.beneficiary._islah_has_consent())
        response = self._post("/my/personal-data/withdraw-consent", confirm="1")
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertFalse(self.beneficiary._islah_has_consent())
        self.assertFalse(self.beneficiary.consent)
        consent = self.beneficiary.consent_ids
        self.assertEqual(consent.state, "withdrawn")
        self.assertEqual(
            consent.withdrawal_channel_id, self.env.ref("islah_beneficiary.utm_medium_portal")
        )
        self.assertEqual(consent.withdrawn_by_id, self.portal_user)
        # the page shows it withdrawn, without the form
        self.assertIn("o_islah_pd_consent_withdrawn", response.text)
        self.assertIn("o_islah_pd_no_consent", response.text)
        self.assertNotIn("o_islah_pd_withdraw_form", response.text)
        # the other beneficiary's consent is untouched
        self.assertTrue(self.other._islah_has_consent())
