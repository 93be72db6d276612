from odoo import fields, models


class IslahServiceType(models.Model):
    _name = "islah.service.type"
    _description = "Service offered to beneficiaries"
    _inherit = [
        "islah.service.type.eligibility.mixin",
        "islah.service.type.window.mixin",
        "islah.service.type.outreach.mixin",
        "islah.service.type.guide.mixin",
    ]
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Html(translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    is_financial = fields.Boolean(
        string="Financial support", help="Deliveries of this service carry an amount."
    )
    document_type_ids = fields.Many2many("islah.document.type", string="Required documents")
    needs_research = fields.Boolean(
        string="Needs social research",
        default=True,
        help="Requests go to a social researcher before the committee.",
    )
    needs_committee = fields.Boolean(
        string="Needs committee decision",
        default=True,
        help="Requests are decided by the Research Committee.",
    )
    decision_days = fields.Integer(
        string="Decision deadline (days)",
        help="Overrides the company's deadline for this service. Empty: the company's.",
    )

    _decision_days_positive = models.Constraint(
        "CHECK(decision_days IS NULL OR decision_days >= 0)",
        "The decision deadline cannot be negative.",
    )
