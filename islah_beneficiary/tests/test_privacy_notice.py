"""The privacy notice: versioned, translated, edited by managers, shown to
everyone on /islah/privacy, on the request form and in the portal."""

from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import AccessError
from odoo.service.model import call_kw
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import GROUP_MANAGER, GROUP_OFFICER


class PrivacyNoticeCommon:
    @classmethod
    def _setup_notices(cls):
        cls.Notice = cls.env["islah.privacy.notice"]
        cls.today = fields.Date.today()
        cls.manager = new_test_user(
            cls.env, login="pn_manager", groups=GROUP_MANAGER, islah_section="both"
        )
        cls.officer = new_test_user(
            cls.env, login="pn_officer", groups=GROUP_OFFICER, islah_section="men"
        )
        cls.portal = new_test_user(cls.env, login="pn_portal", groups="base.group_portal")
        cls.notice = cls.Notice.create(
            {
                "version": "test-2.0",
                "name": "Test privacy notice",
                "body": "<p>We keep your file to serve you.</p>",
                "date_published": cls.today,
            }
        )
        # as a manager translates: the title whole, the text sentence by sentence
        cls.notice.update_field_translations("name", {"ar_001": "إشعار الخصوصية التجريبي"})
        cls.notice.update_field_translations(
            "body", {"ar_001": {"We keep your file to serve you.": "نحتفظ بملفك لخدمتك."}}
        )


@tagged("post_install", "-at_install")
class TestPrivacyNotice(PrivacyNoticeCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ar_001")
        cls._setup_notices()

    def _rpc(self, user, method, *args, **kwargs):
        return call_kw(self.Notice.with_user(user), method, list(args), kwargs)

    def test_shipped_notice(self):
        notice = self.env.ref("islah_beneficiary.islah_privacy_notice_1_0")
        self.assertEqual(notice.version, "1.0")
        self.assertEqual(notice.company_id, self.env.ref("base.main_company"))
        text = notice.body.striptags() if hasattr(notice.body, "striptags") else notice.body
        for words in (
            "Who sees your data",
            "How long we keep it",
            "Withdraw your consent",
            "Ask for a correction",
            "download it",
        ):
            self.assertIn(words, text)

    def test_current_notice(self):
        """The latest active notice published by today, of the company."""
        self.assertEqual(self.Notice._islah_current(), self.notice)
        self.Notice.create({"version": "test-3.0-draft", "name": "Draft", "date_published": False})
        self.Notice.create(
            {
                "version": "test-3.0-future",
                "name": "Future",
                "date_published": self.today + timedelta(days=3),
            }
        )
        other_company = self.env["res.company"].create({"name": "Other association"})
        self.Notice.create(
            {
                "version": "test-4.0",
                "name": "Other",
                "company_id": other_company.id,
                "date_published": self.today,
            }
        )
        self.assertEqual(self.Notice._islah_current(), self.notice)
        self.assertEqual(self.Notice._islah_current(other_company).version, "test-4.0")
        self.notice.action_archive()
        self.assertNotEqual(self.Notice._islah_current(), self.notice)
        # public text: callable by visitors' environments
        public = self.env.ref("base.public_user")
        self.assertTrue(self.Notice.with_user(public)._islah_current(self.env.company).body)

    def test_version_unique_per_company(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.Notice.create({"version": "test-2.0", "name": "Twice"})
            self.env.flush_all()

    def test_managers_edit_others_read(self):
        notice_id = self._rpc(
            self.manager,
            "create",
            {"version": "test-5.0", "name": "By the manager", "body": "<p>Text</p>"},
        )
        self._rpc(self.manager, "write", [notice_id], {"date_published": str(self.today)})
        rows = self._rpc(self.officer, "search_read", [("id", "=", notice_id)], ["version"])
        self.assertEqual(rows[0]["version"], "test-5.0")
        with self.assertRaises(AccessError):
            self._rpc(self.officer, "write", [notice_id], {"name": "Changed"})
        with self.assertRaises(AccessError):
            self._rpc(self.officer, "create", {"version": "test-6.0", "name": "No"})
        with self.assertRaises(AccessError):
            self._rpc(self.portal, "search_read", [], ["version"])

    def test_settings_open_the_notices(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        action = self.env.ref("islah_beneficiary.islah_privacy_notice_action")
        self.assertIn(f'name="{action.id}"', arch)

    def test_block_template(self):
        html = self.env["ir.qweb"]._render(
            "islah_beneficiary.privacy_notice_block", {"notice": self.notice}
        )
        self.assertIn("We keep your file to serve you.", html)
        self.assertIn("test-2.0", html)
        html = (
            self.env["ir.qweb"]
            .with_context(lang="ar_001")
            ._render(
                "islah_beneficiary.privacy_notice_block",
                {"notice": self.notice.with_context(lang="ar_001")},
            )
        )
        self.assertIn("نحتفظ بملفك لخدمتك.", html)
        empty = self.env["ir.qweb"]._render(
            "islah_beneficiary.privacy_notice_block", {"notice": self.Notice}
        )
        self.assertNotIn("o_islah_privacy_notice", empty)

    def test_public_page_in_visitor_language(self):
        response = self.url_open("/islah/privacy")
        self.assertEqual(response.status_code, 200)
        self.assertIn("We keep your file to serve you.", response.text)
        self.assertIn("test-2.0", response.text)
        self.assertNotIn("نحتفظ بملفك", response.text)

        response = self.url_open("/ar/islah/privacy")
        self.assertEqual(response.status_code, 200)
        self.assertIn("نحتفظ بملفك لخدمتك.", response.text)
        self.assertIn('dir="rtl"', response.text)
        self.assertNotIn("We keep your file", response.text)
