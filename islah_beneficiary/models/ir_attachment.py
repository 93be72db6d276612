from odoo import api, models
from odoo.exceptions import ValidationError

from .mail_followers import ISLAH_PRIVATE_MODELS, ISLAH_SECTIONED_MODELS


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.constrains("public", "res_model", "res_id")
    def _check_islah_not_public(self):
        """A public attachment is readable by anyone, even without logging
        in: never the file of a beneficiary, a request or a decision."""
        for attachment in self.filtered("public"):
            if attachment._islah_is_private():
                raise ValidationError(
                    self.env._(
                        "%(name)s belongs to a beneficiary's file: it cannot be made public.",
                        name=attachment.name,
                    )
                )

    def _islah_is_private(self):
        self.ensure_one()
        if self.res_model in ISLAH_PRIVATE_MODELS:
            return True
        if self.res_model in ISLAH_SECTIONED_MODELS and self.res_id:
            # sudo: the section decides, whether or not the user may read the record
            record = self.env[self.res_model].sudo().browse(self.res_id).exists()
            return bool(record.islah_section)
        return False
