from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..tools.constants import GROUP_MANAGER
from .feedback_common import IslahFeedbackCommon


@tagged("post_install", "-at_install", "islah_feedback")
class TestFeedbackSecurity(IslahFeedbackCommon):
    """A complaint about a staff member goes to a manager and is never
    readable by that staff member; the sections stay apart; no write moves
    a record out of (or into) the writer's reach."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.about_me = cls._feedback(about_user_id=cls.officer_men.id)

    def test_routed_to_a_manager_never_to_the_staff_member(self):
        feedback = self.about_me
        self.assertTrue(feedback.user_id.has_group(GROUP_MANAGER))
        self.assertNotEqual(feedback.user_id, self.officer_men)
        self.assertNotIn(self.officer_men, feedback.activity_ids.user_id)
        self.assertNotIn(self.officer_men.partner_id, feedback.message_partner_ids)

    def test_staff_member_cannot_be_owner_assignee_or_follower(self):
        feedback = self._with_mail(self.about_me)
        with self.assertRaises(ValidationError):
            feedback.user_id = self.officer_men
        with self.assertRaises(ValidationError):
            feedback.activity_schedule("mail.mail_activity_data_todo", user_id=self.officer_men.id)
        feedback.message_subscribe(partner_ids=self.officer_men.partner_id.ids)
        self.assertNotIn(self.officer_men.partner_id, feedback.message_partner_ids)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_staff_member_reads_it_through_no_api(self):
        user, feedback = self.officer_men, self.about_me
        with self.assertRaises(AccessError):
            self._call(user, "read", [feedback.ids, ["name", "description"]])
        # even allowed to export, he exports nothing of it
        user.group_ids += self.env.ref("base.group_allow_export")
        with self.assertRaises(AccessError):
            self._call(user, "export_data", [feedback.ids, ["name", "description"]])
        self.assertFalse(self._call(user, "search_read", [[("id", "=", feedback.id)], ["name"]]))
        self.assertFalse(self._call(user, "search", [[("about_user_id", "=", user.id)]]))
        groups = self._call(
            user, "formatted_read_group", [[("id", "=", feedback.id)], ["kind"], ["__count"]]
        )
        self.assertFalse(groups)
        web_groups = self._call(
            user, "web_read_group", [[("id", "=", feedback.id)], ["kind"], ["__count"]]
        )
        self.assertFalse(web_groups["groups"])
        # the same officer reads the other complaints of his section
        other = self._feedback()
        self.assertTrue(self._call(user, "read", [other.ids, ["name"]]))

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_managers_about_themselves_too(self):
        feedback = self._feedback(about_user_id=self.manager_men.id)
        self.assertNotEqual(feedback.user_id, self.manager_men)
        with self.assertRaises(AccessError):
            self._call(self.manager_men, "read", [feedback.ids, ["name"]])

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_messages_attachments_activities_hidden(self):
        feedback = self._with_mail(self.about_me)
        # even named as a recipient of a note, he is not notified...
        message = feedback.message_post(
            body="Heard the officer.", partner_ids=self.officer_men.partner_id.ids
        )
        self.assertNotIn(self.officer_men.partner_id, message.partner_ids)
        # ...and, were he a recipient, he still could not read it
        message.sudo().partner_ids = self.officer_men.partner_id
        with self.assertRaises(AccessError):
            self._call(self.officer_men, "read", [message.ids, ["body"]], model="mail.message")
        found = self._call(
            self.officer_men,
            "search",
            [[("model", "=", "islah.feedback"), ("res_id", "=", feedback.id)]],
            model="mail.message",
        )
        self.assertFalse(found)
        attachment = self.env["ir.attachment"].create(
            {"name": "note.txt", "raw": b"x", "res_model": "islah.feedback", "res_id": feedback.id}
        )
        with self.assertRaises(AccessError):
            self._call(self.officer_men, "read", [attachment.ids, ["raw"]], model="ir.attachment")
        self.assertFalse(
            self._call(
                self.officer_men,
                "search",
                [[("res_model", "=", "islah.feedback"), ("res_id", "=", feedback.id)]],
                model="ir.attachment",
            )
        )
        self.assertFalse(
            self._call(
                self.officer_men,
                "search",
                [[("res_model", "=", "islah.feedback"), ("res_id", "=", feedback.id)]],
                model="mail.activity",
            )
        )
        self.assertFalse(
            self._call(
                self.officer_men,
                "search",
                [[("res_model", "=", "islah.feedback"), ("res_id", "=", feedback.id)]],
                model="mail.followers",
            )
        )

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_sections_apart(self):
        men = self._feedback()
        women = self._feedback(beneficiary_id=self.beneficiary_women.id)
        self.assertEqual(women.section, "women")
        with self.assertRaises(AccessError):
            self._call(self.officer_women, "read", [men.ids, ["name"]])
        found = self._call(self.officer_women, "search_read", [[], ["id"]])
        self.assertNotIn(men.id, [row["id"] for row in found])
        self.assertIn(women.id, [row["id"] for row in found])
        with self.assertRaises(AccessError):
            self._call(self.officer_women, "write", [men.ids, {"description": "x"}])
        with self.assertRaises(AccessError):
            self._call(
                self.officer_men,
                "create",
                [{"kind": "thanks", "description": "x", "section": "women"}],
            )

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_no_write_moves_a_record_out_of_reach(self):
        feedback = self._feedback(user_id=self.manager_men.id)
        # hiding it from himself (about_user_id) or from his section
        with self.assertRaises(AccessError):
            self._call(
                self.officer_men, "write", [feedback.ids, {"about_user_id": self.officer_men.id}]
            )
        with self.assertRaises(AccessError):
            self._call(self.officer_men, "write", [feedback.ids, {"section": "women"}])
        self.assertFalse(feedback.about_user_id)
        self.assertEqual(feedback.section, "men")
        # a complaint about himself cannot be created by him
        with self.assertRaises(AccessError):
            self._call(
                self.officer_men,
                "create",
                [
                    {
                        "kind": "complaint",
                        "description": "x",
                        "section": "men",
                        "about_user_id": self.officer_men.id,
                    }
                ],
            )

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_roles_without_access(self):
        feedback = self._feedback()
        for user in (self.researcher, self.committee_member, self.internal_user, self.portal_user):
            with self.assertRaises(AccessError):
                self._call(user, "read", [feedback.ids, ["name"]])
