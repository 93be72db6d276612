from odoo import fields, models


class IslahRequestReturn(models.TransientModel):
    """The researcher sends requests back to verification, saying why."""

    _name = "islah.request.return"
    _description = "Send support requests back to verification"

    request_ids = fields.Many2many("islah.support.request", string="Requests", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.request_ids.action_return_to_verification(self.reason)
        return {"type": "ir.actions.act_window_close"}
