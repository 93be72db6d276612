"""Unit tests of the eligibility engine in ``tools/eligibility.py`` (no
database): each condition at its limits, one over, unknown facts, and a
service without conditions."""

from datetime import date

from odoo.tests.common import BaseCase

from odoo.addons.islah_beneficiary.tools import eligibility


class English:
    """An environment as far as the engine uses it: ``env._``."""

    @staticmethod
    def _(message, **params):
        return message % params


env = English()
WIDOWS, ORPHANS, DISPUTE = 1, 2, 3
RIYADH, JEDDAH, DAMMAM = 10, 11, 12
# a service with every condition
CONDITIONS = {
    "categories": {WIDOWS: "Widows", ORPHANS: "Orphans"},
    "max_income_per_member": 2000.0,
    "min_family_size": 2,
    "max_family_size": 8,
    "cities": {RIYADH: "Riyadh", JEDDAH: "Jeddah"},
    "min_age": 18,
    "max_age": 60,
}
# a widow of Riyadh, 40, family of 4 on 6,000 a month: 1,500 per member
FACTS = {
    "category_ids": [WIDOWS],
    "family_size": 4,
    "monthly_income": 6000.0,
    "city_id": RIYADH,
    "age": 40,
}


def evaluate(conditions=None, **facts):
    return eligibility.evaluate(
        CONDITIONS if conditions is None else conditions, dict(FACTS, **facts), env
    )


