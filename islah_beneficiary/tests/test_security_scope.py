"""No write moves a record into the writer's scope, the trace of a file is
not rewritten by those who did not write it, warnings stay within their
section, and values are sane. Each attack goes through ``call_kw``, the
dispatcher of the web client and of JSON-RPC."""

from datetime import date, timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import call_kw
from odoo.tests import tagged

from .common import IslahCommon


@tagged("post_install", "-at_install", "security")
class TestScope(IslahCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ben_man = cls._create_beneficiary(name="Scope Man")
        cls.ben_woman = cls._create_beneficiary(name="Scope Woman", gender="female")
        cls.req_woman = cls._create_request(cls.ben_woman)

    def _rpc(self, user, model, method, args, kwargs=None):
        return call_kw(self.env[model].with_user(user), method, args, kwargs or {})

    # ------------------------------------------------------------------
    # moving records between sections
    # ------------------------------------------------------------------

    def test_request_not_moved_to_unseen_beneficiary(self):
        """A women's officer cannot re-point her request at a men's
        beneficiary: she may not see the new value."""
        with self.assertRaises(AccessError):
            self._rpc(
                self.officer_women,
                "islah.support.request",
                "write",
                [self.req_woman.ids, {"beneficiary_id": self.ben_man.id}],
            )
        self.assertEqual(self.req_woman.beneficiary_id, self.ben_woman)

    def test_request_partner_never_written(self):
        """Re-pointing a request's contact would show it in another person's
        portal: the contact follows the beneficiary, never a write."""
        with self.assertRaises(UserError):
            self._rpc(
                self.manager,
                "islah.support.request",
                "write",
                [self.req_woman.ids, {"partner_id": self.portal_user.partner_id.id}],
            )
        self.assertEqual(self.req_woman.partner_id, self.ben_woman.partner_id)

    def test_gender_change_out_of_section_refused(self):
        """An officer cannot move a file to the section she does not serve,
        and the file is unchanged."""
        with self.assertRaises(UserError):
            self._rpc(
                self.officer_women,
                "islah.beneficiary",
                "write",
                [self.ben_woman.ids, {"gender": "male"}],
            )
        self.assertEqual(self.ben_woman.section, "women")

    def test_rules_checked_after_the_write(self):
        """A write that would leave the record outside the writer's own
        rules is undone, whatever check came before it."""
        self.env["ir.rule"].create(
            {
                "name": "test: files in the south are edited by nobody (global rule)",
                "model_id": self.env.ref("islah_beneficiary.model_islah_beneficiary").id,
                "domain_force": "[('district', '!=', 'South')]",
                "perm_read": False,
            }
        )
        self.ben_man.district = "North"
        with self.assertRaises(AccessError):
            self._rpc(
                self.officer_men,
                "islah.beneficiary",
                "write",
                [self.ben_man.ids, {"district": "South", "gender": "male"}],
            )

    def test_deleted_file_keeps_its_contact_in_section(self):
        """The contact of a deleted draft file stays for the CRM, but within
        its section: it does not reach every employee."""
        draft = self._create_beneficiary(
            name="Scope Draft", gender="female", email="draft@example.com"
        )
        partner = draft.partner_id
        self._rpc(self.manager, "islah.beneficiary", "unlink", [draft.ids])
        self.assertTrue(partner.exists())
        self.assertEqual(partner.islah_section, "women")
        rows = self._rpc(
            self.internal_user,
            "res.partner",
            "search_read",
            [[("email", "=", "draft@example.com")]],
            {"fields": ["name"], "context": {"active_test": False}},
        )
        self.assertFalse(rows)

    def test_inquiry_not_pointed_at_unseen_contact(self):
        """CRM copies a lead's contact data onto it with full rights: a men's
        officer cannot point his own inquiry at a women's contact to read
        her e-mail and phone."""
        lead = self._rpc(
            self.officer_men, "crm.lead", "create", [{"name": "Probe", "islah_gender": "male"}]
        )
        with self.assertRaises(AccessError):
            self._rpc(
                self.officer_men,
                "crm.lead",
                "write",
                [[lead], {"partner_id": self.ben_woman.partner_id.id}],
            )
        with self.assertRaises(AccessError):
            self._rpc(
                self.officer_men,
                "crm.lead",
                "create",
                [{"name": "Probe 2", "partner_id": self.ben_woman.partner_id.id}],
            )

    def test_inquiry_takes_its_contacts_section(self):
        """An inquiry about a beneficiary's contact, with no file or gender
        on it, belongs to the contact's section."""
        lead = self.env["crm.lead"].create(
            {"name": "About her", "partner_id": self.ben_woman.partner_id.id, "team_id": False}
        )
        self.assertEqual(lead.islah_section, "women")
        rows = self._rpc(
            self.officer_men,
            "crm.lead",
            "search_read",
            [[("id", "=", lead.id)]],
            {"fields": ["email_from", "phone"]},
        )
        self.assertFalse(rows)
        rows = self._rpc(
            self.officer_women,
            "crm.lead",
            "search_read",
            [[("id", "=", lead.id)]],
            {"fields": ["name"]},
        )
        self.assertEqual(len(rows), 1)

    def test_no_message_in_another_name(self):
        """The chatter of a file is evidence: an officer cannot post a note
        signed by a manager."""
        with self.assertRaises(AccessError):
            self._rpc(
                self.officer_women,
                "islah.support.request",
                "message_post",
                [self.req_woman.ids],
                {"body": "Approved by the manager", "author_id": self.manager.partner_id.id},
            )
        self._rpc(
            self.officer_women,
            "islah.support.request",
            "message_post",
            [self.req_woman.ids],
            {"body": "My own note", "author_id": self.officer_women.partner_id.id},
        )
        self.assertEqual(self.req_woman.message_ids[:1].author_id, self.officer_women.partner_id)

    # ------------------------------------------------------------------
    # the trace of a file
    # ------------------------------------------------------------------

    def test_others_messages_are_kept(self):
        """A note on a request is the trace of a step: an officer of the
        section deletes or rewrites her own, not another's; a manager may."""
        others = self.req_woman.message_post(body="By the secretary", message_type="comment")
        with self.assertRaises(AccessError):
            self._rpc(self.officer_women, "mail.message", "unlink", [others.ids])
        with self.assertRaises(AccessError):
            self._rpc(self.officer_women, "mail.message", "write", [others.ids, {"body": "x"}])
        own = self.req_woman.with_user(self.officer_women).message_post(
            body="My note", message_type="comment"
        )
        self._rpc(self.officer_women, "mail.message", "unlink", [own.ids])
        self.assertFalse(own.exists())
        self._rpc(self.manager, "mail.message", "unlink", [others.ids])
        self.assertFalse(others.exists())

    def test_others_files_are_kept(self):
        attachment = self.env["ir.attachment"].create(
            {
                "name": "id.pdf",
                "raw": b"%PDF-1.4",
                "res_model": self.req_woman._name,
                "res_id": self.req_woman.id,
            }
        )
        with self.assertRaises(AccessError):
            self._rpc(self.officer_women, "ir.attachment", "unlink", [attachment.ids])
        with self.assertRaises(AccessError):
            self._rpc(self.officer_women, "ir.attachment", "write", [attachment.ids, {"name": "x"}])
        self.assertTrue(attachment.exists())

    def test_checklist_locked_after_verification(self):
        """Once the request left verification its checklist is evidence:
        no line is removed or added, by an officer or a manager."""
        request = self._request_in_state("committee", self.ben_woman)
        line = request.document_ids[:1]
        for user in (self.officer_women, self.manager):
            with self.assertRaises(UserError):
                self._rpc(user, "islah.request.document", "unlink", [line.ids])
            with self.assertRaises(UserError):
                self._rpc(
                    user,
                    "islah.request.document",
                    "create",
                    [{"request_id": request.id, "document_type_id": self.doc_type_family.id}],
                )
        self.assertTrue(line.exists())

    def test_required_document_never_removed(self):
        """A required document stays on the checklist: a manager waives it
        with a reason (test_handoffs), nobody removes it."""
        line = self.req_woman.document_ids.filtered(
            lambda d: d.document_type_id == self.doc_type_id_copy
        )
        for user in (self.officer_women, self.manager):
            with self.assertRaises(UserError):
                self._rpc(user, "islah.request.document", "unlink", [line.ids])
        self.assertTrue(line.exists())

    # ------------------------------------------------------------------
    # warnings stay within the section
    # ------------------------------------------------------------------

    def test_escalation_reaches_the_sections_managers(self):
        request = self._request_in_state("committee", self.ben_woman)
        self.assertIn(self.manager.partner_id, request.escalation_partner_ids)
        self.assertNotIn(self.manager_men.partner_id, request.escalation_partner_ids)
        request._islah_schedule_at_risk_activity()
        todo_users = request.activity_ids.user_id
        self.assertIn(self.manager, todo_users)
        self.assertNotIn(self.manager_men, todo_users)

    # ------------------------------------------------------------------
    # sane values
    # ------------------------------------------------------------------

    def test_negative_income_refused(self):
        with self.assertRaises(ValidationError):
            self._rpc(
                self.officer_women,
                "islah.beneficiary",
                "write",
                [self.ben_woman.ids, {"monthly_income": -100}],
            )

    def test_family_member_born_tomorrow_refused(self):
        with self.assertRaises(ValidationError):
            self._rpc(
                self.officer_women,
                "islah.beneficiary.member",
                "create",
                [
                    {
                        "beneficiary_id": self.ben_woman.id,
                        "name": "Not yet born",
                        "relation": "son",
                        "birth_date": str(date.today() + timedelta(days=1)),
                    }
                ],
            )
