"""Landing on "My work": the app is the first one of every Beneficiary
Relations role and opens on the user's own work, by step; managers land on
their section's figures; CRM inquiries read in the association's words.

Regression: everyone landed on Discuss, and the app opened on CRM leads
with "Salesperson" and "Sales Team" labels."""

from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.service.model import call_kw
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import GROUP_COMMITTEE, GROUP_OFFICER, IslahCommon

OPEN_STATES = ["received", "verification", "research", "committee", "approved", "in_service"]


@tagged("post_install", "-at_install", "islah_my_work")
class TestMyWork(IslahCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.my_work = ref("islah_beneficiary.islah_my_work_action_server")
        cls.my_work_window = ref("islah_beneficiary.islah_my_work_action")
        cls.root_menu = ref("islah_beneficiary.islah_beneficiary_menu_root")
        cls.other_officer = new_test_user(
            cls.env, login="islah_officer_men_2", groups=GROUP_OFFICER, islah_section="men"
        )
        cls.secretary = new_test_user(
            cls.env, login="islah_my_work_secretary", groups=GROUP_COMMITTEE
        )
        women = cls._create_beneficiary(gender="female")

        # the men officer's work: his request, a colleague's with his to-do
        cls.r_mine = cls._create_request(officer_id=cls.officer_men.id)
        cls.r_todo = cls._create_request(officer_id=cls.other_officer.id)
        cls.r_todo.activity_schedule(
            "mail.mail_activity_data_todo", user_id=cls.officer_men.id, summary="Call back"
        )
        cls.r_colleague = cls._create_request(officer_id=cls.other_officer.id)
        cls.r_mine_done = cls._request_in_state("done", officer_id=cls.officer_men.id)
        # another section: a to-do there does not open the request to him
        cls.r_women = cls._create_request(women, officer_id=cls.officer_women.id)
        cls.r_women.activity_schedule(
            "mail.mail_activity_data_todo", user_id=cls.officer_men.id, summary="Misplaced"
        )
        # the researcher's assignment, and one of another researcher
        cls.r_research = cls._request_in_state(
            "research", officer_id=cls.other_officer.id, researcher_id=cls.researcher.id
        )
        # the committee: one request on an open meeting's agenda, one waiting
        cls.r_agenda = cls._request_in_state(
            "committee", officer_id=cls.other_officer.id, service_type_id=cls.service_no_research.id
        )
        cls.r_waiting = cls._request_in_state(
            "committee", officer_id=cls.other_officer.id, service_type_id=cls.service_no_research.id
        )
        members = cls.committee_member | cls.secretary
        meeting = (
            cls.env["islah.committee.meeting"]
            .with_user(cls.secretary)
            .create(
                {
                    "date_start": fields.Datetime.now(),
                    "member_ids": [Command.set(members.ids)],
                    "secretary_id": cls.secretary.id,
                    "chair_id": cls.committee_member.id,
                }
            )
        )
        cls.env["islah.committee.decision"].with_user(cls.secretary).create(
            {"meeting_id": meeting.id, "request_id": cls.r_agenda.id}
        )
        cls.requests = (
            cls.r_mine
            | cls.r_todo
            | cls.r_colleague
            | cls.r_mine_done
            | cls.r_women
            | cls.r_research
            | cls.r_agenda
            | cls.r_waiting
        )
        cls.roles = {
            "officer_men": cls.officer_men,
            "officer_women": cls.officer_women,
            "researcher": cls.researcher,
            "committee_member": cls.committee_member,
            "manager": cls.manager,
            "manager_men": cls.manager_men,
        }

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def _landing(self, user):
        """What the web client opens for ``user`` after login: the home
        action when set, else the action of the first app of its menus."""
        menus = self.env["ir.ui.menu"].with_user(user).load_web_menus(False)
        first_app = menus[menus["root"]["children"][0]]
        return user.action_id.id or first_app["actionID"], first_app

    def _default_domain(self, user, action):
        """The domain the search panel builds from the action's
        ``search_default_*`` keys, for ``user`` (filters of one group OR-ed,
        groups AND-ed), from the search view as ``user`` gets it."""
        Request = self.env["islah.support.request"].with_user(user)
        context = action["context"]
        if isinstance(context, str):
            context = safe_eval(context, {"uid": user.id})
        views = Request.get_views([(action["search_view_id"][0], "search")])
        arch = etree.fromstring(views["views"]["search"]["arch"])
        groups, current = [], []
        for node in arch:
            if node.tag == "filter" and not node.get("context"):
                if context.get(f"search_default_{node.get('name')}"):
                    current.append(safe_eval(node.get("domain"), {"uid": user.id}))
            elif node.tag in ("separator", "group", "field"):
                groups.append(current)
                current = []
        groups.append(current)
        domain = fields.Domain.TRUE
        for group in filter(None, groups):
            domain &= fields.Domain.OR(group)
        return domain

    def _my_work(self, user):
        """The test's requests "My work" shows to ``user`` (the database may
        hold others, e.g. demo data)."""
        action = self.my_work.with_user(user).run()
        domain = self._default_domain(user, action)
        # the way the kanban reads it: over RPC, with the user's rights
        Request = self.env["islah.support.request"].with_user(user)
        result = call_kw(
            Request,
            "web_search_read",
            [],
            {"domain": list(domain), "specification": {"name": {}, "state": {}}},
        )
        return Request.browse(rec["id"] for rec in result["records"]).sudo() & self.requests

    def _expected_work(self, user):
        """The rule, independently: the requests in progress ``user`` may
        read, that they handle, have a to-do on, or (committee member) that
        are on the agenda of an open meeting they sit in."""
        Request = self.env["islah.support.request"]
        readable = Request.with_user(user).search([("id", "in", self.requests.ids)]).sudo()

        def on_my_agenda(request):
            return (
                request.state == "committee"
                and user.has_group(GROUP_COMMITTEE)
                and any(
                    d.meeting_id.state != "closed" and user in d.meeting_id.member_ids
                    for d in request.decision_ids
                )
            )

        return readable.filtered(
            lambda r: (
                r.state in OPEN_STATES
                and (
                    r.officer_id == user
                    or r.researcher_id == user
                    or user in r.activity_ids.user_id
                    or on_my_agenda(r)
                )
            )
        )

    # ------------------------------------------------------------------
    # landing
    # ------------------------------------------------------------------

    def test_every_role_lands_on_my_work(self):
        """The app is the first of each role (before Discuss) and opens on
        the "My work" landing."""
        for role, user in self.roles.items():
            with self.subTest(role=role):
                action_id, first_app = self._landing(user)
                self.assertEqual(first_app["id"], self.root_menu.id)
                self.assertEqual(action_id, self.my_work.id)
                action = self.my_work.with_user(user).run()
                self.assertEqual(action["res_model"], "islah.support.request")
                self.assertEqual(action["id"], self.my_work_window.id)
                self.assertEqual(action["xml_id"], "islah_beneficiary.islah_my_work_action")
                self.assertEqual(action["views"][0][1], "kanban")

    def test_other_users_keep_their_landing(self):
        """A user of no Islah group neither sees the app nor may run it."""
        menus = self.env["ir.ui.menu"].with_user(self.internal_user).load_web_menus(False)
        self.assertNotIn(self.root_menu.id, menus)
        with self.assertRaises(AccessError):
            self.my_work.with_user(self.internal_user).run()

    # ------------------------------------------------------------------
    # what "My work" shows
    # ------------------------------------------------------------------

    def test_officer_sees_his_work_in_his_section(self):
        work = self._my_work(self.officer_men)
        self.assertEqual(work, self._expected_work(self.officer_men))
        self.assertIn(self.r_mine, work)
        self.assertIn(self.r_todo, work)
        for request in (self.r_colleague, self.r_mine_done, self.r_women, self.r_research):
            self.assertNotIn(request, work)

    def test_officer_of_the_other_section(self):
        work = self._my_work(self.officer_women)
        self.assertEqual(work, self._expected_work(self.officer_women))
        self.assertIn(self.r_women, work)
        self.assertEqual(set(work.mapped("section")), {"women"})

    def test_researcher_sees_his_assignments(self):
        work = self._my_work(self.researcher)
        self.assertEqual(work, self._expected_work(self.researcher))
        self.assertIn(self.r_research, work)
        self.assertNotIn(self.r_mine, work)

    def test_committee_member_sees_his_agenda(self):
        work = self._my_work(self.committee_member)
        self.assertEqual(work, self._expected_work(self.committee_member))
        self.assertIn(self.r_agenda, work)
        self.assertNotIn(self.r_mine, work)
        # a researcher reads no agenda: the filter is not offered to them
        search = (
            self.env["islah.support.request"]
            .with_user(self.researcher)
            .get_views([(self.my_work_window.search_view_id.id, "search")])
        )
        self.assertNotIn('name="my_agenda"', search["views"]["search"]["arch"])

    def test_manager_sees_his_sections_figures(self):
        """A manager lands on all the requests in progress of their
        section(s), the step columns counting them by deadline status."""
        action = self.my_work.with_user(self.manager_men).run()
        self.assertEqual(action["context"], {"search_default_in_progress": 1})
        work = self._my_work(self.manager_men)
        self.assertIn(self.r_colleague, work)
        self.assertNotIn(self.r_women, work)
        self.assertNotIn(self.r_mine_done, work)
        self.assertEqual(set(work.mapped("section")), {"men"})
        self.assertLessEqual(set(work.mapped("state")), set(OPEN_STATES))
        both = self._my_work(self.manager)
        self.assertIn(self.r_women, both)
        kanban = etree.fromstring(
            self.env["islah.support.request"]
            .with_user(self.manager_men)
            .get_views([(action["views"][0][0], "kanban")])["views"]["kanban"]["arch"]
        )
        self.assertEqual(kanban.find("progressbar").get("field"), "sla_state")
        self.assertEqual(kanban.get("default_group_by"), "state")

    def test_figures_by_section_and_step(self):
        figures = self.env.ref("islah_beneficiary.islah_my_work_action_figures")
        Request = self.env["islah.support.request"].with_user(self.manager_men)
        groups = call_kw(
            Request,
            "formatted_read_group",
            [],
            {
                "domain": [("state", "not in", ["done", "rejected", "cancelled"])],
                "groupby": ["section", "state"],
                "aggregates": ["__count"],
            },
        )
        self.assertEqual({g["section"] for g in groups}, {"men"})
        self.assertTrue(figures._get_action_dict()["views"])
        menu = self.env.ref("islah_beneficiary.islah_my_work_menu_figures")
        officer_menus = self.env["ir.ui.menu"].with_user(self.officer_men).load_web_menus(False)
        self.assertNotIn(menu.id, officer_menus)
        self.assertIn(menu.id, self.env["ir.ui.menu"].with_user(self.manager).load_web_menus(False))

    def test_my_todos(self):
        """My to-dos lists the activities assigned to me on the association's
        records (not on CRM leads), in mail's views that open the record."""
        lead = self.env["crm.lead"].create({"name": "Test inquiry", "type": "lead"})
        lead.activity_schedule("mail.mail_activity_data_todo", user_id=self.officer_men.id)
        action = self.env.ref("islah_beneficiary.islah_my_todo_action")._get_action_dict()
        context = safe_eval(action["context"])
        self.assertTrue(context["search_default_filter_user_id_uid"])
        domain = fields.Domain(safe_eval(action["domain"])) & fields.Domain(
            "user_id", "=", self.officer_men.id
        )
        Activity = self.env["mail.activity"].with_user(self.officer_men)
        result = call_kw(
            Activity,
            "web_search_read",
            [],
            {"domain": list(domain), "specification": {"res_model": {}, "res_id": {}}},
        )
        shown = {(rec["res_model"], rec["res_id"]) for rec in result["records"]}
        self.assertIn(("islah.support.request", self.r_todo.id), shown)
        # only the association's records: not his sales to-dos
        self.assertNotIn("crm.lead", {res_model for res_model, _res_id in shown})
        list_view = self.env.ref("mail.mail_activity_view_tree_open_target")
        self.assertIn((list_view.id, "list"), [tuple(v) for v in action["views"]])


@tagged("post_install", "-at_install", "islah_my_work")
class TestInquiryWords(IslahCommon):
    """CRM inquiries read as the association's, in the Inquiries screens only."""

    def _arch(self, user, view_type, view_xmlid=None):
        Lead = self.env["crm.lead"].with_user(user)
        view_id = self.env.ref(view_xmlid).id if view_xmlid else False
        arch = Lead.get_views([(view_id, view_type)])["views"][view_type]["arch"]
        return etree.fromstring(arch)

    def test_inquiry_views_say_officer_and_section(self):
        action = self.env.ref("islah_beneficiary.crm_lead_action_islah_inquiries")
        views = {mode: view_id for view_id, mode in action._get_action_dict()["views"]}
        Lead = self.env["crm.lead"].with_user(self.officer_men)
        archs = {
            mode: etree.fromstring(arch["arch"])
            for mode, arch in Lead.get_views(
                [
                    (views["list"], "list"),
                    (views["form"], "form"),
                    (action.search_view_id.id, "search"),
                ]
            )["views"].items()
        }
        for mode in ("list", "form", "search"):
            with self.subTest(view=mode):
                labels = {
                    node.get("string")
                    for node in archs[mode].iter("field")
                    if node.get("name") in ("user_id", "team_id")
                }
                self.assertEqual(labels, {"Officer", "Section"})
        groupbys = {f.get("name"): f.get("string") for f in archs["search"].iter("filter")}
        self.assertEqual(groupbys["salesperson"], "Officer")
        self.assertEqual(groupbys["saleschannel"], "Section")
        self.assertEqual(groupbys["assigned_to_me"], "My inquiries")
        # no "Convert to Opportunity" on an inquiry: it becomes a support request
        buttons = {b.get("string"): b.get("invisible") for b in archs["form"].iter("button")}
        self.assertEqual(buttons["Convert to Opportunity"], "1")
        self.assertIn("Convert to support request", buttons)

    def test_sales_crm_keeps_its_words(self):
        """The CRM app of a sales user is unchanged: no global rename."""
        sales = new_test_user(
            self.env, login="islah_sales", groups="sales_team.group_sale_salesman"
        )
        for view_type, xmlid in (
            ("list", "crm.crm_case_tree_view_leads"),
            ("form", "crm.crm_lead_view_form"),
        ):
            with self.subTest(view=view_type):
                arch = self._arch(sales, view_type, xmlid)
                labels = {f.get("string") for f in arch.iter("field") if f.get("name") == "user_id"}
                self.assertNotIn("Officer", labels)
        fields_info = self.env["crm.lead"].with_user(sales).fields_get(["user_id", "team_id"])
        self.assertEqual(fields_info["user_id"]["string"], "Salesperson")
        self.assertEqual(fields_info["team_id"]["string"], "Sales Team")


# polls the web client until it shows a kanban, then checks where it landed
LANDING_JS = """
(async () => {
    for (let i = 0; i < 200 && !document.querySelector(".o_kanban_renderer"); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const app = document.querySelector(".o_menu_brand")?.textContent.trim();
    const title = document.querySelector(".o_breadcrumb")?.textContent.trim();
    const columns = document.querySelectorAll(".o_kanban_group").length;
    const bars = document.querySelectorAll(".o_kanban_group .o_kanban_counter").length;
    if (app === "Beneficiary Relations" && title === "My work" && columns && bars) {
        console.log("test successful");
    } else {
        console.error(`landed on ${location.pathname}: ${app} / ${title}, ${columns} columns`);
    }
})();
"""


@tagged("post_install", "-at_install", "islah_my_work")
class TestMyWorkLanding(IslahCommon, HttpCase):
    """In the browser: after login, /odoo opens the app on "My work", the
    requests by step with their deadline bars (not Discuss, not CRM)."""

    def test_landing_in_the_web_client(self):
        users = self.officer_men | self.manager_men
        users.lang = "en_US"  # the labels checked below
        for user in users:
            with self.subTest(user=user.login):
                self.browser_js("/odoo", LANDING_JS, login=user.login)
