from odoo import fields, models


class IslahBeneficiaryCategory(models.Model):
    _name = "islah.beneficiary.category"
    _description = "Beneficiary category"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _name_uniq = models.Constraint("UNIQUE(name)", "A category with this name already exists.")
