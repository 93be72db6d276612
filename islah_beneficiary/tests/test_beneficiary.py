"""The beneficiary registry: delegation to res.partner, identifiers,
sections, Hijri dates, registration, deletion and search."""

from datetime import date, timedelta

from psycopg2.errors import NotNullViolation, UniqueViolation

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from ..tools.constants import GROUP_OFFICER
from .common import IslahCommon


@tagged("post_install", "-at_install")
class TestBeneficiary(IslahCommon):
    # ------------------------------------------------------------------
    # Delegation to res.partner
    # ------------------------------------------------------------------

    def test_create_delegates_to_partner(self):
        beneficiary = self._create_beneficiary(
            name="Fatimah Al-Harbi",
            gender="female",
            email="fatimah@example.com",
            phone="0553304342",
        )
        partner = beneficiary.partner_id
        self.assertTrue(partner, "creating a beneficiary creates its partner")
        self.assertEqual(partner._name, "res.partner")
        self.assertEqual(partner.name, "Fatimah Al-Harbi")
        self.assertEqual(partner.email, "fatimah@example.com")
        self.assertEqual(partner.phone, "+966553304342")
        self.assertEqual(beneficiary.display_name, "Fatimah Al-Harbi")
        # writing on the beneficiary writes the partner
        beneficiary.write({"name": "Fatimah S. Al-Harbi", "email": "f.harbi@example.com"})
        self.assertEqual(partner.name, "Fatimah S. Al-Harbi")
        self.assertEqual(partner.email, "f.harbi@example.com")

    def test_create_on_existing_partner(self):
        partner = self.env["res.partner"].create({"name": "Existing Contact"})
        beneficiary = self._create_beneficiary(partner_id=partner.id)
        self.assertEqual(beneficiary.partner_id, partner)
        self.assertEqual(beneficiary.name, "Existing Contact")

    # ------------------------------------------------------------------
    # National ID / iqama
    # ------------------------------------------------------------------

    def test_national_id_valid(self):
        beneficiary = self._create_beneficiary(national_id="1987654322")
        self.assertEqual(beneficiary.national_id, "1987654322")
        self.assertEqual(beneficiary.id_kind, "citizen")

    def test_national_id_is_stripped(self):
        beneficiary = self._create_beneficiary(national_id=" 1000000008 ")
        self.assertEqual(beneficiary.national_id, "1000000008")

    def test_national_id_in_arabic_digits_stored_in_ascii(self):
        beneficiary = self._create_beneficiary(national_id="١٠٠٠٠٠٠٠٠٨")
        self.assertEqual(beneficiary.national_id, "1000000008")
        # found again by the number however it is typed
        found = self.env["islah.beneficiary"].name_search("١٠٠٠٠٠٠٠٠٨")
        self.assertIn(beneficiary.id, [rid for rid, _name in found])

    def test_iqama_is_resident(self):
        beneficiary = self._create_beneficiary(national_id="2876543212")
        self.assertEqual(beneficiary.id_kind, "resident")
        beneficiary.national_id = "1987654322"
        self.assertEqual(beneficiary.id_kind, "citizen")

    def test_national_id_invalid(self):
        for number in (
            "1012345673",  # wrong check digit
            "101234567",  # 9 digits
            "3012345672",  # starts with 3
            "10123456a2",  # a letter
        ):
            with self.subTest(number=number), self.assertRaises(ValidationError) as caught:
                self._create_beneficiary(national_id=number)
            self.assertIn(number, str(caught.exception))

    def test_national_id_invalid_on_write(self):
        beneficiary = self._create_beneficiary()
        with self.assertRaises(ValidationError) as caught:
            beneficiary.national_id = "1012345673"
        self.assertIn("1012345673", str(caught.exception))

    @mute_logger("odoo.sql_db")
    def test_national_id_required(self):
        with self.assertRaises(NotNullViolation), self.env.cr.savepoint():
            self._create_beneficiary(national_id=False)

    # ------------------------------------------------------------------
    # Uniqueness of the national ID
    # ------------------------------------------------------------------

    def _company_b(self):
        return self.env["res.company"].create({"name": "Islah Test Branch B"})

    @mute_logger("odoo.sql_db")
    def test_national_id_unique_per_company(self):
        """The ORM lets the database refuse the duplicate: Odoo 19 raises the
        raw psycopg2 ``UniqueViolation`` (turned into a ValidationError with
        the constraint's message only at the RPC layer)."""
        number = self._new_national_id()
        self._create_beneficiary(national_id=number)
        with self.assertRaises(UniqueViolation) as caught, self.env.cr.savepoint():
            self._create_beneficiary(national_id=number)
        # the message users get (through RPC) is the constraint's
        Beneficiary = self.env["islah.beneficiary"].with_context(lang="en_US")
        message = Beneficiary._sql_error_to_message(caught.exception)
        self.assertIn("already registered", message)
        # an iqama holder is no exception
        iqama = self._new_national_id("2")
        self._create_beneficiary(national_id=iqama, gender="female")
        with self.assertRaises(UniqueViolation), self.env.cr.savepoint():
            self._create_beneficiary(national_id=iqama, gender="female")

    def test_national_id_same_in_other_company(self):
        number = self._new_national_id()
        first = self._create_beneficiary(national_id=number)
        company_b = self._company_b()
        second = self._create_beneficiary(national_id=number, company_id=company_b.id)
        self.assertEqual(second.national_id, first.national_id)
        self.assertNotEqual(second.company_id, first.company_id)

    @mute_logger("odoo.sql_db")
    def test_national_id_unique_in_database(self):
        """Two officers registering the same person at the same moment.

        Two real concurrent transactions cannot be run here without either
        committing (which would leak into the shared test database) or
        blocking on the unique index until the other one ends. What protects
        concurrent transactions is that the rule lives in PostgreSQL rather
        than in a Python check that both transactions could pass before
        either inserts. So this test proves exactly that:

        1. the unique constraint exists in ``pg_constraint`` on
           ``(company_id, national_id)``;
        2. a raw SQL INSERT, which skips every ORM check, is refused by the
           database itself.
        """
        rows = self.env.execute_query(
            SQL(
                """
                SELECT con.contype, pg_get_constraintdef(con.oid)
                  FROM pg_constraint con
                  JOIN pg_class rel ON rel.oid = con.conrelid
                 WHERE rel.relname = 'islah_beneficiary'
                   AND con.conname = 'islah_beneficiary_national_id_company_uniq'
                """
            )
        )
        self.assertEqual(len(rows), 1, "the unique constraint is missing in the database")
        contype, definition = rows[0]
        self.assertEqual(contype, "u")
        self.assertEqual(definition, "UNIQUE (company_id, national_id)")

        beneficiary = self._create_beneficiary()
        other_partner = self.env["res.partner"].create({"name": "Same person, second desk"})
        self.env.flush_all()
        with self.assertRaises(UniqueViolation), self.env.cr.savepoint():
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO islah_beneficiary
                           (partner_id, national_id, gender, state, company_id)
                    VALUES (%s, %s, 'male', 'draft', %s)
                    """,
                    other_partner.id,
                    beneficiary.national_id,
                    beneficiary.company_id.id,
                )
            )

    # ------------------------------------------------------------------
    # Mobile numbers
    # ------------------------------------------------------------------

    def test_phone_normalised(self):
        for raw in ("0553304342", "+966553304342", "00966553304342", "055 330 4342"):
            with self.subTest(raw=raw):
                beneficiary = self._create_beneficiary(phone=raw)
                self.assertEqual(beneficiary.phone, "+966553304342")
                self.assertEqual(beneficiary.partner_id.phone, "+966553304342")

    def test_phone_normalised_on_write(self):
        beneficiary = self._create_beneficiary()
        beneficiary.phone = "00966 55 123 4567"
        self.assertEqual(beneficiary.phone, "+966551234567")

    def test_phone_invalid(self):
        for raw in ("0112345678", "055330434", "+14155552671"):
            with self.subTest(raw=raw), self.assertRaises(ValidationError) as caught:
                self._create_beneficiary(phone=raw)
            self.assertIn(raw, str(caught.exception))
        beneficiary = self._create_beneficiary(phone="0551234567")
        with self.assertRaises(ValidationError):
            beneficiary.phone = "0112345678"
        self.assertEqual(beneficiary.phone, "+966551234567")

    def test_phone_may_be_empty(self):
        beneficiary = self._create_beneficiary(phone=False)
        self.assertFalse(beneficiary.phone)

    # ------------------------------------------------------------------
    # IBAN
    # ------------------------------------------------------------------

    def test_iban_valid_and_compacted(self):
        beneficiary = self._create_beneficiary(iban="sa94 8000 0440 6080 1022 0026")
        self.assertEqual(beneficiary.iban, "SA9480000440608010220026")
        beneficiary.iban = "SA94 8000 0440 6080 1022 0026"
        self.assertEqual(beneficiary.iban, "SA9480000440608010220026")

    def test_iban_invalid(self):
        for iban in (
            "SA9580000440608010220026",  # bad checksum
            "GB82WEST12345698765432",  # not Saudi
            "SA948000044060801022002",  # wrong length
        ):
            with self.subTest(iban=iban), self.assertRaises(ValidationError) as caught:
                self._create_beneficiary(iban=iban)
            self.assertIn(iban, str(caught.exception))

    # ------------------------------------------------------------------
    # Section, dates
    # ------------------------------------------------------------------

    def test_gender_decides_section(self):
        man = self._create_beneficiary(gender="male")
        woman = self._create_beneficiary(gender="female")
        self.assertEqual(man.section, "men")
        self.assertEqual(woman.section, "women")
        request = self._create_request(man)
        self.assertEqual(request.section, "men")
        man.gender = "female"
        self.assertEqual(man.section, "women")
        self.assertEqual(request.section, "women", "the request follows its beneficiary")

    def test_birth_date_hijri(self):
        # Umm al-Qura calendar: 27 December 2023 = 14 Jumada al-Akhirah 1445
        beneficiary = self._create_beneficiary(birth_date=date(2023, 12, 27))
        self.assertEqual(beneficiary.with_context(lang="en_US").birth_date_hijri, "14/06/1445 AH")
        self.env["res.lang"]._activate_lang("ar_001")
        self.assertEqual(beneficiary.with_context(lang="ar_001").birth_date_hijri, "14/06/1445 هـ")
        beneficiary.birth_date = False
        self.assertEqual(beneficiary.birth_date_hijri, "")

    def test_birth_date_not_in_future(self):
        tomorrow = fields.Date.context_today(self.env.user) + timedelta(days=1)
        with self.assertRaises(ValidationError):
            self._create_beneficiary(birth_date=tomorrow)
        beneficiary = self._create_beneficiary(birth_date=fields.Date.context_today(self.env.user))
        with self.assertRaises(ValidationError):
            beneficiary.birth_date = tomorrow

    # ------------------------------------------------------------------
    # Registration
    # ------------------------------------------------------------------

    def test_register_needs_consent(self):
        beneficiary = self._create_beneficiary(consent=False)
        with self.assertRaises(UserError):
            beneficiary.with_user(self.officer_men).action_register()
        self.assertEqual(beneficiary.state, "draft")
        self.assertFalse(beneficiary.registered_on)

    def test_register(self):
        beneficiary = self._create_beneficiary(consent=True)
        self.assertEqual(beneficiary.consent_date, fields.Date.context_today(beneficiary))
        as_officer = beneficiary.with_user(self.officer_men)
        as_officer.action_register()
        self.assertEqual(beneficiary.state, "registered")
        # the day in the registering officer's time zone
        self.assertEqual(beneficiary.registered_on, fields.Date.context_today(as_officer))
        # registering again changes nothing
        beneficiary.registered_on = date(2024, 1, 1)
        beneficiary.action_register()
        self.assertEqual(beneficiary.registered_on, date(2024, 1, 1))

    def test_suspend_and_reset(self):
        beneficiary = self._create_beneficiary()
        beneficiary.action_suspend()
        self.assertEqual(beneficiary.state, "draft", "only a registered beneficiary is suspended")
        beneficiary.action_register()
        beneficiary.action_suspend()
        self.assertEqual(beneficiary.state, "suspended")
        beneficiary.action_reset_draft()
        self.assertEqual(beneficiary.state, "draft")

    # ------------------------------------------------------------------
    # Deletion and archiving
    # ------------------------------------------------------------------

    def test_cannot_delete_with_request(self):
        request = self._create_request()
        beneficiary = request.beneficiary_id
        self.assertEqual(beneficiary.state, "draft")
        with self.assertRaises(UserError):
            beneficiary.with_user(self.manager).unlink()
        # an archived request is history too
        request.active = False
        with self.assertRaises(UserError):
            beneficiary.with_user(self.manager).unlink()
        self.assertTrue(beneficiary.exists())

    def test_archive_with_request(self):
        """Archiving is the way out: the beneficiary and its partner are archived."""
        beneficiary = self._create_request().beneficiary_id
        beneficiary.with_user(self.manager).action_archive()
        self.assertFalse(beneficiary.active)
        self.assertFalse(beneficiary.partner_id.active)
        Beneficiary = self.env["islah.beneficiary"]
        self.assertNotIn(beneficiary, Beneficiary.search([("id", "=", beneficiary.id)]))
        self.assertIn(
            beneficiary,
            Beneficiary.with_context(active_test=False).search([("id", "=", beneficiary.id)]),
        )
        beneficiary.with_user(self.manager).action_unarchive()
        self.assertTrue(beneficiary.partner_id.active)

    def test_cannot_delete_registered(self):
        beneficiary = self._create_beneficiary()
        beneficiary.action_register()
        with self.assertRaises(UserError):
            beneficiary.with_user(self.manager).unlink()

    def test_delete_draft_without_history(self):
        beneficiary = self._create_beneficiary()
        partner = beneficiary.partner_id
        beneficiary.with_user(self.manager).unlink()
        self.assertFalse(beneficiary.exists())
        self.assertTrue(partner.exists(), "the contact is kept for the rest of the CRM")

    # ------------------------------------------------------------------
    # Search by national ID
    # ------------------------------------------------------------------

    def test_name_search_by_national_id(self):
        number = self._new_national_id()
        beneficiary = self._create_beneficiary(name="Khalid Test", national_id=number)
        Beneficiary = self.env["islah.beneficiary"].with_user(self.officer_men)
        found = [rec_id for rec_id, _name in Beneficiary.name_search(number)]
        self.assertEqual(found, [beneficiary.id])
        found = [rec_id for rec_id, _name in Beneficiary.name_search(f" {number} ")]
        self.assertEqual(found, [beneficiary.id])
        # the name still works
        found = [rec_id for rec_id, _name in Beneficiary.name_search("Khalid Test")]
        self.assertIn(beneficiary.id, found)
        # a woman officer does not find a man's file by his number
        Beneficiary = self.env["islah.beneficiary"].with_user(self.officer_women)
        self.assertFalse(Beneficiary.name_search(number))

    def test_name_search_by_national_id_not_for_committee(self):
        """A committee member may see the beneficiary but not search its national ID."""
        number = self._new_national_id()
        beneficiary = self._create_beneficiary(name="Saad Committee Case", national_id=number)
        self._request_in_state("committee", beneficiary)
        Beneficiary = self.env["islah.beneficiary"].with_user(self.committee_member)
        self.assertIn(beneficiary, Beneficiary.search([("name", "=", "Saad Committee Case")]))
        self.assertFalse(Beneficiary.name_search(number))

    # ------------------------------------------------------------------
    # Family members
    # ------------------------------------------------------------------

    def test_family_members(self):
        beneficiary = self._create_beneficiary()
        self.assertEqual(beneficiary.member_count, 1, "the beneficiary alone")
        Member = self.env["islah.beneficiary.member"]
        Member.create(
            {
                "beneficiary_id": beneficiary.id,
                "name": "Son",
                "relation": "son",
                "national_id": self._new_national_id(),
            }
        )
        Member.create({"beneficiary_id": beneficiary.id, "name": "Baby", "relation": "daughter"})
        self.assertEqual(beneficiary.member_count, 3)
        self.assertEqual(beneficiary.member_ids.company_id, beneficiary.company_id)

    def test_family_member_invalid_id(self):
        beneficiary = self._create_beneficiary()
        with self.assertRaises(ValidationError) as caught:
            self.env["islah.beneficiary.member"].create(
                {
                    "beneficiary_id": beneficiary.id,
                    "name": "Wife",
                    "relation": "spouse",
                    "national_id": "1012345673",
                }
            )
        self.assertIn("1012345673", str(caught.exception))

    def test_find_or_create_one_file_per_national_id(self):
        """Every intake path finds the file by its national ID, typed in
        Arabic digits or not, or registers it once; the other section's file
        is neither shown nor duplicated."""
        Beneficiary = self.env["islah.beneficiary"].with_user(self.officer_women)
        number = self._new_national_id()
        values = {"name": "Huda", "national_id": number, "gender": "female"}
        first, created = Beneficiary._islah_find_or_create(values)
        self.assertTrue(created)
        self.assertEqual(first.section, "women")
        arabic = number.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
        again, created = Beneficiary._islah_find_or_create(dict(values, national_id=arabic))
        self.assertFalse(created)
        self.assertEqual(again, first)
        men_file = self._create_beneficiary(gender="male")
        with self.assertRaisesRegex(UserError, "section you do not have access to"):
            Beneficiary._islah_find_or_create(
                dict(values, national_id=men_file.sudo().national_id, gender="male")
            )
        with self.assertRaisesRegex(UserError, "which you do not serve"):
            Beneficiary._islah_find_or_create(
                dict(values, national_id=self._new_national_id(), gender="male")
            )
        with self.assertRaises(ValidationError):
            Beneficiary._islah_find_or_create(dict(values, national_id="1012345673"))
        self.assertEqual(
            self.env["islah.beneficiary"].sudo().search_count([("national_id", "=", number)]), 1
        )

    def test_company_staff_by_group_and_section(self):
        """One search of "the users of a group serving a section": the
        managers, and the officers of a section with the managers as fallback."""
        company = self.company
        managers = company._islah_managers("men")
        self.assertIn(self.manager, managers, "a manager of both sections")
        self.assertIn(self.manager_men, managers)
        self.assertNotIn(self.manager_men, company._islah_managers("women"))
        officers = company._islah_section_staff(GROUP_OFFICER, "women")
        self.assertIn(self.officer_women, officers)
        self.assertNotIn(self.officer_men, officers)
        self.assertFalse(officers & managers, "managers aside")
        # a company without officers: its managers of the section stand in
        other = self.env["res.company"].create({"name": "Islah branch"})
        self.manager_men.company_ids = [Command.link(other.id)]
        self.assertEqual(other._islah_section_staff(GROUP_OFFICER, "men"), self.manager_men)
        self.assertFalse(other._islah_section_staff(GROUP_OFFICER, "women"))
