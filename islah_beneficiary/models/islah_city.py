from odoo import fields, models


class IslahCity(models.Model):
    """A city the association serves: the place of residence of a
    beneficiary, and what a service's eligibility may be limited to."""

    _name = "islah.city"
    _description = "City"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _name_uniq = models.Constraint("UNIQUE(name)", "A city with this name already exists.")
