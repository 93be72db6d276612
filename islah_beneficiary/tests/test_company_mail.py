"""The association is the company; beneficiaries are Arabic by default; every
e-mail to them is in their language, right-to-left in Arabic, in the
association's layout; the acknowledgement leaves at once; portal access is
granted from the beneficiary's file."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import call_kw
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MailCase

from .common import IslahCommon

LAYOUT = "islah_beneficiary.mail_notification_islah"
POLICY_IBAN = "SA9480000440608010220026"


def _setup_arabic(env):
    """Arabic with its translations, loaded when the database has none."""
    if env["res.lang"]._get_code("ar_001"):
        return
    env["res.lang"]._activate_lang("ar_001")
    env["ir.module.module"]._load_module_terms(
        ["mail", "auth_signup", "islah_beneficiary"], ["ar_001"], overwrite=True
    )


@tagged("post_install", "-at_install", "islah_company")
class TestCompanySetup(IslahCommon):
    """The settings section where an administrator sets the association up."""

    def _settings(self, **values):
        return self.env["res.config.settings"].create(values)

    def test_iban_validated_in_settings(self):
        with self.assertRaisesRegex(ValidationError, "not a valid Saudi IBAN"):
            self._settings(islah_iban="SA0000000000000000000000")
        with self.assertRaisesRegex(ValidationError, "not a valid Saudi IBAN"):
            self.company.islah_iban = "GB82WEST12345698765432"

    def test_iban_normalised(self):
        self._settings(islah_iban="sa94 8000 0440 6080 1022 0026").execute()
        self.assertEqual(self.company.islah_iban, POLICY_IBAN)

    def test_settings_write_the_company(self):
        self._settings(
            islah_company_name="Test association",
            islah_company_email="office@association.test",
            islah_company_currency_id=self.env.ref("base.SAR").id,
            islah_bank_account="440608010220026",
            islah_iban=POLICY_IBAN,
            islah_men_phone="0553304342",
            islah_women_phone="0553304346",
        ).execute()
        self.assertEqual(self.company.name, "Test association")
        self.assertEqual(self.company.email, "office@association.test")
        self.assertEqual(self.company.currency_id, self.env.ref("base.SAR"))
        self.assertTrue(self.env.ref("base.SAR").active, "the chosen currency is enabled")
        self.assertTrue(self.company.islah_setup_done)

    def test_setup_hint_until_set_up(self):
        company = self.env["res.company"].create({"name": "YourCompany"})
        self.assertFalse(company.islah_setup_done)
        company.write(
            {
                "name": "Test branch",
                "email": "branch@association.test",
                "islah_bank_account": "440608010220026",
                "islah_iban": POLICY_IBAN,
                "islah_men_phone": "0553304342",
                "islah_women_phone": "0553304346",
            }
        )
        self.assertTrue(company.islah_setup_done)
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="islah_setup_hint"', arch)
        self.assertIn('name="islah_association"', arch)

    def test_demo_company_is_the_association(self):
        module = self.env["ir.module.module"].search([("name", "=", "islah_beneficiary")])
        company = self.env.ref("base.main_company")
        if not module.demo:
            # without demo data nothing is made up: the administrator sets it up
            self.assertFalse(company.islah_setup_done)
            return
        self.assertEqual(company.name, "جمعية إصلاح ذات البين")
        self.assertEqual(company.currency_id, self.env.ref("base.SAR"))
        self.assertEqual(company.islah_bank_account, "440608010220026")
        self.assertEqual(company.islah_iban, POLICY_IBAN)
        self.assertEqual(company.islah_men_phone, "0553304342")
        self.assertEqual(company.islah_women_phone, "0553304346")
        self.assertEqual(company.email, "info@islah.org.sa")
        self.assertEqual(company.country_id, self.env.ref("base.sa"))
        self.assertFalse(company.uses_default_logo)
        for value in (company.phone, company.website, company.email, company.street):
            self.assertNotIn("555", value or "")
            self.assertNotIn("example.com", value or "")
        self.assertTrue(company.islah_setup_done)


@tagged("post_install", "-at_install", "islah_company")
class TestBeneficiaryLanguage(IslahCommon):
    """Beneficiaries are Arabic unless they or the officer choose otherwise."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ar_001")
        cls.officer_men.lang = "en_US"

    def test_new_beneficiary_is_arabic(self):
        Beneficiary = self.env["islah.beneficiary"].with_user(self.officer_men)
        beneficiary = Beneficiary.create(
            {"name": "Ahmad", "gender": "male", "national_id": self._new_national_id()}
        )
        self.assertEqual(beneficiary.lang, "ar_001", "not the officer's English")
        self.assertEqual(beneficiary.partner_id.lang, "ar_001")

    def test_form_offers_arabic(self):
        defaults = self.env["islah.beneficiary"].with_user(self.officer_men).default_get(["lang"])
        self.assertEqual(defaults["lang"], "ar_001")

    def test_officer_chooses_another_language(self):
        beneficiary = (
            self.env["islah.beneficiary"]
            .with_user(self.officer_men)
            .create(
                {
                    "name": "John",
                    "gender": "male",
                    "national_id": self._new_national_id(),
                    "lang": "en_US",
                }
            )
        )
        self.assertEqual(beneficiary.lang, "en_US")

    def test_existing_contact_keeps_its_language(self):
        partner = self.env["res.partner"].create({"name": "Known contact", "lang": "en_US"})
        beneficiary = self._create_beneficiary(partner_id=partner.id)
        self.assertEqual(beneficiary.lang, "en_US")

    def test_applicant_language_wins(self):
        beneficiary = (
            self.env["islah.beneficiary"]
            .sudo()
            .with_context(islah_applicant_lang="en_US")
            .create({"name": "Web", "gender": "male", "national_id": self._new_national_id()})
        )
        self.assertEqual(beneficiary.lang, "en_US")


