from odoo import models
from odoo.exceptions import AccessError
from odoo.tools import format_list


class IslahFlowMixin(models.AbstractModel):
    """A flow whose steps are listed in one transition table: which roles
    take which step from which states. The server checks the table
    (``_check_transition``) and the form's buttons follow it (``can_<step>``
    booleans computed by ``_islah_set_transition_rights``), as hr.leave does
    with its ``can_approve``/``can_refuse`` fields."""

    _name = "islah.flow.mixin"
    _description = "Flow with role-checked steps"

    def _get_transition_roles(self):
        """``{step: {"label", "states", "groups", "roles"}}``: the step's
        translated name, the states it starts from, the groups (xml ids)
        that may take it on every record they can edit, and the roles of
        ``_islah_flow_roles`` that may take it on the records where the user
        holds one. Extend it with ``super()`` to add steps. (``states`` are
        lists: Odoo's string extractor would read a tuple written right
        after ``_()`` as one more call to translate.)"""
        return {}

    def _islah_flow_state(self):
        """The state the table's ``states`` refer to."""
        self.ensure_one()
        return self.state

    def _islah_flow_roles(self):
        """The roles the current user holds on this record."""
        self.ensure_one()
        return set()

    def _islah_flow_role_labels(self):
        """Role name -> translated label, for the error messages."""
        return {}

    def _islah_check_flow_states(self, states):
        """Raise a translated UserError when a record is not in ``states``."""
        raise NotImplementedError

    def _islah_has_flow_role(self, step):
        self.ensure_one()
        if self.env.su:
            return True
        user = self.env.user
        return any(user.has_group(group) for group in step.get("groups", ())) or bool(
            set(step.get("roles", ())) & self._islah_flow_roles()
        )

    def _is_transition_allowed(self, action, table=None):
        """Whether the current user may take ``action`` on this record now."""
        self.ensure_one()
        step = (table or self._get_transition_roles())[action]
        return self._islah_flow_state() in step["states"] and self._islah_has_flow_role(step)

    def _check_transition(self, action):
        """Refuse ``action`` unless the user may edit the records (record
        rules, AccessError), every record is in one of the step's states
        (UserError) and the user holds one of its roles (AccessError).
        Superuser code is the flow itself: only the states are checked."""
        step = self._get_transition_roles()[action]
        if not self.env.su:
            self.check_access("write")
        self._islah_check_flow_states(step["states"])
        if self.env.su:
            return
        for record in self:
            if not record._islah_has_flow_role(step):
                raise AccessError(
                    self.env._(
                        'The step "%(step)s" of %(name)s is reserved for: %(roles)s.',
                        step=step["label"],
                        name=record.display_name,
                        roles=format_list(self.env, record._islah_flow_role_names(step)),
                    )
                )

    def _islah_flow_role_names(self, step):
        # sudo: the names of the groups, for the message only
        names = [self.env.ref(group).sudo().name for group in step.get("groups", ())]
        labels = self._islah_flow_role_labels()
        return names + [labels.get(role, role) for role in step.get("roles", ())]

    def _islah_set_transition_rights(self):
        """Set every ``can_<step>`` field the model declares."""
        table = self._get_transition_roles()
        steps = [step for step in table if f"can_{step}" in self._fields]
        for record in self:
            for step in steps:
                record[f"can_{step}"] = record._is_transition_allowed(step, table)
