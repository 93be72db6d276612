from odoo import api, fields, models
from odoo.tools.misc import format_amount

from .islah_request_deadline_mixin import DEFAULT_DECISION_DAYS


class IslahServiceTypeGuideMixin(models.AbstractModel):
    """What the public guide says about a service: a short summary, its
    questions and answers, and the conditions, documents and decision time
    written as sentences for a visitor."""

    _name = "islah.service.type.guide.mixin"
    _description = "Public guide to a service"

    public_summary = fields.Text(
        string="Public summary",
        translate=True,
        help="A few lines shown on the public services guide: what the service is.",
    )
    faq_ids = fields.One2many(
        "islah.service.faq", "service_type_id", string="Frequently asked questions"
    )
    guide_decision_days = fields.Integer(
        string="Decision time (days)",
        compute="_compute_guide_decision_days",
        help="The service's decision deadline, else the company's.",
    )

    @api.depends("decision_days", "company_id.islah_decision_days")
    def _compute_guide_decision_days(self):
        for service in self:
            company = service.company_id or self.env.company
            service.guide_decision_days = (
                service.decision_days or company.islah_decision_days or DEFAULT_DECISION_DAYS
            )

    def _islah_guide_decision_text(self):
        """How long a decision takes, as the visitor reads it."""
        self.ensure_one()
        company = self.company_id or self.env.company
        if company.islah_deadline_working_days:
            return self.env._(
                "A decision is given within %(days)s working days of a complete request.",
                days=self.guide_decision_days,
            )
        return self.env._(
            "A decision is given within %(days)s days of a complete request.",
            days=self.guide_decision_days,
        )

    def _islah_guide_audience(self):
        """Who the service is for: the beneficiary categories, or everyone."""
        self.ensure_one()
        categories = self.eligible_category_ids
        if not categories:
            return [self.env._("Every family and person the association serves.")]
        return categories.mapped("name")

    def _islah_guide_conditions(self):
        """The eligibility rules of the service as sentences; empty when
        the service has none beyond the categories."""
        self.ensure_one()
        conditions = []
        if self.max_income_per_member:
            conditions.append(
                self.env._(
                    "The family's monthly income is at most %(amount)s per member.",
                    amount=format_amount(self.env, self.max_income_per_member, self.currency_id),
                )
            )
        low, high = self.min_family_size, self.max_family_size
        if low and high:
            conditions.append(
                self.env._("The family has %(low)s to %(high)s members.", low=low, high=high)
            )
        elif low:
            conditions.append(self.env._("The family has at least %(low)s members.", low=low))
        elif high:
            conditions.append(self.env._("The family has at most %(high)s members.", high=high))
        if self.eligible_city_ids:
            conditions.append(
                self.env._(
                    "The family lives in: %(cities)s.",
                    cities=", ".join(self.eligible_city_ids.mapped("name")),
                )
            )
        low, high = self.min_age, self.max_age
        if low and high:
            conditions.append(
                self.env._("The applicant is %(low)s to %(high)s years old.", low=low, high=high)
            )
        elif low:
            conditions.append(self.env._("The applicant is at least %(low)s years old.", low=low))
        elif high:
            conditions.append(self.env._("The applicant is at most %(high)s years old.", high=high))
        return conditions
