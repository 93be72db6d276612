from odoo import fields, models

from ..tools import eligibility

# who may read the income (islah.beneficiary.monthly_income's groups)
INCOME_GROUPS = (
    "islah_beneficiary.group_islah_beneficiary_officer,"
    "islah_beneficiary.group_islah_beneficiary_researcher"
)


class IslahBeneficiaryEligibilityMixin(models.AbstractModel):
    """What the eligibility conditions of the services are checked against:
    the beneficiary's city, categories, family size, income and age."""

    _name = "islah.beneficiary.eligibility.mixin"
    _description = "Eligibility facts of a beneficiary"

    city_id = fields.Many2one(
        "islah.city", string="City of residence", index="btree_not_null", tracking=True
    )

    def _islah_eligibility_facts(self):
        """The facts of this file for ``islah.service.type._islah_eligibility``:
        ``category_ids``, ``family_size`` (the beneficiary and the family
        members), ``monthly_income`` (the family's), ``city_id``, ``age``
        (at the association's today); None for what the file does not say
        (no category, no city, no birth date).

        Only for a file the user may read (AccessError otherwise). The
        income is read as superuser for a reader who may not see it (a
        committee member): the facts then say ``income_confidential`` and
        the reasons leave the figure out. Callers show the verdict and the
        reasons, never the facts.
        """
        self.ensure_one()
        self.check_access("read")
        can_read_income = self.env.su or self.env.user.has_groups(INCOME_GROUPS)
        # sudo: the income and the family members are restricted to officers
        # and researchers; read here for the verdict only (the file is one
        # the user may read, checked above), never returned as a figure
        # to a reader outside those groups
        file = self if can_read_income else self.sudo()
        today = self.env["islah.service.type"].with_company(self.company_id)._islah_today()
        return {
            "category_ids": self.category_ids.ids or None,
            "family_size": len(file.member_ids) + 1,
            "monthly_income": file.monthly_income,
            "city_id": self.city_id.id or None,
            "city_name": self.city_id.name or None,
            "age": eligibility.age_on(self.birth_date, today),
            "income_confidential": not can_read_income,
        }

    def _islah_eligibility(self, service_types):
        """``{service_type_id: {"eligible", "reasons"}}`` of this file for
        ``service_types``, the reasons in the reader's language."""
        self.ensure_one()
        return service_types._islah_eligibility(self._islah_eligibility_facts())
