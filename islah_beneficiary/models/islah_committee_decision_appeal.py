from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class IslahCommitteeDecision(models.Model):
    """A decision on an appeal: the committee's ordinary agenda line and
    ballot (approve = overturn the rejection, reject = uphold it), with the
    first decision and its reason shown to the members. Counted apart from
    the first decisions in every figure (``is_appeal``)."""

    _inherit = "islah.committee.decision"

    appeal_id = fields.Many2one(
        "islah.appeal", index="btree_not_null", ondelete="cascade", readonly=True
    )
    is_appeal = fields.Boolean(
        string="Appeal decision",
        compute="_compute_is_appeal",
        store=True,
        index=True,
        help="A decision on an appeal of a rejection, counted apart from the first decisions.",
    )
    appeal_reason = fields.Text(related="appeal_id.reason", string="Grounds of the appeal")
    appeal_outcome = fields.Selection(related="appeal_id.outcome", string="Appeal outcome")
    first_decision_id = fields.Many2one(
        related="appeal_id.first_decision_id", string="First decision"
    )
    first_outcome = fields.Selection(
        related="appeal_id.first_decision_id.outcome", string="First outcome"
    )
    first_reason = fields.Text(
        related="appeal_id.first_decision_id.reason", string="Reason of the first decision"
    )
    first_meeting_id = fields.Many2one(
        related="appeal_id.first_decision_id.meeting_id", string="First meeting"
    )
    first_voter_ids = fields.Many2many(
        "res.users",
        compute="_compute_first_voter_ids",
        string="Voted on the first decision",
        help="Members who voted on the decision now appealed.",
    )

    _appeal_final_uniq = models.UniqueIndex(
        "(appeal_id) WHERE outcome IN ('approved', 'rejected')",
        "An appeal is decided only once.",
    )

    @api.depends("appeal_id")
    def _compute_is_appeal(self):
        for decision in self:
            decision.is_appeal = bool(decision.appeal_id)

    @api.depends("appeal_id.first_decision_id")
    def _compute_first_voter_ids(self):
        for decision in self:
            # sudo: the first meeting's ballots, which the members of this one may not read
            first = decision.sudo().appeal_id.first_decision_id
            decision.first_voter_ids = first.vote_ids.filtered("vote").member_id

    @api.constrains("override_outcome", "appeal_id")
    def _check_appeal_override(self):
        for decision in self:
            if decision.appeal_id and decision.override_outcome == "more_information":
                raise ValidationError(
                    self.env._(
                        "An appeal is upheld, overturned or deferred: the committee cannot "
                        "send it back for more information."
                    )
                )

    def _islah_agenda_request_state(self):
        return "rejected" if self.appeal_id else super()._islah_agenda_request_state()

    def _check_one_final_decision(self, request_ids):
        # an appeal's decision is not a second first decision (its own index:
        # one final decision per appeal)
        firsts = self.filtered(lambda d: not d.is_appeal)
        if self and not firsts:
            return
        return super(IslahCommitteeDecision, firsts)._check_one_final_decision(request_ids)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(vals.get("appeal_id") for vals in vals_list):
            raise UserError(self.env._("An appeal goes on an agenda when it is submitted."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and "appeal_id" in vals:
            raise UserError(self.env._("An appeal goes on an agenda when it is submitted."))
        return super().write(vals)

    def unlink(self):
        # sudo: the appeal's state, whoever takes it off the agenda
        appeals = self.sudo().appeal_id.filtered(lambda a: a.state == "scheduled")
        cancelling = self.env.context.get("islah_appeal_cancel")
        result = super().unlink()
        if not cancelling:
            # taken off the agenda: the appeal waits for a meeting again
            appeals._islah_back_to_waiting(reschedule=False)
        return result

    def _apply_to_requests(self):
        appeals = self.filtered("is_appeal")
        result = super(IslahCommitteeDecision, self - appeals)._apply_to_requests()
        for decision in appeals:
            # sudo: the appeal's outcome and state are the closing's (checked by the
            # meeting); off this agenda, the members no longer read the appeal
            decision.sudo().appeal_id._islah_apply_decision(decision)
        return result

    def _islah_letter_template(self):
        if self.is_appeal:
            return self.env.ref("islah_beneficiary.mail_template_appeal_decision")
        return super()._islah_letter_template()
