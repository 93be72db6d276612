from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import is_valid_national_id
from ..tools.constants import GENDER_SELECTION
from .islah_beneficiary import SENSITIVE_GROUPS


class IslahBeneficiaryMember(models.Model):
    _name = "islah.beneficiary.member"
    _description = "Beneficiary family member"
    _order = "beneficiary_id, birth_date, id"

    beneficiary_id = fields.Many2one(
        "islah.beneficiary", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="beneficiary_id.company_id", store=True)
    name = fields.Char(required=True)
    relation = fields.Selection(
        [
            ("spouse", "Spouse"),
            ("son", "Son"),
            ("daughter", "Daughter"),
            ("father", "Father"),
            ("mother", "Mother"),
            ("brother", "Brother"),
            ("sister", "Sister"),
            ("other", "Other"),
        ],
        required=True,
    )
    gender = fields.Selection(GENDER_SELECTION)
    birth_date = fields.Date()
    national_id = fields.Char(string="National ID / Iqama", groups=SENSITIVE_GROUPS)
    is_dependent = fields.Boolean(string="Dependent", default=True)
    notes = fields.Char()

    @api.constrains("birth_date")
    def _check_birth_date(self):
        today = fields.Date.context_today(self)
        for member in self:
            if member.birth_date and member.birth_date > today:
                raise ValidationError(
                    self.env._(
                        "The birth date of %(name)s cannot be in the future.", name=member.name
                    )
                )

    @api.constrains("national_id")
    def _check_national_id(self):
        # the ORM runs constraints as superuser: the restricted number is readable
        for member in self:
            if member.national_id and not is_valid_national_id(member.national_id):
                raise ValidationError(
                    self.env._(
                        "%(number)s is not a valid Saudi national ID or iqama number.",
                        number=member.national_id,
                    )
                )
