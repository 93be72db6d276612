from odoo import fields, models


class IslahRequestCancel(models.TransientModel):
    """Ask why requests are cancelled or archived; the reason goes to the chatter."""

    _name = "islah.request.cancel"
    _description = "Cancel or archive support requests"

    request_ids = fields.Many2many("islah.support.request", string="Requests", required=True)
    mode = fields.Selection(
        [("cancel", "Cancel"), ("archive", "Archive")], required=True, default="cancel"
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if self.mode == "archive":
            self.request_ids.with_context(islah_archive_reason=self.reason).action_archive()
        else:
            self.request_ids.action_cancel(self.reason)
        return {"type": "ir.actions.act_window_close"}
