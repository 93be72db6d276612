from odoo import api, fields, models
from odoo.exceptions import UserError


class IslahRequestDocument(models.Model):
    """One line of a request's document checklist: received, then verified."""

    _name = "islah.request.document"
    _description = "Request document"
    _order = "request_id, sequence, id"

    request_id = fields.Many2one(
        "islah.support.request", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="request_id.company_id", store=True)
    sequence = fields.Integer(related="document_type_id.sequence", store=True)
    document_type_id = fields.Many2one("islah.document.type", required=True)
    attachment_ids = fields.Many2many("ir.attachment", string="Files")
    received = fields.Boolean(compute="_compute_received", store=True, readonly=False)
    verified_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    verified_on = fields.Datetime(readonly=True, copy=False)
    note = fields.Char()

    @api.depends("attachment_ids")
    def _compute_received(self):
        for line in self:
            line.received = line.received or bool(line.attachment_ids)

    def action_verify(self):
        """The officer checked this document against the original."""
        for line in self:
            if not line.received:
                raise UserError(
                    self.env._(
                        "The document \"%(doc)s\" has not been received yet.",
                        doc=line.document_type_id.name,
                    )
                )
            if line.request_id.state not in ("received", "verification"):
                raise UserError(
                    self.env._("Documents are verified during the verification step.")
                )
        self.write({"verified_by_id": self.env.uid, "verified_on": fields.Datetime.now()})
        return True

    def action_unverify(self):
        self.filtered(lambda l: l.request_id.state in ("received", "verification")).write(
            {"verified_by_id": False, "verified_on": False}
        )
        return True
