from odoo import fields, models


class IslahDocumentType(models.Model):
    _name = "islah.document.type"
    _description = "Supporting document type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True, help="What the applicant must bring.")
    active = fields.Boolean(default=True)
