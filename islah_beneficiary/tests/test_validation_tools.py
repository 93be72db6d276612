"""Unit tests of the pure helpers in ``islah_beneficiary.tools`` (no ORM).

at_install (the default): no database, nothing of other addons is needed.
"""

from datetime import date

from odoo.tests.common import BaseCase

from odoo.addons.islah_beneficiary.tools import (
    format_hijri,
    is_valid_iban,
    is_valid_national_id,
    make_national_id,
    normalize_national_id,
    normalize_saudi_mobile,
)


class TestNationalId(BaseCase):
    def test_valid_numbers(self):
        for number in (
            "1012345672",
            "1034567899",
            "1122334459",
            "1000000008",
            "1987654322",
            "2055512343",  # iqamas start with 2
            "2211223348",
            "2876543212",
        ):
            with self.subTest(number=number):
                self.assertTrue(is_valid_national_id(number))

    def test_surrounding_spaces_are_ignored(self):
        self.assertTrue(is_valid_national_id(" 1012345672 "))

    def test_arabic_digits_are_normalised(self):
        # as an Arabic keyboard types them (Arabic-Indic and Eastern forms)
        self.assertEqual(normalize_national_id(" ١٠١٢٣٤٥٦٧٢ "), "1012345672")
        self.assertEqual(normalize_national_id("۱۰۱۲۳۴۵۶۷۲"), "1012345672")
        self.assertEqual(normalize_national_id(None), "")

    def test_invalid_numbers(self):
        for number in (
            "1012345673",  # wrong check digit
            "1012345670",  # wrong check digit
            "101234567",  # 9 digits
            "10123456720",  # 11 digits
            "3012345672",  # neither 1 nor 2 in front (Luhn-valid body otherwise)
            "0012345674",
            "10123456a2",  # a letter
            "1012 345672",  # inner space
            "",
            None,
        ):
            with self.subTest(number=number):
                self.assertFalse(is_valid_national_id(number))


class TestSaudiMobile(BaseCase):
    def test_accepted_forms_are_normalised(self):
        for raw in (
            "0553304342",
            "553304342",
            "+966553304342",
            "966553304342",
            "00966553304342",
            "055 330 4342",
            "+966 55 330 4342",
            "055-330-4342",
            " 0553304342 ",
        ):
            with self.subTest(raw=raw):
                self.assertEqual(normalize_saudi_mobile(raw), "+966553304342")
        self.assertEqual(normalize_saudi_mobile("0551234567"), "+966551234567")

    def test_refused_numbers(self):
        for raw in (
            "0112345678",  # Riyadh landline
            "+966112345678",  # the same, international form
            "055330434",  # too short
            "05533043421",  # too long
            "+14155552671",  # United States
            "+971501234567",  # UAE mobile
            "abc",
            "",
            None,
        ):
            with self.subTest(raw=raw):
                self.assertIsNone(normalize_saudi_mobile(raw))


class TestIban(BaseCase):
    def test_valid(self):
        self.assertTrue(is_valid_iban("SA9480000440608010220026"))
        self.assertTrue(is_valid_iban("SA94 8000 0440 6080 1022 0026"))
        self.assertTrue(is_valid_iban("sa9480000440608010220026"))

    def test_invalid(self):
        for iban in (
            "SA9580000440608010220026",  # bad checksum
            "SA9480000440608010220027",  # bad checksum (last digit)
            "GB82WEST12345698765432",  # valid IBAN, not Saudi
            "DE89370400440532013000",  # valid IBAN, not Saudi
            "SA948000044060801022002",  # 23 characters
            "SA94800004406080102200261",  # 25 characters
            "SA94800004406080102200X6",  # a letter in the account
            "",
            None,
        ):
            with self.subTest(iban=iban):
                self.assertFalse(is_valid_iban(iban))


class TestFormatHijri(BaseCase):
    """Expected values are fixed pairs of the official Umm al-Qura calendar,
    not computed with the library under test."""

    def test_known_dates(self):
        self.assertEqual(format_hijri(date(2023, 12, 27), "en_US"), "14/06/1445 AH")
        # 1 Muharram 1445 and 1 Ramadan 1445
        self.assertEqual(format_hijri(date(2023, 7, 19), "en_US"), "01/01/1445 AH")
        self.assertEqual(format_hijri(date(2024, 3, 11), "en_US"), "01/09/1445 AH")
        # Eid al-Fitr (1 Shawwal) 1444 and 1445, as announced in Saudi Arabia
        self.assertEqual(format_hijri(date(2023, 4, 21), "en_US"), "01/10/1444 AH")
        self.assertEqual(format_hijri(date(2024, 4, 10), "en_US"), "01/10/1445 AH")

    def test_arabic_suffix(self):
        self.assertEqual(format_hijri(date(2023, 12, 27), "ar_001"), "14/06/1445 هـ")
        self.assertEqual(format_hijri(date(2023, 12, 27), "ar_SA"), "14/06/1445 هـ")

    def test_default_language_is_not_arabic(self):
        self.assertEqual(format_hijri(date(2023, 12, 27)), "14/06/1445 AH")
        self.assertEqual(format_hijri(date(2023, 12, 27), None), "14/06/1445 AH")

    def test_empty_and_out_of_range(self):
        self.assertEqual(format_hijri(None), "")
        self.assertEqual(format_hijri(False, "ar_001"), "")
        # the Umm al-Qura tables cover 1343-1500 AH (1924-2077)
        self.assertEqual(format_hijri(date(1900, 1, 1), "ar_001"), "")
        self.assertEqual(format_hijri(date(2090, 1, 1), "en_US"), "")


class TestMakeNationalId(BaseCase):
    """The fixtures' and benchmarks' generator: valid numbers, no database."""

    def test_generated_numbers_are_valid(self):
        for serial, kind, prefix in (
            (1, "1", ""),
            (42, "2", ""),
            (123456, "1", "97"),
            (7, "2", "6"),
        ):
            with self.subTest(serial=serial, kind=kind, prefix=prefix):
                number = make_national_id(serial, kind, prefix=prefix)
                self.assertEqual(len(number), 10)
                self.assertTrue(number.startswith(kind + prefix))
                self.assertTrue(is_valid_national_id(number))

    def test_same_numbers_as_before(self):
        # the fixtures' former body f"{kind}97{serial:06d}" and the
        # benchmark's f"{kind}6{serial:07d}", each plus its Luhn digit
        self.assertEqual(make_national_id(5, "1", prefix="97")[:9], "197000005")
        self.assertEqual(make_national_id(5, "2", prefix="6")[:9], "260000005")
        self.assertNotEqual(make_national_id(1), make_national_id(2))
