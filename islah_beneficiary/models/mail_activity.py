from odoo import api, models
from odoo.exceptions import ValidationError


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.constrains("user_id", "res_model", "res_id")
    def _check_islah_feedback_assignee(self):
        """A complaint about a staff member never lands in their to-dos."""
        activities = self.filtered(lambda act: act.res_model == "islah.feedback" and act.user_id)
        if not activities:
            return
        # sudo: the complaint decides, whatever the scheduler may read of it
        feedbacks = self.env["islah.feedback"].sudo().browse(activities.mapped("res_id"))
        about = {feedback.id: feedback.about_user_id for feedback in feedbacks.exists()}
        for activity in activities:
            if about.get(activity.res_id) and activity.user_id == about[activity.res_id]:
                raise ValidationError(
                    self.env._(
                        "This complaint is about %(user)s: it cannot be assigned to them.",
                        user=activity.user_id.name,
                    )
                )
