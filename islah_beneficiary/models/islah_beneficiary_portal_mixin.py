from odoo import Command, fields, models
from odoo.exceptions import UserError


class IslahBeneficiaryPortalMixin(models.AbstractModel):
    """The beneficiary's portal login (their requests, missing documents,
    surveys): granted by the officers of their section, with the
    association's own invitation. Inherited by ``islah.beneficiary`` only."""

    _name = "islah.beneficiary.portal.mixin"
    _description = "Beneficiary portal access"

    has_portal_access = fields.Boolean(
        compute="_compute_has_portal_access",
        help="The beneficiary logs in to the portal to follow their requests.",
    )

    def _compute_has_portal_access(self):
        # sudo: only whether a portal login exists, whatever the caller may read of res.users
        for beneficiary in self:
            users = beneficiary.sudo().partner_id.user_ids
            beneficiary.has_portal_access = any(user._is_portal() for user in users)

    def action_grant_portal_access(self):
        """Give the beneficiary a portal login (their requests, missing
        documents, surveys) and e-mail the invitation in their language; a
        beneficiary who has one gets the invitation again. Officers of the
        beneficiary's section and managers only."""
        self.ensure_one()
        # the ACL and section rules on the file decide, as for any change to it
        self.check_access("write")
        if not self.email:
            raise UserError(
                self.env._(
                    "%(name)s has no e-mail address: add one to grant portal access.",
                    name=self.name,
                )
            )
        # sudo: the portal wizard is for contact managers (base.group_partner_manager),
        # which officers are not; the right to edit this file was checked above and
        # only the beneficiary's own contact gets a login
        wizard = (
            self.env["portal.wizard"]
            .sudo()
            .with_company(self.company_id)
            .create({"partner_ids": [Command.set(self.partner_id.ids)]})
        )
        wizard_user = wizard.user_ids
        if wizard_user.is_internal:
            raise UserError(
                self.env._(
                    "%(name)s is a user of the association's staff: their access is "
                    "managed by an administrator.",
                    name=self.name,
                )
            )
        user = wizard_user.user_id
        if not (wizard_user.is_portal and user.active):
            wizard_user._assert_user_email_uniqueness()
            user = user or wizard_user._create_user()
            user.write(
                {
                    "active": True,
                    "group_ids": [
                        Command.link(self.env.ref("base.group_portal").id),
                        Command.unlink(self.env.ref("base.group_public").id),
                    ],
                }
            )
        self._islah_send_portal_invitation(user)
        self.message_post(
            body=self.env._(
                "Portal access granted: the invitation was sent to %(email)s.",
                email=self.email,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "The portal invitation was sent to %(email)s.", email=self.email
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _islah_send_portal_invitation(self, user):
        """The association's invitation (not Odoo's): in the beneficiary's
        language, in the beneficiary e-mail layout, sent once committed."""
        user = user.sudo()
        user.partner_id.signup_prepare()
        template = self.env.ref("islah_beneficiary.mail_template_portal_invitation").sudo()
        mail_id = template.send_mail(user.id)
        self.env["mail.mail"].sudo().browse(mail_id).send_after_commit()
