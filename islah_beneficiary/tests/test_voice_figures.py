"""The beneficiary's voice in figures: the stored measures of the analysis
views (read_group as each manager) and the workbook's new sheets, read back
with openpyxl."""

from contextlib import ExitStack
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.service.model import call_kw
from odoo.tests import tagged

from .common import IslahExportCase

FEEDBACK_SHEET = "Suggestions and complaints"
IMPROVEMENT_SHEET = "Improvement actions"
APPEAL_SHEET = "Appeals by outcome"


def make_appeal(env, request, channel, state="decided", outcome=None, **values):
    """An appeal of ``request`` put straight in ``state`` (fixture shortcut:
    the committee's steps are tested with the appeals; here only the
    figures count). The rejection checks of the request are bypassed."""
    Request = env.registry["islah.support.request"]
    with ExitStack() as stack:
        stack.enter_context(patch.object(Request, "_islah_check_can_appeal", lambda *a, **k: None))
        stack.enter_context(
            patch.object(
                Request, "_islah_rejection_decision", lambda self: env["islah.committee.decision"]
            )
        )
        stack.enter_context(patch.object(Request, "_islah_appeal_deadline", lambda self: False))
        appeal = (
            env["islah.appeal"]
            .sudo()
            .create(
                {"request_id": request.id, "reason": "Fixture appeal", "channel_id": channel.id}
            )
        )
    appeal.sudo().write({"state": state, "outcome": outcome, **values})
    return appeal


