from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

from odoo.addons.islah_beneficiary.tools.constants import GROUP_MANAGER

from .survey_user_input import OPEN_INVITATION_STATES


class IslahSupportRequest(models.Model):
    _inherit = "islah.support.request"

    islah_user_input_ids = fields.One2many(
        "survey.user_input", "islah_request_id", string="Satisfaction surveys"
    )
    islah_survey_state = fields.Selection(
        [
            ("invited", "Invited"),
            ("reminded", "Reminded"),
            ("answered", "Answered"),
            ("expired", "Expired"),
        ],
        string="Satisfaction survey",
        compute="_compute_islah_satisfaction",
        store=True,
    )
    islah_satisfaction_score = fields.Float(
        string="Satisfaction score",
        compute="_compute_islah_satisfaction",
        store=True,
        # no average when requests are grouped (e.g. by officer): the analysis
        # by officer is for managers, in the satisfaction reports
        aggregator=None,
        digits=(5, 1),
        # a request's raw score points at its officer: for managers only
        groups=GROUP_MANAGER,
        help="0-100, from the beneficiary's answer to the satisfaction survey.",
    )

    @api.depends(
        "islah_user_input_ids.islah_invitation_state",
        "islah_user_input_ids.islah_score",
        "islah_user_input_ids.islah_scored",
    )
    def _compute_islah_satisfaction(self):
        # a stored compute: the ORM runs it as superuser (scores are manager-only)
        for request in self:
            invitations = request.islah_user_input_ids.sorted("id", reverse=True)
            answered = invitations.filtered(
                lambda a: a.islah_invitation_state == "answered" and a.islah_scored
            )
            latest = invitations[:1]
            request.islah_survey_state = latest.islah_invitation_state or False
            request.islah_satisfaction_score = answered[:1].islah_score if answered else 0.0

    # ------------------------------------------------------------------
    # Invitation
    # ------------------------------------------------------------------

    def _islah_survey_skip_reason(self):
        """Why no survey can be sent for this request, as a translated
        sentence, or False when the beneficiary can be invited."""
        self.ensure_one()
        beneficiary = self.beneficiary_id
        partner = beneficiary.partner_id
        if not beneficiary._islah_has_consent():
            return self.env._(
                "No satisfaction survey sent: %(name)s has no active consent to the "
                "processing of their data (none recorded, or withdrawn).",
                name=beneficiary.name,
            )
        if beneficiary.islah_survey_opt_out:
            return self.env._(
                "No satisfaction survey sent: %(name)s asked not to receive surveys.",
                name=beneficiary.name,
            )
        if not partner.email or "@" not in partner.email:
            return self.env._(
                "No satisfaction survey sent: %(name)s has no e-mail address.",
                name=beneficiary.name,
            )
        if "is_blacklisted" in partner._fields and partner.is_blacklisted:
            return self.env._(
                "No satisfaction survey sent: the e-mail address of %(name)s is "
                "blacklisted (the beneficiary unsubscribed from e-mails).",
                name=beneficiary.name,
            )
        survey = self.service_type_id._islah_satisfaction_survey(self.company_id)
        # sudo: surveys are configuration officers cannot read; only whether it is active
        if not survey or not survey.sudo().active:
            return self.env._("No satisfaction survey sent: no active survey is configured.")
        return False

    def _islah_invite_to_survey(self):
        """Invite the beneficiaries of these delivered requests to the
        satisfaction survey: one personal answer token each, e-mailed in the
        beneficiary's language. Requests that already have an open invitation
        are skipped; when nothing can be sent the chatter says why."""
        # sudo: officers have no survey rights; the system invites, for these
        # requests whose closing step was checked
        UserInput = self.env["survey.user_input"].sudo()
        already_open = UserInput.search(
            Domain("islah_request_id", "in", self.ids)
            & Domain("islah_invitation_state", "in", OPEN_INVITATION_STATES)
        ).islah_request_id
        # sudo: the mail renders invitations officers cannot read
        template = self.env.ref("islah_survey_ext.mail_template_survey_invitation").sudo()
        now = fields.Datetime.now()
        invitations = UserInput
        for request in self - already_open:
            reason = request._islah_survey_skip_reason()
            if reason:
                request.message_post(body=reason, subtype_xmlid="mail.mt_note")
                continue
            company = request.company_id
            # sudo: the answer token is created on a survey officers cannot read
            survey = request.service_type_id._islah_satisfaction_survey(company).sudo()
            partner = request.beneficiary_id.partner_id
            lang = self.env["res.lang"]._lang_get(partner.lang) if partner.lang else False
            answer = survey._create_answer(
                partner=partner,
                check_attempts=False,
                islah_request_id=request.id,
                islah_invitation_state="invited",
                islah_invited_on=now,
                islah_remind_on=now + timedelta(days=company.islah_survey_reminder_days),
                deadline=now + timedelta(days=company.islah_survey_expiry_days),
                lang_id=lang.id if lang else False,
            )
            invitations |= answer
            request.message_post(
                body=self.env._("Satisfaction survey sent to %(email)s.", email=partner.email),
                subtype_xmlid="mail.mt_note",
            )
        if invitations:
            # sent once the transaction commits: no invitation leaves for a
            # request whose closing is rolled back
            template.send_mail_batch(
                invitations.ids, email_layout_xmlid="islah_beneficiary.mail_notification_islah"
            ).send_after_commit()
        return invitations
