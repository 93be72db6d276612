from odoo import api, fields, models


class IslahFeedbackAnswer(models.TransientModel):
    """The written answer to a suggestion or complaint, sent to the person
    by e-mail (in their language) and kept on the record."""

    _name = "islah.feedback.answer"
    _description = "Answer a suggestion or complaint"

    feedback_id = fields.Many2one("islah.feedback", required=True, ondelete="cascade")
    answer = fields.Text(required=True)
    has_email = fields.Boolean(compute="_compute_has_email")

    @api.depends("feedback_id")
    def _compute_has_email(self):
        for wizard in self:
            feedback = wizard.feedback_id
            wizard.has_email = bool(
                feedback and not feedback.is_anonymous and feedback._islah_mail_address()
            )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        feedback_id = self.env.context.get("active_id")
        if self.env.context.get("active_model") == "islah.feedback" and feedback_id:
            feedback = self.env["islah.feedback"].browse(feedback_id)
            values.setdefault("feedback_id", feedback.id)
            if "answer" in fields_list and feedback.answer:
                values.setdefault("answer", feedback.answer)
        return values

    def action_send(self):
        self.ensure_one()
        self.feedback_id.action_send_answer(self.answer)
        return {"type": "ir.actions.act_window_close"}
