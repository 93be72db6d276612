from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.constants import GROUP_COMMITTEE, GROUP_MANAGER, GROUP_OFFICER
from .islah_appeal import OPEN_APPEAL_STATES

DEFAULT_APPEAL_DAYS = 30


class IslahSupportRequest(models.Model):
    """A rejected request's appeals: the window after the rejection was
    notified, the one open appeal, and the overturn, a step of the
    request's transition table taken by the committee's closing."""

    _inherit = "islah.support.request"  # pylint: disable=consider-merging-classes-inherited

    # need-to-know: a researcher studies the family, appeals are not theirs to read
    appeal_ids = fields.One2many(
        "islah.appeal",
        "request_id",
        string="Appeals",
        groups=f"{GROUP_OFFICER},{GROUP_COMMITTEE}",
    )
    appeal_count = fields.Integer(
        compute="_compute_appeal_count", groups=f"{GROUP_OFFICER},{GROUP_COMMITTEE}"
    )
    appeal_deadline = fields.Date(
        compute="_compute_appeal_deadline",
        help="Last day the beneficiary may appeal the rejection.",
    )
    can_record_appeal = fields.Boolean(compute="_compute_transition_rights")

    @api.depends("appeal_ids")
    def _compute_appeal_count(self):
        for request in self:
            request.appeal_count = len(request.appeal_ids)

    @api.depends("state", "decided_on")
    def _compute_appeal_deadline(self):
        for request in self:
            request.appeal_deadline = (
                request._islah_appeal_deadline() if request.state == "rejected" else False
            )

    @api.depends("decision_ids.outcome", "decision_ids.is_appeal")
    def _compute_final_decision_id(self):
        # the first decision: an appeal's decision is counted apart
        for request in self:
            request.final_decision_id = request.decision_ids.filtered(
                lambda d: d.outcome in ("approved", "rejected") and not d.is_appeal
            )[:1]

    def _get_transition_roles(self):
        """A rejected request may be appealed (recorded by an officer of its
        section); the committee's appeal decision may overturn it."""
        return {
            **super()._get_transition_roles(),
            "record_appeal": {
                "label": self.env._("Record an appeal"),
                "states": ["rejected"],
                "groups": (GROUP_OFFICER,),
            },
            # taken by the closing of the meeting that decided the appeal
            "overturn_on_appeal": {
                "label": self.env._("Approve on appeal"),
                "states": ["rejected"],
                "groups": (GROUP_MANAGER,),
            },
        }

    # ------------------------------------------------------------------
    # The window
    # ------------------------------------------------------------------

    def _islah_rejection_decision(self):
        """The committee decision that rejected the request (not an appeal's)."""
        self.ensure_one()
        # sudo: officers and the beneficiary read the decision's dates only
        return self.sudo().decision_ids.filtered(
            lambda d: d.outcome == "rejected" and not d.is_appeal
        )[:1]

    def _islah_rejected_on(self):
        """The day the rejection counts from: its notification, else the
        decision's date."""
        self.ensure_one()
        decision = self._islah_rejection_decision()
        if decision.notified_on:
            return fields.Date.context_today(self, decision.notified_on)
        return decision.decided_on or self.sudo().decided_on

    def _islah_appeal_deadline(self):
        self.ensure_one()
        rejected_on = self._islah_rejected_on()
        if not rejected_on:
            return False
        days = self.company_id.islah_appeal_days or DEFAULT_APPEAL_DAYS
        return rejected_on + timedelta(days=days)

    def _islah_appeal_problem(self, appeal=None):
        """Why this request cannot be appealed today, or False."""
        self.ensure_one()
        if self.state != "rejected":
            return self.env._("Only a rejected request can be appealed.")
        deadline = self._islah_appeal_deadline()
        if deadline and fields.Date.context_today(self) > deadline:
            return self.env._(
                "The time to appeal has passed: an appeal is lodged within %(days)s days "
                "of the rejection (until %(date)s).",
                days=self.company_id.islah_appeal_days or DEFAULT_APPEAL_DAYS,
                date=fields.Date.to_string(deadline),
            )
        # sudo: the appeals of the request, whoever may read them
        Appeal = self.env["islah.appeal"].sudo()
        other = Appeal.search(
            [
                ("request_id", "=", self.id),
                ("state", "in", OPEN_APPEAL_STATES),
                ("id", "!=", appeal.id if appeal else False),
            ],
            limit=1,
        )
        if other:
            return self.env._(
                "Request %(request)s already has an open appeal (%(appeal)s).",
                request=self.name,
                appeal=other[0].name,
            )
        # the committee's decision on an appeal is final
        if decided := Appeal.search(
            [("request_id", "=", self.id), ("state", "=", "decided")], limit=1
        ):
            return self.env._(
                "The appeal %(appeal)s of request %(request)s has been decided: the "
                "committee's decision on an appeal is final.",
                appeal=decided[0].name,
                request=self.name,
            )
        return False

    def _islah_check_can_appeal(self, appeal=None):
        """Refuse an appeal of a request that cannot be appealed now; in the
        back office, only an officer of the request's section records one."""
        for request in self:
            if not self.env.su:
                request.check_access("read")
            if problem := request._islah_appeal_problem(appeal):
                raise UserError(problem)
            if not self.env.su and not self.env.user.share:
                request._check_transition("record_appeal")

    def _islah_portal_can_appeal(self):
        self.ensure_one()
        return not self._islah_appeal_problem()

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------

    def _islah_overturn_on_appeal(self, appeal):
        """The committee overturned the rejection on appeal: the request is
        approved (its first decision's date and deadline kept for the
        figures), ready for the service to start."""
        self._check_transition("overturn_on_appeal")
        for request in self:
            request._islah_write_workflow({"state": "approved"})
            request.message_post(
                body=self.env._(
                    "Rejection overturned on appeal %(appeal)s: the request is approved.",
                    appeal=appeal.name,
                )
            )
        return True

    def _islah_portal_first_outcome(self):
        # a rejection overturned on appeal was a rejection first
        if self._islah_rejection_decision():
            return "rejected"
        return super()._islah_portal_first_outcome()

    def _islah_portal_later_steps(self):
        """The appeals lodged, and their outcomes, in the reader's language."""
        steps = super()._islah_portal_later_steps()
        Appeal = self.env["islah.appeal"]
        outcomes = dict(Appeal._fields["outcome"]._description_selection(self.env))
        for appeal in self.appeal_ids.filtered("submitted_on").sorted("submitted_on"):
            steps.append(
                (appeal.submitted_on, self.env._("Appeal %(number)s lodged", number=appeal.name))
            )
            if appeal.decided_on and appeal.outcome:
                steps.append((appeal.decided_on, outcomes[appeal.outcome]))
        return steps

    def action_view_appeals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "islah_beneficiary.islah_appeal_action"
        )
        action["domain"] = [("request_id", "=", self.id)]
        action["context"] = {"default_request_id": self.id}
        return action

    def action_record_appeal(self):
        """The officer records an appeal lodged at the office, by phone..."""
        self.ensure_one()
        self._islah_check_can_appeal()
        return {
            "type": "ir.actions.act_window",
            "res_model": "islah.appeal",
            "view_mode": "form",
            "target": "current",
            "context": {"default_request_id": self.id},
        }

    def _islah_portal_appeal(self, reason, files, partner):
        """The beneficiary appeals from the portal (``self`` as the system,
        the caller checked the portal user reads the request): their own
        request only, within the window, documents checked."""
        self.ensure_one()
        if self.partner_id != partner:
            raise UserError(self.env._("Only the beneficiary of a request can appeal it."))
        if problem := self._islah_appeal_problem():
            raise UserError(problem)
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why you ask the committee to review its decision."))
        if len(reason) > 5000:
            raise UserError(
                self.env._("The grounds of the appeal are too long (5,000 characters at most).")
            )
        if errors := self._islah_check_uploads(files, self.company_id):
            raise UserError("\n".join(errors))
        appeal = self.env["islah.appeal"].create(
            {
                "request_id": self.id,
                "reason": reason,
                "channel_id": self.env.ref("islah_beneficiary.utm_medium_website").id,
            }
        )
        if files:
            attachments = self.env["ir.attachment"].create(
                [
                    {
                        "name": filename,
                        "raw": content,
                        "res_model": "islah.appeal",
                        "res_id": appeal.id,
                    }
                    for filename, content in files
                ]
            )
            appeal.write({"attachment_ids": [fields.Command.set(attachments.ids)]})
        appeal._islah_submit()
        return appeal
