from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.constants import GROUP_MANAGER


class IslahFeedbackImprovementMixin(models.AbstractModel):
    """Suggestions and complaints as the sources of improvement actions."""

    _name = "islah.feedback.improvement.mixin"
    _description = "Improvement actions of a suggestion or complaint"

    improvement_action_ids = fields.Many2many(
        "islah.improvement.action",
        "islah_improvement_action_feedback_rel",
        "feedback_id",
        "action_id",
        string="Improvement actions",
        copy=False,
    )

    def _islah_outcome_address(self):
        """Where "you said, we did" goes: an anonymous author's own address only."""
        self.ensure_one()
        return self.author_email if self.is_anonymous else self._islah_mail_address()

    def _islah_you_said_we_did_summary(self):
        """The public summary of the action being told (in the rendering
        language), for the "you said, we did" e-mail."""
        action_id = self.env.context.get("islah_improvement_action_id")
        if not action_id:
            return ""
        # sudo: the summary is public text; the author may not read actions
        action = self.env["islah.improvement.action"].sudo().browse(action_id)
        return action.with_context(lang=self.env.lang).public_summary or ""

    def _islah_improvement_action_values(self):
        """A draft improvement action from these suggestions and complaints:
        their service and section when they share one."""
        services = self.service_type_id
        sections = set(self.mapped("section"))
        indicator = "complaints" if set(self.mapped("kind")) == {"complaint"} else False
        return {
            "name": self[:1].description.splitlines()[0][:120]
            if len(self) == 1
            else self.env._(
                "Suggestions and complaints: %(numbers)s",
                numbers=", ".join(self.mapped("name"))[:120],
            ),
            "problem": "\n\n".join(self.mapped("description")),
            "source": "feedback",
            "indicator": indicator,
            "feedback_ids": [(6, 0, self.ids)],
            "service_type_id": services.id if len(services) == 1 else False,
            "section": sections.pop() if len(sections) == 1 else False,
            "company_id": (self.company_id[:1] or self.env.company).id,
            "user_id": self.env.user.id,
        }

    def action_islah_open_improvement_action(self):
        """Open a draft improvement action linked to these records."""
        if not self.env.su and not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(self.env._("Only managers open improvement actions."))
        if not self:
            raise UserError(self.env._("Select the suggestions and complaints to act on."))
        self.check_access("read")
        return self.env["islah.improvement.action"]._islah_open_draft(
            self._islah_improvement_action_values()
        )
