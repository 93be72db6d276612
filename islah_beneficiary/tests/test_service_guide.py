"""Issue 15: the public services guide (/islah/services), the request form
with a service preselected, the questions and answers kept by managers, and
the staff tools shown at the step of a request."""

import binascii
import contextlib
import re
from datetime import timedelta
from unittest.mock import patch

from lxml import html as lxml_html

from odoo import fields
from odoo.exceptions import AccessError
from odoo.service.model import call_kw
from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser

from ..controllers.service_guide import _sitemap_services
from ..tools.service_guide import REQUEST_STATES_FOR_GUIDE_KIND
from .common import IslahCommon
from .tour_common import SHOTS, IslahTourCase

_CSS_PART = re.compile(r"([#.][\w-]+|\[[\w-]+(?:=\"[^\"]*\")?\])")


def css(node, selector):
    """The elements under ``node`` matching a simple CSS ``selector`` (tags,
    #id, .class, [attr], [attr="value"], descendants): lxml's cssselect
    needs a package this project does not install."""
    steps = []
    for compound in selector.split():
        tag = re.match(r"[\w-]*", compound).group(0) or "*"
        tests = []
        for part in _CSS_PART.findall(compound[len(tag) if tag != "*" else 0 :]):
            if part[0] == "#":
                tests.append(f"@id='{part[1:]}'")
            elif part[0] == ".":
                tests.append(f"contains(concat(' ', normalize-space(@class), ' '), ' {part[1:]} ')")
            else:
                name, _sep, value = part[1:-1].partition("=")
                tests.append(f"@{name}={value.replace(chr(34), chr(39))}" if value else f"@{name}")
        steps.append(tag + "".join(f"[{test}]" for test in tests))
    return node.xpath(".//" + "//".join(steps))


