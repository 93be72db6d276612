from odoo import fields, models

from ..tools.constants import GROUP_MANAGER, SECTION_OR_BOTH_SELECTION


class ResUsers(models.Model):
    _inherit = "res.users"

    islah_section = fields.Selection(
        SECTION_OR_BOTH_SELECTION,
        string="Beneficiary section",
        help="The section(s) whose beneficiaries and requests this user works on. "
        "A user without a section sees no beneficiary.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "islah_section" in vals:
            # record rules read the section: drop their cached domains
            self.env.registry.clear_cache()
        return res

    def _islah_sections(self):
        """The section codes this user may see, as used by the record rules."""
        self.ensure_one()
        if self.islah_section == "both":
            return ["men", "women"]
        return [self.islah_section] if self.islah_section else []

    def _islah_partner_sections(self):
        """The ``res.partner.islah_section`` values this user may see: a
        contact shared by files of both sections needs both sections."""
        sections = self._islah_sections()
        return sections + ["both"] if len(sections) == 2 else sections

    def _islah_my_work_action(self):
        """The window this user lands on ("My work", run by the app's first
        menu): their own requests and to-dos by step; a manager lands on all
        the requests in progress of their section(s), whose step columns
        count them by deadline status (the section's figures)."""
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "islah_beneficiary.islah_my_work_action"
        )
        if self.has_group(GROUP_MANAGER):
            action["context"] = {"search_default_in_progress": 1}
        return action
