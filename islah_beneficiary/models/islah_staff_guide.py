from odoo import api, fields, models

from ..tools.service_guide import REQUEST_STATES_FOR_GUIDE_KIND


class IslahStaffGuide(models.Model):
    """The tools the policy gives beneficiary relations staff: the bylaws,
    the social research services guide, the support policy guide and the
    support request form."""

    _name = "islah.staff.guide"
    _description = "Staff guide or reference document"
    _inherit = ["mail.thread"]
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        [
            ("bylaws", "Bylaws"),
            ("research_guide", "Social research services guide"),
            ("support_policy", "Beneficiary support policy guide"),
            ("request_form", "Support request form"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
    )
    summary = fields.Html(translate=True)
    attachment_ids = fields.Many2many("ir.attachment", string="Files")
    active = fields.Boolean(default=True)
    request_states = fields.Char(
        string="Shown at the steps",
        compute="_compute_request_states",
        store=True,
        readonly=False,
        help="The codes of the request steps at which this tool is shown on the request, "
        "separated by commas (received, verification, research, committee, approved, "
        "rejected, in_service, done). Empty: shown at no step.",
    )

    @api.depends("kind")
    def _compute_request_states(self):
        """The policy's step of each tool, until a manager changes it."""
        for guide in self:
            guide.request_states = ",".join(REQUEST_STATES_FOR_GUIDE_KIND.get(guide.kind, ()))

    def _islah_request_state_codes(self):
        self.ensure_one()
        return {code.strip() for code in (self.request_states or "").split(",") if code.strip()}

    @api.model
    def _islah_for_request_state(self, state):
        """The active tools to show at a request step."""
        return self.search([("request_states", "!=", False)]).filtered(
            lambda guide: state in guide._islah_request_state_codes()
        )
