from odoo import models
from odoo.exceptions import AccessError

from .mail_message import ISLAH_EVIDENCE_MODELS


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def message_post(self, **kwargs):
        """On a beneficiary's record the chatter is evidence: nobody posts
        in someone else's name (Odoo takes ``author_id`` from the caller)."""
        author_id = kwargs.get("author_id")
        if (
            author_id
            and not self.env.su
            and self._name in ISLAH_EVIDENCE_MODELS
            and author_id != self.env.user.partner_id.id
        ):
            raise AccessError(
                self.env._("On a beneficiary's record, you post messages in your own name only.")
            )
        return super().message_post(**kwargs)
