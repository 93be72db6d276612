from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.constants import GROUP_OFFICER

DESCRIPTION_MAX_LENGTH = 2000
ANSWER_TEMPLATE = "islah_beneficiary.mail_template_data_correction_answer"
# What the beneficiary asked and whose file it is never change once received.
LOCKED_FIELDS = frozenset({"beneficiary_id", "description", "company_id"})
# Recorded by action_answer only; the answer itself is locked once sent.
ANSWER_FIELDS = frozenset({"state", "answered_on", "answered_by_id"})


class IslahDataCorrection(models.Model):
    """A beneficiary's request to correct the personal data held about them
    (their PDPL right), sent from the portal: a to-do for an officer of
    their section, who answers it by e-mail."""

    _name = "islah.data.correction"
    _description = "Data correction request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"

    beneficiary_id = fields.Many2one(
        "islah.beneficiary", required=True, ondelete="cascade", index=True, readonly=True
    )
    partner_id = fields.Many2one(related="beneficiary_id.partner_id")
    section = fields.Selection(
        related="beneficiary_id.section", store=True, index=True, string="Section"
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    description = fields.Text(
        string="Correction asked",
        required=True,
        readonly=True,
        help="What the beneficiary asks to correct, in their own words.",
    )
    state = fields.Selection(
        [("new", "New"), ("answered", "Answered")],
        default="new",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    officer_id = fields.Many2one(
        "res.users",
        tracking=True,
        domain=[("share", "=", False)],
        help="The officer of the beneficiary's section who handles the request.",
    )
    answer = fields.Text(help="Sent by e-mail to the beneficiary with the Send the answer button.")
    answered_on = fields.Datetime(string="Answered on", readonly=True, copy=False)
    answered_by_id = fields.Many2one("res.users", string="Answered by", readonly=True, copy=False)

    @api.depends("beneficiary_id")
    def _compute_display_name(self):
        for correction in self:
            correction.display_name = self.env._(
                "Data correction %(number)s", number=correction.id or ""
            )

    @api.constrains("description")
    def _check_description(self):
        for correction in self:
            text = (correction.description or "").strip()
            if not text:
                raise ValidationError(self.env._("Describe the correction you ask for."))
            if len(text) > DESCRIPTION_MAX_LENGTH:
                raise ValidationError(
                    self.env._(
                        "The description is too long: at most %(max)s characters.",
                        max=DESCRIPTION_MAX_LENGTH,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("beneficiary_id") and not vals.get("company_id"):
                beneficiary = self.env["islah.beneficiary"].sudo().browse(vals["beneficiary_id"])
                vals["company_id"] = beneficiary.company_id.id
        corrections = super().create(vals_list)
        corrections._islah_assign_officer()
        return corrections

    def write(self, vals):
        if not self.env.su:
            locked = (LOCKED_FIELDS | ANSWER_FIELDS) & vals.keys()
            if locked or ("answer" in vals and "answered" in self.mapped("state")):
                raise UserError(
                    self.env._(
                        "The correction asked and a sent answer cannot be changed: "
                        "write in the chatter instead."
                    )
                )
        return super().write(vals)

    def _islah_section_officers(self):
        """Who handles a correction of this section: the section team's
        leader, else its members who are officers, else the section's
        managers."""
        self.ensure_one()
        # sudo: the team and its users, whatever the caller may read of them
        team = (
            self.env["crm.team"]
            .sudo()
            ._islah_team_for_section(self.section, company=self.company_id)
        )

        def serves(user):
            return (
                user.active
                and not user.share
                and user.has_group(GROUP_OFFICER)
                and self.section in user._islah_sections()
            )

        leader = team.user_id.filtered(serves)
        if leader:
            return leader
        members = team.member_ids.filtered(serves)
        return members or self.company_id._islah_managers(self.section)

    def _islah_assign_officer(self):
        """An officer and a to-do for each new correction."""
        for correction in self:
            # sudo: the beneficiary creates it from the portal; the to-do and
            # the officer are the association's, whoever asked
            correction = correction.sudo()
            officer = correction.officer_id or correction._islah_section_officers()[:1]
            if not officer:
                continue
            correction.officer_id = officer
            in_lang = correction.with_context(lang=officer.lang or self.env.lang)
            correction.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=in_lang.env._("Answer a data correction request"),
                note=in_lang.env._(
                    "%(name)s asks to correct the personal data held about them: "
                    "check the file, correct it if right, and send the answer.",
                    name=correction.beneficiary_id.name,
                ),
                user_id=officer.id,
            )

    def _islah_check_can_answer(self):
        """Officers (and managers) of the correction's section only."""
        if not self.env.su and not self.env.user.has_group(GROUP_OFFICER):
            raise AccessError(
                self.env._("Only the officers of the beneficiary's section answer corrections.")
            )
        # the section rule decides which corrections the user may answer
        self.check_access("write")

    def action_answer(self):
        """E-mail the answer to the beneficiary in their language, and close."""
        self._islah_check_can_answer()
        template = self.env.ref(ANSWER_TEMPLATE)
        for correction in self:
            if correction.state != "new":
                raise UserError(
                    self.env._("%(name)s is answered already.", name=correction.display_name)
                )
            if not (correction.answer or "").strip():
                raise UserError(self.env._("Write the answer to send to the beneficiary."))
            if not correction.partner_id.email:
                raise UserError(
                    self.env._(
                        "%(name)s has no e-mail address: add one to the file, or answer "
                        "by phone and note it in the chatter.",
                        name=correction.beneficiary_id.name,
                    )
                )
            # sudo: the answer fields are locked to every user (see write); the
            # user's right to answer this correction was checked above
            correction.sudo().write(
                {
                    "state": "answered",
                    "answered_on": fields.Datetime.now(),
                    "answered_by_id": self.env.user.id,
                }
            )
            # sudo: the template renders the beneficiary's contact as the system
            messages = correction.sudo().message_post_with_source(
                template, subtype_xmlid="mail.mt_comment"
            )
            # the answer leaves once committed, not with the next run of the queue
            # sudo: mails are not readable by their senders
            self.env["mail.mail"].sudo().search(
                [("mail_message_id", "in", messages.ids), ("state", "=", "outgoing")]
            ).send_after_commit()
            correction.sudo().activity_feedback(["mail.mail_activity_data_todo"])
        return True
