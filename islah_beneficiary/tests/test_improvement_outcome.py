"""Improvement actions from suggestions and complaints, and "you said, we
did": once the action is done, the authors who asked are told, in their
language, once; the others are not."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.mail.tests.common import MailCase

from .test_company_mail import _setup_arabic
from .test_improvement import IslahImprovementCommon

SUMMARY_EN = "Decisions are now taken every week."
SUMMARY_AR = "أصبحت القرارات تُتخذ كل أسبوع."


@tagged("post_install", "-at_install")
class TestImprovementOutcome(IslahImprovementCommon, MailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _setup_arabic(cls.env)
        cls.company.email = "association@islah.test"
        Feedback = cls.env["islah.feedback"]

        def feedback(name, email, lang, wants, **vals):
            beneficiary = cls._create_beneficiary(name=name, email=email, lang=lang)
            return Feedback.create(
                {
                    "kind": "complaint",
                    "category": "waiting_time",
                    "beneficiary_id": beneficiary.id,
                    "description": f"{name}: the decision came late.",
                    "wants_outcome": wants,
                    "lang": lang,
                    **vals,
                }
            )

        cls.fb_arabic = feedback("Arabic Asker", "arabic@example.com", "ar_001", True)
        cls.fb_english = feedback("English Asker", "english@example.com", "en_US", True)
        cls.fb_silent = feedback("Silent Author", "silent@example.com", "en_US", False)
        cls.fb_anonymous = feedback(
            "Anonymous Author", False, "en_US", True, is_anonymous=True, author_email=False
        )
        cls.sources = cls.fb_arabic | cls.fb_english | cls.fb_silent | cls.fb_anonymous

    def _open_from_feedback(self, user=None):
        result = self._call(
            user or self.manager, self.sources, "action_islah_open_improvement_action"
        )
        action = self.env["islah.improvement.action"].browse(result["res_id"])
        self.assertEqual(action.feedback_ids, self.sources)
        self.assertEqual(action.source, "feedback")
        self.assertEqual(action.indicator, "complaints")
        self.assertEqual(action.section, "men")
        self.assertEqual(set(self.fb_arabic.improvement_action_ids.ids), {action.id})
        return action

    def _done(self, action):
        action = action.with_user(self.manager)
        action.write({"action_taken": "A weekly sitting.", "public_summary": SUMMARY_EN})
        action.with_context(lang="ar_001").public_summary = SUMMARY_AR
        action.action_start()
        with self.mock_mail_gateway():
            action.action_done()
            self.env.flush_all()
        return self._told(self._new_mails)

    def _told(self, mails):
        """The "you said, we did" mails: sent on the sources, whatever the
        language of their subject."""
        return mails.filtered(
            lambda m: m.model == "islah.feedback" and m.res_id in self.sources.ids
        )

    def test_officer_cannot_open_from_feedback(self):
        with self.assertRaises(AccessError):
            self._call(self.officer_men, self.sources, "action_islah_open_improvement_action")

    def test_told_once_in_their_language(self):
        action = self._open_from_feedback()
        mails = self._done(action)
        # one mail each to the two who asked and left an address
        self.assertEqual(
            sorted(mails.mapped("email_to")), ["arabic@example.com", "english@example.com"]
        )
        arabic = mails.filtered(lambda m: m.email_to == "arabic@example.com")
        english = mails.filtered(lambda m: m.email_to == "english@example.com")
        self.assertIn(SUMMARY_AR, arabic.body_html)
        self.assertNotIn(SUMMARY_EN, arabic.body_html)
        self.assertIn(SUMMARY_EN, english.body_html)
        self.assertIn(self.fb_arabic.name, arabic.subject)
        self.assertEqual(action.outcome_sent_feedback_ids, self.fb_arabic | self.fb_english)
        # recorded in their message's chatter, not in the others'
        for feedback, told in ((self.fb_arabic, True), (self.fb_silent, False)):
            notes = feedback.message_ids.filtered(lambda m: "you said, we did" in (m.body or ""))
            self.assertEqual(bool(notes), told, feedback.description)
        # done again after a reopening: nobody is told twice
        action.with_user(self.manager).action_reset()
        with self.mock_mail_gateway():
            action.with_user(self.manager).action_done()
            self.env.flush_all()
            again = self._told(self._new_mails)
        self.assertFalse(again)

    def test_a_late_source_is_told_alone(self):
        action = self._open_from_feedback()
        self._done(action)
        late = self.env["islah.feedback"].create(
            {
                "kind": "suggestion",
                "beneficiary_id": self._create_beneficiary(
                    name="Late Asker", email="late@example.com"
                ).id,
                "description": "Meet more often.",
                "wants_outcome": True,
            }
        )
        action.with_user(self.manager).write({"feedback_ids": [(4, late.id)]})
        with self.mock_mail_gateway():
            sent = action._islah_send_you_said_we_did()
        self.assertEqual(sent, late)
