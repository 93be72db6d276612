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

    # periodic review (engineer review)
    review_months = fields.Integer(
        string="Review every (months)",
        help="How often the files of this category are reviewed; 0: the association's "
        "default. A file in several categories takes the shortest period.",
    )

    _review_months_positive = models.Constraint(
        "CHECK(review_months >= 0)", "The review period cannot be negative."
    )
