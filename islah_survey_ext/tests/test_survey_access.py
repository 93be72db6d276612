"""Who sees what of the satisfaction results: officers see their section's
averages by service, channel and month (islah.satisfaction.report); only
managers see the invitations themselves and the results per officer; staff
outside the application see nothing."""

from odoo.exceptions import AccessError, UserError
from odoo.service.model import call_kw
from odoo.tests import new_test_user, tagged

from .common import IslahSurveyCommon


@tagged("post_install", "-at_install", "islah_survey", "security")
class TestSurveyAccess(IslahSurveyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.request_men = cls._delivered_request_cls("men@example.com", "male")
        cls.request_women = cls._delivered_request_cls("women@example.com", "female")
        cls.invitation_men = cls.request_men.islah_user_input_ids
        cls.invitation_women = cls.request_women.islah_user_input_ids
        cls.invitations = cls.invitation_men | cls.invitation_women
        export = "base.group_allow_export"
        cls.survey_user = new_test_user(
            cls.env, login="islah_survey_user", groups=f"survey.group_survey_user,{export}"
        )
        cls.survey_admin = new_test_user(
            cls.env, login="islah_survey_admin", groups=f"survey.group_survey_manager,{export}"
        )
        cls.officer_survey_user = new_test_user(
            cls.env,
            login="islah_officer_survey_user",
            groups=f"islah_beneficiary.group_islah_beneficiary_officer,"
            f"survey.group_survey_user,{export}",
            islah_section="men",
        )
        # an ordinary survey, answered by someone else: survey's own rules
        cls.other_survey = cls.env["survey.survey"].create(
            {"title": "Test staff survey", "access_mode": "token"}
        )
        cls.other_answer = cls.other_survey._create_answer(email="staff@example.com")

    @classmethod
    def _delivered_request_cls(cls, email, gender):
        beneficiary = cls._create_beneficiary(email=email, gender=gender)
        officer = cls.officer_men if gender == "male" else cls.officer_women
        request = cls._request_in_state(
            "in_service", beneficiary, service_type_id=cls.service_quick.id, officer_id=officer.id
        )
        cls.env["islah.service.delivery"].create(
            {"request_id": request.id, "description": "Test guidance given"}
        )
        request.action_done()
        return request

    def test_officer_reads_section_averages(self):
        """Officers analyse the averages of their section by service,
        channel and month, in the report without names or tokens."""
        self._answer(self.invitation_men, scales=(4,) * 5, need_met=True, recommend=8)
        self._answer(self.invitation_women, scales=(2,) * 5, need_met=False, recommend=2)
        Report = self.env["islah.satisfaction.report"].with_user(self.officer_men)
        rows = Report.search([("id", "in", (self.invitation_men | self.invitation_women).ids)])
        self.assertEqual(rows.ids, self.invitation_men.ids)
        groups = Report.formatted_read_group(
            [("id", "in", (self.invitation_men | self.invitation_women).ids)],
            ["service_type_id", "medium_id", "invited_on:month"],
            ["score:avg", "answered_count:sum", "invitation_count:sum"],
        )
        self.assertEqual(len(groups), 1)
        self.assertAlmostEqual(groups[0]["score:avg"], self.invitation_men.islah_score)
        self.assertEqual(groups[0]["answered_count:sum"], 1)
        # no officer, beneficiary, comment or link in the officers' report
        self.assertFalse(
            {"officer_id", "islah_officer_id", "beneficiary_id", "comment", "access_token"}
            & set(Report._fields)
        )

    def test_report_leaves_unscored_out_of_average(self):
        self._answer(self.invitation_men, scales=(5,) * 5, need_met=True, recommend=10)
        self.invitation_women.sudo().write({"islah_invitation_state": "answered"})  # no score
        Report = self.env["islah.satisfaction.report"].with_user(self.manager)
        [group] = Report.formatted_read_group(
            [("id", "in", (self.invitation_men | self.invitation_women).ids)],
            [],
            ["score:avg", "answered_count:sum"],
        )
        self.assertEqual(group["score:avg"], 100.0)
        self.assertEqual(group["answered_count:sum"], 2)

    def test_officer_cannot_read_invitations(self):
        """Officers cannot read the invitations themselves (officer, comment,
        personal link), nor group them by officer."""
        UserInput = self.env["survey.user_input"].with_user(self.officer_men)
        with self.assertRaises(AccessError):
            self.invitation_men.with_user(self.officer_men).read(["islah_score"])
        with self.assertRaises(AccessError):
            UserInput.formatted_read_group([], ["islah_officer_id"], ["islah_score:avg"])
        with self.assertRaises(AccessError):
            UserInput.search([("islah_officer_id", "=", self.officer_women.id)])

    def test_officer_field_is_managers_only(self):
        """Even a survey user who is also an Islah officer cannot see who
        the officer of an answer was, nor any Islah invitation (its score
        included): those are the Islah managers'."""
        self.officer_men.group_ids |= self.env.ref("survey.group_survey_manager")
        with self.assertRaises(AccessError):
            self.invitation_men.with_user(self.officer_men).read(["islah_officer_id"])
        with self.assertRaises(AccessError):
            self.invitation_men.with_user(self.officer_men).read(["islah_score"])
        with self.assertRaises(AccessError):
            self.invitation_men.with_user(self.officer_men).read(["state"])

    def test_manager_sees_per_officer(self):
        UserInput = self.env["survey.user_input"].with_user(self.manager)
        groups = UserInput.formatted_read_group(
            [("islah_request_id", "!=", False)], ["islah_officer_id"], ["islah_score:avg"]
        )
        officers = {g["islah_officer_id"][0] for g in groups}
        self.assertTrue({self.officer_men.id, self.officer_women.id} <= officers)

    def test_manager_of_one_section(self):
        UserInput = self.env["survey.user_input"].with_user(self.manager_men)
        seen = UserInput.search([("islah_request_id", "!=", False)])
        # demo data may add other men's invitations: only the section matters
        self.assertIn(self.invitation_men, seen)
        self.assertNotIn(self.invitation_women, seen)
        self.assertEqual(set(seen.sudo().islah_request_id.mapped("section")), {"men"})

    def test_manager_cannot_change_invitations(self):
        with self.assertRaises(AccessError):
            self.invitation_men.with_user(self.manager).write({"islah_score": 100})
        with self.assertRaises(AccessError):
            self.invitation_men.with_user(self.manager).unlink()

    def test_other_staff_see_nothing(self):
        for user in (self.internal_user, self.portal_user):
            with self.assertRaises(AccessError):
                self.invitation_men.with_user(user).read(["islah_score"])
            with self.assertRaises(AccessError):
                self.env["islah.satisfaction.report"].with_user(user).search([])

    def test_score_on_request_is_for_managers(self):
        """A request's raw score points at its officer: results serve
        improvement, never blame, so officers do not read it (issue 10)."""
        self._answer(self.invitation_men, scales=(4,) * 5, need_met=True, recommend=8)
        request = self.request_men.with_user(self.manager_men)
        self.assertAlmostEqual(request.islah_satisfaction_score, round((375 + 100 + 80) / 7, 1))
        with self.assertRaises(AccessError):
            call_kw(
                self.env["islah.support.request"].with_user(self.officer_men),
                "read",
                [self.request_men.ids, ["islah_satisfaction_score"]],
                {},
            )

    def test_officer_closing_request_invites(self):
        """The automation works with the officer's rights (no survey rights)."""
        request = self._delivered_request(email="byofficer@example.com", user=self.officer_men)
        self.assertEqual(request.islah_user_input_ids.islah_invitation_state, "invited")
        self.assertEqual(len(self._mails), 1)

    def test_menus_per_group(self):
        by_officer = self.env.ref("islah_survey_ext.islah_survey_menu_satisfaction_officer")
        averages = self.env.ref("islah_survey_ext.islah_survey_menu_satisfaction")
        Menu = self.env["ir.ui.menu"]
        officer_menus = Menu.with_user(self.officer_men)._visible_menu_ids()
        manager_menus = Menu.with_user(self.manager)._visible_menu_ids()
        self.assertIn(averages.id, officer_menus)
        self.assertNotIn(by_officer.id, officer_menus)
        self.assertIn(by_officer.id, manager_menus)

    def test_views_load_per_group(self):
        """The screens of each group open (views valid for their rights)."""
        ref = self.env.ref
        for user in (self.officer_men, self.manager):
            Request = self.env["islah.support.request"].with_user(user)
            form = Request.get_views([(False, "form"), (False, "list")])["views"]["form"]["arch"]
            if user == self.manager:
                self.assertIn("islah_satisfaction_score", form)
            else:
                self.assertNotIn("islah_satisfaction_score", form)
            views = (
                self.env["islah.satisfaction.report"]
                .with_user(user)
                .get_views([(False, "pivot"), (False, "graph"), (False, "search")])["views"]
            )
            self.assertNotIn("officer", views["pivot"]["arch"])
            beneficiary_form = (
                self.env["islah.beneficiary"]
                .with_user(user)
                .get_views([(False, "form")])["views"]["form"]["arch"]
            )
            self.assertIn("islah_survey_opt_out", beneficiary_form)
        views = (
            self.env["survey.user_input"]
            .with_user(self.manager)
            .get_views(
                [
                    (
                        ref("islah_survey_ext.survey_user_input_view_pivot_islah_officer").id,
                        "pivot",
                    ),
                    (ref("islah_survey_ext.survey_user_input_view_list_islah").id, "list"),
                    (ref("islah_survey_ext.survey_user_input_view_search_islah").id, "search"),
                ]
            )["views"]
        )
        self.assertIn("islah_officer_id", views["pivot"]["arch"])
        service_form = (
            self.env["islah.service.type"]
            .with_user(self.manager)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertIn('name="survey_id"', service_form)
        service_form = (
            self.env["islah.service.type"]
            .with_user(self.officer_men)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        self.assertNotIn('name="survey_id"', service_form)
        settings = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        self.assertIn("islah_survey_reminder_days", settings)

    # ------------------------------------------------------------------
    # Surveys users and administrators without the Islah manager role
    # ------------------------------------------------------------------

    def call(self, user, model, method, *args, **kwargs):
        """``method`` of ``model`` called as ``user`` through the RPC dispatcher."""
        return call_kw(self.env[model].with_user(user), method, list(args), kwargs)

    def test_survey_staff_see_no_islah_invitation(self):
        """Surveys users and administrators (survey's group rules) get no
        invitation of a support request, its answers or its token, by any
        API; their other surveys are unchanged."""
        self._answer(self.invitation_men, comment="The officer was rude")
        UserInput, Line = "survey.user_input", "survey.user_input.line"
        lines = self.invitations.sudo().user_input_line_ids
        self.assertTrue(lines)
        for user in (self.survey_user, self.survey_admin, self.officer_survey_user):
            with self.subTest(user=user.login):
                rows = self.call(user, UserInput, "search_read", [], ["access_token", "partner_id"])
                ids = {row["id"] for row in rows}
                self.assertIn(self.other_answer.id, ids)
                self.assertFalse(ids & set(self.invitations.ids))
                token = self.invitation_men.sudo().access_token
                self.assertFalse(
                    self.call(user, UserInput, "search", [("access_token", "=", token)])
                )
                self.assertFalse(
                    self.call(user, UserInput, "search_count", [("islah_request_id", "!=", False)])
                )
                groups = self.call(
                    user, UserInput, "formatted_read_group", [], ["survey_id"], ["__count"]
                )
                self.assertNotIn(self.survey.id, [g["survey_id"][0] for g in groups])
                for method, args in (
                    ("read", (self.invitation_men.ids, ["access_token"])),
                    ("export_data", (self.invitation_men.ids, ["access_token", "email"])),
                ):
                    with self.assertRaises(AccessError):
                        self.call(user, UserInput, method, *args)
                rows = self.call(user, Line, "search_read", [], ["value_text_box"])
                self.assertFalse({row["id"] for row in rows} & set(lines.ids))
                with self.assertRaises(AccessError):
                    self.call(user, Line, "read", lines.ids, ["value_text_box"])

    def test_officer_gets_no_per_officer_results(self):
        """An officer who is also a Surveys user cannot group, export or
        filter the results by officer, on the invitations or the report."""
        self._answer(self.invitation_men, scales=(4,) * 5)
        UserInput = "survey.user_input"
        user = self.officer_survey_user
        for method, args in (
            ("formatted_read_group", ([], ["islah_officer_id"], ["islah_score:avg"])),
            ("read_group", ([], ["islah_score"], ["islah_officer_id"])),
            ("export_data", (self.invitation_men.ids, ["islah_officer_id/name", "islah_score"])),
            ("search_read", ([("islah_score", ">", 0)], ["id"])),
        ):
            with self.subTest(method=method):
                with self.assertRaises(AccessError):
                    self.call(user, UserInput, method, *args)
        Report = self.env["islah.satisfaction.report"]
        self.assertFalse({"officer_id", "user_id", "comment", "access_token"} & set(Report._fields))
        self.assertFalse(
            [f for f in Report._fields.values() if f.comodel_name == "res.users"],
            "the officers' report must not point to any user",
        )

    def test_manager_of_other_company_sees_nothing(self):
        """Islah managers see the invitations of their companies only."""
        company_b = self.env["res.company"].create({"name": "Islah Survey Branch B"})
        manager_b = new_test_user(
            self.env,
            login="islah_manager_b",
            groups="islah_beneficiary.group_islah_beneficiary_manager",
            islah_section="both",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
        )
        rows = self.call(manager_b, "survey.user_input", "search_read", [], ["id"])
        self.assertFalse({row["id"] for row in rows} & set(self.invitations.ids))
        rows = self.call(self.manager, "survey.user_input", "search_read", [], ["islah_comment"])
        self.assertTrue(set(self.invitations.ids) <= {row["id"] for row in rows})

    # ------------------------------------------------------------------
    # one answer per invitation
    # ------------------------------------------------------------------

    def test_one_answer_per_invitation(self):
        """The shipped survey allows one attempt per invitation: once
        answered, a retry (what /survey/retry does) creates nothing, while the
        beneficiary's next invitation can still be answered."""
        self.assertTrue(self.survey.is_attempts_limited)
        self.assertEqual(self.survey.attempts_limit, 1)
        invitation = self._answer(self.invitation_men)
        self.assertTrue(invitation.invite_token)
        UserInput = self.env["survey.user_input"].sudo()
        count = UserInput.search_count([("survey_id", "=", self.survey.id)])
        with self.assertRaises(UserError):
            self.survey.sudo()._create_answer(
                user=self.env.ref("base.public_user"),
                partner=invitation.partner_id,
                email=invitation.email,
                invite_token=invitation.invite_token,
            )
        self.assertFalse(
            self.survey._has_attempts_left(
                invitation.partner_id, invitation.email, invitation.invite_token
            )
        )
        self.assertEqual(UserInput.search_count([("survey_id", "=", self.survey.id)]), count)
        # the same beneficiary's next request: a new invitation, answerable
        beneficiary = self.request_men.beneficiary_id
        request = self._request_in_state(
            "in_service", beneficiary, service_type_id=self.service_quick.id
        )
        self.env["islah.service.delivery"].create(
            {"request_id": request.id, "description": "Test guidance given"}
        )
        with self.mock_mail_gateway():
            request.action_done()
        second = request.islah_user_input_ids
        self.assertNotEqual(second.invite_token, invitation.invite_token)
        self.assertTrue(
            self.survey._has_attempts_left(second.partner_id, second.email, second.invite_token)
        )
        self._answer(second)
        self.assertEqual(second.islah_invitation_state, "answered")
