from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_amount

from ..tools import eligibility


class IslahServiceTypeEligibilityMixin(models.AbstractModel):
    """Who may receive a service: conditions an administrator edits on the
    service type (empty or 0: no condition), the verdict of the pure engine
    (``tools/eligibility.py``) for a person's facts, and how often a
    periodic service is due again."""

    _name = "islah.service.type.eligibility.mixin"
    _description = "Eligibility conditions of a service"

    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    eligible_category_ids = fields.Many2many(
        "islah.beneficiary.category",
        "islah_service_type_eligible_category_rel",
        "service_type_id",
        "category_id",
        string="Eligible categories",
        help="The service is for beneficiaries in one of these categories. Empty: any category.",
    )
    max_income_per_member = fields.Monetary(
        string="Maximum monthly income per family member",
        currency_field="currency_id",
        help="The family's monthly income divided by the family size (the beneficiary "
        "and the family members), at most. 0: no limit.",
    )
    min_family_size = fields.Integer(
        string="Minimum family size",
        help="The beneficiary and the family members, at least. 0: no minimum.",
    )
    max_family_size = fields.Integer(
        string="Maximum family size",
        help="The beneficiary and the family members, at most. 0: no maximum.",
    )
    eligible_city_ids = fields.Many2many(
        "islah.city",
        "islah_service_type_eligible_city_rel",
        "service_type_id",
        "city_id",
        string="Eligible cities",
        help="The service is for residents of these cities. Empty: any city.",
    )
    min_age = fields.Integer(
        string="Minimum age", help="The beneficiary's age in full years, at least. 0: no minimum."
    )
    max_age = fields.Integer(
        string="Maximum age", help="The beneficiary's age in full years, at most. 0: no maximum."
    )
    period_months = fields.Integer(
        string="Due again after (months)",
        help="A periodic service is due again this many months after its last delivery. "
        "0: given once.",
    )

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_currency_id(self):
        for service in self:
            service.currency_id = (service.company_id or self.env.company).currency_id

    @api.constrains(
        "max_income_per_member",
        "min_family_size",
        "max_family_size",
        "min_age",
        "max_age",
        "period_months",
    )
    def _check_eligibility_conditions(self):
        for service in self:
            if service.max_income_per_member < 0:
                raise ValidationError(
                    self.env._(
                        "%(service)s: the maximum income per family member cannot be negative.",
                        service=service.display_name,
                    )
                )
            if min(service.min_family_size, service.max_family_size) < 0:
                raise ValidationError(
                    self.env._(
                        "%(service)s: the family size limits cannot be negative.",
                        service=service.display_name,
                    )
                )
            if min(service.min_age, service.max_age) < 0:
                raise ValidationError(
                    self.env._(
                        "%(service)s: the age limits cannot be negative.",
                        service=service.display_name,
                    )
                )
            if service.period_months < 0:
                raise ValidationError(
                    self.env._(
                        "%(service)s: the number of months before the service is due "
                        "again cannot be negative.",
                        service=service.display_name,
                    )
                )
            if service.max_family_size and service.min_family_size > service.max_family_size:
                raise ValidationError(
                    self.env._(
                        "%(service)s: the minimum family size (%(min)s) is above the "
                        "maximum (%(max)s).",
                        service=service.display_name,
                        min=service.min_family_size,
                        max=service.max_family_size,
                    )
                )
            if service.max_age and service.min_age > service.max_age:
                raise ValidationError(
                    self.env._(
                        "%(service)s: the minimum age (%(min)s) is above the maximum (%(max)s).",
                        service=service.display_name,
                        min=service.min_age,
                        max=service.max_age,
                    )
                )

    def _islah_eligibility_conditions(self):
        """This service's conditions as the engine reads them (names in
        the reader's language)."""
        self.ensure_one()
        return {
            "categories": {cat.id: cat.name for cat in self.eligible_category_ids},
            "max_income_per_member": self.max_income_per_member,
            "min_family_size": self.min_family_size,
            "max_family_size": self.max_family_size,
            "cities": {city.id: city.name for city in self.eligible_city_ids},
            "min_age": self.min_age,
            "max_age": self.max_age,
        }

    def _islah_eligibility(self, facts):
        """``{service_type_id: {"eligible": True|False|None, "reasons": [...]}}``
        for a person's ``facts`` (see ``tools/eligibility.py``), the reasons
        in the reader's language (``self.env.lang``).

        The facts may hold figures the reader may not see (the income):
        return the verdict and the reasons, never the facts themselves.
        """
        result = {}
        for service in self:
            currency = service.currency_id

            def money(amount, currency=currency):
                return format_amount(self.env, amount, currency)

            result[service.id] = eligibility.evaluate(
                service._islah_eligibility_conditions(), facts, self.env, money
            )
        return result
