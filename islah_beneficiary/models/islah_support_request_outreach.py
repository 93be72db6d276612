from odoo import api, models


class IslahSupportRequest(models.Model):
    """A request that follows an outreach closes it as ``applied``."""

    _inherit = "islah.support.request"  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        requests = super().create(vals_list)
        self.env["islah.outreach"]._islah_link_requests(requests)
        return requests
