from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_list

from ..tools.constants import (
    DECIDED_STATES,
)


class IslahRequestStepsMixin(models.AbstractModel):
    """The steps of the board-approved procedure, one ``action_*`` each, each
    checking its preconditions (``_check_transition``: state, role, write
    access) before it writes what only the steps may write; archiving,
    cancelling and sending back, with their reason."""

    _name = "islah.request.steps.mixin"
    _description = "Support request: the seven steps of the handling procedure"

    def _islah_archive_step(self):
        """Archiving a request before the committee or decided hides it from
        the deadline figures: a manager's step; an earlier one stays with
        the officers."""
        decided = ("committee", *DECIDED_STATES)
        return "archive_decided" if any(r.state in decided for r in self) else "archive"

    def action_archive(self):
        """Archiving needs a reason (context ``islah_archive_reason``, given by
        the reason wizard), posted in the chatter."""
        reason = (self.env.context.get("islah_archive_reason") or "").strip()
        return self._islah_set_active(False, reason)

    def action_unarchive(self):
        """Restoring follows the archiving's rule, and is logged too."""
        reason = (self.env.context.get("islah_archive_reason") or "").strip()
        return self._islah_set_active(True, reason)

    def _islah_set_active(self, active, reason):
        for step in ("archive", "archive_decided"):
            records = self.filtered(lambda r, s=step: r._islah_archive_step() == s)
            records._check_transition(step)
        if not active and not reason:
            raise UserError(
                self.env._("Say why the request is archived (Archive button of the form).")
            )
        self._islah_write_workflow({"active": active})
        if not active:
            body = self.env._("Archived: %(reason)s", reason=reason)
        elif reason:
            body = self.env._("Restored from the archive: %(reason)s", reason=reason)
        else:
            body = self.env._("Restored from the archive.")
        for request in self:
            request.message_post(body=body)
        return True

    def action_open_archive_wizard(self):
        for request in self:
            request._check_transition(request._islah_archive_step())
        return self._islah_open_reason_wizard("archive")

    def action_open_cancel_wizard(self):
        self._check_transition("cancel")
        return self._islah_open_reason_wizard("cancel")

    def _islah_open_reason_wizard(self, mode):
        titles = {
            "cancel": self.env._("Cancel the request"),
            "archive": self.env._("Archive the request"),
        }
        return {
            "type": "ir.actions.act_window",
            "name": titles[mode],
            "res_model": "islah.request.cancel",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_ids": self.ids, "default_mode": mode},
        }

    def action_open_return_wizard(self):
        self._check_transition("return_to_verification")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send back to verification"),
            "res_model": "islah.request.return",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_ids": self.ids},
        }

    def action_print_receipt(self):
        return self.env.ref("islah_beneficiary.islah_support_request_receipt_report").report_action(
            self
        )

    def _islah_log_documents(self, lines, verified):
        """Note in each request's chatter which documents were (un)verified."""
        for request in self:
            own_lines = lines.filtered(lambda line, r=request: line.request_id == r)
            names = format_list(self.env, own_lines.document_type_id.mapped("name"))
            body = (
                self.env._("Documents verified: %(docs)s", docs=names)
                if verified
                else self.env._("Documents to verify again: %(docs)s", docs=names)
            )
            request.message_post(body=body)

    def _prepare_document_checklist(self):
        """One checklist line per document the service requires."""
        self.ensure_one()
        self.document_ids = [
            fields.Command.create({"document_type_id": doc_type.id})
            for doc_type in self.service_type_id.document_type_ids
        ]

    def action_start_verification(self):
        """Step 2: the officer checks the data and documents."""
        self._check_transition("start_verification")
        self._islah_write_workflow({"state": "verification"})
        return True

    def action_verify_data(self):
        """The officer has matched the applicant's data against their documents."""
        self._check_transition("verify_data")
        self._islah_write_workflow(
            {"data_verified_by_id": self.env.uid, "data_verified_on": fields.Datetime.now()}
        )
        return True

    def action_record_declaration(self):
        """Step 4: the applicant declares being responsible for the data's correctness."""
        self._check_transition("record_declaration")
        self._islah_write_workflow(
            {"declaration_accepted": True, "declaration_date": fields.Datetime.now()}
        )
        return True

    def _verification_problems(self):
        """What still blocks leaving verification, as translated sentences."""
        self.ensure_one()
        problems = []
        # a document waived by a manager counts as given and checked
        documents = self.document_ids.filtered(lambda d: not d.waived)
        missing = documents.filtered(lambda d: not d.received or not d.attachment_ids)
        if missing:
            problems.append(
                self.env._(
                    "documents not received: %(docs)s",
                    docs=format_list(self.env, missing.document_type_id.mapped("name")),
                )
            )
        unverified = documents.filtered(
            lambda d: d.received and d.attachment_ids and not d.verified_on
        )
        if unverified:
            problems.append(
                self.env._(
                    "documents not verified: %(docs)s",
                    docs=format_list(self.env, unverified.document_type_id.mapped("name")),
                )
            )
        if not self.data_verified_on:
            problems.append(self.env._("the applicant's data are not verified"))
        if not self.declaration_accepted:
            problems.append(
                self.env._("the applicant's declaration of responsibility is not recorded")
            )
        return problems

    def action_complete_verification(self):
        """Leave verification: to research, to the committee, or straight to
        approval for a service that needs no decision."""
        self._check_transition("complete_verification")
        for request in self:
            if problems := request._verification_problems():
                raise UserError(
                    self.env._(
                        "Request %(name)s cannot leave verification: %(problems)s.",
                        name=request.name,
                        problems=self.env._("; ").join(problems),
                    )
                )
            if request.service_type_id.needs_research:
                request._islah_write_workflow(
                    {"state": "research", "research_return_reason": False}
                )
            else:
                request._islah_after_assessment()
        return True

    def _islah_after_assessment(self):
        """To the committee, or approved at once for a service without one."""
        for request in self:
            if request.service_type_id.needs_committee:
                request._enter_committee()
            else:
                request._islah_write_workflow(
                    {
                        "state": "approved",
                        "decided_on": fields.Date.context_today(self),
                        "sla_state": False,
                    }
                )

    def action_take_research(self):
        """A researcher of the section takes a request nobody was assigned."""
        self._check_transition("take_research")
        self._islah_write_workflow({"researcher_id": self.env.uid})
        for request in self:
            request.message_post(
                body=self.env._("%(user)s takes the social research.", user=self.env.user.name)
            )
        return True

    def action_submit_research(self):
        """Step 3 done: the researcher's visit and report go to the committee."""
        self._check_transition("submit_research")
        for request in self:
            if not request.researcher_id:
                raise UserError(
                    self.env._("Assign a social researcher to %(name)s first.", name=request.name)
                )
            report = request.research_report
            if not request.visit_date or not report or not report.striptags().strip():
                raise UserError(
                    self.env._(
                        "Record the visit date and the research report of %(name)s "
                        "before submitting it to the committee.",
                        name=request.name,
                    )
                )
            request._islah_after_assessment()
        return True

    def action_return_to_verification(self, reason=None):
        """The researcher sends the request back, saying why."""
        self._check_transition("return_to_verification")
        reason = reason or self.env.context.get("islah_return_reason")
        if not reason or not reason.strip():
            raise UserError(self.env._("Say why the request goes back to verification."))
        for request in self:
            request._islah_write_workflow(
                {"state": "verification", "research_return_reason": reason}
            )
            request.message_post(
                body=self.env._("Sent back to verification: %(reason)s", reason=reason)
            )
        self._islah_schedule_verification_todo()
        return True

    def _enter_committee(self):
        """Step 5: submit to the Research Committee and start the deadline clock."""
        now = fields.Datetime.now()
        for request in self:
            request._islah_write_workflow(
                {
                    "state": "committee",
                    "submission_date": now,
                    "decision_deadline": request._islah_deadline_from(now),
                    "sla_state": "on_track",
                }
            )
        self._update_sla_states()
        return True

    def _apply_decision(self, outcome, decided_on=None):
        """A final decision (committee issue): approved or rejected, deadline met or missed."""
        if outcome not in ("approved", "rejected"):
            raise UserError(self.env._("A final decision is either approved or rejected."))
        self._check_state("committee")
        decided_on = decided_on or fields.Date.context_today(self)
        for request in self:
            met = not request.decision_deadline or decided_on <= request.decision_deadline
            request._islah_write_workflow(
                {
                    "state": outcome,
                    "decided_on": decided_on,
                    "sla_state": "met" if met else "missed",
                }
            )
        return True

    def action_start_service(self):
        """Step 6 done: registration complete, the service can be delivered."""
        self._check_transition("start_service")
        for request in self:
            if request.beneficiary_id.state != "registered":
                raise UserError(
                    self.env._(
                        "Complete the registration of %(name)s before the service starts.",
                        name=request.beneficiary_id.name,
                    )
                )
        self._islah_write_workflow({"state": "in_service"})
        return True

    def action_done(self):
        """Step 7 done: at least one delivery was recorded."""
        self._check_transition("done")
        for request in self:
            if not request.delivery_ids:
                raise UserError(
                    self.env._(
                        "Record at least one delivery of %(name)s before closing it.",
                        name=request.name,
                    )
                )
        self._islah_write_workflow({"state": "done"})
        return True

    def action_cancel(self, reason=None):
        """Cancel an open or approved request, saying why (the reason wizard)."""
        self._check_transition("cancel")
        reason = reason or self.env.context.get("islah_cancel_reason")
        if not reason or not reason.strip():
            raise UserError(self.env._("Say why the request is cancelled."))
        self._islah_write_workflow(
            {"state": "cancelled", "cancel_reason": reason, "sla_state": False}
        )
        for request in self:
            request.message_post(body=self.env._("Cancelled: %(reason)s", reason=reason))
        return True