class GuideCommon(HttpCase, IslahCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ar_001")
        cls.company.write(
            {
                "islah_men_phone": "0111111111",
                "islah_women_phone": "0112222222",
                "email": "guide@islah.test",
            }
        )
        cls.service = cls.service_full
        cls.service.write(
            {
                "public_summary": "Counselling for families in dispute.",
                "decision_days": 9,
            }
        )
        cls.service.with_context(lang="ar_001").write(
            {"name": "الإرشاد الأسري التجريبي", "public_summary": "إرشاد للأسر المتنازعة."}
        )
        Faq = cls.env["islah.service.faq"]
        cls.faq = Faq.create(
            {
                "service_type_id": cls.service.id,
                "question": "Who can apply?",
                "answer": "<p>Any family of the city.</p>",
            }
        )
        cls.faq.with_context(lang="ar_001").question = "من يحق له التقديم؟"
        cls.faq.update_field_translations(
            "answer", {"ar_001": {"Any family of the city.": "كل أسرة في المدينة."}}
        )
        cls.faq_archived = Faq.create(
            {
                "service_type_id": cls.service.id,
                "question": "An old question withdrawn",
                "active": False,
            }
        )
        cls.service_archived = cls.env["islah.service.type"].create(
            {"name": "Test archived service", "active": False}
        )
        cls.faq_of_archived = Faq.create(
            {"service_type_id": cls.service_archived.id, "question": "Hidden question"}
        )
        cls.other_company = cls.env["res.company"].create({"name": "Other association"})
        cls.service_other = cls.env["islah.service.type"].create(
            {"name": "Test other company's service", "company_id": cls.other_company.id}
        )

    def _page(self, url, status=200):
        response = self.url_open(url)
        self.assertEqual(response.status_code, status, url)
        return response.text, lxml_html.fromstring(response.content)


@tagged("post_install", "-at_install", "islah_web_form", "islah_guide")
class TestServiceGuide(GuideCommon):
    def test_list_in_arabic(self):
        text, doc = self._page("/ar/islah/services")
        self.assertEqual(doc.get("dir"), "rtl")
        self.assertIn('dir="rtl"', text)
        names = [a.text_content().strip() for a in css(doc, ".o_islah_service_link")]
        self.assertIn("الإرشاد الأسري التجريبي", names)
        self.assertNotIn("Test archived service", text)
        self.assertNotIn("Test other company's service", text)
        self.assertIn("إرشاد للأسر المتنازعة.", text)
        self.assertEqual(css(doc, ".o_islah_men_phone")[0].text, "0111111111")
        self.assertEqual(css(doc, ".o_islah_women_phone")[0].text, "0112222222")
        self.assertEqual(css(doc, ".o_islah_email")[0].text, "guide@islah.test")
        # the links keep the visitor's language
        link = css(doc, ".o_islah_service_link")[names.index("الإرشاد الأسري التجريبي")]
        self.assertEqual(link.get("href"), f"/ar/islah/services/{self.service.id}")

    def test_list_in_english(self):
        text, doc = self._page("/en/islah/services")
        self.assertEqual(doc.get("dir"), "ltr")
        self.assertIn("Test family counselling", text)
        self.assertNotIn("الإرشاد الأسري التجريبي", text)
        self.assertIn("Our services", text)

    def test_service_page_in_arabic(self):
        text, doc = self._page(f"/ar/islah/services/{self.service.id}")
        self.assertEqual(doc.get("dir"), "rtl")
        self.assertEqual(
            css(doc, "h1.o_islah_service_name")[0].text_content(), "الإرشاد الأسري التجريبي"
        )
        faq = css(doc, "#islah_service_faq")[0].text_content()
        self.assertIn("من يحق له التقديم؟", faq)
        self.assertIn("كل أسرة في المدينة.", faq)
        self.assertNotIn("An old question withdrawn", text)
        documents = [li.text_content() for li in css(doc, "#islah_service_documents li")]
        self.assertEqual(documents, ["Test copy of the national ID", "Test family record"])
        decision = css(doc, "#islah_service_decision p")[0].text_content()
        self.assertIn("9", decision)
        self.assertEqual(
            decision,
            self.service.with_context(lang="ar_001")._islah_guide_decision_text(),
        )
        apply = css(doc, "a#islah_apply")[0]
        self.assertEqual(apply.get("href"), f"/ar/islah/request?service_type_id={self.service.id}")
        self.assertEqual(css(doc, ".o_islah_men_phone")[0].text, "0111111111")
        self.assertEqual(css(doc, ".o_islah_women_phone")[0].text, "0112222222")

    def test_service_page_in_english(self):
        text, doc = self._page(f"/en/islah/services/{self.service.id}")
        self.assertEqual(doc.get("dir"), "ltr")
        self.assertIn("Who can apply?", text)
        self.assertIn("Any family of the city.", text)
        self.assertIn("Counselling for families in dispute.", text)
        self.assertIn("A decision is given within 9", text)

    def test_decision_time_falls_back_on_the_company(self):
        self.company.islah_decision_days = 12
        self.service.decision_days = 0
        self.assertEqual(self.service.guide_decision_days, 12)
        self.company.islah_deadline_working_days = True
        self.assertIn("12 working days", self.service._islah_guide_decision_text())

    def test_inactive_other_company_unknown_404(self):
        for service_id in (self.service_archived.id, self.service_other.id, 999999999):
            text, _doc = self._page(f"/islah/services/{service_id}", status=404)
            self.assertNotIn("Hidden question", text)

    def test_form_preselects_the_service(self):
        _text, doc = self._page(f"/islah/request?service_type_id={self.service.id}")
        selected = css(doc, "select#islah_service_type_id option[selected]")
        self.assertEqual([o.get("value") for o in selected], [str(self.service.id)])
        # not an offered service, or not a number: nothing chosen
        for value in (self.service_archived.id, self.service_other.id, "abc", "-1", ""):
            _text, doc = self._page(f"/islah/request?service_type_id={value}")
            self.assertFalse(css(doc, "select#islah_service_type_id option[selected]"))

    def test_closed_window_note_and_no_button(self):
        today = fields.Date.context_today(self.service)
        self.service.write({"application_start": today + timedelta(days=10)})
        self.assertFalse(self.service._islah_is_open())
        _text, doc = self._page(f"/ar/islah/services/{self.service.id}")
        self.assertFalse(css(doc, "a#islah_apply"))
        closed = css(doc, "#islah_window_closed")[0].text_content()
        note = self.service.with_context(lang="ar_001").window_note
        self.assertTrue(note)
        self.assertIn(note, closed)
        # the list says it too
        _text, doc = self._page("/ar/islah/services")
        self.assertIn(note, css(doc, "#islah_services")[0].text_content())
        # and the form its "apply" link would open: nothing chosen, the note
        _text, doc = self._page(f"/ar/islah/request?service_type_id={self.service.id}")
        self.assertFalse(css(doc, "select#islah_service_type_id option[selected]"))
        self.assertIn(note, css(doc, "#islah_service_closed")[0].text_content())
        # an open service's form has no such note
        self.service.write({"application_start": False})
        _text, doc = self._page(f"/ar/islah/request?service_type_id={self.service.id}")
        self.assertFalse(css(doc, "#islah_service_closed"))

    def test_conditions_as_sentences(self):
        city = self.env["islah.city"].create({"name": "Test Unaizah"})
        category = self.env["islah.beneficiary.category"].create({"name": "Test divorced women"})
        self.service.write(
            {
                "eligible_category_ids": [(6, 0, category.ids)],
                "max_income_per_member": 1500,
                "min_family_size": 2,
                "max_family_size": 9,
                "eligible_city_ids": [(6, 0, city.ids)],
                "min_age": 18,
            }
        )
        text, doc = self._page(f"/en/islah/services/{self.service.id}")
        who = [li.text_content() for li in css(doc, "#islah_service_who li")]
        self.assertEqual(who, ["Test divorced women"])
        conditions = [li.text_content() for li in css(doc, "#islah_service_conditions li")]
        self.assertEqual(len(conditions), 4, conditions)
        self.assertIn("1,500", conditions[0])
        self.assertIn("2 to 9 members", conditions[1])
        self.assertIn("Test Unaizah", conditions[2])
        self.assertIn("at least 18 years", conditions[3])

    def test_no_personal_data_no_login(self):
        beneficiary = self._create_beneficiary(name="Test Secret Person")
        self._create_request(beneficiary)
        text, _doc = self._page(f"/islah/services/{self.service.id}")
        self.assertNotIn("Test Secret Person", text)
        self.assertNotIn(beneficiary.national_id, text)
        self.assertNotIn("/web/login?redirect", text)

    def test_sitemap_lists_the_offered_services(self):
        locs = {entry["loc"] for entry in _sitemap_services(self.env, None, "")}
        self.assertIn(f"/islah/services/{self.service.id}", locs)
        self.assertNotIn(f"/islah/services/{self.service_archived.id}", locs)
        self.assertNotIn(f"/islah/services/{self.service_other.id}", locs)

    def test_back_office_opens_the_guide_in_a_new_tab(self):
        action = self.env.ref("islah_beneficiary.islah_service_guide_action_url")
        self.assertEqual((action.url, action.target), ("/islah/services", "new"))
        menu = self.env.ref("islah_beneficiary.islah_service_guide_menu")
        self.assertEqual(menu.action, action)
        self.assertIn(menu, self.env["ir.ui.menu"].with_user(self.officer_men).search([]))


@tagged("post_install", "-at_install", "islah_guide")
class TestServiceFaqAccess(GuideCommon):
    def _call(self, user, method, *args, **kwargs):
        env = self.env(user=user)
        return call_kw(env["islah.service.faq"], method, list(args), kwargs)

    def test_public_reads_only_published_questions(self):
        public = self.env.ref("base.public_user")
        Faq = self.env["islah.service.faq"].with_user(public).with_context(active_test=False)
        found = Faq.search([("service_type_id", "in", (self.service | self.service_archived).ids)])
        self.assertEqual(found, self.faq)
        with self.assertRaises(AccessError):
            Faq.browse(self.faq_archived.id).read(["question"])
        with self.assertRaises(AccessError):
            Faq.browse(self.faq.id).write({"question": "Changed"})

    def test_portal_over_rpc(self):
        ids = (self.faq | self.faq_archived | self.faq_of_archived).ids
        rows = self._call(
            self.portal_user,
            "search_read",
            [("id", "in", ids)],
            ["question"],
            context={"active_test": False},
        )
        self.assertEqual([row["id"] for row in rows], self.faq.ids)
        for faq in (self.faq_archived, self.faq_of_archived):
            with self.assertRaises(AccessError):
                self._call(self.portal_user, "read", faq.ids, ["question"])
        with self.assertRaises(AccessError):
            self._call(self.portal_user, "write", self.faq.ids, {"question": "Changed"})
        with self.assertRaises(AccessError):
            self._call(
                self.portal_user, "create", {"service_type_id": self.service.id, "question": "Q"}
            )

    def test_json_rpc_refused_to_the_public(self):
        response = self.url_open(
            "/web/dataset/call_kw/islah.service.faq/search_read",
            data='{"jsonrpc": "2.0", "method": "call", "params": {"model": "islah.service.faq", '
            '"method": "search_read", "args": [[]], "kwargs": {"fields": ["question"]}}}',
            headers={"Content-Type": "application/json"},
        )
        self.assertNotIn("Who can apply?", response.text)
        self.assertIn("error", response.json())

    def test_only_managers_write(self):
        for user in (self.officer_men, self.researcher, self.committee_member, self.internal_user):
            rows = self._call(user, "search_read", [("id", "=", self.faq.id)], ["question"])
            self.assertEqual(len(rows), 1)
            with self.assertRaises(AccessError):
                self._call(user, "write", self.faq.ids, {"question": "Changed"})
            with self.assertRaises(AccessError):
                self._call(user, "create", {"service_type_id": self.service.id, "question": "Q"})
        self._call(self.manager, "write", self.faq.ids, {"question": "Who may apply?"})
        self.assertEqual(self.faq.question, "Who may apply?")
        created = self._call(
            self.manager, "create", {"service_type_id": self.service.id, "question": "New"}
        )
        self.assertTrue(created)
        # the FAQ tab of the service type form: the manager edits it there
        self._call(self.manager, "unlink", self.faq_archived.ids)
        self.assertFalse(self.faq_archived.exists())


@tagged("post_install", "-at_install", "islah_guide")
class TestStaffToolsPerStep(IslahCommon):
    def test_shipped_tools_have_their_steps(self):
        for xmlid, kind in (
            ("staff_guide_bylaws", "bylaws"),
            ("staff_guide_research", "research_guide"),
            ("staff_guide_support_policy", "support_policy"),
            ("staff_guide_request_form", "request_form"),
        ):
            guide = self.env.ref(f"islah_beneficiary.{xmlid}")
            self.assertEqual(
                guide._islah_request_state_codes(), set(REQUEST_STATES_FOR_GUIDE_KIND[kind])
            )

    def test_tools_of_the_current_step(self):
        bylaws = self.env.ref("islah_beneficiary.staff_guide_bylaws")
        form = self.env.ref("islah_beneficiary.staff_guide_request_form")
        research = self.env.ref("islah_beneficiary.staff_guide_research")
        policy = self.env.ref("islah_beneficiary.staff_guide_support_policy")
        expected = {
            "received": bylaws | form,
            "research": research,
            "committee": policy,
            "approved": policy,
        }
        for state, guides in expected.items():
            request = self._request_in_state(state)
            for user in (self.officer_men, self.researcher, self.committee_member):
                shown = request.with_user(user).staff_guide_ids
                self.assertEqual(shown & (bylaws | form | research | policy), guides, state)
        done = self._request_in_state("done")
        self.assertFalse(done.staff_guide_ids & (bylaws | form | research | policy))

    def test_a_manager_changes_the_steps_and_archived_tools_hide(self):
        bylaws = self.env.ref("islah_beneficiary.staff_guide_bylaws")
        request = self._request_in_state("research")
        self.assertNotIn(bylaws, request.staff_guide_ids)
        bylaws.with_user(self.manager).request_states = "received, research"
        request.invalidate_recordset(["staff_guide_ids"])
        self.assertIn(bylaws, request.staff_guide_ids)
        bylaws.with_user(self.manager).active = False
        request.invalidate_recordset(["staff_guide_ids"])
        self.assertNotIn(bylaws, request.staff_guide_ids)
        with self.assertRaises(AccessError):
            bylaws.with_user(self.officer_men).write({"request_states": "done"})

    def test_panel_on_the_request_form(self):
        request = self._request_in_state("received")
        arch = request.with_user(self.officer_men).get_views([(False, "form")])["views"]["form"]
        self.assertIn('name="staff_guide_ids"', arch["arch"])
        self.assertIn("Staff tools for this step", arch["arch"])


@tagged("post_install", "-at_install", "islah_ui", "islah_tour", "islah_guide")
class TestServiceGuideTour(IslahTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service.name = "خدمة دليل الجولة"
        cls.service.public_summary = "خدمة تجريبية لجولة دليل الخدمات."
        cls.env["islah.service.faq"].create(
            {
                "service_type_id": cls.service.id,
                "question": "كم يستغرق القرار؟",
                "answer": "<p>أسبوعان على الأكثر.</p>",
            }
        )
        cls.company.write({"islah_men_phone": "0111111111", "islah_women_phone": "0112222222"})

    def _shoot(self, url, name):
        """A screenshot of ``url`` once loaded, kept in SHOTS/name."""
        wait_code_ok = ChromeBrowser._wait_code_ok

        def wait_and_shoot(browser, *args, **kw):
            wait_code_ok(browser, *args, **kw)
            with contextlib.suppress(Exception):
                shot = browser.take_screenshot(prefix="islah_").result(timeout=10)
                SHOTS.mkdir(parents=True, exist_ok=True)
                (SHOTS / name).write_bytes(binascii.a2b_base64(shot["data"]))

        with patch.object(ChromeBrowser, "_wait_code_ok", wait_and_shoot):
            self.browser_js(
                url, "console.log('test successful')", ready="document.readyState === 'complete'"
            )

    def test_visitor_applies_from_the_guide(self):
        self._tour("islah_tour_service_guide", None, url="/ar/islah/services")
        self._shoot("/ar/islah/services", "guide_ar.png")
        self._shoot(f"/ar/islah/services/{self.service.id}", "guide_service_ar.png")
