"""The beneficiary's voice in figures: the stored measures of the analysis
views (read_group as each manager) and the workbook's new sheets, read back
with openpyxl."""

from datetime import timedelta

from odoo import fields
from odoo.service.model import call_kw
from odoo.tests import tagged

from .common import IslahExportCase

FEEDBACK_SHEET = "Suggestions and complaints"


class IslahVoiceCommon(IslahExportCase):
    """Suggestions and complaints of the export's service:

    f1 complaint  interview  reception     men    answered on time, accepted
    f2 complaint  phone      waiting_time  men    answered late, not accepted
    f3 suggestion interview  service       men    not answered, overdue
    f4 suggestion interview  service       women  answered on time, no response
    f5 thanks     interview  other         men    (thanks: not measured)
    f6 complaint  interview  service       men    another service (filtered out)
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.channel_phone = cls.env.ref("islah_beneficiary.utm_medium_phone_call")
        cls.other_service = cls.env["islah.service.type"].create({"name": "Test other service"})
        now = fields.Datetime.now()

        def feedback(kind, channel, category, section, service=None, **values):
            record = cls.env["islah.feedback"].create(
                {
                    "kind": kind,
                    "channel_id": channel.id,
                    "category": category,
                    "section": section,
                    "service_type_id": (service or cls.service).id,
                    "description": "Fixture feedback",
                    "author_name": f"Voice Author {kind} {section}",
                }
            )
            if values:
                record.sudo().write(values)
            return record

        cls.f1 = feedback(
            "complaint",
            cls.channel_interview,
            "reception",
            "men",
            received_on=now - timedelta(days=2),
            deadline=cls.today + timedelta(days=3),
            answered_on=now,
            state="closed",
            author_response="accepted",
        )
        cls.f2 = feedback(
            "complaint",
            cls.channel_phone,
            "waiting_time",
            "men",
            received_on=now - timedelta(days=4),
            deadline=cls.today - timedelta(days=1),
            answered_on=now,
            state="closed",
            author_response="not_accepted",
        )
        cls.f3 = feedback(
            "suggestion",
            cls.channel_interview,
            "service",
            "men",
            deadline=cls.today - timedelta(days=1),
            sla_state="overdue",
        )
        cls.f4 = feedback(
            "suggestion",
            cls.channel_interview,
            "service",
            "women",
            deadline=cls.today + timedelta(days=3),
            answered_on=now,
            state="answered",
        )
        cls.f5 = feedback("thanks", cls.channel_interview, "other", "men")
        cls.f6 = feedback(
            "complaint",
            cls.channel_interview,
            "service",
            "men",
            service=cls.other_service,
            answered_on=now,
            state="answered",
        )

    def _voice_export(self, user, **vals):
        vals.setdefault("date_from", self.today - timedelta(days=10))
        return self._export(user, **vals)

    def _feedback_figures(self, workbook):
        """{(breakdown, item): row values after the item}."""
        sheet = workbook[FEEDBACK_SHEET]
        return {(row[0], row[1]): row[2:] for row in self._rows(sheet)}


@tagged("post_install", "-at_install", "islah_voice")
class TestVoiceMeasures(IslahVoiceCommon):
    """The stored measures of islah.feedback."""

    def test_measures(self):
        self.assertEqual(
            [f.answered_on_time for f in (self.f1, self.f2, self.f3, self.f4)],
            [True, False, False, True],
        )
        self.assertEqual(
            [f.is_due for f in (self.f1, self.f2, self.f3, self.f4)], [True, True, True, True]
        )
        self.assertEqual(self.f1.answered_on_time_rate, 100)
        self.assertEqual(self.f2.answered_on_time_rate, 0)
        self.assertEqual((self.f1.accepted_rate, self.f2.accepted_rate), (100, 0))
        self.assertFalse(self.f4.has_author_response)
        self.assertEqual((self.f1.answer_days, self.f2.answer_days), (2, 4))

    def _read_group(self, user):
        result = call_kw(
            self.env["islah.feedback"].with_user(user),
            "formatted_read_group",
            [
                [("service_type_id", "=", self.service.id), ("is_due", "=", True)],
                ["section"],
                ["__count", "answered_on_time_rate:avg", "answer_days:avg"],
            ],
            {},
        )
        return {row["section"]: row for row in result}

    def test_read_group_manager(self):
        """A manager of both sections groups every section's measures."""
        groups = self._read_group(self.manager)
        self.assertEqual(set(groups), {"men", "women"})
        self.assertEqual(groups["men"]["__count"], 3)
        self.assertAlmostEqual(groups["men"]["answered_on_time_rate:avg"], 100 / 3)
        self.assertEqual(groups["women"]["answered_on_time_rate:avg"], 100)

    def test_read_group_section_manager(self):
        """A men's manager only gets the men's section."""
        groups = self._read_group(self.manager_men)
        self.assertEqual(set(groups), {"men"})
        self.assertEqual(groups["men"]["__count"], 3)

    def test_analysis_action(self):
        """The analysis action opens pivot and graph, for managers."""
        action = self.env.ref("islah_beneficiary.islah_feedback_action_analysis")
        self.assertEqual(action.view_mode.split(",")[:2], ["pivot", "graph"])
        self.env["islah.feedback"].with_user(self.manager).get_views(
            [(False, "pivot"), (False, "graph"), (False, "search")]
        )


