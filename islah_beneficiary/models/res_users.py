from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    islah_section = fields.Selection(
        [("men", "Men's section"), ("women", "Women's section"), ("both", "Both sections")],
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
