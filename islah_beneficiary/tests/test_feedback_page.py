import re

from lxml import html as lxml_html

from odoo.tests import HttpCase, tagged

from .feedback_common import IslahFeedbackCommon


@tagged("post_install", "-at_install", "islah_feedback")
class TestFeedbackPage(HttpCase, IslahFeedbackCommon):
    """The public page /islah/feedback over HTTP, and the portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"islah_intake_rate_limit": 50, "islah_intake_rate_minutes": 10})

    def _post(self, prefix="", **data):
        page = self.url_open(f"{prefix}/islah/feedback")
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        token = re.search(r'name="form_token" value="([^"]+)"', page.text).group(1)
        values = {"kind": "suggestion", "section": "women", "description": "More chairs, please."}
        values.update(data, csrf_token=csrf, form_token=token)
        return self.url_open(f"{prefix}/islah/feedback", data=values)

    def _count(self):
        self.env.invalidate_all()
        return self.env["islah.feedback"].sudo().search_count([])

    def test_anonymous_suggestion(self):
        before = self._count()
        response = self._post(category="premises")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._count(), before + 1)
        feedback = self.env["islah.feedback"].sudo().search([], limit=1)
        self.assertIn(feedback.name, response.text)
        self.assertTrue(feedback.is_anonymous)
        self.assertEqual(feedback.section, "women")
        self.assertEqual(feedback.channel_id, self.env.ref("islah_beneficiary.utm_medium_website"))
        self.assertTrue(feedback.user_id)
        self.assertTrue(feedback.deadline)

    def test_arabic_page_is_rtl_and_errors_translated(self):
        response = self._post(prefix="/ar", description="")
        self.assertEqual(response.status_code, 400)
        self.assertIn('dir="rtl"', response.text)
        expected = (
            self.env["islah.feedback"].with_context(lang="ar_001").env._("This field is required.")
        )
        page = lxml_html.fromstring(response.content)
        (error,) = page.xpath("//div[@id='error_description']")
        self.assertEqual(error.text_content().strip(), expected)

    def test_bad_input_refused_and_kept(self):
        before = self._count()
        response = self._post(
            author_name="Salem", author_email="not-an-address", author_phone="12345"
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._count(), before)
        self.assertIn("not-an-address is not a valid e-mail address.", response.text)
        self.assertIn("12345 is not a valid Saudi mobile number", response.text)
        page = lxml_html.fromstring(response.content)
        self.assertEqual(page.xpath("//input[@name='author_name']/@value"), ["Salem"])
        self.assertEqual(
            page.xpath("//textarea[@name='description']")[0].text, "More chairs, please."
        )
        response = self._post(description="x" * 4001, author_name="A" * 129)
        self.assertEqual(self._count(), before)
        self.assertIn("Write at most 4000 characters.", response.text)
        self.assertIn("Write at most 128 characters.", response.text)
        response = self._post(kind="bogus", section="elsewhere")
        self.assertEqual(self._count(), before)
        self.assertIn("Choose a value from the list.", response.text)

    def test_valid_contact_gets_an_acknowledgement(self):
        response = self._post(author_email="visitor@example.com", author_phone="0551234567")
        self.assertEqual(response.status_code, 200)
        feedback = self.env["islah.feedback"].sudo().search([], limit=1)
        self.assertFalse(feedback.is_anonymous)
        self.assertEqual(feedback.author_phone, "+966551234567")
        self.assertTrue(self._mails(feedback))

    def test_rate_limit(self):
        self.company.islah_intake_rate_limit = 2
        self._post()
        self._post()
        before = self._count()
        response = self._post()
        self.assertEqual(response.status_code, 429)
        self.assertEqual(self._count(), before)

    def test_honeypot_and_csrf(self):
        before = self._count()
        response = self._post(website_url="http://spam.example")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._count(), before)
        response = self.url_open(
            "/islah/feedback", data={"kind": "thanks", "section": "men", "description": "x"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._count(), before)

    def test_portal_list_submit_and_accept(self):
        beneficiary = self._create_beneficiary(
            partner_id=self.portal_user.partner_id.id, gender="female"
        )
        mine = self._feedback(beneficiary_id=beneficiary.id, user_id=self.officer_women.id)
        other = self._feedback()
        self.authenticate(self.portal_user.login, self.portal_user.login)
        listing = self.url_open("/my/feedback")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(mine.name, listing.text)
        self.assertNotIn(other.name, listing.text)
        self.assertEqual(self.url_open(f"/my/feedback/{other.id}").status_code, 404)
        # a new one from the portal
        page = self.url_open("/my/feedback/new")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(
            "/my/feedback/new",
            data={
                "csrf_token": csrf,
                "kind": "thanks",
                "category": "reception",
                "description": "Thank you.",
                "wants_outcome": "1",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        new = self.env["islah.feedback"].search([("beneficiary_id", "=", beneficiary.id)], limit=1)
        self.assertEqual(new.kind, "thanks")
        self.assertEqual(new.section, "women")
        self.assertTrue(new.wants_outcome)
        self.assertIn(new.name, response.text)
        # the answer shown, and accepted from the portal
        mine.with_user(self.officer_women).action_send_answer("We are glad to help.")
        detail = self.url_open(f"/my/feedback/{mine.id}")
        self.assertIn("We are glad to help.", detail.text)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', detail.text).group(1)
        response = self.url_open(
            f"/my/feedback/{mine.id}/respond", data={"csrf_token": csrf, "response": "accepted"}
        )
        self.assertEqual(response.status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(mine.state, "closed")
        self.assertEqual(mine.author_response, "accepted")

    def test_body_too_large_refused(self):
        before = self._count()
        response = self._post(description="x" * (70 * 1024))
        self.assertEqual(response.status_code, 413)
        self.assertEqual(self._count(), before)
