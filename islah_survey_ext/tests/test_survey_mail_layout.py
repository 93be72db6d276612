"""The survey e-mails are the association's: its layout, right-to-left in
Arabic, a header in one language (not "Your مُدخلات مستخدم الاستطلاع"), no
"Powered by Odoo"."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import IslahSurveyCommon

LAYOUT = "islah_beneficiary.mail_notification_islah"


@tagged("post_install", "-at_install", "islah_survey")
class TestSurveyMailLayout(IslahSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not cls.env["res.lang"]._get_code("ar_001"):
            # a database without Arabic: load it with its translations
            cls.env["res.lang"]._activate_lang("ar_001")
            cls.env["ir.module.module"]._load_module_terms(
                ["survey", "islah_beneficiary", "islah_survey_ext"], ["ar_001"], overwrite=True
            )
        cls.company.write(
            {
                "name": "Test Islah association",
                "islah_men_phone": "0553304342",
                "islah_women_phone": "0553304346",
            }
        )

    def assertIslahLayout(self, body, rtl):
        self.assertIn("Test Islah association", body)
        self.assertIn("0553304342", body)
        self.assertNotIn("Powered by", body)
        self.assertNotIn("#875A7B", body, "no Odoo colours")
        self.assertEqual('dir="rtl"' in body, rtl)

    def test_templates_use_the_layout(self):
        for xmlid in ("mail_template_survey_invitation", "mail_template_survey_reminder"):
            template = self.env.ref(f"islah_survey_ext.{xmlid}")
            self.assertEqual(template.email_layout_xmlid, LAYOUT)
            self.assertEqual(template.lang, "{{ object.partner_id.lang }}")

    def test_invitation_in_arabic(self):
        request = self._delivered_request(email="arabic@example.com", lang="ar_001")
        self.assertEqual(len(self._mails), 1)
        body = self._mails[0]["body"]
        self.assertIslahLayout(body, rtl=True)
        model_description = (
            self.env["ir.model"].with_context(lang="ar_001")._get("survey.user_input").display_name
        )
        self.assertNotIn(model_description, body, "the model's name is no header")
        self.assertNotIn("Your ", body)
        self.assertIn(request.name, body, "the header names the request")

    def test_invitation_in_english(self):
        self._delivered_request(email="english@example.com", lang="en_US")
        body = self._mails[0]["body"]
        self.assertIslahLayout(body, rtl=False)
        self.assertIn("Satisfaction survey", body)

    def test_reminder_in_the_layout(self):
        request = self._delivered_request(email="late@example.com", lang="ar_001")
        invitation = request.islah_user_input_ids
        invitation.islah_remind_on = fields.Datetime.now() - timedelta(hours=1)
        with self.mock_mail_gateway():
            self.env["survey.user_input"]._cron_islah_survey_invitations()
        self.assertEqual(len(self._mails), 1)
        self.assertIslahLayout(self._mails[0]["body"], rtl=True)