class TestEligibilityEngine(BaseCase):
    def test_all_conditions_met(self):
        result = evaluate()
        self.assertIs(result["eligible"], True)
        self.assertEqual(len(result["reasons"]), 5)
        self.assertIn(
            "The monthly income per family member (1,500) is within the limit of 2,000.",
            result["reasons"],
        )
        self.assertIn(
            "This service is for: Widows, Orphans. Matching category: Widows.",
            result["reasons"],
        )

    def test_no_conditions_is_anyone(self):
        for conditions in ({}, dict.fromkeys(CONDITIONS, 0)):
            result = evaluate(conditions, category_ids=None, monthly_income=None, age=None)
            self.assertIs(result["eligible"], True)
            self.assertEqual(result["reasons"], ["This service has no eligibility conditions."])

    def test_income_limit_inclusive(self):
        # exactly the limit: 8,000 / 4 = 2,000
        self.assertIs(evaluate(monthly_income=8000.0)["eligible"], True)
        # a halala over per member
        over = evaluate(monthly_income=8000.04)
        self.assertIs(over["eligible"], False)
        self.assertIn(
            "The monthly income per family member (2,000.01) is over the limit of 2,000.",
            over["reasons"],
        )
        # no income at all is within any limit
        self.assertIs(evaluate(monthly_income=0.0)["eligible"], True)

    def test_income_divided_by_family_size(self):
        # 6,000 is 3,000 for a family of two, 1,000 for a family of six
        self.assertIs(evaluate(family_size=2)["eligible"], False)
        self.assertIs(evaluate(family_size=6)["eligible"], True)

    def test_income_confidential_hides_the_figure(self):
        result = evaluate(income_confidential=True)
        self.assertIs(result["eligible"], True)
        self.assertIn(
            "The monthly income per family member is within the limit of 2,000.",
            result["reasons"],
        )
        self.assertFalse([reason for reason in result["reasons"] if "1,500" in reason])
        over = evaluate(monthly_income=9000.0, income_confidential=True)
        self.assertIs(over["eligible"], False)
        self.assertFalse([reason for reason in over["reasons"] if "2,250" in reason])

    def test_family_size_limits_inclusive(self):
        self.assertIs(evaluate(family_size=2, monthly_income=0.0)["eligible"], True)
        self.assertIs(evaluate(family_size=8, monthly_income=0.0)["eligible"], True)
        below = evaluate(family_size=1, monthly_income=0.0)
        self.assertIs(below["eligible"], False)
        self.assertIn(
            "The family size (1) does not meet the condition: from 2 to 8.", below["reasons"]
        )
        self.assertIs(evaluate(family_size=9, monthly_income=0.0)["eligible"], False)

    def test_one_sided_limits(self):
        conditions = {"min_family_size": 3}
        self.assertIs(evaluate(conditions, family_size=3)["eligible"], True)
        self.assertIn(
            "The family size (30) meets the condition: at least 3.",
            evaluate(conditions, family_size=30)["reasons"],
        )
        conditions = {"max_age": 60}
        self.assertIs(evaluate(conditions, age=60)["eligible"], True)
        result = evaluate(conditions, age=61)
        self.assertIs(result["eligible"], False)
        self.assertEqual(
            result["reasons"],
            ["The age (61 years) does not meet the condition: at most 60 years."],
        )

    def test_age_limits_inclusive(self):
        self.assertIs(evaluate(age=18)["eligible"], True)
        self.assertIs(evaluate(age=60)["eligible"], True)
        self.assertIs(evaluate(age=17)["eligible"], False)
        self.assertIs(evaluate(age=61)["eligible"], False)

    def test_category_and_city(self):
        self.assertIs(evaluate(category_ids=[DISPUTE, ORPHANS])["eligible"], True)
        other = evaluate(category_ids=[DISPUTE])
        self.assertIs(other["eligible"], False)
        self.assertIn("This service is for: Widows, Orphans.", other["reasons"])
        # no category at all is known: none of them
        self.assertIs(evaluate(category_ids=[])["eligible"], False)
        away = evaluate(city_id=DAMMAM, city_name="Dammam")
        self.assertIs(away["eligible"], False)
        self.assertIn(
            "This service covers only: Riyadh, Jeddah (the city on file is Dammam).",
            away["reasons"],
        )
        self.assertIn(
            "This service covers only: Riyadh, Jeddah.", evaluate(city_id=DAMMAM)["reasons"]
        )

    def test_unknown_facts_to_be_confirmed(self):
        for fact in ("category_ids", "family_size", "monthly_income", "city_id", "age"):
            with self.subTest(fact=fact):
                result = evaluate(**{fact: None})
                self.assertIsNone(result["eligible"])
                self.assertTrue(
                    [reason for reason in result["reasons"] if "to be confirmed" in reason]
                )
        self.assertIn(
            "The monthly income per family member is to be confirmed (limit: 2,000).",
            evaluate(monthly_income=None)["reasons"],
        )

    def test_a_failure_beats_an_unknown(self):
        self.assertIs(evaluate(age=None, city_id=DAMMAM)["eligible"], False)

    def test_unknown_fact_without_its_condition(self):
        self.assertIs(evaluate({"min_age": 18}, monthly_income=None)["eligible"], True)

    def test_amounts_with_currency(self):
        result = eligibility.evaluate(
            {"max_income_per_member": 2000.0}, FACTS, env, lambda amount: f"{amount:,.0f} SAR"
        )
        self.assertEqual(
            result["reasons"],
            ["The monthly income per family member (1,500 SAR) is within the limit of 2,000 SAR."],
        )

    def test_age_on(self):
        born = date(1990, 6, 15)
        self.assertEqual(eligibility.age_on(born, date(2026, 6, 14)), 35)
        self.assertEqual(eligibility.age_on(born, date(2026, 6, 15)), 36)
        self.assertEqual(eligibility.age_on(date(2008, 2, 29), date(2026, 2, 28)), 17)
        self.assertEqual(eligibility.age_on(date(2008, 2, 29), date(2026, 3, 1)), 18)
        self.assertIsNone(eligibility.age_on(None, date(2026, 1, 1)))

    def test_income_per_member(self):
        self.assertEqual(eligibility.income_per_member(6000.0, 4), 1500.0)
        self.assertIsNone(eligibility.income_per_member(None, 4))
        self.assertIsNone(eligibility.income_per_member(6000.0, None))
