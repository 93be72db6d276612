"""Issue 15: the eligibility self-check (/islah/eligibility). A visitor
answers a few questions and reads the services they may qualify for, with
the reasons; nothing is stored; bad answers come back with a clear error."""

import re

from lxml import html as lxml_html

from odoo.tests import HttpCase, tagged
from odoo.tests.common import BaseCase

from ..tools.service_guide import MAX_FAMILY_SIZE, parse_bounded_number
from .common import IslahCommon
from .test_service_guide import css


@tagged("post_install", "-at_install", "islah_web_form", "islah_guide")
class TestEligibilityPage(HttpCase, IslahCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ar_001")
        Category = cls.env["islah.beneficiary.category"]
        cls.cat_widow = Category.create({"name": "Test widows"})
        cls.cat_widow.with_context(lang="ar_001").name = "أرامل تجريبي"
        cls.cat_orphan = Category.create({"name": "Test orphans"})
        City = cls.env["islah.city"]
        cls.city_a = City.create({"name": "Test Buraydah"})
        cls.city_b = City.create({"name": "Test Unaizah"})
        Service = cls.env["islah.service.type"]
        # A: widows of Buraydah, families of 2 to 8, at most 1000 a member
        cls.service_a = Service.create(
            {
                "name": "Test widow support",
                "eligible_category_ids": [(6, 0, cls.cat_widow.ids)],
                "eligible_city_ids": [(6, 0, cls.city_a.ids)],
                "min_family_size": 2,
                "max_family_size": 8,
                "max_income_per_member": 1000,
            }
        )
        cls.service_a.with_context(lang="ar_001").name = "دعم الأرامل التجريبي"
        # B: orphans only
        cls.service_b = Service.create(
            {
                "name": "Test orphan sponsorship",
                "eligible_category_ids": [(6, 0, cls.cat_orphan.ids)],
            }
        )
        # C: adults only
        cls.service_c = Service.create({"name": "Test adult course", "min_age": 18})

    def _form(self, prefix=""):
        response = self.url_open(f"{prefix}/islah/eligibility")
        self.assertEqual(response.status_code, 200)
        return response

    def _check(self, prefix="", csrf=True, **answers):
        page = self._form(prefix)
        data = {
            "category_ids": [self.cat_widow.id],
            "family_size": "4",
            "monthly_income": "3000",
            "city_id": str(self.city_a.id),
            "age": "",
        }
        data.update(answers)
        if csrf:
            data["csrf_token"] = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(f"{prefix}/islah/eligibility", data=data)
        return response, lxml_html.fromstring(response.content)

    def _result(self, doc, service):
        cards = css(doc, f'.o_islah_check_result[data-service-id="{service.id}"]')
        self.assertEqual(len(cards), 1, f"no result for {service.name}")
        card = cards[0]
        verdict = re.search(r"o_islah_check_(yes|no|maybe)", card.get("class")).group(1)
        reasons = [li.text_content().strip() for li in css(card, ".o_islah_check_reasons li")]
        return verdict, reasons, card

    def _engine(self, service, lang="en_US", **facts):
        base = {
            "category_ids": [self.cat_widow.id],
            "family_size": 4,
            "monthly_income": 3000.0,
            "city_id": self.city_a.id,
            "age": None,
        }
        base.update(facts)
        return service.with_context(lang=lang)._islah_eligibility(base)[service.id]

    def test_form_in_arabic(self):
        response = self._form("/ar")
        doc = lxml_html.fromstring(response.content)
        self.assertEqual(doc.get("dir"), "rtl")
        self.assertIn("أرامل تجريبي", response.text)
        self.assertIn("Test Buraydah", response.text)

    def test_qualifies_for_a_not_b(self):
        response, doc = self._check()
        self.assertEqual(response.status_code, 200)
        verdict, reasons, card = self._result(doc, self.service_a)
        self.assertEqual(verdict, "yes")
        self.assertEqual(reasons, self._engine(self.service_a)["reasons"])
        apply = css(card, "a.o_islah_check_apply")[0]
        self.assertEqual(apply.get("href"), f"/islah/request?service_type_id={self.service_a.id}")
        verdict, reasons, card = self._result(doc, self.service_b)
        self.assertEqual(verdict, "no")
        self.assertTrue(reasons)
        self.assertEqual(reasons, self._engine(self.service_b)["reasons"])
        self.assertFalse(css(card, "a.o_islah_check_apply"))
        # the age was not given: the adults' course is to be confirmed
        verdict, reasons, card = self._result(doc, self.service_c)
        self.assertEqual(verdict, "maybe")
        self.assertTrue(reasons)
        self.assertTrue(css(card, "a.o_islah_check_apply"))

    def test_reasons_in_arabic(self):
        _response, doc = self._check("/ar")
        verdict, reasons, card = self._result(doc, self.service_b)
        self.assertEqual(verdict, "no")
        self.assertEqual(reasons, self._engine(self.service_b, lang="ar_001")["reasons"])
        self.assertIn("دعم الأرامل التجريبي", doc.text_content())
        apply = css(self._result(doc, self.service_a)[2], "a.o_islah_check_apply")[0]
        self.assertEqual(
            apply.get("href"), f"/ar/islah/request?service_type_id={self.service_a.id}"
        )

    def test_edge_values(self):
        # 1000 a member exactly, 8 members exactly: still within
        _r, doc = self._check(family_size="8", monthly_income="8000")
        self.assertEqual(self._result(doc, self.service_a)[0], "yes")
        # one riyal more, one member more, one member fewer than 2
        for answers in (
            {"family_size": "8", "monthly_income": "8001"},
            {"family_size": "9", "monthly_income": "100"},
            {"family_size": "1", "monthly_income": "100"},
        ):
            _r, doc = self._check(**answers)
            self.assertEqual(self._result(doc, self.service_a)[0], "no", answers)
        # another city, or one not in the list
        for city in (str(self.city_b.id), "other"):
            _r, doc = self._check(city_id=city)
            verdict, reasons, _card = self._result(doc, self.service_a)
            self.assertEqual(verdict, "no", city)
            self.assertTrue(reasons)
        # the age limit: 17 is not, 18 is
        _r, doc = self._check(age="17")
        self.assertEqual(self._result(doc, self.service_c)[0], "no")
        _r, doc = self._check(age="18")
        self.assertEqual(self._result(doc, self.service_c)[0], "yes")
        # an income of 0 is an answer, and Arabic digits are read
        _r, doc = self._check(monthly_income="0", family_size="٤")
        self.assertEqual(self._result(doc, self.service_a)[0], "yes")

    def test_closed_window_no_apply_link(self):
        self.service_a.application_end = "2000-01-31"
        self.assertFalse(self.service_a._islah_is_open())
        _r, doc = self._check()
        verdict, _reasons, card = self._result(doc, self.service_a)
        self.assertEqual(verdict, "yes")
        self.assertFalse(css(card, "a.o_islah_check_apply"))
        self.assertIn(self.service_a.window_note, card.text_content())

    def _counts(self):
        self.env.invalidate_all()
        counts = {}
        for name, model in self.env.registry.items():
            if not (name.startswith("islah.") or name in ("crm.lead", "mail.message")):
                continue
            if model._abstract or model._transient or not model._auto:
                continue
            counts[name] = self.env[name].sudo().with_context(active_test=False).search_count([])
        return counts

    def test_nothing_is_stored(self):
        before = self._counts()
        self.assertIn("islah.service.faq", before)
        self._check()
        self._check(family_size="0")
        self._check("/ar", age="40")
        self.assertEqual(self._counts(), before)

    def test_bad_answers_kept_with_a_clear_error(self):
        cases = {
            "monthly_income": ["-100", "abc", "12,5x", ""],
            "family_size": ["0", "-2", str(MAX_FAMILY_SIZE + 1), "999999", "four", "2.5"],
            "age": ["-1", "200", "twenty"],
        }
        for field, bad_values in cases.items():
            for bad in bad_values:
                response, doc = self._check(**{field: bad})
                self.assertEqual(response.status_code, 200)
                self.assertTrue(css(doc, "#islah_check_errors"), (field, bad))
                self.assertFalse(css(doc, "#islah_check_results"))
                field_input = css(doc, f'[name="{field}"]')[0]
                self.assertIn("is-invalid", field_input.get("class"))
                self.assertEqual(field_input.get("value") or "", bad)
                # the other answers are kept
                self.assertEqual(
                    css(doc, '[name="family_size"]')[0].get("value") or "",
                    bad if field == "family_size" else "4",
                )
                checked = css(doc, f'input[name="category_ids"][value="{self.cat_widow.id}"]')
                self.assertEqual(checked[0].get("checked"), "checked")

    def test_errors_translated(self):
        _response, doc = self._check("/ar", monthly_income="-5")
        error = css(doc, "#error_monthly_income")[0].text_content()
        arabic = self.env["islah.service.type"].with_context(lang="ar_001").env
        self.assertEqual(
            error,
            arabic._("The income cannot be negative or more than %(max)s.", max="10,000,000"),
        )
        _response, doc = self._check("/ar", family_size="abc")
        self.assertEqual(
            css(doc, "#error_family_size")[0].text_content(),
            arabic._("Type a whole number, in digits."),
        )
        _response, doc = self._check("/ar", city_id="", category_ids=[])
        self.assertTrue(css(doc, "#error_city_id"))
        self.assertTrue(css(doc, "#error_category_ids"))

    def test_unknown_category_or_city_refused(self):
        _r, doc = self._check(city_id="999999999", category_ids=["999999999"])
        self.assertTrue(css(doc, "#error_city_id"))
        self.assertTrue(css(doc, "#error_category_ids"))

    def test_post_without_csrf_refused(self):
        before = self._counts()
        response, _doc = self._check(csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._counts(), before)


class TestParseNumber(BaseCase):
    """DB-less: the numbers a visitor types."""

    def test_parse_bounded_number(self):
        cases = [
            (("4", 1, 40), {}, (4, None)),
            (("٤٠", 1, 40), {}, (40, None)),
            (("41", 1, 40), {}, (None, "out_of_range")),
            (("0", 1, 40), {}, (None, "out_of_range")),
            (("-3", 1, 40), {}, (None, "out_of_range")),
            (("three", 1, 40), {}, (None, "not_a_number")),
            (("2.5", 1, 40), {}, (None, "not_a_number")),
            (("", 1, 40), {}, (None, "required")),
            (("", 0, 120), {"required": False}, (None, None)),
            (("4,500.50", 0, 10**7), {"integer": False}, (4500.5, None)),
            (("٤٥٠٠٫٥", 0, 10**7), {"integer": False}, (4500.5, None)),
            (("-0.5", 0, 10**7), {"integer": False}, (None, "out_of_range")),
        ]
        for args, kwargs, expected in cases:
            self.assertEqual(parse_bounded_number(*args, **kwargs), expected, args)
