from odoo import fields, models


class IslahCommitteeDecisionNotify(models.TransientModel):
    """Ask the reason of a resent letter, or how and when the beneficiary
    was told of the decision (recorded once, corrected with a reason)."""

    _name = "islah.committee.decision.notify"
    _description = "Notify a Research Committee decision"

    decision_ids = fields.Many2many("islah.committee.decision", string="Decisions", required=True)
    mode = fields.Selection(
        [
            ("resend", "Send the letter again"),
            ("record", "Record the notification"),
            ("correct", "Correct the notification"),
        ],
        required=True,
        default="record",
    )
    notification_method = fields.Selection(
        [("letter", "Letter"), ("phone", "Phone call"), ("email", "E-mail")],
        string="Notified by",
        default="letter",
    )
    notified_on = fields.Datetime(default=fields.Datetime.now)
    reason = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        decisions = self.decision_ids
        if self.mode == "resend":
            decisions.action_resend_decision_letter(self.reason)
        elif self.mode == "record":
            decisions.action_record_notification(self.notification_method, self.notified_on)
        else:
            decisions.action_correct_notification(
                self.notification_method, self.notified_on, self.reason
            )
        return {"type": "ir.actions.act_window_close"}