@tagged("post_install", "-at_install", "islah_voice", "islah_xlsx")
class TestVoiceSheets(IslahVoiceCommon):
    """The workbook's new sheets."""

    def test_feedback_sheet(self):
        figures = self._feedback_figures(self._voice_export(self.manager))
        # received, answered, average days to answer, on time, accepted
        self.assertEqual(figures[("Total", "All")], [4, 3, 2.0, 0.5, 0.5])
        self.assertEqual(figures[("Kind", "Complaint")], [2, 2, 3.0, 0.5, 0.5])
        self.assertEqual(figures[("Kind", "Suggestion")][:2], [2, 1])
        self.assertEqual(figures[("Channel", self.channel_interview.name)][0], 3)
        self.assertEqual(figures[("Channel", self.channel_phone.name)][0], 1)
        self.assertEqual(figures[("Category", "Reception and courtesy")][0], 1)
        self.assertEqual(figures[("Category", "The service")][0], 2)
        self.assertEqual(figures[("Service", self.service.name)][0], 4)
        self.assertEqual(figures[("Section", "Women's section")], [1, 1, 0.0, 1.0, None])
        self.assertNotIn(("Kind", "Thanks"), figures)

    def test_feedback_sheet_no_personal_data(self):
        sheet = self._voice_export(self.manager)[FEEDBACK_SHEET]
        cells = {str(value) for row in self._rows(sheet) for value in row}
        for record in (self.f1, self.f2, self.f3, self.f4):
            self.assertNotIn(record.name, cells)
            self.assertNotIn(record.author_name, cells)

    def test_feedback_sheet_section_filter(self):
        """The export's section filter, and a men's manager's own reach."""
        for user, vals in ((self.manager, {"section": "men"}), (self.manager_men, {})):
            with self.subTest(user=user.login):
                figures = self._feedback_figures(self._voice_export(user, **vals))
                self.assertEqual(figures[("Total", "All")][:2], [3, 2])
                self.assertAlmostEqual(figures[("Total", "All")][3], 1 / 3)
                self.assertNotIn(("Section", "Women's section"), figures)

    def test_feedback_sheet_right_to_left(self):
        """In Arabic the sheet reads right to left, like the others."""
        self.env["res.lang"]._activate_lang("ar_001")
        self.manager.lang = "ar_001"
        workbook = self._voice_export(self.manager)
        self.assertTrue(workbook.worksheets[-1].sheet_view.rightToLeft)