class IslahMailCommon(IslahCommon, MailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _setup_arabic(cls.env)
        cls.company.write(
            {
                "name": "Test Islah association",
                "email": "info@islah.test",
                "islah_men_phone": "0553304342",
                "islah_women_phone": "0553304346",
            }
        )

    def _sent(self, needle):
        """The e-mails that left through the mail gateway with ``needle`` in the subject."""
        return [mail for mail in self._mails if needle in (mail["subject"] or "")]

    def assertIslahLayout(self, body, rtl):
        self.assertIn("Test Islah association", body)
        self.assertIn("0553304342", body)
        self.assertIn("0553304346", body)
        self.assertNotIn("Powered by", body)
        self.assertNotIn("odoo.com", body)
        if rtl:
            self.assertIn('dir="rtl"', body)
        else:
            self.assertNotIn('dir="rtl"', body)


@tagged("post_install", "-at_install", "islah_company")
class TestAcknowledgement(IslahMailCommon):
    """The acknowledgement leaves when the request is received, in the
    beneficiary's language and the association's layout, and claims no
    declaration that was not made."""

    def test_sent_at_once_in_arabic(self):
        beneficiary = self._create_beneficiary(name="Ali", email="ali@example.com")
        self.assertEqual(beneficiary.lang, "ar_001")
        with self.mock_mail_gateway():
            request = (
                self.env["islah.support.request"]
                .with_user(self.officer_men)
                .create(
                    {
                        "beneficiary_id": beneficiary.id,
                        "service_type_id": self.service_full.id,
                        "medium_id": self.channel_interview.id,
                    }
                )
            )
            self.env.flush_all()
        mails = self._new_mails.filtered(lambda mail: request.name in (mail.subject or ""))
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.state, "sent", "not left for the hourly mail queue")
        self.assertEqual(len(self._sent(request.name)), 1, "went through the mail gateway")
        body = mails.body_html
        self.assertIslahLayout(body, rtl=True)
        self.assertRegex(mails.subject, "[\u0600-\u06ff]", "subject in Arabic")
        self.assertIn("طلب دعم", body, "the layout's header in Arabic too")
        self.assertIn("مسؤولون مسؤولية مباشرة", body)
        self.assertNotIn("إقرار", body, "no declaration claimed before one is made")
        self.assertNotIn("Your ", body)

    def test_text_true_at_receipt(self):
        beneficiary = self._create_beneficiary(email="en@example.com", lang="en_US")
        with self.mock_mail_gateway():
            request = self._create_request(beneficiary)
            self.env.flush_all()
        body = self._new_mails.filtered(lambda mail: request.name in (mail.subject or "")).body_html
        self.assertFalse(request.declaration_accepted)
        self.assertNotIn("declaration", body.lower(), "no declaration claimed before one is made")
        self.assertIn("responsible for the correctness", body)
        self.assertIslahLayout(body, rtl=False)
        self.assertIn(f"/my/requests/{request.id}?access_token={request.access_token}", body)

    def test_no_committee_promise_without_committee(self):
        beneficiary = self._create_beneficiary(email="quick@example.com", lang="en_US")
        with self.mock_mail_gateway():
            request = self._create_request(
                beneficiary, service_type_id=self.service_no_committee.id
            )
            self.env.flush_all()
        body = self._new_mails.filtered(lambda mail: request.name in (mail.subject or "")).body_html
        self.assertNotIn("Research Committee", body)

    def test_templates_use_the_layout(self):
        for xmlid in (
            "islah_beneficiary.mail_template_request_acknowledgement",
            "islah_beneficiary.mail_template_portal_invitation",
        ):
            template = self.env.ref(xmlid)
            self.assertEqual(template.email_layout_xmlid, LAYOUT, xmlid)
            self.assertIn("lang", template.lang)


