""" "You said, we did": the printed summary (read back from the real PDF)
and the public page: the counts and the public summaries, never a staff
member's or a beneficiary's name; the page only when published."""

from odoo.tests import HttpCase, new_test_user, tagged

from .common import GROUP_OFFICER
from .test_company_mail import _setup_arabic
from .test_improvement import IslahImprovementCommon
from .test_letter_pdf import ChromiumPrintMixin, LetterPdf

SUMMARY_EN = "Answers within three days now."
BENEFICIARY = "Zubaida Hiddenname"
STAFF = "Qutaiba Staffname"
PAGE = "/islah/you-said-we-did"


class IslahSummaryCommon(IslahImprovementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        _setup_arabic(cls.env)
        cls.staff = new_test_user(
            cls.env, login="islah_ysd_staff", groups=GROUP_OFFICER, islah_section="men", name=STAFF
        )
        beneficiary = cls._create_beneficiary(name=BENEFICIARY)
        Feedback = cls.env["islah.feedback"]
        values = {"beneficiary_id": beneficiary.id, "user_id": cls.staff.id}
        cls.feedback = Feedback.create(
            [
                {**values, "kind": "complaint", "category": "waiting_time", "description": "a"},
                {**values, "kind": "complaint", "category": "waiting_time", "description": "b"},
                {**values, "kind": "suggestion", "category": "premises", "description": "c"},
            ]
        )
        action = (
            cls.env["islah.improvement.action"]
            .with_user(cls.manager)
            .create(
                {
                    "name": f"{BENEFICIARY} waited",
                    "indicator": "complaints",
                    "user_id": cls.staff.id,
                    "feedback_ids": [(6, 0, cls.feedback.ids)],
                    "action_taken": f"{STAFF} answers within three days.",
                    "public_summary": SUMMARY_EN,
                }
            )
        )
        action.action_start()
        action.action_done()
        cls.action = action


@tagged("post_install", "-at_install")
class TestYouSaidWeDidSummary(IslahSummaryCommon):
    def test_figures(self):
        summary = self.env["islah.improvement.action"]._islah_you_said_we_did(
            self.today, self.today, self.company
        )
        self.assertGreaterEqual(summary["feedback_count"], 3)
        themes = {(t["kind"], t["category"]): t["count"] for t in summary["themes"]}
        self.assertGreaterEqual(themes[("Complaint", "Waiting time")], 2)
        self.assertIn(SUMMARY_EN, [row["summary"] for row in summary["actions"]])
        self.assertNotIn(BENEFICIARY, str(summary))
        self.assertNotIn(STAFF, str(summary))

    def test_only_managers_print(self):
        wizard = self.env["islah.you.said.we.did"].with_user(self.manager).create({})
        self.assertEqual(
            wizard.action_print()["report_name"], "islah_beneficiary.report_you_said_we_did"
        )
        with self.assertRaises(Exception):  # noqa: B017 (ACL: AccessError)
            self.env["islah.you.said.we.did"].with_user(self.officer_men).create({})


@tagged("post_install", "-at_install")
class TestYouSaidWeDidPdfAndPage(ChromiumPrintMixin, IslahSummaryCommon, HttpCase):
    def test_pdf(self):
        wizard = (
            self.env["islah.you.said.we.did"]
            .with_user(self.manager)
            .create({"date_from": self.today, "date_to": self.today})
        )
        Report = self.env["ir.actions.report"].with_context(
            force_report_rendering=True, lang="en_US"
        )
        pdf, kind = Report._render_qweb_pdf(
            "islah_beneficiary.action_report_you_said_we_did", wizard.ids
        )
        self.assertEqual(kind, "pdf")
        text = LetterPdf(pdf).text
        summary = wizard._islah_summary()
        self.assertIn("You said, we did", text)
        self.assertIn(f"received: {summary['feedback_count']}", " ".join(text.split()))
        self.assertIn(f"completed: {summary['action_count']}", " ".join(text.split()))
        self.assertIn(SUMMARY_EN, " ".join(text.split()))
        for name in (BENEFICIARY, STAFF, *BENEFICIARY.split(), *STAFF.split()):
            self.assertNotIn(name, text)

    def test_page_not_published(self):
        self.company.islah_publish_you_said_we_did = False
        self.assertEqual(self.url_open(PAGE).status_code, 404)

    def test_page_published(self):
        self.company.islah_publish_you_said_we_did = True
        response = self.url_open(PAGE)
        self.assertEqual(response.status_code, 200)
        self.assertIn(SUMMARY_EN, response.text)
        for name in (BENEFICIARY, STAFF):
            self.assertNotIn(name, response.text)
        arabic = self.url_open(f"/ar{PAGE}")
        self.assertEqual(arabic.status_code, 200)
        self.assertIn('dir="rtl"', arabic.text)
        self.assertNotIn(BENEFICIARY, arabic.text)
