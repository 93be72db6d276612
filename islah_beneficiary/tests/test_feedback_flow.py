from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import GROUP_OFFICER
from .feedback_common import IslahFeedbackCommon

ACK = "islah_beneficiary.mail_template_feedback_ack"
ANSWER = "islah_beneficiary.mail_template_feedback_answer"


@tagged("post_install", "-at_install", "islah_feedback")
class TestFeedbackFlow(IslahFeedbackCommon):
    """The steps (checked on the server, each by role) and the e-mails in
    the person's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the Arabic subjects (the shipped ones come with i18n/ar.po)
        for xmlid, subject in (
            (ACK, "استلمنا رسالتك {{ object.name }}"),
            (ANSWER, "ردنا على رسالتك {{ object.name }}"),
        ):
            cls.env.ref(xmlid).with_context(lang="ar_001").subject = subject

    def _owned(self, **vals):
        return self._feedback(user_id=self.officer_men.id, **vals)

    def test_acknowledgement_in_the_persons_language(self):
        english = self._owned()
        (mail,) = self._mails(english)
        self.assertEqual(english.lang, "en_US")
        self.assertIn("we received your message " + english.name, mail.subject)
        self.assertEqual(mail.email_to, "man@example.com")
        self.assertIn(english.name, mail.body_html)
        arabic = self._feedback(beneficiary_id=self.beneficiary_women.id)
        (mail,) = self._mails(arabic)
        self.assertEqual(arabic.lang, "ar_001")
        self.assertEqual(mail.subject, "استلمنا رسالتك " + arabic.name)

    def test_no_mail_without_address_or_anonymous(self):
        anonymous = self._feedback(section="men", is_anonymous=True, kind="suggestion")
        self.assertFalse(self._mails(anonymous))
        self.assertTrue(anonymous.name.startswith("FB/"))
        self.assertTrue(anonymous.user_id, "an anonymous one has an owner too")

    def test_answer_sent_in_the_persons_language(self):
        feedback = self._feedback(beneficiary_id=self.beneficiary_women.id)
        owner = feedback.user_id
        wizard = (
            self.env["islah.feedback.answer"]
            .with_user(owner)
            .with_context(active_model="islah.feedback", active_id=feedback.id)
            .create({"answer": "نعتذر، وقد عالجنا الأمر."})
        )
        wizard.action_send()
        self.assertEqual(feedback.state, "answered")
        self.assertEqual(feedback.answered_by_id, owner)
        self.assertTrue(feedback.answered_on)
        mail = self._mails(feedback)[-1]
        self.assertEqual(mail.subject, "ردنا على رسالتك " + feedback.name)
        self.assertIn("نعتذر، وقد عالجنا الأمر.", mail.body_html)
        english = self._owned()
        english.with_user(self.officer_men).action_send_answer("We fixed it.")
        mail = self._mails(english)[-1]
        self.assertIn("our answer to your message", mail.subject)
        self.assertIn("We fixed it.", mail.body_html)

    def test_close_accepted_and_not_accepted(self):
        for method, response in (
            ("action_close_accepted", "accepted"),
            ("action_close_not_accepted", "not_accepted"),
            ("action_close_no_reply", "no_reply"),
        ):
            feedback = self._owned()
            as_owner = feedback.with_user(self.officer_men)
            as_owner.action_start()
            self.assertEqual(feedback.state, "in_progress")
            as_owner.action_send_answer("Done.")
            getattr(as_owner, method)()
            self.assertEqual(feedback.state, "closed")
            self.assertEqual(feedback.author_response, response)
            self.assertTrue(feedback.closed_on)

    def test_steps_out_of_order_refused(self):
        feedback = self._owned().with_user(self.officer_men)
        with self.assertRaises(UserError):
            feedback.action_close("accepted")  # not answered yet
        with self.assertRaises(UserError):
            feedback.action_send_answer("   ")  # an empty answer
        feedback.action_send_answer("Done.")
        with self.assertRaises(UserError):
            feedback.action_start()
        with self.assertRaises(UserError):
            feedback.action_send_answer("Again.")
        feedback.action_close("accepted")
        with self.assertRaises(UserError):
            feedback.action_close("not_accepted")
        self.assertEqual(feedback.author_response, "accepted")

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_each_step_role_checked(self):
        feedback = self._owned()
        other_officer = self.officer_men.copy({"login": "islah_officer_men_2"})
        as_other = feedback.with_user(other_officer)
        self.assertFalse(as_other.can_answer)
        with self.assertRaises(AccessError):
            as_other.action_send_answer("Not mine.")
        with self.assertRaises(AccessError):
            feedback.with_user(self.officer_men).action_cancel()  # managers only
        self.assertTrue(feedback.with_user(self.officer_men).can_answer)
        self.assertFalse(feedback.with_user(self.officer_men).can_cancel)
        # the other section's manager may not touch it at all
        women_manager = self.manager_men.copy({"login": "islah_mgr_w", "islah_section": "women"})
        with self.assertRaises(AccessError):
            feedback.with_user(women_manager).action_send_answer("No.")
        # a manager of the section may
        feedback.with_user(self.manager_men).action_cancel()
        self.assertEqual(feedback.state, "cancelled")

    def test_owners_share_the_work_of_their_section(self):
        """A new message goes to the section's officer with the fewest open
        ones (never an officer of the other section: not among the candidates)."""
        second = new_test_user(
            self.env,
            login="islah_feedback_second_officer",
            groups=GROUP_OFFICER,
            islah_section="men",
            name="Second Men's Officer",
        )
        officers = self.env.company._islah_section_staff(GROUP_OFFICER, "men")
        self.assertIn(second, officers)
        Feedback = self.env["islah.feedback"]

        def open_load(officer):
            return Feedback.search_count(
                [("user_id", "=", officer.id), ("state", "in", ("new", "in_progress"))]
            )

        for _i in range(2 * len(officers)):
            loads = {officer: open_load(officer) for officer in officers}
            owner = self._feedback().user_id
            # each goes to one of the least loaded, never the other section
            self.assertEqual(loads[owner], min(loads.values()), loads)
            self.assertIn(owner.islah_section, ("men", "both"))
        loads = [open_load(officer) for officer in officers]
        self.assertLessEqual(max(loads) - min(loads), 1, loads)
        # a closed message is no load: the officer whose are all closed is next
        Feedback.search(
            [("user_id", "=", second.id), ("state", "in", ("new", "in_progress"))]
        ).write({"state": "cancelled"})
        self.assertEqual(self._feedback().user_id, second)