def make_action(env, user, state="done", **values):
    """An improvement action opened by the manager ``user``, its status and
    measures written as superuser (fixture shortcut)."""
    action = (
        env["islah.improvement.action"]
        .with_user(user)
        .create(
            {
                "name": f"Fixture action of {user.login}",
                "public_summary": "Fixture summary",
                "indicator": values.pop("indicator", "complaints"),
                "section": values.pop("section", "men"),
                "service_type_id": values.pop("service_type_id"),
            }
        )
    )
    action.sudo().write({"state": state, **values})
    return action


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

        # appeals: upheld (men), overturned (men), overturned (women), still
        # submitted (men), on the export's service; one on another service
        now = fields.Datetime.now()

        def appeal(outcome, gender="male", service=None, state="decided"):
            request = cls._request_in_state(
                "rejected", service_type_id=(service or cls.service).id, gender=gender
            )
            return make_appeal(
                cls.env,
                request,
                cls.channel_interview,
                state=state,
                outcome=outcome,
                submitted_on=now,
                decided_on=now if outcome else False,
            )

        cls.a1 = appeal("upheld")
        cls.a2 = appeal("overturned")
        cls.a3 = appeal("overturned", gender="female")
        cls.a4 = appeal(None, state="submitted")
        cls.a5 = appeal("upheld", service=cls.other_service)
        # improvement actions: done late (men), done on time and improved
        # (women), in progress past due (no section: both)
        today = cls.today
        cls.i1 = make_action(
            cls.env,
            cls.manager,
            service_type_id=cls.service.id,
            due_date=today - timedelta(days=5),
            done_on=today,
            indicator_before=10.0,
            indicator_after=6.0,
            indicator_effect=-4.0,
            measured_on=today,
        )
        cls.i2 = make_action(
            cls.env,
            cls.manager,
            section="women",
            service_type_id=cls.service.id,
            due_date=today + timedelta(days=5),
            done_on=today,
            indicator="feedback_on_time",
            indicator_before=50.0,
            indicator_after=80.0,
            indicator_effect=30.0,
            indicator_improved=True,
            measured_on=today,
        )
        cls.i3 = make_action(
            cls.env,
            cls.manager,
            state="in_progress",
            section=False,
            service_type_id=cls.service.id,
            due_date=today - timedelta(days=1),
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


@tagged("post_install", "-at_install", "islah_voice")
class TestImprovementAppealMeasures(IslahVoiceCommon):
    """The counts of the improvement actions and appeals, grouped."""

    def _group(self, user, model, groupby, aggregates, domain):
        result = call_kw(
            self.env[model].with_user(user),
            "formatted_read_group",
            [domain, [groupby], aggregates],
            {},
        )
        return {row[groupby]: row for row in result}

    def test_improvement_counts(self):
        domain = [("service_type_id", "=", self.service.id)]
        groups = self._group(
            self.manager,
            "islah.improvement.action",
            "section",
            ["__count", "done_count:sum", "late_count:sum", "indicator_effect:avg"],
            domain,
        )
        self.assertEqual(groups["men"]["done_count:sum"], 1)
        self.assertEqual(groups["men"]["late_count:sum"], 1)
        self.assertEqual(groups["women"]["indicator_effect:avg"], 30.0)
        self.assertEqual(groups[False]["late_count:sum"], 1)
        groups = self._group(
            self.manager_men, "islah.improvement.action", "section", ["__count"], domain
        )
        self.assertEqual(set(groups), {"men", False})

    def test_appeal_counts(self):
        domain = [("service_type_id", "=", self.service.id)]
        aggregates = ["__count", "upheld_count:sum", "overturned_count:sum"]
        groups = self._group(self.manager, "islah.appeal", "section", aggregates, domain)
        self.assertEqual(groups["men"]["upheld_count:sum"], 1)
        self.assertEqual(groups["men"]["overturned_count:sum"], 1)
        self.assertEqual(groups["women"]["overturned_count:sum"], 1)
        groups = self._group(self.manager_men, "islah.appeal", "section", aggregates, domain)
        self.assertEqual(set(groups), {"men"})
        self.assertEqual(groups["men"]["__count"], 3)


@tagged("post_install", "-at_install", "islah_voice", "islah_xlsx")
class TestImprovementAppealSheets(IslahVoiceCommon):
    def test_appeal_sheet(self):
        rows = {
            (row[0], row[1]): row[2:]
            for row in self._rows(self._voice_export(self.manager)[APPEAL_SHEET])
        }
        # appeals, decided, upheld, overturned
        self.assertEqual(rows[("Total", "All")], [4, 3, 1, 2])
        self.assertEqual(rows[("Section", "Men's section")], [3, 2, 1, 1])
        self.assertEqual(rows[("Section", "Women's section")], [1, 1, 0, 1])
        self.assertEqual(rows[("Channel", self.channel_interview.name)], [4, 3, 1, 2])
        men = {
            (row[0], row[1]): row[2:]
            for row in self._rows(self._voice_export(self.manager_men)[APPEAL_SHEET])
        }
        self.assertEqual(men[("Total", "All")], [3, 2, 1, 1])

    def test_improvement_sheet(self):
        workbook = self._voice_export(self.manager)
        sheet = workbook[IMPROVEMENT_SHEET]
        rows = self._rows(sheet)
        self.assertEqual(len(rows), 3)
        header = self._header(sheet)
        late = header.index("Late")
        effect = header.index("Effect")
        self.assertEqual(sorted(row[late] for row in rows), ["No", "Yes", "Yes"])
        self.assertEqual(
            sorted(row[effect] for row in rows if row[effect] is not None), [-4.0, 30.0]
        )
        cells = {str(value) for row in rows for value in row}
        for action in (self.i1, self.i2, self.i3):
            self.assertNotIn(action.name, cells, "the action's problem line may name people")
            self.assertNotIn(action.user_id.name, cells)

    def test_improvement_sheet_section_filter(self):
        """Men's section: its own action and the one of both sections."""
        for user, vals in ((self.manager, {"section": "men"}), (self.manager_men, {})):
            with self.subTest(user=user.login):
                rows = self._rows(self._voice_export(user, **vals)[IMPROVEMENT_SHEET])
                self.assertEqual(len(rows), 2)
