from odoo import fields, models


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
