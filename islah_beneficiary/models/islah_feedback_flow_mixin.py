from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.constants import GROUP_MANAGER, GROUP_OFFICER


class IslahFeedbackFlowMixin(models.AbstractModel):
    """The steps of a suggestion or complaint: received, in progress, the
    written answer, the closure with the person's response; each step is in
    the transition table of ``islah.flow.mixin`` and checked on the server.
    Also who owns it: a manager of the section for a complaint about a staff
    member (never that staff member), else an officer of the section."""

    _name = "islah.feedback.flow.mixin"
    _inherit = "islah.flow.mixin"
    _description = "Suggestion or complaint flow"

    can_start = fields.Boolean(compute="_compute_can_steps")
    can_answer = fields.Boolean(compute="_compute_can_steps")
    can_close = fields.Boolean(compute="_compute_can_steps")
    can_cancel = fields.Boolean(compute="_compute_can_steps")

    @api.depends_context("uid")
    @api.depends("state", "user_id")
    def _compute_can_steps(self):
        self._islah_set_transition_rights()

    def _get_transition_roles(self):
        owner = {"groups": (GROUP_MANAGER,), "roles": ("owner",)}
        return {
            **super()._get_transition_roles(),
            "start": {
                "label": self.env._("Start handling"),
                "states": ["new"],
                **owner,
            },
            "answer": {
                "label": self.env._("Send the answer"),
                "states": ["new", "in_progress"],
                **owner,
            },
            "close": {
                "label": self.env._("Close"),
                "states": ["answered"],
                **owner,
            },
            "cancel": {
                "label": self.env._("Cancel"),
                "states": ["new", "in_progress"],
                "groups": (GROUP_MANAGER,),
            },
        }

    def _islah_flow_roles(self):
        self.ensure_one()
        if self.user_id and self.user_id == self.env.user:
            return {"owner"}
        return set()

    def _islah_flow_role_labels(self):
        return {"owner": self.env._("the owner of the suggestion or complaint")}

    def _islah_check_flow_states(self, states):
        state_labels = dict(self._fields["state"]._description_selection(self.env))
        for feedback in self:
            if feedback.state not in states:
                raise UserError(
                    self.env._(
                        '%(name)s is in the step "%(state)s": this action is not possible now.',
                        name=feedback.name,
                        state=state_labels[feedback.state],
                    )
                )

    # ------------------------------------------------------------------
    # Owner
    # ------------------------------------------------------------------

    @api.constrains("user_id", "about_user_id")
    def _check_owner_not_about_user(self):
        for feedback in self:
            if feedback.about_user_id and feedback.user_id == feedback.about_user_id:
                raise ValidationError(
                    self.env._(
                        "%(name)s is a complaint about %(user)s: they cannot own it.",
                        name=feedback.name,
                        user=feedback.about_user_id.name,
                    )
                )

    def _islah_default_owner(self):
        """A manager of the section for a complaint about a staff member,
        else an officer of the section; never the staff member concerned."""
        self.ensure_one()
        company = self.company_id
        if self.about_user_id:
            candidates = company._islah_managers(self.section)
        else:
            candidates = company._islah_section_staff(GROUP_OFFICER, self.section)
        candidates -= self.about_user_id
        if not candidates and not self.about_user_id:
            candidates = company._islah_managers(self.section)
        if len(candidates) < 2:
            return candidates
        # the one with the fewest open messages to answer, so the work is shared
        # sudo: the open load of each candidate, whatever the creator may read
        open_counts = dict(
            self.env["islah.feedback"]
            .sudo()
            ._read_group(
                [("user_id", "in", candidates.ids), ("state", "in", ("new", "in_progress"))],
                ["user_id"],
                ["__count"],
            )
        )
        return min(candidates, key=lambda user: (open_counts.get(user, 0), user.id))

    # ------------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------------

    def action_start(self):
        self._check_transition("start")
        self.write({"state": "in_progress"})
        return True

    def action_cancel(self):
        self._check_transition("cancel")
        self.write({"state": "cancelled"})
        self.activity_ids.sudo().unlink()
        return True

    def action_send_answer(self, answer=None):
        """Record the written answer (``answer`` or the one on the form),
        e-mail it to the person when there is an address, and mark it
        answered."""
        self._check_transition("answer")
        for feedback in self:
            text = answer if answer is not None else feedback.answer
            if not (text or "").strip():
                raise UserError(
                    self.env._(
                        "Write the answer to %(name)s before sending it.", name=feedback.name
                    )
                )
            feedback.write(
                {
                    "answer": text,
                    "state": "answered",
                    "answered_on": fields.Datetime.now(),
                    "answered_by_id": self.env.user.id,
                }
            )
            feedback._islah_send_answer_mail()
            feedback.activity_ids.sudo().action_feedback(feedback=self.env._("Answer sent."))
        return True

    def action_close(self, author_response="no_reply"):
        """Close an answered record, noting whether the person accepted the
        answer (``accepted``, ``not_accepted`` or ``no_reply``)."""
        self._check_transition("close")
        return self._islah_close(author_response)

    def _islah_close(self, author_response):
        valid = dict(self._fields["author_response"].selection)
        if author_response not in valid:
            raise UserError(self.env._("Choose whether the person accepted the answer."))
        self.write(
            {
                "state": "closed",
                "closed_on": fields.Datetime.now(),
                "author_response": author_response,
            }
        )
        return True

    def action_close_accepted(self):
        return self.action_close("accepted")

    def action_close_not_accepted(self):
        return self.action_close("not_accepted")

    def action_close_no_reply(self):
        return self.action_close("no_reply")
