from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_list

from ..tools.constants import (
    ALL_STATES,
    DECIDED_STATES,
    GROUP_MANAGER,
    GROUP_OFFICER,
    GROUP_RESEARCHER,
    OPEN_STATES,
)

# the date each state is entered, when no other field says it (receipt is the
# create date, the committee the submission date, a decision its day)
STEP_DATE_FIELDS = {
    "verification": "verification_started_on",
    "research": "research_started_on",
    "in_service": "service_started_on",
    "done": "done_on",
    "cancelled": "cancelled_on",
}


class IslahRequestWorkflowMixin(models.AbstractModel):
    """The rules of a support request's steps, as tables: the states each
    step starts from and who takes it, the fields only the steps write and
    those a decision freezes. The steps themselves are in
    ``islah.request.steps.mixin``; the checks in ``islah.flow.mixin``."""

    _name = "islah.request.workflow.mixin"
    _inherit = ["islah.flow.mixin"]
    _description = "Support request: who takes which step, which fields each step locks"

    def _get_flow_locked_fields(self):
        """The fields only the steps write, on every request; on these
        records, also what their decision froze for good (archive a wrong
        request, with the reason, instead). Mirrors of the beneficiary
        (read-only related fields) are never written through a request.
        Extend with ``super()``."""
        locked = {
            "state",
            "active",
            "data_verified_by_id",
            "data_verified_on",
            "declaration_accepted",
            "declaration_date",
            "research_return_reason",
            "submission_date",
            "decision_deadline",
            "decided_on",
            "sla_state",
            "cancel_reason",
            # the committee's question is written by the meeting's closing only
            "information_request_reason",
            *STEP_DATE_FIELDS.values(),
        } | {name for name, field in self._fields.items() if field.related and field.readonly}
        if any(request.state in DECIDED_STATES for request in self):
            locked |= {
                "beneficiary_id",
                "service_type_id",
                "company_id",
                "medium_id",
                "description",
                "lead_id",
                "document_ids",
                "researcher_id",
                "visit_date",
                "research_report",
            }
        return locked

    def _get_field_transitions(self):
        """``{step: fields}``: who may take the step of the transition table
        may write these fields, nobody else (the intake data is the
        officer's, the visit and the report the researcher's)."""
        return {
            "edit_request": {
                "beneficiary_id",
                "service_type_id",
                "officer_id",
                "company_id",
                "medium_id",
                "lead_id",
                "description",
                "researcher_id",
                "document_ids",
            },
            "record_research": {"visit_date", "research_report"},
        }

    def _check_flow_fields(self, vals):
        """Refuse a write of locked fields, or of fields of a step the user
        may not take (a caller's context cannot change this: only the flow's
        own superuser writes pass)."""
        always = self.browse()._get_flow_locked_fields()
        if forced := always & vals.keys():
            raise UserError(
                self.env._(
                    "%(fields)s change only through the request's steps (the buttons "
                    "of the form), never by hand.",
                    fields=self._islah_field_labels(forced),
                )
            )
        for request in self:
            if frozen := (request._get_flow_locked_fields() - always) & vals.keys():
                raise UserError(
                    self.env._(
                        "Request %(name)s has been decided: %(fields)s can no longer "
                        "change. Archive it, with the reason, if it was wrong.",
                        name=request.name,
                        fields=self._islah_field_labels(frozen),
                    )
                )
        for step, fnames in self._get_field_transitions().items():
            if fnames & vals.keys():
                self._check_transition(step)

    def _islah_field_labels(self, fnames):
        return format_list(
            self.env, [self._fields[name]._description_string(self.env) for name in sorted(fnames)]
        )

    def _islah_write_workflow(self, vals):
        """Write fields that only the steps may set. The caller checked the
        step (``_check_transition``: state, role and write access). Entering
        a state stamps its date (``STEP_DATE_FIELDS``), which the
        beneficiary's timeline shows."""
        if (date_field := STEP_DATE_FIELDS.get(vals.get("state"))) and date_field not in vals:
            vals = {**vals, date_field: fields.Datetime.now()}
        # sudo: the locked fields are refused to every user; the step was checked
        return self.sudo().write(vals)

    def _get_transition_roles(self):
        """Every step of a request: the states it starts from, and who takes
        it. Officers (managers are officers too) receive, verify and serve;
        the researcher assigned to a request (or a manager) studies it; only
        a manager archives a decided request. Extend with ``super()``."""
        officer = (GROUP_OFFICER,)
        research = {"groups": (GROUP_MANAGER,), "roles": ("researcher",)}
        intake = ("received", "verification")
        return {
            **super()._get_transition_roles(),
            "edit_request": {
                "label": self.env._("Edit the request"),
                "states": ALL_STATES,
                "groups": officer,
            },
            "start_verification": {
                "label": self.env._("Start verification"),
                "states": ["received"],
                "groups": officer,
            },
            "verify_data": {
                "label": self.env._("Data verified"),
                "states": intake,
                "groups": officer,
            },
            "record_declaration": {
                "label": self.env._("Record declaration"),
                "states": intake,
                "groups": officer,
            },
            "verify_documents": {
                "label": self.env._("Verify documents"),
                "states": intake,
                "groups": officer,
            },
            "complete_verification": {
                "label": self.env._("Complete verification"),
                "states": ["verification"],
                "groups": officer,
            },
            # nobody assigned yet: a researcher of the section takes it
            "take_research": {
                "label": self.env._("Take the research"),
                "states": ["research"],
                "roles": ["section_researcher"],
            },
            "record_research": {
                "label": self.env._("Record the visit and the research report"),
                "states": ["research"],
                **research,
            },
            "submit_research": {
                "label": self.env._("Submit to committee"),
                "states": ["research"],
                **research,
            },
            "return_to_verification": {
                "label": self.env._("Send back to verification"),
                "states": ["research"],
                **research,
            },
            "start_service": {
                "label": self.env._("Start service"),
                "states": ["approved"],
                "groups": officer,
            },
            "record_delivery": {
                "label": self.env._("Record a delivery"),
                "states": ["in_service"],
                "groups": officer,
            },
            "done": {
                "label": self.env._("Close as delivered"),
                "states": ["in_service"],
                "groups": officer,
            },
            "cancel": {
                "label": self.env._("Cancel request"),
                "states": [*OPEN_STATES, "approved"],
                "groups": officer,
            },
            # a request before the committee has a deadline running: archived,
            # it would leave the compliance figures, so that is a manager's call
            "archive": {
                "label": self.env._("Archive"),
                "states": ["received", "verification", "research", "cancelled"],
                "groups": officer,
            },
            "archive_decided": {
                "label": self.env._("Archive a decided request"),
                "states": ["committee", *DECIDED_STATES],
                "groups": (GROUP_MANAGER,),
            },
        }

    def _islah_flow_roles(self):
        self.ensure_one()
        user = self.env.user
        if not user.has_group(GROUP_RESEARCHER):
            return set()
        if self.researcher_id == user:
            return {"researcher"}
        if not self.researcher_id and self.section in user._islah_sections():
            return {"section_researcher"}
        return set()

    def _islah_flow_role_labels(self):
        return {
            "researcher": self.env._("the social researcher assigned to the request"),
            "section_researcher": self.env._("a social researcher of the request's section"),
        }

    def _islah_check_flow_states(self, states):
        self._check_state(*states)

    def _check_state(self, *allowed):
        for request in self:
            if request.state not in allowed:
                state_label = dict(request._fields["state"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        'Request %(name)s is in the step "%(state)s": this action is not '
                        "possible now.",
                        name=request.name,
                        state=state_label[request.state],
                    )
                )
