from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .mail_followers import ISLAH_PRIVATE_MODELS, ISLAH_SECTIONED_MODELS
from .mail_message import islah_evidence_error, islah_evidence_forbidden


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    islah_document_type_id = fields.Many2one(
        "islah.document.type",
        string="Document type",
        index="btree_not_null",
        help="The document the applicant said this file is, on the public form.",
    )

    def write(self, vals):
        if vals.get("public"):
            # the clearer refusal first: such a file is never made public
            for attachment in self:
                res_model = vals.get("res_model", attachment.res_model)
                res_id = vals.get("res_id", attachment.res_id)
                if self._islah_is_private_target(res_model, res_id):
                    raise attachment._islah_public_error()
        self._check_islah_evidence("write")
        return super().write(vals)

    def unlink(self):
        self._check_islah_evidence("unlink")
        return super().unlink()

    def _check_islah_evidence(self, operation):
        """The files of a beneficiary's record are changed or removed only
        by whoever added them, or a manager."""
        forbidden = islah_evidence_forbidden(
            self,
            operation,
            lambda attachment: attachment.res_model,
            lambda attachment: attachment.create_uid == self.env.user,
        )
        if forbidden:
            raise islah_evidence_error(forbidden)

    @api.constrains("public", "res_model", "res_id")
    def _check_islah_not_public(self):
        """A public attachment is readable by anyone, even without logging
        in: never the file of a beneficiary, a request or a decision."""
        for attachment in self.filtered("public"):
            if self._islah_is_private_target(attachment.res_model, attachment.res_id):
                raise attachment._islah_public_error()

    def _islah_public_error(self):
        return ValidationError(
            self.env._(
                "%(name)s belongs to a beneficiary's file: it cannot be made public.",
                name=self.name,
            )
        )

    @api.model
    def _islah_is_private_target(self, res_model, res_id):
        if res_model in ISLAH_PRIVATE_MODELS:
            return True
        if res_model in ISLAH_SECTIONED_MODELS and res_id:
            # sudo: the section decides, whether or not the user may read the record
            record = self.env[res_model].sudo().browse(res_id).exists()
            return bool(record.islah_section)
        return False
