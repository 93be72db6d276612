"""islah.data.correction: a beneficiary's correction request is a to-do for
an officer of their section, answered by e-mail in their language; the
other section's staff see nothing of it."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import call_kw
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MailCase

from .common import IslahCommon
from .test_company_mail import _setup_arabic

LAYOUT_MARK = "Test Islah correction association"
GROUP_MANAGER = "islah_beneficiary.group_islah_beneficiary_manager"


@tagged("post_install", "-at_install", "islah_data_correction")
class TestDataCorrection(IslahCommon, MailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _setup_arabic(cls.env)
        cls.company.write({"name": LAYOUT_MARK, "email": "info@islah.test"})
        cls.team_men = cls.env.ref("islah_beneficiary.crm_team_islah_men")
        cls.team_men.write({"user_id": cls.officer_men.id, "member_ids": [(5, 0, 0)]})
        cls.beneficiary = cls._create_beneficiary(
            name="Correction Asker", email="asker@example.com", lang="ar_001"
        )
        cls.Correction = cls.env["islah.data.correction"]

    def _ask(self, beneficiary=None, text="My birth date is wrong: 1990-05-17"):
        # as the portal controller does: superuser, after its partner check
        return (
            self.Correction.sudo()
            .with_context(mail_create_nosubscribe=True)
            .create({"beneficiary_id": (beneficiary or self.beneficiary).id, "description": text})
            .sudo(False)
        )

    def _rpc(self, user, method, *args, **kwargs):
        return call_kw(self.Correction.with_user(user), method, list(args), kwargs)

    # ------------------------------------------------------------------
    # Creation: officer and to-do
    # ------------------------------------------------------------------

    def test_todo_for_the_section_team_leader(self):
        correction = self._ask()
        self.assertEqual(correction.section, "men")
        self.assertEqual(correction.company_id, self.beneficiary.company_id)
        self.assertEqual(correction.state, "new")
        self.assertEqual(correction.officer_id, self.officer_men)
        activity = correction.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.officer_men)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))

    def test_todo_falls_back_on_section_officers_then_managers(self):
        """A team leader of the other section is never chosen."""
        self.team_men.write({"user_id": self.officer_women.id})
        correction = self._ask()
        self.assertNotEqual(correction.officer_id, self.officer_women)
        self.assertIn("men", correction.officer_id._islah_sections())
        self.assertTrue(correction.officer_id.has_group(GROUP_MANAGER))
        self.team_men.write({"user_id": False, "member_ids": [(6, 0, self.officer_men.ids)]})
        self.assertEqual(self._ask().officer_id, self.officer_men)

    def test_description_required_and_limited(self):
        with self.assertRaises(ValidationError):
            self._ask(text="   ")
        with self.assertRaises(ValidationError):
            self._ask(text="x" * 2001)

    def test_asked_text_cannot_be_rewritten(self):
        correction = self._ask()
        with self.assertRaises(UserError):
            correction.with_user(self.officer_men).write({"description": "Something else"})
        with self.assertRaises(UserError):
            correction.with_user(self.officer_men).write({"state": "answered"})

    # ------------------------------------------------------------------
    # The answer
    # ------------------------------------------------------------------

    def test_answer_by_email_in_arabic_and_closed(self):
        correction = self._ask()
        correction.with_user(self.officer_men).answer = "Corrected to 17/05/1990."
        with self.mock_mail_gateway():
            correction.with_user(self.officer_men).action_answer()
            self.env.flush_all()
        mails = self._new_mails.filtered(lambda m: self.beneficiary.partner_id in m.recipient_ids)
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.state, "sent", "left at once, not with the mail queue")
        body = mails.body_html
        self.assertIn("Corrected to 17/05/1990.", body)
        self.assertIn("My birth date is wrong", body)
        self.assertIn(LAYOUT_MARK, body, "the association's layout")
        self.assertIn('dir="rtl"', body, "Arabic, right to left")
        # the beneficiary's language (needs the Arabic terms of i18n/ar.po)
        self.assertIn("ردّنا", body)
        self.assertRegex(mails.subject, "[\u0600-\u06ff]", "subject in Arabic")
        self.assertNotIn("Powered by", body)
        self.assertTrue(
            any("asker@example.com" in " ".join(m["email_to"]) for m in self._mails),
            "went through the mail gateway to the beneficiary",
        )
        self.assertEqual(correction.state, "answered")
        self.assertEqual(correction.answered_by_id, self.officer_men)
        self.assertTrue(correction.answered_on)
        self.assertFalse(correction.activity_ids, "the to-do is done")
        # sent once only, and the answer is then locked
        with self.assertRaises(UserError):
            correction.with_user(self.officer_men).action_answer()
        with self.assertRaises(UserError):
            correction.with_user(self.officer_men).write({"answer": "Changed afterwards"})

    def test_answer_needs_text_and_email(self):
        correction = self._ask()
        with self.assertRaises(UserError):
            correction.with_user(self.officer_men).action_answer()
        no_email = self._create_beneficiary(name="No Email Person")
        correction = self._ask(no_email)
        correction.with_user(self.officer_men).answer = "Done."
        with self.assertRaises(UserError):
            correction.with_user(self.officer_men).action_answer()
        self.assertEqual(correction.state, "new")

    def test_manager_of_section_answers(self):
        correction = self._ask()
        correction.with_user(self.manager_men).answer = "Done."
        with self.mock_mail_gateway():
            correction.with_user(self.manager_men).action_answer()
        self.assertEqual(correction.state, "answered")

    def test_other_roles_cannot_answer(self):
        correction = self._ask()
        correction.answer = "Done."
        for user in (
            self.officer_women,
            self.researcher,
            self.committee_member,
            self.internal_user,
            self.portal_user,
        ):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._rpc(user, "action_answer", correction.ids)
        self.assertEqual(correction.state, "new")

    # ------------------------------------------------------------------
    # Record rules, as the web client calls them
    # ------------------------------------------------------------------

    def test_other_section_sees_nothing(self):
        correction = self._ask()
        women = self._ask(self._create_beneficiary(name="Woman Asker", gender="female"))
        rows = self._rpc(self.officer_women, "search_read", [], ["description"])
        self.assertEqual([row["id"] for row in rows], women.ids)
        # the list view's grouping (web_read_group) and the plain grouped read
        result = self._rpc(self.officer_women, "web_read_group", [], ["section"], ["__count"])
        self.assertEqual([(g["section"], g["__count"]) for g in result["groups"]], [("women", 1)])
        groups = self._rpc(self.officer_women, "formatted_read_group", [], ["state"], ["__count"])
        self.assertEqual([(g["state"], g["__count"]) for g in groups], [("new", 1)])
        with self.assertRaises(AccessError):
            self._rpc(self.officer_women, "read", correction.ids, ["description"])
        with self.assertRaises(AccessError):
            self._rpc(self.officer_women, "write", correction.ids, {"answer": "x"})
        # the men's officer and manager see theirs
        rows = self._rpc(self.officer_men, "search_read", [], ["description"])
        self.assertEqual([row["id"] for row in rows], correction.ids)
        rows = self._rpc(self.manager_men, "search_read", [], ["description"])
        self.assertEqual([row["id"] for row in rows], correction.ids)
        self.assertEqual(len(self._rpc(self.manager, "search_read", [], ["id"])), 2)

    def test_no_access_without_officer_group(self):
        self._ask()
        for user in (self.portal_user, self.internal_user, self.researcher, self.committee_member):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._rpc(user, "search_read", [], ["description"])
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._rpc(
                    user, "create", {"beneficiary_id": self.beneficiary.id, "description": "x"}
                )
