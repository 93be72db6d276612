from odoo import fields, models


class IslahBeneficiaryOutreachMixin(models.AbstractModel):
    """The outreach made to a beneficiary, and their wish not to be contacted."""

    _name = "islah.beneficiary.outreach.mixin"
    _description = "Outreach to a beneficiary"

    islah_outreach_opt_out = fields.Boolean(
        string="Do not contact",
        tracking=True,
        help="The person asked not to be contacted about services: the daily outreach skips them.",
    )
    outreach_ids = fields.One2many("islah.outreach", "beneficiary_id")
    outreach_count = fields.Integer(compute="_compute_outreach_count", string="Outreach made")

    def _compute_outreach_count(self):
        counts = dict(
            self.env["islah.outreach"]._read_group(
                [("beneficiary_id", "in", self.ids)], ["beneficiary_id"], ["__count"]
            )
        )
        for beneficiary in self:
            beneficiary.outreach_count = counts.get(beneficiary, 0)

    def action_view_outreach(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "islah_beneficiary.islah_outreach_action"
        )
        action["domain"] = [("beneficiary_id", "=", self.id)]
        action["context"] = {"default_beneficiary_id": self.id}
        return action
