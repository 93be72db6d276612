"""The sections hold over the personal data kept outside the Islah models:
the beneficiaries' contacts (res.partner), their portal logins (res.users),
the inquiries made for them (crm.lead), the chatter, files, followers and
activities of their files, and the identifiers of their family members.

Every check goes through ``call_kw``, the dispatcher of the web client and
of JSON-RPC, as a fresh user of each role."""

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.service.model import call_kw
from odoo.tests import new_test_user, tagged

from .common import GROUP_OFFICER, IslahCommon


@tagged("post_install", "-at_install", "security")
class TestPersonalData(IslahCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ben_man = cls._create_beneficiary(name="PD Man", email="pd.man@example.com")
        cls.ben_woman = cls._create_beneficiary(
            name="PD Woman", gender="female", email="pd.woman@example.com"
        )
        cls.req_woman = cls._create_request(cls.ben_woman)
        cls.ben_assigned = cls._create_beneficiary(name="PD Assigned", gender="female")
        cls._request_in_state("research", cls.ben_assigned, researcher_id=cls.researcher.id)
        cls.ben_committee = cls._create_beneficiary(name="PD Committee")
        cls._request_in_state("committee", cls.ben_committee)
        cls.portal_user.partner_id.email = "pd.portal@example.com"
        cls.ben_portal = cls._create_beneficiary(
            partner_id=cls.portal_user.partner_id.id, gender="female"
        )
        cls.donor = cls.env["res.partner"].create(
            {"name": "PD Donor", "email": "pd.donor@example.com"}
        )
        cls.salesman = new_test_user(
            cls.env,
            login="islah_pd_salesman",
            groups="sales_team.group_sale_salesman_all_leads",
        )
        cls.contact_creator = new_test_user(
            cls.env, login="islah_pd_contacts", groups="base.group_user,base.group_partner_manager"
        )
        cls.officer_men_contacts = new_test_user(
            cls.env,
            login="islah_pd_officer_contacts",
            groups=f"{GROUP_OFFICER},base.group_partner_manager",
            islah_section="men",
        )
        # exporting is an Odoo right of its own: given, so that only the
        # record rules can refuse
        export = cls.env.ref("base.group_allow_export")
        for user in (cls.internal_user, cls.committee_member):
            user.group_ids += export
        cls.ben_partners = (
            cls.ben_man | cls.ben_woman | cls.ben_assigned | cls.ben_committee | cls.ben_portal
        ).partner_id
        cls.all_partners = cls.ben_partners | cls.donor

    def call(self, user, model, method, *args, **kwargs):
        """``method`` of ``model`` called as ``user`` through the RPC dispatcher."""
        return call_kw(self.env[model].with_user(user), method, list(args), kwargs)

    def visible_partners(self, user):
        rows = self.call(
            user, "res.partner", "search_read", [("id", "in", self.all_partners.ids)], ["email"]
        )
        return self.env["res.partner"].browse(row["id"] for row in rows)

    # ------------------------------------------------------------------
    # res.partner: reading
    # ------------------------------------------------------------------

    def test_partner_section_follows_the_file(self):
        """The contact carries its file's section, also when the file is
        archived (an archived contact is still personal data)."""
        self.assertEqual(self.ben_man.partner_id.islah_section, "men")
        self.assertEqual(self.ben_woman.partner_id.islah_section, "women")
        self.assertEqual(self.portal_user.partner_id.islah_section, "women")
        self.assertFalse(self.donor.islah_section)
        self.ben_man.with_user(self.manager).write({"gender": "female"})
        self.assertEqual(self.ben_man.partner_id.islah_section, "women")
        self.ben_woman.action_archive()
        self.assertEqual(self.ben_woman.partner_id.islah_section, "women")
        partners = self.call(
            self.internal_user,
            "res.partner",
            "search_read",
            [("id", "=", self.ben_woman.partner_id.id), ("active", "=", False)],
            ["name"],
        )
        self.assertFalse(partners)

    def test_internal_user_reads_no_beneficiary(self):
        """An employee without an Islah role gets nothing of a beneficiary's
        contact by any reading API; ordinary contacts are unchanged."""
        user = self.internal_user
        self.assertEqual(self.visible_partners(user), self.donor)
        for term in ("PD ", "pd.", "example.com"):
            found = {id_ for id_, __ in self.call(user, "res.partner", "name_search", term)}
            self.assertIn(self.donor.id, found)
            self.assertFalse(found & set(self.ben_partners.ids))
        groups = self.call(
            user,
            "res.partner",
            "formatted_read_group",
            [("id", "in", self.all_partners.ids)],
            ["email"],
            ["__count"],
        )
        self.assertEqual([group["email"] for group in groups], ["pd.donor@example.com"])
        groups = self.call(
            user,
            "res.partner",
            "read_group",
            [("id", "in", self.all_partners.ids)],
            ["email"],
            ["email"],
        )
        self.assertEqual([group["email"] for group in groups], ["pd.donor@example.com"])
        self.assertEqual(
            self.call(user, "res.partner", "search_count", [("email", "ilike", "pd.")]), 1
        )
        for partner in self.ben_partners:
            with self.subTest(partner=partner.name):
                with self.assertRaises(AccessError):
                    self.call(user, "res.partner", "read", [partner.id], ["email"])
                with self.assertRaises(AccessError):
                    self.call(user, "res.partner", "export_data", [partner.id], ["name", "email"])
                with self.assertRaises(AccessError):
                    self.call(user, "res.partner", "web_read", [partner.id], {"email": {}})
        self.assertEqual(
            self.call(user, "res.partner", "read", self.donor.ids, ["email"])[0]["email"],
            "pd.donor@example.com",
        )

    def test_sections_and_roles_read_their_contacts(self):
        """Officers and managers read the contacts of their section(s);
        researchers those of their assignments; committee members those of
        the files before the committee."""
        donor, ben_partner = self.donor, lambda ben: ben.partner_id
        expected = {
            self.officer_men: donor | ben_partner(self.ben_man) | ben_partner(self.ben_committee),
            self.officer_women: donor
            | ben_partner(self.ben_woman)
            | ben_partner(self.ben_assigned)
            | ben_partner(self.ben_portal),
            self.manager_men: donor | ben_partner(self.ben_man) | ben_partner(self.ben_committee),
            self.manager: self.all_partners,
            self.researcher: donor | ben_partner(self.ben_assigned),
            self.committee_member: donor | ben_partner(self.ben_committee),
        }
        for user, partners in expected.items():
            with self.subTest(user=user.login):
                self.assertEqual(self.visible_partners(user), partners)
        with self.assertRaises(AccessError):
            self.call(self.officer_men, "res.partner", "read", self.ben_woman.partner_id.ids, [])

    def test_portal_reads_own_contact_only(self):
        own = self.call(
            self.portal_user, "res.partner", "read", self.portal_user.partner_id.ids, ["email"]
        )
        self.assertEqual(own[0]["email"], "pd.portal@example.com")
        with self.assertRaises(AccessError):
            self.call(self.portal_user, "res.partner", "read", self.ben_man.partner_id.ids, [])

    # ------------------------------------------------------------------
    # res.partner: writing, through the partner or the file
    # ------------------------------------------------------------------

    def test_officer_has_no_write_on_contacts(self):
        """Regression: officers had a write/create ACL on every res.partner."""
        for partner in (self.ben_man.partner_id, self.ben_woman.partner_id, self.donor):
            with self.subTest(partner=partner.name):
                with self.assertRaises(AccessError):
                    self.call(
                        self.officer_men, "res.partner", "write", partner.ids, {"email": "x@x.sa"}
                    )
        with self.assertRaises(AccessError):
            self.call(self.officer_men, "res.partner", "create", [{"name": "Officer's contact"}])
        self.assertEqual(self.donor.email, "pd.donor@example.com")
        self.assertEqual(self.ben_woman.email, "pd.woman@example.com")

    def test_officer_edits_contact_details_through_file(self):
        """Officers still register and edit a beneficiary's contact details
        from the file."""
        [ben_id] = self.call(
            self.officer_men,
            "islah.beneficiary",
            "create",
            [
                {
                    "name": "PD Created by the officer",
                    "gender": "male",
                    "national_id": self._new_national_id(),
                    "email": "pd.new@example.com",
                    "phone": "0551234567",
                    "city": "Riyadh",
                }
            ],
        )
        beneficiary = self.env["islah.beneficiary"].browse(ben_id)
        partner = beneficiary.partner_id
        self.assertEqual(
            (partner.name, partner.email, partner.city, partner.islah_section),
            ("PD Created by the officer", "pd.new@example.com", "Riyadh", "men"),
        )
        self.call(
            self.officer_men,
            "islah.beneficiary",
            "write",
            [ben_id, self.ben_man.id],
            {"email": "pd.changed@example.com", "street": "King Fahd Road"},
        )
        self.assertEqual(partner.email, "pd.changed@example.com")
        self.assertEqual(self.ben_man.partner_id.street, "King Fahd Road")
        self.call(self.officer_men, "islah.beneficiary", "action_archive", [ben_id])
        self.assertFalse(partner.active)

    def test_officer_cannot_edit_other_section_contact(self):
        """A men's officer cannot change a women's beneficiary's e-mail,
        through the file or the contact."""
        for model, record in (
            ("islah.beneficiary", self.ben_woman),
            ("res.partner", self.ben_woman.partner_id),
        ):
            with self.subTest(model=model):
                with self.assertRaises(AccessError):
                    self.call(self.officer_men, model, "write", record.ids, {"email": "x@x.sa"})
                with self.assertRaises(AccessError):
                    self.call(
                        self.officer_men_contacts, model, "write", record.ids, {"email": "x@x.sa"}
                    )
        self.assertEqual(self.ben_woman.partner_id.email, "pd.woman@example.com")

    def test_login_contact_not_edited_through_file(self):
        """The contact of a portal login is that login's e-mail (password
        resets go there): the file does not edit it as superuser."""
        for user in (self.officer_women, self.manager):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.call(
                        user,
                        "islah.beneficiary",
                        "write",
                        self.ben_portal.ids,
                        {"email": "attacker@example.com"},
                    )
        self.assertEqual(self.portal_user.email, "pd.portal@example.com")
        # the file itself stays editable
        self.call(
            self.officer_women,
            "islah.beneficiary",
            "write",
            self.ben_portal.ids,
            {"district": "Al Malaz"},
        )
        self.assertEqual(self.ben_portal.district, "Al Malaz")

    def test_file_cannot_capture_a_contact(self):
        """Linking an existing contact to a file would expose and edit it
        through the file: only for users who may edit that contact."""
        national_id = self._new_national_id()
        for partner in (self.donor, self.ben_woman.partner_id, self.portal_user.partner_id):
            with self.subTest(partner=partner.name):
                with self.assertRaises(AccessError):
                    self.call(
                        self.officer_men,
                        "islah.beneficiary",
                        "create",
                        [{"partner_id": partner.id, "gender": "male", "national_id": national_id}],
                    )
                with self.assertRaises(AccessError):
                    self.call(
                        self.officer_men,
                        "islah.beneficiary",
                        "write",
                        self.ben_man.ids,
                        {"partner_id": partner.id},
                    )
        self.assertFalse(self.donor.islah_beneficiary_ids)

    def test_file_passes_only_contact_details(self):
        """Other partner fields (logins, parent company, context defaults)
        never reach the superuser write of the contact."""
        vals = {"name": "PD Sneaky", "gender": "male", "national_id": self._new_national_id()}
        with self.assertRaises(AccessError):
            self.call(
                self.officer_men,
                "islah.beneficiary",
                "create",
                [dict(vals, user_ids=[Command.create({"login": "pd_sneaky", "name": "Sneaky"})])],
            )
        with self.assertRaises(AccessError):
            self.call(
                self.officer_men,
                "islah.beneficiary",
                "write",
                self.ben_man.ids,
                {"parent_id": self.donor.id},
            )
        self.assertFalse(self.env["res.users"].search([("login", "=", "pd_sneaky")]))
        [ben_id] = self.call(
            self.officer_men,
            "islah.beneficiary",
            "create",
            [vals],
            context={"default_parent_id": self.donor.id, "default_user_id": self.officer_men.id},
        )
        partner = self.env["islah.beneficiary"].browse(ben_id).partner_id
        self.assertFalse(partner.parent_id)
        self.assertFalse(partner.user_id)

    def test_contact_creation_right_stays_out_of_sections(self):
        """Odoo's Contact Creation right edits ordinary contacts, not the
        contacts of beneficiaries outside the user's sections."""
        self.call(self.contact_creator, "res.partner", "write", self.donor.ids, {"email": "d@x.sa"})
        self.assertEqual(self.donor.email, "d@x.sa")
        with self.assertRaises(AccessError):
            self.call(
                self.contact_creator,
                "res.partner",
                "write",
                self.ben_man.partner_id.ids,
                {"email": "x@x.sa"},
            )
        self.call(
            self.officer_men_contacts,
            "res.partner",
            "write",
            self.ben_man.partner_id.ids,
            {"email": "men.desk@example.com"},
        )
        self.assertEqual(self.ben_man.email, "men.desk@example.com")

    # ------------------------------------------------------------------
    # res.users of portal beneficiaries
    # ------------------------------------------------------------------

    def test_portal_login_of_beneficiary_hidden(self):
        """Reading a user reads its contact's name and e-mail (inherited
        fields, joined as superuser): the login of a women's beneficiary is
        hidden from staff outside the women's section."""
        domain = [("id", "=", self.portal_user.id)]
        for user in (self.internal_user, self.officer_men, self.manager_men, self.salesman):
            with self.subTest(user=user.login):
                rows = self.call(user, "res.users", "search_read", domain, ["name", "email"])
                self.assertFalse(rows)
                with self.assertRaises(AccessError):
                    self.call(user, "res.users", "read", self.portal_user.ids, ["email"])
                names = self.call(user, "res.users", "name_search", self.portal_user.name)
                self.assertNotIn(self.portal_user.id, [id_ for id_, __ in names])
        rows = self.call(self.officer_women, "res.users", "search_read", domain, ["email"])
        self.assertEqual(rows[0]["email"], "pd.portal@example.com")
        # the portal user still reads their own user record
        self.call(self.portal_user, "res.users", "read", self.portal_user.ids, ["name", "email"])

    def test_staff_users_stay_visible(self):
        """Staff (internal users) stay visible to everyone: assignment,
        mentions and the chatter keep working."""
        staff = self.officer_men | self.officer_women | self.researcher | self.manager
        for user in (self.internal_user, self.officer_men, self.salesman):
            with self.subTest(user=user.login):
                rows = self.call(
                    user, "res.users", "search_read", [("id", "in", staff.ids)], ["name"]
                )
                self.assertEqual(len(rows), len(staff))
        suggestions = self.call(
            self.internal_user, "res.partner", "get_mention_suggestions", "Islah Officer"
        )
        self.assertTrue(suggestions)

    # ------------------------------------------------------------------
    # crm.lead
    # ------------------------------------------------------------------

    def test_inquiries_of_a_section(self):
        """A CRM salesman with all leads but no Islah role cannot read a
        women's inquiry; each section reads its own."""
        Lead = self.env["crm.lead"]
        no_team = {"team_id": False, "user_id": False}
        lead_women = Lead.create(dict(no_team, name="PD inquiry of a woman", islah_gender="female"))
        lead_man = Lead.create(
            dict(no_team, name="PD inquiry", islah_beneficiary_id=self.ben_man.id)
        )
        lead_other = Lead.create(dict(no_team, name="PD ordinary lead"))
        self.assertEqual(lead_women.islah_section, "women")
        self.assertEqual(lead_man.islah_section, "men")
        self.assertFalse(lead_other.islah_section)
        leads = lead_women | lead_man | lead_other
        expected = {
            self.salesman: lead_other,
            self.officer_women: lead_women | lead_other,
            self.officer_men: lead_man | lead_other,
            self.manager: leads,
        }
        for user, visible in expected.items():
            with self.subTest(user=user.login):
                rows = self.call(
                    user, "crm.lead", "search_read", [("id", "in", leads.ids)], ["email_from"]
                )
                self.assertEqual({row["id"] for row in rows}, set(visible.ids))
                groups = self.call(
                    user,
                    "crm.lead",
                    "formatted_read_group",
                    [("id", "in", leads.ids)],
                    ["islah_section"],
                    ["__count"],
                )
                self.assertEqual(sum(group["__count"] for group in groups), len(visible))
        with self.assertRaises(AccessError):
            self.call(self.salesman, "crm.lead", "read", lead_women.ids, ["contact_name"])
        with self.assertRaises(AccessError):
            self.call(self.salesman, "crm.lead", "write", lead_women.ids, {"name": "x"})
        activities = self.call(
            self.salesman,
            "crm.activity.report",
            "search_read",
            [("lead_id", "in", leads.ids)],
            ["lead_id"],
        )
        self.assertFalse({row["lead_id"][0] for row in activities} & set(lead_women.ids))

    # ------------------------------------------------------------------
    # chatter, files, followers and activities of the files
    # ------------------------------------------------------------------

    def _chatter_of_women_request(self):
        request = self._with_mail(self.req_woman)
        request.message_subscribe(partner_ids=(self.ben_woman.partner_id | self.donor).ids)
        message = request.message_post(body="PD visit of the family", message_type="comment")
        attachment = self.env["ir.attachment"].create(
            {
                "name": "pd_family_record.pdf",
                "raw": b"%PDF-1.4 family record",
                "res_model": "islah.support.request",
                "res_id": self.req_woman.id,
            }
        )
        partner_attachment = self.env["ir.attachment"].create(
            {
                "name": "pd_contact_card.pdf",
                "raw": b"%PDF-1.4 contact",
                "res_model": "res.partner",
                "res_id": self.ben_woman.partner_id.id,
            }
        )
        activity = request.activity_schedule(
            "mail.mail_activity_data_todo",
            summary="PD call the family",
            user_id=self.officer_women.id,
        )
        return message, attachment | partner_attachment, activity

    def test_chatter_of_other_section_hidden(self):
        """Messages, files, followers and activities of a women's request
        are read through the request: nothing for the men's officer and for
        an employee without an Islah role."""
        message, attachments, activity = self._chatter_of_women_request()
        searches = {
            "mail.message": [("model", "=", "islah.support.request")],
            "ir.attachment": [("res_model", "in", ["islah.support.request", "res.partner"])],
            "mail.followers": [("res_model", "=", "islah.support.request")],
            "mail.activity": [("res_model", "=", "islah.support.request")],
        }
        followers = self.env["mail.followers"].search(
            [("res_model", "=", "islah.support.request"), ("res_id", "=", self.req_woman.id)]
        )
        self.assertTrue((self.ben_woman.partner_id | self.donor) <= followers.partner_id)
        records = {
            "mail.message": message,
            "ir.attachment": attachments,
            "mail.followers": followers,
            "mail.activity": activity,
        }
        for user in (self.internal_user, self.officer_men, self.salesman):
            for model, domain in searches.items():
                with self.subTest(user=user.login, model=model):
                    try:
                        rows = self.call(user, model, "search_read", domain, ["id"])
                    except AccessError:
                        rows = []  # refused outright: nothing read either
                    self.assertFalse({row["id"] for row in rows} & set(records[model].ids))
                    with self.assertRaises(AccessError):
                        self.call(user, model, "read", records[model].ids, ["display_name"])
        rows = self.call(self.internal_user, "mail.followers", "search_read", [], ["name", "email"])
        self.assertFalse({row["id"] for row in rows} & set(followers.ids))
        # the women's officer reads all of it
        for model, domain in searches.items():
            with self.subTest(user=self.officer_women.login, model=model):
                rows = self.call(self.officer_women, model, "search_read", domain, ["id"])
                self.assertTrue(set(records[model].ids) <= {row["id"] for row in rows})

    def test_files_of_beneficiaries_never_public(self):
        """A public attachment is readable without login: refused for the
        files of beneficiaries and requests, and their contacts."""
        __, attachments, __ = self._chatter_of_women_request()
        request_file, contact_file = attachments
        with self.assertRaises(ValidationError):
            self.call(
                self.officer_women, "ir.attachment", "write", request_file.ids, {"public": True}
            )
        # nobody may, not even with every right
        with self.assertRaises(ValidationError):
            contact_file.write({"public": True})
        with self.assertRaises(ValidationError):
            self.call(
                self.officer_men,
                "ir.attachment",
                "create",
                [
                    {
                        "name": "pd_public.pdf",
                        "raw": b"x",
                        "res_model": "islah.beneficiary",
                        "res_id": self.ben_man.id,
                        "public": True,
                    }
                ],
            )
        self.assertFalse(attachments.filtered("public"))
        # ordinary documents keep Odoo's behaviour
        self.env["ir.attachment"].create(
            {
                "name": "pd_donor_logo.png",
                "raw": b"x",
                "res_model": "res.partner",
                "res_id": self.donor.id,
                "public": True,
            }
        )

    # ------------------------------------------------------------------
    # family members
    # ------------------------------------------------------------------

    def test_member_national_id_is_sensitive(self):
        """A committee member reads the family of a file before the
        committee, but not the members' national IDs."""
        member = self.env["islah.beneficiary.member"].create(
            {
                "beneficiary_id": self.ben_committee.id,
                "name": "PD Son",
                "relation": "son",
                "national_id": self._new_national_id(),
            }
        )
        Member = "islah.beneficiary.member"
        self.call(self.committee_member, Member, "read", member.ids, ["name", "relation"])
        with self.assertRaises(AccessError):
            self.call(self.committee_member, Member, "read", member.ids, ["national_id"])
        with self.assertRaises(AccessError):
            self.call(
                self.committee_member,
                Member,
                "search_read",
                [("national_id", "=", member.national_id)],
                ["name"],
            )
        with self.assertRaises(AccessError):
            self.call(self.committee_member, Member, "export_data", member.ids, ["national_id"])
        self.assertNotIn("national_id", self.call(self.committee_member, Member, "fields_get"))
        arch = self.call(
            self.committee_member, "islah.beneficiary", "get_views", [(False, "form")]
        )["views"]["form"]["arch"]
        self.assertNotIn('name="national_id"', arch)
        rows = self.call(self.officer_men, Member, "read", member.ids, ["national_id"])
        self.assertEqual(rows[0]["national_id"], member.national_id)
