from ast import literal_eval

from odoo import fields, models

from ..tools.constants import SECTION_SELECTION


class CrmTeam(models.Model):
    _inherit = "crm.team"

    islah_section = fields.Selection(
        SECTION_SELECTION,
        string="Beneficiary section",
        index="btree_not_null",
        help="Set on the beneficiary relations teams: inquiries received by this "
        "team belong to this section.",
    )

    def _alias_get_creation_values(self):
        """Letters and e-mails sent to a beneficiary relations team's alias
        become inquiries (leads, whatever the CRM "Leads" setting) on the
        letter channel."""
        values = super()._alias_get_creation_values()
        if self.id and self.islah_section:
            defaults = values.get("alias_defaults") or {}
            if isinstance(defaults, str):
                defaults = literal_eval(defaults)
            defaults["type"] = "lead"
            channel = self.env.ref("islah_beneficiary.utm_medium_letter", raise_if_not_found=False)
            if channel:
                defaults["medium_id"] = channel.id
            values["alias_defaults"] = defaults
        return values

    def _islah_team_for_section(self, section, company=None):
        """The beneficiary relations team of ``section`` in ``company``."""
        company = company or self.env.company
        return self.search(
            [("islah_section", "=", section), ("company_id", "in", [company.id, False])], limit=1
        )
