from markupsafe import Markup

from odoo import fields, models
from odoo.tools import plaintext2html

TEMPLATE_OUTCOME = "islah_beneficiary.mail_template_feedback_you_said_we_did"
FEEDBACK_RELATION = "islah_improvement_action_feedback_rel"


class IslahImprovementActionOutcomeMixin(models.AbstractModel):
    """The suggestions and complaints an action comes from, and "you said,
    we did": once the action is done, each of their authors who asked to be
    told what came of it (``wants_outcome``) and left an e-mail address gets
    the action's public summary, in their language, once; the e-mail is
    recorded in their suggestion's chatter."""

    _name = "islah.improvement.action.outcome.mixin"
    _description = "Improvement action: sources and you said, we did"

    feedback_ids = fields.Many2many(
        "islah.feedback",
        FEEDBACK_RELATION,
        "action_id",
        "feedback_id",
        string="Suggestions and complaints",
        help="The suggestions and complaints this action comes from.",
    )
    feedback_count = fields.Integer(compute="_compute_feedback_count")
    outcome_sent_feedback_ids = fields.Many2many(
        "islah.feedback",
        "islah_improvement_action_outcome_sent_rel",
        "action_id",
        "feedback_id",
        string="Authors told",
        readonly=True,
        copy=False,
        help='The suggestions and complaints whose author got the "you said, we did" e-mail.',
    )

    def _compute_feedback_count(self):
        for action in self:
            action.feedback_count = len(action.feedback_ids)

    def _islah_outcome_recipients(self):
        """The linked suggestions and complaints whose author is to be told:
        they asked, an address is known (an anonymous author's own only),
        and they were not told of this action yet."""
        self.ensure_one()
        # sudo: every linked source, whichever of them the user may read
        # (a complaint about the user is still told)
        sources = self.sudo().feedback_ids - self.sudo().outcome_sent_feedback_ids

        def reachable(feedback):
            if not feedback.wants_outcome or feedback.state == "cancelled":
                return False
            if feedback.is_anonymous:
                return bool(feedback.author_email)
            return bool(feedback._islah_mail_address())

        return sources.filtered(reachable)

    def _islah_send_you_said_we_did(self):
        """E-mail the public summary to the authors who asked, once each."""
        template = self.env.ref(TEMPLATE_OUTCOME)
        sent = self.env["islah.feedback"]
        for action in self:
            if not (action.public_summary or "").strip():
                continue
            recipients = action._islah_outcome_recipients()
            for feedback in recipients:
                # sudo: the author's e-mail and their suggestion's chatter,
                # whoever marked the action done
                template.sudo().with_context(islah_improvement_action_id=action.id).send_mail(
                    feedback.id, email_layout_xmlid="mail.mail_notification_light"
                )
                summary = action.with_context(lang=feedback.lang or self.env.lang).public_summary
                feedback.sudo().message_post(
                    body=Markup("<p>%s</p>%s")
                    % (
                        self.env._(
                            'The "you said, we did" e-mail was sent to %(email)s: what came of '
                            "this message.",
                            email=feedback._islah_outcome_address(),
                        ),
                        plaintext2html(summary or ""),
                    ),
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )
            if recipients:
                # sudo: the list of those told is the system's (never twice)
                action.sudo().outcome_sent_feedback_ids = [(4, fid) for fid in recipients.ids]
            sent |= recipients
        return sent
