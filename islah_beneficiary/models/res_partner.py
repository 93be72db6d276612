from odoo import api, fields, models

from ..tools.constants import SECTION_OR_BOTH_SELECTION


class ResPartner(models.Model):
    """The contact record of a beneficiary holds their personal data (name,
    e-mail, phone, address): it carries the beneficiary's section so that the
    record rules keep it within the staff who serve that section."""

    _inherit = "res.partner"

    islah_beneficiary_ids = fields.One2many(
        "islah.beneficiary",
        "partner_id",
        string="Beneficiary files",
        # an archived file still protects its (archived) contact
        context={"active_test": False},
    )
    islah_section = fields.Selection(
        SECTION_OR_BOTH_SELECTION,
        string="Beneficiary section",
        compute="_compute_islah_section",
        store=True,
        index=True,
        help="Set when this contact is a beneficiary: only the staff of this section "
        "(and the researchers and committee members of their requests) see it.",
    )

    @api.depends("islah_beneficiary_ids.section")
    def _compute_islah_section(self):
        for partner in self:
            sections = set(partner.islah_beneficiary_ids.mapped("section")) - {False}
            if len(sections) > 1:
                partner.islah_section = "both"
            else:
                partner.islah_section = sections.pop() if sections else False