@tagged("post_install", "-at_install", "islah_company")
class TestPortalAccess(IslahMailCommon):
    """The "Grant portal access" action on the beneficiary's file: the officers of its
    section and the managers only; the invitation in the beneficiary's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.beneficiary = cls._create_beneficiary(name="Omar", email="omar@example.com")

    def _grant(self, user, beneficiary=None):
        return call_kw(
            self.env(user=user)["islah.beneficiary"],
            "action_grant_portal_access",
            [(beneficiary or self.beneficiary).ids],
            {},
        )

    def test_other_section_refused(self):
        with self.assertRaises(AccessError):
            self._grant(self.officer_women)
        self.assertFalse(self.beneficiary.partner_id.user_ids)

    def test_researcher_and_committee_refused(self):
        for user in (self.researcher, self.committee_member, self.internal_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._grant(user)
        self.assertFalse(self.beneficiary.partner_id.user_ids)

    def test_officer_grants_in_arabic(self):
        with self.mock_mail_gateway():
            action = self._grant(self.officer_men)
        self.assertEqual(action["tag"], "display_notification")
        user = self.beneficiary.partner_id.user_ids
        self.assertEqual(len(user), 1)
        self.assertTrue(user._is_portal())
        self.assertEqual(user.lang, "ar_001")
        self.assertEqual(user.login, "omar@example.com")
        self.assertTrue(self.beneficiary.has_portal_access)
        sent = [mail for mail in self._mails if "omar@example.com" in str(mail["email_to"])]
        self.assertEqual(len(sent), 1, "one invitation, ours (not Odoo's)")
        body = sent[0]["body"]
        self.assertIslahLayout(body, rtl=True)
        self.assertIn("/web/signup", body.replace("&amp;", "&"))
        self.assertRegex(sent[0]["subject"], "[\u0600-\u06ff]", "subject in Arabic")
        self.assertIn("Portal access granted", self.beneficiary.message_ids[0].body)

    def test_manager_grants_english_beneficiary(self):
        beneficiary = self._create_beneficiary(name="Jim", email="jim@example.com", lang="en_US")
        with self.mock_mail_gateway():
            self._grant(self.manager, beneficiary)
        sent = [mail for mail in self._mails if "jim@example.com" in str(mail["email_to"])]
        self.assertEqual(len(sent), 1)
        self.assertIslahLayout(sent[0]["body"], rtl=False)
        self.assertIn("your account to follow your requests", sent[0]["subject"])

    def test_invitation_again(self):
        self._grant(self.officer_men)
        with self.mock_mail_gateway():
            self._grant(self.officer_men)
        self.assertEqual(len(self.beneficiary.partner_id.user_ids), 1)
        self.assertEqual(len(self._mails), 1)

    def test_staff_contact_refused(self):
        beneficiary = self._create_beneficiary(partner_id=self.internal_user.partner_id.id)
        with self.assertRaisesRegex(UserError, "staff"):
            self._grant(self.manager, beneficiary)
