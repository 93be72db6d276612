from odoo import fields, models

TEMPLATE_ACK = "islah_beneficiary.mail_template_feedback_ack"
TEMPLATE_ANSWER = "islah_beneficiary.mail_template_feedback_answer"
TODO = "mail.mail_activity_data_todo"


class IslahFeedbackMailMixin(models.AbstractModel):
    """What a suggestion or complaint sends: the acknowledgement and the
    answer to the person (in their language), the owner's to-do and the
    escalation to a manager; and who may follow it: never the staff member
    a complaint is about."""

    _name = "islah.feedback.mail.mixin"
    _description = "Suggestion or complaint e-mails and to-dos"

    def _islah_mail_address(self):
        self.ensure_one()
        return self.author_email or self.beneficiary_id.partner_id.email or ""

    def _islah_send_template(self, xmlid):
        template = self.env.ref(xmlid, raise_if_not_found=False)
        if not template:
            return self.browse()
        # sudo: the person's e-mail is sent whoever took the step (the
        # public page's visitor, the owner); the record rules held already
        sent = self.browse()
        for feedback in self.sudo():
            if feedback.is_anonymous or not feedback._islah_mail_address():
                continue
            template.send_mail(
                feedback.id,
                email_layout_xmlid="mail.mail_notification_light",
            )
            sent |= feedback
        return sent

    def _islah_send_acknowledgement(self):
        """The acknowledgement with the number, in the person's language,
        when there is an e-mail address."""
        return self._islah_send_template(TEMPLATE_ACK)

    def _islah_send_answer_mail(self):
        return self._islah_send_template(TEMPLATE_ANSWER)

    def _islah_schedule_owner_todo(self):
        """The owner's to-do, due on the response deadline."""
        for feedback in self:
            owner = feedback.user_id
            if not owner or owner == feedback.about_user_id:
                continue
            feedback.activity_schedule(
                TODO,
                date_deadline=feedback.deadline or fields.Date.context_today(feedback),
                summary=self.env._("Answer %(name)s", name=feedback.name),
                user_id=owner.id,
            )

    def _islah_escalate_overdue(self):
        """A to-do and a note for a manager of the section (never the staff
        member a complaint is about) when the deadline has passed."""
        for feedback in self:
            managers = feedback.company_id._islah_managers(feedback.section)
            managers -= feedback.about_user_id
            manager = (managers - feedback.user_id)[:1] or managers[:1]
            if not manager:
                continue
            feedback.activity_schedule(
                TODO,
                date_deadline=fields.Date.context_today(feedback),
                summary=self.env._("Overdue: %(name)s", name=feedback.name),
                note=self.env._(
                    "The response deadline of %(name)s (%(deadline)s) has passed without an "
                    "answer. Owner: %(owner)s.",
                    name=feedback.name,
                    deadline=feedback.deadline,
                    owner=feedback.user_id.name or "-",
                ),
                user_id=manager.id,
            )
            feedback.message_post(
                body=self.env._(
                    "Response deadline passed: escalated to %(manager)s.", manager=manager.name
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )

    # ------------------------------------------------------------------
    # Followers: never the staff member a complaint is about
    # ------------------------------------------------------------------

    def _islah_excluded_partners(self):
        return self.sudo().about_user_id.partner_id

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        excluded = self._islah_excluded_partners()
        if excluded and partner_ids:
            partner_ids = [pid for pid in partner_ids if pid not in excluded.ids]
        return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)

    def _islah_drop_about_user_followers(self):
        for feedback in self.sudo().filtered("about_user_id"):
            partner = feedback.about_user_id.partner_id
            if partner in feedback.message_partner_ids:
                feedback.message_unsubscribe(partner_ids=partner.ids)
            feedback.activity_ids.filtered(
                lambda act, user=feedback.about_user_id: act.user_id == user
            ).unlink()
