from odoo import fields, models


class IslahServiceFaq(models.Model):
    """A question people ask about a service, answered on the public guide.
    Kept by managers on the service type; anyone reads the active questions
    of active services (record rules)."""

    _name = "islah.service.faq"
    _description = "Frequently asked question about a service"
    _order = "service_type_id, sequence, id"

    service_type_id = fields.Many2one(
        "islah.service.type", string="Service", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    question = fields.Char(required=True, translate=True)
    answer = fields.Html(translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(related="service_type_id.company_id", store=True, index=True)
