"""Eligibility on the models: a beneficiary's facts, the verdict per reader
(the figure only for who may read the income, nothing for who may not read
the file), the request's eligibility fields and the conditions' checks."""

from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.service.model import call_kw
from odoo.tests import freeze_time, tagged
from odoo.tools import mute_logger

from .common import IslahCommon

TODAY = "2026-03-10 09:00:00"


@tagged("post_install", "-at_install", "islah_eligibility")
class TestServiceEligibility(IslahCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.city_in = cls.env["islah.city"].create({"name": "Test Unaizah"})
        cls.city_out = cls.env["islah.city"].create({"name": "Test Al Ula"})
        cls.cat_widows = cls.env["islah.beneficiary.category"].create({"name": "Test widows"})
        cls.cat_other = cls.env["islah.beneficiary.category"].create({"name": "Test other"})
        cls.service = cls.env["islah.service.type"].create(
            {
                "name": "Test monthly aid",
                "eligible_category_ids": [(6, 0, cls.cat_widows.ids)],
                "max_income_per_member": 2000,
                "min_family_size": 2,
                "max_family_size": 6,
                "eligible_city_ids": [(6, 0, cls.city_in.ids)],
                "min_age": 18,
                "max_age": 65,
                "period_months": 6,
            }
        )
        # 40 on the frozen day, a family of three on 4,500: 1,500 per member
        cls.beneficiary = cls._create_beneficiary(
            birth_date=date(1986, 3, 10),
            monthly_income=4500,
            city_id=cls.city_in.id,
            category_ids=[(6, 0, cls.cat_widows.ids)],
            member_ids=[
                (0, 0, {"name": "Test son", "relation": "son"}),
                (0, 0, {"name": "Test daughter", "relation": "daughter"}),
            ],
        )
        cls.request = cls._request_in_state(
            "committee", cls.beneficiary, service_type_id=cls.service.id
        )

    def _call(self, user, model, method, *args, **kwargs):
        return call_kw(self.env[model].with_user(user), method, list(args), kwargs)

    def _verdict(self, user=None, beneficiary=None):
        beneficiary = (beneficiary or self.beneficiary).with_user(user or self.officer_men)
        return beneficiary._islah_eligibility(self.service.with_user(user or self.officer_men))[
            self.service.id
        ]

    @freeze_time(TODAY)
    def test_facts(self):
        facts = self.beneficiary.with_user(self.officer_men)._islah_eligibility_facts()
        self.assertEqual(facts["family_size"], 3, "the beneficiary and two members")
        self.assertEqual(facts["monthly_income"], 4500)
        self.assertEqual(facts["city_id"], self.city_in.id)
        self.assertEqual(facts["category_ids"], self.cat_widows.ids)
        self.assertEqual(facts["age"], 40, "40 on the birthday itself")
        self.assertFalse(facts["income_confidential"])

    @freeze_time("2026-03-09 20:59:00")
    def test_age_in_the_association_time_zone(self):
        # 23:59 in Riyadh on the 9th: still 39
        facts = self.beneficiary._islah_eligibility_facts()
        self.assertEqual(facts["age"], 39)

    @freeze_time("2026-03-09 21:00:00")
    def test_age_after_midnight_in_riyadh(self):
        self.assertEqual(self.beneficiary._islah_eligibility_facts()["age"], 40)

    def test_unknown_facts(self):
        bare = self._create_beneficiary()
        facts = bare._islah_eligibility_facts()
        self.assertIsNone(facts["category_ids"])
        self.assertIsNone(facts["city_id"])
        self.assertIsNone(facts["age"])
        self.assertEqual(facts["family_size"], 1)
        verdict = bare._islah_eligibility(self.service)[self.service.id]
        self.assertIs(verdict["eligible"], False, "a family of one is below the minimum")
        self.assertTrue([r for r in verdict["reasons"] if "to be confirmed" in r])

    @freeze_time(TODAY)
    def test_officer_gets_verdict_with_the_figure(self):
        verdict = self._verdict(self.officer_men)
        self.assertIs(verdict["eligible"], True)
        self.assertTrue([r for r in verdict["reasons"] if "1,500" in r], verdict["reasons"])

    @freeze_time(TODAY)
    def test_income_at_the_limit_and_over(self):
        self.beneficiary.monthly_income = 6000  # 2,000 per member: the limit
        self.assertIs(self._verdict()["eligible"], True)
        self.beneficiary.monthly_income = 6003  # 2,001
        verdict = self._verdict()
        self.assertIs(verdict["eligible"], False)
        self.assertTrue([r for r in verdict["reasons"] if "over the limit" in r])
        # one more member: 1,500.75 per member
        self.beneficiary.member_ids = [(0, 0, {"name": "Test mother", "relation": "mother"})]
        self.assertIs(self._verdict()["eligible"], True)

    @freeze_time(TODAY)
    def test_researcher_gets_verdict(self):
        self.request.researcher_id = self.researcher
        verdict = self._verdict(self.researcher)
        self.assertIs(verdict["eligible"], True)
        self.assertTrue([r for r in verdict["reasons"] if "1,500" in r])

    @freeze_time(TODAY)
    def test_committee_member_gets_verdict_not_figure(self):
        """A committee member may not read the income: the verdict and the
        reasons reach them, the figure does not."""
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self._call(
                self.committee_member, "islah.beneficiary", "read", self.beneficiary.ids,
                ["monthly_income"],
            )  # fmt: skip
        (values,) = self._call(
            self.committee_member,
            "islah.support.request",
            "read",
            self.request.ids,
            ["eligibility_state", "eligibility_reasons"],
        )
        self.assertEqual(values["eligibility_state"], "eligible")
        self.assertIn("within the limit", values["eligibility_reasons"])
        self.assertNotIn("1,500", values["eligibility_reasons"])
        self.assertNotIn("4,500", values["eligibility_reasons"])
        facts = self.beneficiary.with_user(self.committee_member)._islah_eligibility_facts()
        self.assertTrue(facts["income_confidential"])

    def test_other_section_gets_nothing(self):
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self._call(
                self.officer_women,
                "islah.support.request",
                "read",
                self.request.ids,
                ["eligibility_state", "eligibility_reasons"],
            )
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.beneficiary.with_user(self.officer_women)._islah_eligibility_facts()
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self._verdict(self.officer_women)
        # a private method is not callable over RPC at all
        with self.assertRaises(AccessError):
            self._call(
                self.officer_men, "islah.beneficiary", "_islah_eligibility_facts",
                self.beneficiary.ids,
            )  # fmt: skip

    def test_internal_user_without_group_gets_nothing(self):
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.beneficiary.with_user(self.internal_user)._islah_eligibility_facts()

    @freeze_time(TODAY)
    def test_request_eligibility_fields(self):
        request = self.request.with_user(self.officer_men)
        self.assertEqual(request.eligibility_state, "eligible")
        self.assertIn("Test widows", request.eligibility_reasons)
        # moved to a city the service does not cover: not eligible, and why
        self.beneficiary.city_id = self.city_out
        self.assertEqual(request.eligibility_state, "not_eligible")
        self.assertIn(
            "This service covers only: Test Unaizah (the city on file is Test Al Ula).",
            request.eligibility_reasons,
        )
        # no city on file: to be confirmed
        self.beneficiary.city_id = False
        self.assertEqual(request.eligibility_state, "unknown")
        self.assertIn("The city is to be confirmed", request.eligibility_reasons)
        # another service, without conditions
        request.sudo().service_type_id = self.service_no_research
        self.assertEqual(request.eligibility_state, "eligible")
        self.assertEqual(request.eligibility_reasons, "This service has no eligibility conditions.")

    @freeze_time(TODAY)
    def test_request_follows_categories_and_family(self):
        request = self.request.with_user(self.officer_men)
        self.beneficiary.category_ids = self.cat_other
        self.assertEqual(request.eligibility_state, "not_eligible")
        self.beneficiary.category_ids = self.cat_widows
        self.beneficiary.member_ids = [
            (0, 0, {"name": f"Test child {n}", "relation": "son"}) for n in range(4)
        ]
        # seven people: over the maximum of six
        self.assertEqual(request.eligibility_state, "not_eligible")
        self.assertIn("The family size (7) does not meet", request.eligibility_reasons)

    # conditions ------------------------------------------------------------

    def test_conditions_checked(self):
        service = self.service.with_user(self.manager)
        bad_values = [
            {"min_family_size": 7},
            {"min_age": 70},
            {"max_income_per_member": -1},
            {"min_family_size": -1},
            {"max_age": -5, "min_age": 0},
            {"period_months": -1},
        ]
        for vals in bad_values:
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                with self.env.cr.savepoint():
                    service.write(vals)
        with self.assertRaises(ValidationError) as error, self.env.cr.savepoint():
            service.write({"min_age": 70})
        self.assertIn("the minimum age (70) is above the maximum (65)", str(error.exception))
        # a minimum with no maximum, and equal limits, are fine
        service.write({"min_family_size": 4, "max_family_size": 0})
        service.write({"min_age": 30, "max_age": 30})

    def test_conditions_edited_by_managers_only(self):
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self._call(
                self.officer_men, "islah.service.type", "write", self.service.ids,
                {"max_income_per_member": 99999},
            )  # fmt: skip
        self._call(
            self.manager, "islah.service.type", "write", self.service.ids,
            {"max_income_per_member": 2500},
        )  # fmt: skip
        self.assertEqual(self.service.max_income_per_member, 2500)
        # every staff member reads the conditions
        (values,) = self._call(
            self.committee_member, "islah.service.type", "read", self.service.ids,
            ["max_income_per_member", "eligible_city_ids", "period_months"],
        )  # fmt: skip
        self.assertEqual(values["eligible_city_ids"], self.city_in.ids)

    def test_city_access(self):
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self._call(self.officer_men, "islah.city", "create", {"name": "Test Hail"})
        self._call(self.manager, "islah.city", "create", {"name": "Test Hail"})
        riyadh = self.env.ref("islah_beneficiary.city_riyadh")
        self.assertTrue(self._call(self.portal_user, "islah.city", "read", riyadh.ids, ["name"]))
