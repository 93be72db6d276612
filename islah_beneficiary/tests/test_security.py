"""Who may read, write, create and delete what: access rights per group,
section, assignment, committee, portal and multi-company record rules, and
the sensitive fields."""

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged, users

from .common import GROUP_OFFICER, IslahCommon

OPERATIONS = {"r": "read", "w": "write", "c": "create", "d": "unlink"}


@tagged("post_install", "-at_install", "security")
class TestSecurity(IslahCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ben_man = cls._create_beneficiary(
            name="Security Man",
            gender="male",
            iban="SA9480000440608010220026",
            monthly_income=3000,
        )
        cls.ben_woman = cls._create_beneficiary(
            name="Security Woman", gender="female", monthly_income=2500
        )
        cls.req_man = cls._create_request(cls.ben_man)
        cls.req_woman = cls._create_request(cls.ben_woman)
        # assigned to the researcher, in research
        cls.ben_assigned = cls._create_beneficiary(name="Security Assigned", gender="female")
        cls.req_assigned = cls._request_in_state(
            "research", cls.ben_assigned, researcher_id=cls.researcher.id
        )
        cls.req_assigned.sudo().research_report = "<p>Visited the family.</p>"
        # before the committee
        cls.ben_committee_man = cls._create_beneficiary(name="Security Committee Man")
        cls.req_committee_man = cls._request_in_state("committee", cls.ben_committee_man)
        cls.req_committee_man.sudo().research_report = "<p>Report for the committee.</p>"
        cls.ben_committee_woman = cls._create_beneficiary(
            name="Security Committee Woman", gender="female"
        )
        cls.req_committee_woman = cls._request_in_state("committee", cls.ben_committee_woman)
        # a service delivered to a man
        cls.req_in_service = cls._request_in_state("in_service", cls.ben_man)
        cls.delivery_man = cls.env["islah.service.delivery"].create(
            {"request_id": cls.req_in_service.id, "description": "Food basket", "amount": 100}
        )
        # the portal user's own file
        cls.ben_portal = cls._create_beneficiary(partner_id=cls.portal_user.partner_id.id)
        cls.req_portal = cls._create_request(cls.ben_portal)
        # family members
        cls.member_man = cls.env["islah.beneficiary.member"].create(
            {"beneficiary_id": cls.ben_man.id, "name": "Son of Man", "relation": "son"}
        )
        cls.member_woman = cls.env["islah.beneficiary.member"].create(
            {
                "beneficiary_id": cls.ben_woman.id,
                "name": "Daughter of Woman",
                "relation": "daughter",
            }
        )
        cls.officer_both = new_test_user(
            cls.env, login="islah_officer_both", groups=GROUP_OFFICER, islah_section="both"
        )
        cls.officer_none = new_test_user(cls.env, login="islah_officer_none", groups=GROUP_OFFICER)

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------

    def assertModelAccess(self, user, model, allowed):
        """``allowed``: the letters of the permitted operations among r, w, c, d."""
        Model = self.env[model].with_user(user)
        for letter, operation in OPERATIONS.items():
            with self.subTest(user=user.login, model=model, operation=operation):
                self.assertEqual(
                    Model.has_access(operation),
                    letter in allowed,
                    f"{user.login} {'may' if letter in allowed else 'may not'} {operation} {model}",
                )

    def assertSees(self, user, records):
        model = records._name
        found = self.env[model].with_user(user).search([("id", "in", records.ids)])
        self.assertEqual(found, records.with_user(user), f"{user.login} must see {records}")
        records.with_user(user).read(["display_name"])

    def assertNotSees(self, user, records):
        model = records._name
        found = self.env[model].with_user(user).search([("id", "in", records.ids)])
        self.assertFalse(found, f"{user.login} must not find {records}")
        for record in records:
            with self.assertRaises(AccessError):
                record.with_user(user).read(["display_name"])
            with self.assertRaises(AccessError):
                record.with_user(user).invalidate_recordset()
                _value = record.with_user(user).create_date

    # ------------------------------------------------------------------
    # access rights (ACL) per group
    # ------------------------------------------------------------------

    def test_acl_beneficiary(self):
        model = "islah.beneficiary"
        self.assertModelAccess(self.officer_men, model, "rwc")
        self.assertModelAccess(self.researcher, model, "r")
        self.assertModelAccess(self.committee_member, model, "r")
        self.assertModelAccess(self.manager, model, "rwcd")
        self.assertModelAccess(self.portal_user, model, "")
        self.assertModelAccess(self.internal_user, model, "")

    def test_acl_member(self):
        model = "islah.beneficiary.member"
        self.assertModelAccess(self.officer_men, model, "rwcd")
        self.assertModelAccess(self.researcher, model, "r")
        self.assertModelAccess(self.committee_member, model, "r")
        self.assertModelAccess(self.manager, model, "rwcd")
        self.assertModelAccess(self.portal_user, model, "")
        self.assertModelAccess(self.internal_user, model, "")

    def test_acl_request(self):
        model = "islah.support.request"
        self.assertModelAccess(self.officer_men, model, "rwcd")
        self.assertModelAccess(self.researcher, model, "rw")
        self.assertModelAccess(self.committee_member, model, "r")
        self.assertModelAccess(self.manager, model, "rwcd")
        self.assertModelAccess(self.portal_user, model, "r")
        self.assertModelAccess(self.internal_user, model, "")

    def test_acl_request_document(self):
        model = "islah.request.document"
        self.assertModelAccess(self.officer_men, model, "rwcd")
        self.assertModelAccess(self.researcher, model, "r")
        self.assertModelAccess(self.committee_member, model, "r")
        self.assertModelAccess(self.manager, model, "rwcd")
        self.assertModelAccess(self.portal_user, model, "r")
        self.assertModelAccess(self.internal_user, model, "")

    def test_acl_service_delivery(self):
        model = "islah.service.delivery"
        self.assertModelAccess(self.officer_men, model, "rwcd")
        # the deliveries of their assignments (record rule): the request's form shows them
        self.assertModelAccess(self.researcher, model, "r")
        self.assertModelAccess(self.committee_member, model, "r")
        self.assertModelAccess(self.manager, model, "rwcd")
        self.assertModelAccess(self.portal_user, model, "")
        self.assertModelAccess(self.internal_user, model, "")

    def test_acl_configuration(self):
        """Configuration is read by every employee and kept by managers."""
        for model in (
            "islah.service.type",
            "islah.document.type",
            "islah.beneficiary.category",
            "islah.staff.guide",
        ):
            for user in (
                self.officer_men,
                self.researcher,
                self.committee_member,
                self.internal_user,
            ):
                self.assertModelAccess(user, model, "r")
            self.assertModelAccess(self.manager, model, "rwcd")
        # the public request form lists the services
        self.assertModelAccess(self.portal_user, "islah.service.type", "r")
        for model in ("islah.document.type", "islah.beneficiary.category", "islah.staff.guide"):
            self.assertModelAccess(self.portal_user, model, "")

    def test_configuration_operations(self):
        ServiceType = self.env["islah.service.type"]
        with self.assertRaises(AccessError):
            ServiceType.with_user(self.officer_men).create({"name": "Officer's own service"})
        with self.assertRaises(AccessError):
            self.service_full.with_user(self.officer_men).write({"needs_committee": False})
        with self.assertRaises(AccessError):
            self.doc_type_family.with_user(self.researcher).unlink()
        self.assertEqual(
            self.service_full.with_user(self.officer_men).name, "Test family counselling"
        )
        service = ServiceType.with_user(self.manager).create({"name": "Manager's service"})
        service.write({"decision_days": 10})
        category = (
            self.env["islah.beneficiary.category"]
            .with_user(self.manager)
            .create({"name": "Security test category"})
        )
        category.unlink()
        guide = (
            self.env["islah.staff.guide"]
            .with_user(self.manager)
            .create({"name": "Security test guide", "kind": "bylaws"})
        )
        self.assertEqual(guide.with_user(self.officer_women).name, "Security test guide")
        with self.assertRaises(AccessError):
            guide.with_user(self.officer_women).write({"name": "Changed"})
        with self.assertRaises(AccessError):
            guide.with_user(self.portal_user).read(["name"])

    # ------------------------------------------------------------------
    # officers: their section only
    # ------------------------------------------------------------------

    def test_officer_women_cannot_see_men(self):
        with self.assertRaises(AccessError):
            self.ben_man.with_user(self.officer_women).check_access("read")
        self.ben_woman.with_user(self.officer_women).check_access("write")
        self.assertNotSees(self.officer_women, self.ben_man)
        self.assertNotSees(self.officer_women, self.req_man)
        self.assertNotSees(self.officer_women, self.member_man)
        self.assertNotSees(self.officer_women, self.req_man.document_ids)
        self.assertNotSees(self.officer_women, self.delivery_man)
        with self.assertRaises(AccessError):
            self.req_man.with_user(self.officer_women).write({"description": "Changed"})
        self.assertSees(self.officer_women, self.ben_woman)
        self.assertSees(self.officer_women, self.req_woman)
        self.assertSees(self.officer_women, self.member_woman)
        self.assertSees(self.officer_women, self.req_woman.document_ids)

    def test_officer_men_cannot_see_women(self):
        self.assertNotSees(self.officer_men, self.ben_woman)
        self.assertNotSees(self.officer_men, self.req_woman)
        self.assertNotSees(self.officer_men, self.member_woman)
        self.assertNotSees(self.officer_men, self.req_woman.document_ids)
        self.assertSees(self.officer_men, self.ben_man)
        self.assertSees(self.officer_men, self.req_man)
        self.assertSees(self.officer_men, self.member_man)
        self.assertSees(self.officer_men, self.delivery_man)

    def test_officer_men_works_in_section(self):
        Beneficiary = self.env["islah.beneficiary"].with_user(self.officer_men)
        beneficiary = Beneficiary.create(
            {
                "name": "Created by the officer",
                "gender": "male",
                "national_id": self._new_national_id(),
                "phone": "0551234567",
            }
        )
        beneficiary.write({"district": "Al Olaya", "monthly_income": 4000})
        request = (
            self.env["islah.support.request"]
            .with_user(self.officer_men)
            .create(
                {
                    "beneficiary_id": beneficiary.id,
                    "service_type_id": self.service_no_research.id,
                    "medium_id": self.channel_interview.id,
                }
            )
        )
        self.assertEqual(request.officer_id, self.officer_men)
        request.action_start_verification()
        self.assertEqual(request.state, "verification")
        with self.assertRaises(AccessError):
            beneficiary.unlink()
        # the men's section does not register women
        with self.assertRaises(AccessError):
            Beneficiary.create(
                {"name": "Wrong desk", "gender": "female", "national_id": self._new_national_id()}
            )

    def test_officer_cannot_move_beneficiary_out_of_section(self):
        """Regression: rules are checked before a write, so changing the gender
        used to move a man's record into the women's section behind the
        officer's back."""
        beneficiary = self.ben_man.with_user(self.officer_men)
        with self.assertRaisesRegex(UserError, "section you do not serve"):
            beneficiary.write({"gender": "female"})
        self.assertEqual(self.ben_man.section, "men")
        # a manager of both sections may correct a wrongly entered gender
        self.ben_man.with_user(self.manager).write({"gender": "female"})
        self.assertEqual(self.ben_man.section, "women")

    def test_officer_both_sections(self):
        records = self.ben_man | self.ben_woman
        self.assertSees(self.officer_both, records)
        self.assertSees(self.officer_both, self.req_man | self.req_woman)
        self.assertSees(self.officer_both, self.member_man | self.member_woman)

    def test_officer_without_section_sees_nothing(self):
        self.assertNotSees(self.officer_none, self.ben_man | self.ben_woman)
        self.assertNotSees(self.officer_none, self.req_man | self.req_woman)
        self.assertEqual(
            self.env["islah.beneficiary"].with_user(self.officer_none).search_count([]), 0
        )
        self.assertEqual(
            self.env["islah.support.request"].with_user(self.officer_none).search_count([]), 0
        )

    def test_section_change_applies_immediately(self):
        self.assertNotSees(self.officer_women, self.ben_man)
        self.officer_women.islah_section = "both"
        self.assertSees(self.officer_women, self.ben_man)
        self.assertSees(self.officer_women, self.req_man)
        self.officer_women.islah_section = "men"
        self.assertSees(self.officer_women, self.ben_man)
        self.assertNotSees(self.officer_women, self.ben_woman)
        self.officer_women.islah_section = False
        self.assertNotSees(self.officer_women, self.ben_man | self.ben_woman)

    def test_documents_and_deliveries_operations(self):
        doc_man = self.req_man.document_ids[0]
        doc_man.with_user(self.officer_men).write({"note": "Original seen"})
        self.assertEqual(doc_man.note, "Original seen")
        with self.assertRaises(AccessError):
            doc_man.with_user(self.officer_women).write({"note": "Not my section"})
        with self.assertRaises(AccessError):
            self.req_assigned.document_ids[0].with_user(self.researcher).write({"note": "x"})
        with self.assertRaises(AccessError):
            self.req_portal.document_ids[0].with_user(self.portal_user).write({"note": "x"})
        Delivery = self.env["islah.service.delivery"]
        with self.assertRaises(AccessError):
            Delivery.with_user(self.officer_women).create(
                {"request_id": self.req_in_service.id, "description": "Wrong section"}
            )
        with self.assertRaises(AccessError):
            Delivery.with_user(self.researcher).create(
                {"request_id": self.req_in_service.id, "description": "Not a researcher's job"}
            )
        delivery = Delivery.with_user(self.officer_men).create(
            {"request_id": self.req_in_service.id, "description": "Rent", "amount": 500}
        )
        self.assertEqual(self.req_in_service.delivered_amount, 600)
        delivery.unlink()

    def test_portal_cannot_create_request(self):
        with self.assertRaises(AccessError):
            self.env["islah.support.request"].with_user(self.portal_user).create(
                {
                    "beneficiary_id": self.ben_portal.id,
                    "service_type_id": self.service_full.id,
                    "medium_id": self.channel_interview.id,
                }
            )

    # ------------------------------------------------------------------
    # researcher: their assignments only
    # ------------------------------------------------------------------

    def test_researcher_sees_assignments_only(self):
        Request = self.env["islah.support.request"].with_user(self.researcher)
        self.assertEqual(Request.search([]), self.req_assigned.with_user(self.researcher))
        self.assertNotSees(self.researcher, self.req_man | self.req_woman | self.req_committee_man)
        self.assertEqual(
            self.env["islah.beneficiary"].with_user(self.researcher).search([]),
            self.ben_assigned.with_user(self.researcher),
        )
        self.assertNotSees(self.researcher, self.ben_man | self.ben_woman)
        self.assertNotSees(self.researcher, self.member_man | self.member_woman)
        self.assertSees(self.researcher, self.req_assigned.document_ids)
        self.assertNotSees(self.researcher, self.req_man.document_ids)

    @users("islah_researcher")
    def test_researcher_works_on_assignment(self):
        request = self.req_assigned.with_env(self.env)
        request.write({"visit_date": fields.Date.today(), "research_report": "<p>Findings.</p>"})
        self.assertEqual(request.research_report, "<p>Findings.</p>")
        # the researcher may read the sensitive data of their beneficiary
        self.assertEqual(request.beneficiary_id.national_id, self.ben_assigned.sudo().national_id)
        with self.assertRaises(AccessError):
            self.req_woman.with_env(self.env).write({"description": "Not mine"})
        with self.assertRaises(AccessError):
            request.beneficiary_id.write({"district": "Changed"})

    @users("islah_researcher")
    def test_researcher_cannot_create_or_delete_requests(self):
        with self.assertRaises(AccessError):
            self.env["islah.support.request"].create(
                {
                    "beneficiary_id": self.ben_assigned.id,
                    "service_type_id": self.service_full.id,
                    "medium_id": self.channel_interview.id,
                }
            )
        with self.assertRaises(AccessError):
            self.req_assigned.with_env(self.env).unlink()

    # ------------------------------------------------------------------
    # committee member: from the committee on, read only
    # ------------------------------------------------------------------

    def test_committee_reads_from_committee_on(self):
        committee_requests = self.req_committee_man | self.req_committee_woman
        Request = self.env["islah.support.request"].with_user(self.committee_member)
        self.assertSees(self.committee_member, committee_requests | self.req_in_service)
        self.assertNotSees(self.committee_member, self.req_man | self.req_woman | self.req_assigned)
        self.assertTrue(
            all(
                state in ("committee", "approved", "rejected", "in_service", "done")
                for state in Request.search([]).mapped("state")
            )
        )
        self.assertSees(self.committee_member, self.ben_committee_man | self.ben_committee_woman)
        self.assertNotSees(self.committee_member, self.ben_woman | self.ben_assigned)
        self.assertSees(self.committee_member, self.req_committee_man.document_ids)
        self.assertNotSees(self.committee_member, self.req_man.document_ids)
        self.assertSees(self.committee_member, self.delivery_man)
        member = self.env["islah.beneficiary.member"].create(
            {"beneficiary_id": self.ben_committee_man.id, "name": "Wife", "relation": "spouse"}
        )
        self.assertSees(self.committee_member, member)
        self.assertNotSees(self.committee_member, self.member_woman)
        with self.assertRaises(AccessError):
            member.with_user(self.committee_member).write({"name": "Changed"})

    @users("islah_committee")
    def test_committee_cannot_write(self):
        with self.assertRaises(AccessError):
            self.req_committee_man.with_env(self.env).write({"description": "x"})
        with self.assertRaises(AccessError):
            self.ben_committee_man.with_env(self.env).write({"district": "x"})
        with self.assertRaises(AccessError):
            self.req_committee_man.with_env(self.env).unlink()
        with self.assertRaises(AccessError):
            self.delivery_man.with_env(self.env).write({"amount": 1})

    @users("islah_committee")
    def test_committee_reads_research_report(self):
        request = self.req_committee_man.with_env(self.env)
        self.assertEqual(request.research_report, "<p>Report for the committee.</p>")

    # ------------------------------------------------------------------
    # managers
    # ------------------------------------------------------------------

    def test_manager_men_sees_men_only(self):
        self.assertSees(self.manager_men, self.ben_man | self.ben_committee_man)
        self.assertSees(self.manager_men, self.req_man | self.req_committee_man)
        self.assertNotSees(self.manager_men, self.ben_woman | self.ben_committee_woman)
        self.assertNotSees(self.manager_men, self.req_woman | self.req_committee_woman)
        self.assertNotSees(self.manager_men, self.member_woman)
        self.assertNotSees(self.manager_men, self.req_committee_woman.document_ids)

    def test_manager_sees_and_deletes(self):
        self.assertSees(self.manager, self.ben_man | self.ben_woman)
        self.assertSees(self.manager, self.req_man | self.req_woman | self.req_assigned)
        draft = self._create_beneficiary(gender="female")
        draft.with_user(self.manager).unlink()
        self.assertFalse(draft.exists())
        self.req_woman.with_user(self.manager).unlink()
        self.assertFalse(self.req_woman.exists())

    # ------------------------------------------------------------------
    # portal
    # ------------------------------------------------------------------

    def test_portal_sees_own_requests_only(self):
        Request = self.env["islah.support.request"].with_user(self.portal_user)
        self.assertEqual(Request.search([]), self.req_portal.with_user(self.portal_user))
        self.assertNotSees(self.portal_user, self.req_man | self.req_woman)
        self.assertSees(self.portal_user, self.req_portal.document_ids)
        self.assertNotSees(self.portal_user, self.req_man.document_ids)
        with self.assertRaises(AccessError):
            self.req_portal.with_user(self.portal_user).write({"description": "x"})
        with self.assertRaises(AccessError):
            self.ben_portal.with_user(self.portal_user).read(["name"])

    # ------------------------------------------------------------------
    # internal users without an Islah group
    # ------------------------------------------------------------------

    def test_internal_user_has_no_access(self):
        for records in (self.ben_man, self.req_man, self.member_man, self.delivery_man):
            with self.subTest(model=records._name):
                with self.assertRaises(AccessError):
                    self.env[records._name].with_user(self.internal_user).search([])
                with self.assertRaises(AccessError):
                    records.with_user(self.internal_user).read(["display_name"])

    # ------------------------------------------------------------------
    # sensitive fields
    # ------------------------------------------------------------------

    def test_sensitive_fields(self):
        sensitive = ("national_id", "monthly_income", "iban")
        officer_view = self.ben_man.with_user(self.officer_men)
        values = officer_view.read(list(sensitive))[0]
        self.assertEqual(values["iban"], "SA9480000440608010220026")
        self.assertEqual(values["monthly_income"], 3000)
        self.assertTrue(values["national_id"])

        committee_view = self.ben_committee_man.with_user(self.committee_member)
        # the file itself is readable, its family size too
        committee_view.read(["name", "gender", "section", "member_count", "birth_date_hijri"])
        for field_name in sensitive:
            with self.subTest(field=field_name):
                with self.assertRaises(AccessError):
                    committee_view.read([field_name])
                with self.assertRaises(AccessError):
                    self.ben_man.with_user(self.internal_user).read([field_name])
                self.assertNotIn(
                    field_name,
                    self.env["islah.beneficiary"].with_user(self.committee_member).fields_get(),
                )
        with self.assertRaises(AccessError):
            self.env["islah.beneficiary"].with_user(self.committee_member).search(
                [("national_id", "=", self.ben_committee_man.sudo().national_id)]
            )

    def test_research_report_hidden_from_officer(self):
        """Only researchers and the committee read the research report."""
        with self.assertRaises(AccessError):
            self.req_committee_man.with_user(self.officer_men).read(["research_report"])

    # ------------------------------------------------------------------
    # multi-company
    # ------------------------------------------------------------------

    def test_multi_company(self):
        company_b = self.env["res.company"].create({"name": "Islah Security Branch B"})
        ben_b = self._create_beneficiary(name="Branch B man", company_id=company_b.id)
        req_b = self._create_request(ben_b)
        self.assertEqual(req_b.company_id, company_b)
        self.assertNotSees(self.officer_men, ben_b)
        self.assertNotSees(self.officer_men, req_b)
        self.assertNotSees(self.manager, ben_b)
        # a user of both companies sees it when both are active
        officer_ab = new_test_user(
            self.env,
            login="islah_officer_ab",
            groups=GROUP_OFFICER,
            islah_section="men",
            company_id=self.env.company.id,
            company_ids=[(6, 0, (self.env.company | company_b).ids)],
        )
        Beneficiary = self.env["islah.beneficiary"].with_user(officer_ab)
        only_a = Beneficiary.with_context(allowed_company_ids=[self.env.company.id])
        self.assertFalse(only_a.search([("id", "=", ben_b.id)]))
        both = Beneficiary.with_context(allowed_company_ids=[self.env.company.id, company_b.id])
        self.assertEqual(both.search([("id", "=", ben_b.id)]), ben_b.with_user(officer_ab))
