from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.constants import GROUP_MANAGER

# a request's checklist changes only while its documents are being checked
CHECKLIST_STATES = ("received", "verification")


class IslahRequestDocument(models.Model):
    """One line of a request's document checklist: received (a scan is
    attached), then verified against the original by an officer."""

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
    # a required document the applicant cannot give, excused by a manager
    waived = fields.Boolean(readonly=True, copy=False)
    waived_by_id = fields.Many2one("res.users", string="Waived by", readonly=True, copy=False)
    waived_on = fields.Datetime(readonly=True, copy=False)
    waive_reason = fields.Char(
        string="Waiver reason",
        copy=False,
        help="Why a manager excuses this document; required to waive it.",
    )
    is_satisfied = fields.Boolean(
        compute="_compute_is_satisfied",
        help="Received and verified, or waived by a manager.",
    )

    @api.depends("attachment_ids")
    def _compute_received(self):
        for line in self:
            line.received = bool(line.attachment_ids)

    @api.depends("received", "attachment_ids", "verified_on", "waived")
    def _compute_is_satisfied(self):
        for line in self:
            line.is_satisfied = line.waived or bool(
                line.received and line.attachment_ids and line.verified_on
            )

    def _get_flow_locked_fields(self):
        """Written by the Verify, Undo and Waive buttons only. Extend with ``super()``."""
        return {"verified_by_id", "verified_on", "waived", "waived_by_id", "waived_on"}

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            locked = self._get_flow_locked_fields()
            if any(vals.get(name) for vals in vals_list for name in locked):
                raise UserError(
                    self.env._("A document is verified with its Verify button, not by hand.")
                )
        lines = super().create(vals_list)
        if not self.env.su:
            lines._check_checklist_open()
        return lines

    def write(self, vals):
        if not self.env.su and self._get_flow_locked_fields() & vals.keys():
            raise UserError(
                self.env._("A document is verified with its Verify button, not by hand.")
            )
        if not self.env.su and "waive_reason" in vals:
            self._check_waiver_rights()
        if not self.env.su and {"attachment_ids", "document_type_id", "request_id"} & vals.keys():
            self._check_checklist_open()
        if "attachment_ids" in vals:
            # a new or removed file must be verified again (past the lock above)
            vals = dict(vals, verified_by_id=False, verified_on=False)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_evidence(self):
        """The checklist is evidence of step 2: no line leaves it once the
        request has moved on, and a document the service requires never
        leaves it: a manager waives it, with the reason, instead."""
        if self.env.su:
            return
        self._check_checklist_open()
        if required := self._filtered_required():
            raise UserError(
                self.env._(
                    'The document "%(doc)s" is required by the service: it stays on the '
                    "checklist. A manager may waive it, with the reason.",
                    doc=required[0].document_type_id.name,
                )
            )

    def _filtered_required(self):
        return self.filtered(
            lambda line: line.document_type_id in line.request_id.service_type_id.document_type_ids
        )

    def _check_waiver_rights(self):
        """Only a manager waives a document, while the checklist is open."""
        if not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(
                self.env._("Only a Beneficiary Relations manager may waive a required document.")
            )
        self._check_checklist_open()
        self.check_access("write")

    def _check_checklist_open(self):
        closed = self.filtered(lambda line: line.request_id.state not in CHECKLIST_STATES)
        if closed:
            raise UserError(
                self.env._(
                    "The documents of %(name)s were checked in the verification step: "
                    "its checklist can no longer change.",
                    name=closed[0].request_id.name,
                )
            )

    def _check_editable(self):
        """Documents are (un)verified by an officer, during verification."""
        if self.filtered(lambda line: line.request_id.state not in ("received", "verification")):
            raise UserError(self.env._("Documents are verified during the verification step."))
        self.request_id._check_transition("verify_documents")
        self.check_access("write")

    def action_verify(self):
        """The officer checked this document against the original."""
        self._check_editable()
        for line in self:
            if not line.received or not line.attachment_ids:
                raise UserError(
                    self.env._(
                        'The document "%(doc)s" has not been received yet: attach its scan first.',
                        doc=line.document_type_id.name,
                    )
                )
        # sudo: the verification fields are locked to every user; the step was checked
        self.sudo().write({"verified_by_id": self.env.uid, "verified_on": fields.Datetime.now()})
        self.request_id._islah_log_documents(self, verified=True)
        return True

    def action_unverify(self):
        self._check_editable()
        # sudo: same as action_verify
        self.sudo().write({"verified_by_id": False, "verified_on": False})
        self.request_id._islah_log_documents(self, verified=False)
        return True

    def action_waive(self, reason=None):
        """A manager excuses a document the applicant cannot give: who, when
        and why are kept on the line and posted in the request's chatter."""
        self._check_waiver_rights()
        for line in self:
            why = (reason or line.waive_reason or "").strip()
            if not why:
                raise UserError(
                    self.env._(
                        'Write why the document "%(doc)s" is waived (Waiver reason) first.',
                        doc=line.document_type_id.name,
                    )
                )
            # sudo: the waiver fields are locked to every user; the manager was checked
            line.sudo().write(
                {
                    "waived": True,
                    "waived_by_id": self.env.uid,
                    "waived_on": fields.Datetime.now(),
                    "waive_reason": why,
                }
            )
            line.request_id.message_post(
                body=self.env._(
                    'Document "%(doc)s" waived by %(user)s: %(reason)s',
                    doc=line.document_type_id.name,
                    user=self.env.user.name,
                    reason=why,
                )
            )
        return True

    def action_unwaive(self):
        """Withdraw a waiver: the document is required again (logged)."""
        self._check_waiver_rights()
        # sudo: same as action_waive
        self.sudo().write({"waived": False, "waived_by_id": False, "waived_on": False})
        for line in self:
            line.request_id.message_post(
                body=self.env._(
                    'Waiver of the document "%(doc)s" withdrawn by %(user)s.',
                    doc=line.document_type_id.name,
                    user=self.env.user.name,
                )
            )
        return True
