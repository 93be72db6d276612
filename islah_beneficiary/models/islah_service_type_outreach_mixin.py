from odoo import fields, models


class IslahServiceTypeOutreachMixin(models.AbstractModel):
    """Whether the association reaches out to the people who may qualify
    for this service (see ``islah.outreach``), and how."""

    _name = "islah.service.type.outreach.mixin"
    _description = "Outreach of a service"

    outreach_enabled = fields.Boolean(
        string="Outreach",
        help="Every day, registered beneficiaries who meet this service's conditions and "
        "have not had it (or whose periodic service is due again) are found, and an "
        "officer of their section is asked to contact them.",
    )
    outreach_invite = fields.Boolean(
        string="Invitation by e-mail allowed",
        help="People who meet every condition and have a usable e-mail address receive an "
        "invitation to apply instead of an officer's call. Otherwise, and for people "
        "whose facts are still to be confirmed, an officer gets a to-do.",
    )
    outreach_count = fields.Integer(compute="_compute_outreach_count", string="Outreach made")

    def _compute_outreach_count(self):
        counts = dict(
            self.env["islah.outreach"]._read_group(
                [("service_type_id", "in", self.ids)], ["service_type_id"], ["__count"]
            )
        )
        for service in self:
            service.outreach_count = counts.get(service, 0)
