from odoo import api, fields, models


class IslahRequestGuideMixin(models.AbstractModel):
    """The staff tools of the policy that apply at the request's step."""

    _name = "islah.request.guide.mixin"
    _description = "Staff tools at a request's step"

    staff_guide_ids = fields.Many2many(
        "islah.staff.guide",
        string="Staff tools for this step",
        compute="_compute_staff_guide_ids",
        help="The bylaws, guides and forms of the policy to use at this step.",
    )

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_staff_guide_ids(self):
        Guide = self.env["islah.staff.guide"]
        for state in set(self.mapped("state")):
            guides = Guide._islah_for_request_state(state)
            self.filtered(lambda request, s=state: request.state == s).staff_guide_ids = guides
