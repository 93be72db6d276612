import base64
import http.client
import re
import time
from datetime import timedelta
from unittest.mock import patch
from urllib.parse import urlparse

from lxml import html as lxml_html
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import ConcurrencyError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..models.ir_http import FORM_TEXT_ALLOWANCE
from .common import PDF_DOC, IslahCommon

# a real 1x1 PNG and a minimal PDF: their content is sniffed, not their name
PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
TODO_WEB_INTAKE = "islah_beneficiary.mail_activity_type_web_intake"


class IslahIntakeHttpCommon(HttpCase, IslahCommon):
    """Posting the public form as a browser does: CSRF and form token from
    the GET page, multipart body."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ar_001")
        cls.website_channel = cls.env.ref("islah_beneficiary.utm_medium_website")
        cls.team_women = cls.env.ref("islah_beneficiary.crm_team_islah_women")
        cls.team_women.user_id = cls.officer_women
        cls.company.write({"islah_intake_rate_limit": 50, "email": "info@islah.test"})

    def setUp(self):
        super().setUp()
        self.Lead = self.env["crm.lead"].with_context(active_test=False)

    def _get_form(self, prefix=""):
        response = self.url_open(f"{prefix}/islah/request")
        self.assertEqual(response.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)
        token = re.search(r'name="form_token" value="([^"]+)"', response.text).group(1)
        return response, csrf, token

    def _values(self, **overrides):
        values = self._web_form_values(**overrides)
        return {key: value for key, value in values.items() if value is not None}

    def _post(self, data, files=None, csrf=True, prefix="", headers=None):
        _response, csrf_token, form_token = self._get_form(prefix)
        data = dict({"form_token": form_token}, **data)
        if csrf is True:
            data["csrf_token"] = csrf_token
        elif csrf:
            data["csrf_token"] = csrf
        return self.url_open(
            f"{prefix}/islah/request", data=data, files=files or None, headers=headers
        )

    def _counts(self):
        self.env.invalidate_all()
        return (
            self.env["islah.support.request"].with_context(active_test=False).search_count([]),
            self.env["islah.beneficiary"].with_context(active_test=False).search_count([]),
            self.Lead.search_count([]),
            self.env["ir.attachment"].search_count([("res_model", "=", "crm.lead")]),
        )

    def _last_lead(self):
        self.env.invalidate_all()
        return self.Lead.search([], order="id desc", limit=1)

    def _doc(self, doc_type):
        return f"document_{doc_type.id}"


@tagged("post_install", "-at_install", "islah_web_form")
class TestRequestForm(IslahIntakeHttpCommon):
    """The public form: what it shows, what a submission creates (an intake
    only), and how it refuses bad input."""

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
            "need",
            "declaration",
            "consent",
            "website_url",
        ):
            self.assertIn(f'name="{field}"', html)
        self.assertIn('for="islah_national_id"', html, "labels are tied to inputs")
        self.assertIn("directly responsible for the correctness", html)
        self.assertIn(self.service_full.name, html)
        self.assertIn('enctype="multipart/form-data"', html)
        page = lxml_html.fromstring(response.content)
        # one file input per document type, tagged with the services asking it
        for doc_type in (self.doc_type_id_copy, self.doc_type_family):
            (block,) = page.xpath(
                f"//input[@name='{self._doc(doc_type)}']/ancestor::div[@data-services][1]"
            )
            self.assertIn(str(self.service_full.id), block.get("data-services").split())
            self.assertNotIn(str(self.service_no_research.id), block.get("data-services").split())
        self.assertFalse(page.xpath("//input[@name='attachments']"))

    def test_only_active_services(self):
        inactive = self.env["islah.service.type"].create(
            {"name": "Test retired service", "active": False}
        )
        response, _csrf, _token = self._get_form()
        self.assertNotIn(inactive.name, response.text)

    def test_privacy_notice_shown(self):
        if "islah.privacy.notice" not in self.env:
            self.skipTest("the privacy notice model is not installed")
        notice = self.env["islah.privacy.notice"]._islah_current(self.company)
        if not notice:
            self.skipTest("no current privacy notice")
        response, _csrf, _token = self._get_form()
        self.assertIn('id="islah_privacy_notice"', response.text)

    def test_each_get_has_new_form_token(self):
        _r, _c, token1 = self._get_form()
        _r, _c, token2 = self._get_form()
        self.assertNotEqual(token1, token2)

    def test_arabic_page_is_rtl(self):
        response = self.url_open("/ar/islah/request")
        self.assertEqual(response.status_code, 200)
        self.assertIn('dir="rtl"', response.text)
        self.assertIn("o_rtl", response.text)

    # POST: an intake, nothing else ------------------------------------------

    def test_submit_creates_only_an_unverified_intake(self):
        before = self._counts()
        values = self._values()
        response = self._post(
            values,
            files=[
                (self._doc(self.doc_type_id_copy), ("id-copy.pdf", PDF_DOC, "application/pdf")),
                (self._doc(self.doc_type_family), ("family.png", PNG_1PX, "image/png")),
            ],
        )
        self.assertEqual(response.status_code, 200)
        after = self._counts()
        self.assertEqual(after[0], before[0], "no support request")
        self.assertEqual(after[1], before[1], "no beneficiary")
        self.assertEqual(after[2], before[2] + 1, "one intake")
        lead = self._last_lead()
        self.assertIn("islah_request_confirmation", response.text)
        self.assertIn(lead.islah_intake_ref, response.text, "the page gives the reference")
        self.assertNotIn("/my/", response.text, "no portal link")
        self.assertEqual(lead.islah_identity_state, "unverified")
        self.assertFalse(lead.islah_beneficiary_id)
        self.assertFalse(lead.partner_id)
        self.assertEqual(lead.type, "lead")
        self.assertEqual(lead.islah_section, "women")
        self.assertEqual(lead.team_id, self.team_women)
        self.assertEqual(lead.medium_id, self.website_channel)
        self.assertEqual(lead.islah_national_id, values["national_id"])
        self.assertEqual(lead.contact_name, "Sara Abdullah")
        self.assertEqual(lead.email_from, "sara@example.com")
        self.assertEqual(lead.islah_service_type_id, self.service_full)
        self.assertTrue(lead.islah_declaration_date)
        self.assertTrue(lead.islah_consent_given)
        self.assertFalse(lead.islah_email_confirmed)
        self.assertNotEqual(lead.user_id, self.env.ref("base.public_user"))
        files = self.env["ir.attachment"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", lead.id)]
        )
        self.assertEqual(
            {(f.name, f.islah_document_type_id) for f in files},
            {("id-copy.pdf", self.doc_type_id_copy), ("family.png", self.doc_type_family)},
        )
        # the women's officers have a to-do at once; not the men's
        todos = lead.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(TODO_WEB_INTAKE)
        )
        self.assertIn(self.officer_women, todos.user_id)
        self.assertNotIn(self.officer_men, todos.user_id)

    def test_intake_in_the_applicants_language(self):
        """The site's language goes with the intake, and to the beneficiary
        the officer registers from it."""
        for prefix, lang in (("/ar", "ar_001"), ("/en", "en_US")):
            self._post(self._values(), prefix=prefix)
            lead = self._last_lead()
            self.assertEqual(lead.lang_id.code, lang)
            self.assertEqual(lead.email_from, "sara@example.com")
            wizard = (
                self.env["crm.lead.convert.request"]
                .with_user(self.officer_women)
                .create({"lead_id": lead.id, "identity_check_method": "in_person"})
            )
            wizard.action_convert()
            self.assertEqual(lead.islah_request_ids.beneficiary_id.lang, lang)

    def test_need_stays_plain_text(self):
        self._post(self._values(need="<b>help</b> & <script>x()</script>"))
        lead = self._last_lead()
        self.assertEqual(lead.islah_need, "<b>help</b> & <script>x()</script>")
        self.assertIn("&lt;b&gt;help&lt;/b&gt;", str(lead.description))
        self.assertNotIn("<b>", str(lead.description))

    def test_known_unknown_archived_ids_same_answer(self):
        """No oracle: the same page, status and e-mail whoever's ID it is,
        and the files of the known and archived people are untouched."""
        known = self._create_beneficiary(gender="female", name="Known Person")
        archived = self._create_beneficiary(gender="female", name="Archived Person")
        archived.active = False
        snapshot = {b: (b.name, b.write_date) for b in known | archived}
        answers = []
        for national_id in (known.national_id, self._new_national_id(), archived.national_id):
            before = self.env["mail.mail"].sudo().search([], order="id desc", limit=1).id or 0
            response = self._post(self._values(national_id=national_id))
            lead = self._last_lead()
            self.assertEqual(lead.islah_national_id, national_id)
            mails = self.env["mail.mail"].sudo().search([("id", ">", before)])
            # the others tell the officers of their to-do
            others = mails.filtered(lambda m: m.email_to != "sara@example.com")
            self.assertFalse(others.filtered("email_to"))
            self.assertNotIn("sara@example.com", others.recipient_ids.mapped("email"))
            mails -= others
            self.assertEqual(len(mails), 1, "one e-mail, to the typed address")
            secrets = [lead.islah_intake_ref, lead.sudo().islah_email_token]
            page = re.sub(r"[0-9a-f]{40}o\d+", "CSRF", response.text)
            page = re.sub(r'name="form_token" value="[^"]+"', "", page)
            mail = (mails.subject, str(mails.body_html))
            for secret in secrets:
                page = page.replace(secret, "X")
                mail = tuple(part.replace(secret, "X") for part in mail)
            answers.append((response.status_code, page, mail))
        self.assertEqual(answers[0], answers[1])
        self.assertEqual(answers[1], answers[2])
        self.assertIn("/islah/intake/confirm/X", answers[0][2][1])
        self.env.invalidate_all()
        for beneficiary, (name, write_date) in snapshot.items():
            self.assertEqual((beneficiary.name, beneficiary.write_date), (name, write_date))
            self.assertFalse(beneficiary.request_ids)

    def test_squatted_national_id_captures_nothing(self):
        """A stranger submits the real owner's ID first; the owner submits
        later: two separate intakes, no beneficiary made or changed."""
        national_id = self._new_national_id()
        Beneficiary = self.env["islah.beneficiary"].with_context(active_test=False)
        self._post(self._values(national_id=national_id, name="Stranger", email="s@evil.test"))
        stranger = self._last_lead()
        self._post(self._values(national_id=national_id, name="Real Owner", email="o@home.test"))
        owner = self._last_lead()
        self.assertNotEqual(stranger, owner)
        self.assertFalse(Beneficiary.search_count([("national_id", "=", national_id)]))
        for lead in stranger | owner:
            self.assertEqual(lead.islah_identity_state, "unverified")
            self.assertFalse(lead.islah_beneficiary_id or lead.partner_id)
        self.assertEqual(owner.contact_name, "Real Owner")
        self.assertEqual(owner.email_from, "o@home.test")
        mails = self.env["mail.mail"].sudo().search([("email_to", "=", "s@evil.test")])
        self.assertEqual(len(mails), 1, "the stranger only had their own acknowledgement")
        self.assertNotIn(owner.islah_intake_ref, str(mails.body_html))

    def test_double_submit_creates_one_intake(self):
        _response, csrf, form_token = self._get_form()
        data = dict(self._values(), csrf_token=csrf, form_token=form_token)
        before = self._counts()
        first = self.url_open("/islah/request", data=data)
        second = self.url_open("/islah/request", data=data)
        self.assertEqual(self._counts()[2], before[2] + 1)
        lead = self._last_lead()
        self.assertIn(lead.islah_intake_ref, first.text)
        self.assertIn(lead.islah_intake_ref, second.text, "the second post confirms the first")

    def test_concurrent_double_post_one_intake(self):
        """Two posts of one form at the same moment: the unique token index
        stops the second, which answers with the first."""
        Lead = self.env["crm.lead"].sudo()
        values = dict(self._values(), form_token="a" * 32)
        first = Lead._islah_create_web_intake(values, [], self.company)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                Lead._islah_web_intake_create(values, [], self.company, None, None)
        real_find = type(Lead)._islah_find_by_form_token
        calls = []

        def find_late(self, token):
            # the other post commits between our check and our insert
            calls.append(token)
            return self.browse() if len(calls) == 1 else real_find(self, token)

        with patch.object(type(Lead), "_islah_find_by_form_token", find_late):
            with mute_logger("odoo.sql_db"):
                second = Lead._islah_create_web_intake(values, [], self.company)
        self.assertEqual(second, first)
        self.assertEqual(Lead.search_count([("islah_web_form_token", "=", "a" * 32)]), 1)

    def test_double_post_committed_unseen_is_retried(self):
        """The other post committed after this transaction began: its intake
        cannot be seen here, so the request is retried (Odoo's retrying), not
        answered with an error page."""
        Lead = self.env["crm.lead"].sudo()
        values = dict(self._values(), form_token="b" * 32)
        Lead._islah_create_web_intake(values, [], self.company)

        def find_nothing(self, token):
            return self.browse()

        with (
            patch.object(type(Lead), "_islah_find_by_form_token", find_nothing),
            mute_logger("odoo.sql_db"),
            self.assertRaises(ConcurrencyError),
        ):
            Lead._islah_create_web_intake(values, [], self.company)

    def test_a_post_is_validated_once(self):
        """The route reads the form and renders; the model validates it once,
        whether the post is valid (an intake) or not (the form again)."""
        Lead = type(self.env["crm.lead"])
        real_errors = Lead._islah_web_intake_errors
        calls = []

        def counted(self, *args, **kwargs):
            calls.append(args)
            return real_errors(self, *args, **kwargs)

        with patch.object(Lead, "_islah_web_intake_errors", counted):
            before = self._counts()
            self._post(self._values())
            self.assertEqual(self._counts()[2], before[2] + 1)
            self.assertEqual(len(calls), 1, "a valid post: validated once")
            calls.clear()
            response = self._post(self._values(name=""))
            self.assertIn("This field is required.", response.text)
            self.assertEqual(len(calls), 1, "an invalid post: validated once")

    def test_honeypot_creates_nothing_same_answer(self):
        before = self._counts()
        response = self._post(self._values(website_url="http://spam.example"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("islah_request_confirmation", response.text)
        self.assertRegex(response.text, r'o_islah_request_number">WEB-[0-9A-F]{8}<')
        self.assertEqual(self._counts(), before)

    def test_error_during_creation_rolls_back_everything(self):
        """A failure after the lead was created leaves nothing behind."""
        before = self._counts()

        def failing(records):
            raise ValueError("boom")

        with patch.object(type(self.env["crm.lead"]), "_islah_schedule_web_intake_todo", failing):
            with self.assertRaises(ValueError):
                self.env["crm.lead"].sudo()._islah_create_web_intake(
                    self._values(), [(self.doc_type_id_copy.id, "a.pdf", PDF_DOC)]
                )
        self.assertEqual(self._counts(), before)

    # e-mail confirmation --------------------------------------------------

    def _intake_with_token(self):
        self._post(self._values())
        lead = self._last_lead()
        return lead, lead.sudo().islah_email_token

    def _confirm_url(self, token, prefix=""):
        return f"{prefix}/islah/intake/confirm/{token}"

    def test_confirmation_link_confirms_only_with_the_button(self):
        """Opening the link (a mail scanner does) confirms nothing: it shows
        a button; the POST of that button, with its CSRF token, confirms."""
        lead, token = self._intake_with_token()
        self.assertGreaterEqual(len(token), 32)
        self.assertAlmostEqual(
            lead.sudo().islah_email_token_expiry,
            lead.create_date + timedelta(days=7),
            delta=timedelta(minutes=5),
        )
        for _opened in range(2):
            response = self.url_open(self._confirm_url(token))
            self.assertEqual(response.status_code, 200)
            self.env.invalidate_all()
            self.assertFalse(lead.islah_email_confirmed, "opening the link confirms nothing")
        self.assertNotIn("/my/", response.text, "no portal link")
        self.assertNotIn("access_token", response.text)
        page = lxml_html.fromstring(response.content)
        (form,) = page.xpath("//form[@id='islah_email_confirm_form']")
        self.assertEqual(form.get("method"), "post")
        self.assertIn("Confirm my e-mail address", form.text_content())
        (csrf,) = form.xpath(".//input[@name='csrf_token']/@value")
        with mute_logger("odoo.http"):
            refused = self.url_open(self._confirm_url(token), data={"csrf_token": "forged"})
        self.assertEqual(refused.status_code, 400)
        self.env.invalidate_all()
        self.assertFalse(lead.islah_email_confirmed, "not without the page's CSRF token")
        response = self.url_open(self._confirm_url(token), data={"csrf_token": csrf})
        self.assertEqual(response.status_code, 200)
        self.assertIn("islah_email_confirmed", response.text)
        self.assertNotIn("/my/", response.text, "no portal link")
        self.assertNotIn("access_token", response.text)
        self.env.invalidate_all()
        self.assertTrue(lead.islah_email_confirmed)
        self.assertEqual(lead.islah_identity_state, "unverified", "the address, not the person")

    def test_confirmation_page_in_the_visitors_language(self):
        lead, token = self._intake_with_token()
        response = self.url_open(self._confirm_url(token, "/ar"))
        self.assertEqual(response.status_code, 200)
        self.assertIn('dir="rtl"', response.text)
        page = lxml_html.fromstring(response.content)
        (csrf,) = page.xpath("//form[@id='islah_email_confirm_form']//input/@value")
        response = self.url_open(self._confirm_url(token, "/ar"), data={"csrf_token": csrf})
        self.assertIn('dir="rtl"', response.text)
        self.assertIn("islah_email_confirmed", response.text)
        self.env.invalidate_all()
        self.assertTrue(lead.islah_email_confirmed)

    def test_unknown_or_expired_link_clear_page(self):
        lead, token = self._intake_with_token()
        lead.sudo().islah_email_token_expiry = fields.Datetime.now() - timedelta(minutes=1)
        Lead = self.env["crm.lead"].with_context(lang="ar_001")
        expected = Lead.env._(
            "This confirmation link is not valid or has expired (links are "
            "valid for 7 days). If you sent a request, an officer will "
            "contact you by phone."
        )
        _response, csrf, _form_token = self._get_form("/ar")
        for url in (self._confirm_url(token, "/ar"), "/ar/islah/intake/confirm/nothing"):
            for data in (None, {"csrf_token": csrf}):
                response = self.url_open(url, data=data)
                self.assertEqual(response.status_code, 404)
                self.assertIn('dir="rtl"', response.text)
                self.assertIn(str(lxml_html.fromstring(f"<p>{expected}</p>").text), response.text)
                self.assertNotIn("islah_email_confirm_form", response.text)
        self.env.invalidate_all()
        self.assertFalse(lead.islah_email_confirmed)

    # form token --------------------------------------------------------

    def test_form_token_of_another_session_is_worth_nothing(self):
        """A stranger holding someone's form token can neither read that
        intake's reference nor have their own post taken for a double."""
        _response, csrf, form_token = self._get_form()
        self.url_open("/islah/request", data=dict(self._values(), csrf_token=csrf,
                                                  form_token=form_token))  # fmt: skip
        victim = self._last_lead()
        self.assertEqual(victim.sudo().islah_web_form_token, form_token)
        self.authenticate(None, None)  # another visitor, another session
        before = self._counts()
        response = self._post(self._values(name="Stranger", form_token=form_token))
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(victim.islah_intake_ref, response.text)
        self.assertEqual(self._counts()[2], before[2] + 1, "the stranger's own intake")
        self.assertNotEqual(self._last_lead().sudo().islah_web_form_token, form_token)

    def test_form_token_chosen_by_the_client_is_replaced(self):
        self._post(self._values(form_token="a" * 32))
        self.assertNotEqual(self._last_lead().sudo().islah_web_form_token, "a" * 32)

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

    def test_national_id_in_arabic_digits_accepted(self):
        # as an Arabic keyboard types it: stored in ASCII digits, like the back office
        national_id = self._new_national_id()
        arabic = national_id.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
        self._post(self._values(national_id=arabic))
        lead = self._last_lead()
        self.assertEqual(lead.sudo().islah_national_id, national_id)

    def test_bad_national_id_same_message_as_back_office(self):
        errors = (
            self.env["crm.lead"]
            .sudo()
            ._islah_web_intake_errors(self._values(national_id="1012345673"), [])
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

    def test_missing_consent_refused(self):
        before = self._counts()
        response = self._post(self._values(consent=None))
        self.assertRefused(response, before, "Your consent to the processing of your data")

    def _checked(self, response, name):
        page = lxml_html.fromstring(response.content)
        (box,) = page.xpath(f"//input[@name='{name}']")
        return "checked" in box.attrib

    def test_unticked_declaration_stays_unticked_after_an_error(self):
        # the applicant never ticked it: an empty value must not render checked=""
        response = self._post(self._values(declaration=None, consent=None, name=""))
        self.assertIn("islah_form_errors", response.text)
        self.assertFalse(self._checked(response, "declaration"))
        self.assertFalse(self._checked(response, "consent"))
        # ticked, and another field wrong: it stays ticked, as the applicant left it
        response = self._post(self._values(name=""))
        self.assertIn("islah_form_errors", response.text)
        self.assertTrue(self._checked(response, "declaration"))

    def test_errors_listed_once_per_field(self):
        before = self._counts()
        response = self._post(self._values(name="", need="", mobile=""))
        self.assertRefused(response, before, "This field is required.")
        self.assertEqual(response.text.count("This field is required."), 3, "once per field")
        page = lxml_html.fromstring(response.content)
        summary = page.xpath("//div[@id='islah_form_errors']//li/a")
        self.assertEqual(
            [(a.get("href"), a.text) for a in summary],
            [("#islah_name", "Full name"), ("#islah_mobile", "Mobile"),
             ("#islah_need", "Describe your need")],
        )  # fmt: skip

    def test_errors_in_the_visitors_language(self):
        response = self._post(self._values(name=""), prefix="/ar")
        self.assertIn('dir="rtl"', response.text)
        expected = self.env["crm.lead"].with_context(lang="ar_001").env._("This field is required.")
        page = lxml_html.fromstring(response.content)
        (error,) = page.xpath("//div[@id='error_name']")
        self.assertEqual(error.text_content().strip(), expected)

    def test_field_length_limits(self):
        before = self._counts()
        response = self._post(self._values(name="A" * 100_000, need="x" * 4001))
        self.assertRefused(response, before, "Write at most 128 characters.")
        self.assertIn("Write at most 4000 characters.", response.text)

    def test_inactive_service_refused(self):
        inactive = self.env["islah.service.type"].create(
            {"name": "Test retired service", "active": False}
        )
        before = self._counts()
        response = self._post(self._values(service_type_id=str(inactive.id)))
        self.assertRefused(response, before, "Choose a service from the list.")

    def test_document_of_another_service_refused(self):
        other = self.env["islah.document.type"].create({"name": "Test salary slip"})
        self.service_no_research.document_type_ids = other
        before = self._counts()
        response = self._post(
            self._values(), files=[(self._doc(other), ("slip.pdf", PDF_DOC, "application/pdf"))]
        )
        self.assertRefused(response, before, "Send only the documents asked for the chosen service")

    @mute_logger("odoo.http")
    def test_missing_csrf_refused(self):
        before = self._counts()
        response = self._post(self._values(), csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._counts(), before)

    @mute_logger("odoo.http")
    def test_forged_csrf_refused(self):
        before = self._counts()
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
            self._values(),
            files=[(self._doc(self.doc_type_id_copy), ("big.pdf", big, "application/pdf"))],
        )
        self.assertRefused(response, before, "big.pdf is larger than 1 MB")

    def test_wrong_extension_refused(self):
        before = self._counts()
        response = self._post(
            self._values(),
            files=[(self._doc(self.doc_type_id_copy), ("notes.txt", b"hello", "text/plain"))],
        )
        self.assertRefused(response, before, "only PDF, JPG and PNG files are accepted")

    def test_disguised_file_refused(self):
        """A file named .pdf whose content is not a PDF is refused."""
        before = self._counts()
        response = self._post(
            self._values(),
            files=[
                (
                    self._doc(self.doc_type_id_copy),
                    ("invoice.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf"),
                )
            ],
        )
        self.assertRefused(response, before, "the content of the file is not a PDF")

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


@tagged("post_install", "-at_install", "islah_web_form")
class TestRequestFormAbuse(IslahIntakeHttpCommon):
    """Throttling by address and by national ID, and the body limit."""

    def _past_intakes(self, count, **vals):
        Lead = self.env["crm.lead"].sudo()
        for _i in range(count):
            Lead.create(
                dict(
                    {
                        "name": "Earlier intake",
                        "type": "lead",
                        "islah_identity_state": "unverified",
                    },
                    **vals,
                )
            )

    def test_throttled_by_address(self):
        self.company.write({"islah_intake_rate_limit": 3, "islah_intake_rate_minutes": 10})
        self._past_intakes(3, islah_submit_ip="127.0.0.1")
        before = self._counts()
        response = self._post(self._values())
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response.headers.get("Retry-After"), "600")
        self.assertIn("islah_request_refused", response.text)
        self.assertEqual(self._counts(), before)

    def test_throttled_by_national_id(self):
        self.company.write({"islah_intake_rate_limit": 2, "islah_intake_rate_minutes": 10})
        national_id = self._new_national_id()
        self._past_intakes(2, islah_submit_ip="10.0.0.9", islah_national_id=national_id)
        response = self._post(self._values(national_id=national_id))
        self.assertEqual(response.status_code, 429)
        # another ID from the same address still goes through
        response = self._post(self._values())
        self.assertEqual(response.status_code, 200)
        self.assertIn("islah_request_confirmation", response.text)

    def test_older_intakes_do_not_count(self):
        self.company.write({"islah_intake_rate_limit": 1, "islah_intake_rate_minutes": 10})
        self._past_intakes(1, islah_submit_ip="127.0.0.1")
        lead = self._last_lead()
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = now() - interval '11 minutes' WHERE id = %s",
            [lead.id],
        )
        response = self._post(self._values())
        self.assertEqual(response.status_code, 200)

    def test_throttle_page_in_the_visitors_language(self):
        self.company.write({"islah_intake_rate_limit": 1, "islah_intake_rate_minutes": 10})
        self._past_intakes(1, islah_submit_ip="127.0.0.1")
        expected = (
            self.env["crm.lead"]
            .with_context(lang="ar_001")
            .env._(
                "Too many requests were sent. Please try again in %(minutes)s minutes.",
                minutes=10,
            )
        )
        for prefix, headers in (("/ar", None), ("", {"Accept-Language": "ar-SA,ar;q=0.9"})):
            response = self._post(self._values(), prefix=prefix, headers=headers)
            self.assertEqual(response.status_code, 429)
            self.assertIn('dir="rtl"', response.text)
            page = lxml_html.fromstring(response.content)
            (message,) = page.xpath("//div[@id='islah_request_refused']/p")
            self.assertEqual(message.text_content().strip(), expected)

    def _raw_post(self, path, announced):
        """POST announcing ``announced`` bytes and sending only a few; the
        answer, and how long it took."""
        self._get_form()
        url = urlparse(self.base_url())
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=20)
        started = time.monotonic()
        # what url_open does: the test's cookies (session, test cursor key)
        with self.allow_requests():
            cookies = "; ".join(f"{c.name}={c.value}" for c in self.opener.cookies)
            try:
                connection.putrequest("POST", path)
                connection.putheader("Content-Type", "multipart/form-data; boundary=xyz")
                connection.putheader("Content-Length", str(announced))
                connection.putheader("Cookie", cookies)
                connection.endheaders(b"--xyz\r\nContent-Disposition: form-data; name=")
                response = connection.getresponse()
                body = response.read().decode()
            finally:
                connection.close()
        return response, body, time.monotonic() - started

    def test_body_over_the_limit_refused_before_it_is_read(self):
        """A Content-Length of 30 MB and a few bytes sent: 413 at once, the
        server does not wait for the rest of the body."""
        before = self._counts()
        response, body, elapsed = self._raw_post("/islah/request", 30 * 1024 * 1024)
        self.assertEqual(response.status, 413, body)
        self.assertLess(elapsed, 15, "answered without the body")
        self.assertIn("islah_request_refused", body)
        self.assertEqual(self._counts(), before)

    def test_body_over_the_limit_refused_with_the_language_prefix(self):
        response, body, _elapsed = self._raw_post("/ar/islah/request", 30 * 1024 * 1024)
        self.assertEqual(response.status, 413, body)
        self.assertIn('dir="rtl"', body)

    def _chunked_post(self, limit, headers=None):
        """POST exactly one byte over ``limit`` in chunks, and never the last
        chunk: a server reading the body to its end would wait for more."""
        self._get_form()
        url = urlparse(self.base_url())
        connection = http.client.HTTPConnection(url.hostname, url.port, timeout=20)
        head = (
            b'--xyz\r\nContent-Disposition: form-data; name="document_1"; filename="a.pdf"\r\n\r\n'
        )
        with self.allow_requests():
            cookies = "; ".join(f"{c.name}={c.value}" for c in self.opener.cookies)
            started = time.monotonic()
            try:
                connection.putrequest("POST", "/islah/request")
                connection.putheader("Content-Type", "multipart/form-data; boundary=xyz")
                connection.putheader("Transfer-Encoding", "chunked")
                connection.putheader("Cookie", cookies)
                for name, value in (headers or {}).items():
                    connection.putheader(name, value)
                connection.endheaders()
                left = limit + 1
                data = head
                while left > 0:
                    data = data[:left] or b"0" * min(left, 64 * 1024)
                    connection.send(b"%x\r\n%s\r\n" % (len(data), data))
                    left -= len(data)
                    data = b""
                response = connection.getresponse()
                body = response.read().decode()
            finally:
                connection.close()
        return response, body, time.monotonic() - started

    def test_chunked_body_over_the_limit_refused(self):
        """No Content-Length (chunked transfer), or a small one sent along
        with it: the body is cut at the limit with 413; the server does not
        read (or wait for) the rest."""
        self.company.islah_max_upload_mb = 1
        _per_file, total = self.env["islah.support.request"]._islah_upload_limits(self.company)
        before = self._counts()
        for headers in (None, {"Content-Length": "100"}):
            response, body, elapsed = self._chunked_post(total + FORM_TEXT_ALLOWANCE, headers)
            self.assertEqual(response.status, 413, body)
            self.assertLess(elapsed, 15, "answered without the rest")
            self.assertIn("islah_request_refused", body)
        self.assertEqual(self._counts(), before)

    def test_portal_upload_over_the_limit_refused(self):
        response, body, _elapsed = self._raw_post("/my/requests/1/documents/1", 30 * 1024 * 1024)
        self.assertEqual(response.status, 413, body)
