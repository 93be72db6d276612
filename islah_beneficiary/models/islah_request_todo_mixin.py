from odoo import models

from ..tools.constants import (
    GROUP_MANAGER,
    GROUP_OFFICER,
    GROUP_RESEARCHER,
)

# The to-dos a step hands to the next person, by activity type, and the
# states in which their reason holds: out of these they are closed.
TODO_VERIFICATION = "islah_beneficiary.mail_activity_type_verification"
TODO_RESEARCH = "islah_beneficiary.mail_activity_type_research"
TODO_AGENDA = "islah_beneficiary.mail_activity_type_committee_agenda"
TODO_AT_RISK = "islah_beneficiary.mail_activity_type_deadline_at_risk"
TODO_NOTIFY = "islah_beneficiary.mail_activity_type_notify_decision"
TODO_START_SERVICE = "islah_beneficiary.mail_activity_type_start_service"
HANDOFF_TODO_STATES = {
    TODO_VERIFICATION: ("verification",),
    TODO_RESEARCH: ("research",),
    TODO_AGENDA: ("committee",),
    TODO_AT_RISK: ("committee",),
    TODO_NOTIFY: ("approved", "rejected", "in_service", "done"),
    TODO_START_SERVICE: ("approved",),
}


class IslahRequestTodoMixin(models.AbstractModel):
    """Hand-offs: each step gives the next person a to-do, closed when its
    reason is gone (``HANDOFF_TODO_STATES``, ``_islah_close_stale_todos``)."""

    _name = "islah.request.todo.mixin"
    _description = "Support request: the to-dos each step hands to the next person"

    def _islah_schedule_todos(self, act_type, get_users, get_summary, get_note, get_date=None):
        """One to-do of ``act_type`` per request and user, written in the
        user's language; a user who has one open already gets no second."""
        for request in self:
            # sudo: a to-do for the next person, whoever moved the request on
            request = request.sudo()
            users = get_users(request) - request.activity_search([act_type]).user_id
            for user in users:
                in_lang = request.with_context(lang=user.lang or self.env.lang)
                request.activity_schedule(
                    act_type,
                    date_deadline=get_date(request) if get_date else None,
                    summary=get_summary(in_lang),
                    note=get_note(in_lang),
                    user_id=user.id,
                )
        return True

    def _islah_close_stale_todos(self):
        """Close the hand-off to-dos whose reason is gone: the request left
        their step (or the archive took it), another researcher took the
        research, the request is on an agenda, the decision was notified."""
        # sudo: the to-dos of other users, closed by the flow
        for request in self.sudo():
            stale = request.activity_search(
                [
                    act_type
                    for act_type, states in HANDOFF_TODO_STATES.items()
                    if not request.active or request.state not in states
                ]
            )
            if request.state == "research" and request.researcher_id:
                stale |= request.activity_search([TODO_RESEARCH]).filtered(
                    lambda a, r=request: a.user_id != r.researcher_id
                )
            if request.state == "committee" and request.committee_meeting_id:
                stale |= request.activity_search([TODO_AGENDA])
            if request.final_decision_id.notified_on:
                stale |= request.activity_search([TODO_NOTIFY])
            stale.unlink()
        return True

    def _islah_officers(self):
        """Who takes the request back: its officer, else the section's managers."""
        self.ensure_one()
        officer = self.officer_id
        if officer.active and not officer.share and officer.has_group(GROUP_OFFICER):
            return officer
        return self.company_id._islah_managers(self.section)

    def _islah_section_researchers(self):
        """The social researchers who serve the request's section (managers
        aside); none: the section's managers."""
        self.ensure_one()
        researcher = self.env.ref(GROUP_RESEARCHER)
        manager = self.env.ref(GROUP_MANAGER)
        # sudo: who the researchers are, whatever the caller may read of res.users
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("all_group_ids", "in", researcher.id),
                    ("all_group_ids", "not in", manager.id),
                    ("company_ids", "in", self.company_id.id),
                    ("share", "=", False),
                    ("islah_section", "in", [s for s in (self.section, "both") if s]),
                ]
            )
        )
        return users or self.company_id._islah_managers(self.section)

    def _islah_schedule_verification_todo(self):
        """Sent back to verification: a to-do for the officer."""
        return self._islah_schedule_todos(
            TODO_VERIFICATION,
            lambda request: request._islah_officers(),
            lambda request: request.env._("Verify %(name)s again", name=request.name),
            lambda request: request.env._(
                "%(name)s came back to verification: complete what is asked and "
                "complete the verification again.",
                name=request.name,
            ),
        )

    def _islah_schedule_research_todos(self):
        """In research: a to-do for the assigned researcher, or for each
        researcher of the section while nobody is assigned."""
        requests = self.filtered(lambda r: r.state == "research")
        requests.filtered("researcher_id")._islah_schedule_todos(
            TODO_RESEARCH,
            lambda request: request.researcher_id,
            lambda request: request.env._("Social research of %(name)s", name=request.name),
            lambda request: request.env._(
                "Visit the applicant of %(name)s, write the research report and "
                "submit it to the committee.",
                name=request.name,
            ),
        )
        requests.filtered(lambda r: not r.researcher_id)._islah_schedule_todos(
            TODO_RESEARCH,
            lambda request: request._islah_section_researchers(),
            lambda request: request.env._("Take the research of %(name)s", name=request.name),
            lambda request: request.env._(
                "%(name)s waits for a social researcher of its section: take it with "
                "the Take the research button.",
                name=request.name,
            ),
        )
        return True

    def _islah_schedule_committee_activity(self):
        """A to-do for the committee secretary (else the managers) to put the
        request on the committee's agenda before its deadline."""
        requests = self.filtered(lambda r: r.state == "committee" and not r.committee_meeting_id)
        return requests._islah_schedule_todos(
            TODO_AGENDA,
            lambda request: request.company_id._islah_committee_secretaries(request.section),
            lambda request: request.env._(
                "Put %(name)s on the committee agenda", name=request.name
            ),
            lambda request: request.env._(
                "The Research Committee must decide by %(deadline)s.",
                deadline=request.decision_deadline,
            ),
            lambda request: request.decision_deadline,
        )

    def _islah_schedule_at_risk_activity(self):
        """A to-do for the managers: the committee deadline is close."""
        return self.filtered(lambda r: r.state == "committee")._islah_schedule_todos(
            TODO_AT_RISK,
            lambda request: request.company_id._islah_managers(request.section),
            lambda request: request.env._("Deadline at risk: %(name)s", name=request.name),
            lambda request: request.env._(
                "The Research Committee has not decided yet; the deadline is %(deadline)s.",
                deadline=request.decision_deadline,
            ),
            lambda request: request.decision_deadline,
        )

    def _islah_schedule_decision_todos(self):
        """Decided: the officer tells the beneficiary (unless the letter went
        by e-mail) and, once approved, completes the registration and
        starts the service."""
        self.filtered(
            lambda r: (
                r.state in ("approved", "rejected")
                and r.final_decision_id
                and not r.final_decision_id.notified_on
            )
        )._islah_schedule_notify_todo()
        self.filtered(lambda r: r.state == "approved")._islah_schedule_todos(
            TODO_START_SERVICE,
            lambda request: request._islah_officers(),
            lambda request: request.env._("Start the service of %(name)s", name=request.name),
            lambda request: request.env._(
                "%(name)s is approved: complete the beneficiary's registration and "
                "start the service.",
                name=request.name,
            ),
        )
        return True

    def _islah_schedule_notify_todo(self, letter=None):
        """The committee's decision must be given to the beneficiary by hand."""
        return self._islah_schedule_todos(
            TODO_NOTIFY,
            lambda request: request._islah_officers(),
            lambda request: request.env._(
                "Notify the committee's decision on %(name)s", name=request.name
            ),
            lambda request: request.env._(
                "Give the beneficiary the decision letter %(letter)s by hand, by post "
                "or by phone, and record the notification on the decision.",
                letter=letter or request.final_decision_id.letter_number or "",
            ),
        )
