import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.constants import GROUP_MANAGER
from .islah_service_type_window_mixin import ASSOCIATION_TZ

ELIGIBILITY_STATES = [
    ("eligible", "Eligible"),
    ("not_eligible", "Not eligible"),
    ("unknown", "To be confirmed"),
]
VERDICT_STATE = {True: "eligible", False: "not_eligible", None: "unknown"}


class IslahRequestEligibilityMixin(models.AbstractModel):
    """A request against its service's conditions and application window.

    The verdict is computed when read, not stored: it follows the file (the
    income, the family members, the categories, the city), the service's
    conditions, and the age, which changes with the calendar alone; a stored
    value would be stale by the next birthday.
    """

    _name = "islah.request.eligibility.mixin"
    _description = "Eligibility of a support request"

    eligibility_state = fields.Selection(
        ELIGIBILITY_STATES,
        string="Eligibility",
        compute="_compute_eligibility",
        help="The beneficiary's file against the service's eligibility conditions.",
    )
    eligibility_reasons = fields.Text(
        compute="_compute_eligibility",
        help="Why: each condition of the service, met or not, or to be confirmed.",
    )

    @api.depends(
        "service_type_id",
        "beneficiary_id",
        "beneficiary_id.category_ids",
        "beneficiary_id.city_id",
        "beneficiary_id.birth_date",
    )
    @api.depends_context("lang", "uid")
    def _compute_eligibility(self):
        for request in self:
            beneficiary, service = request.beneficiary_id, request.service_type_id
            if not (beneficiary and service) or not beneficiary.has_access("read"):
                request.eligibility_state = False
                request.eligibility_reasons = False
                continue
            verdict = beneficiary._islah_eligibility(service)[service.id]
            request.eligibility_state = VERDICT_STATE[verdict["eligible"]]
            request.eligibility_reasons = "\n".join(verdict["reasons"])

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._islah_check_application_window(vals_list)
        return super().create(vals_list)

    @api.model
    def _islah_check_application_window(self, vals_list):
        """Staff cannot register a request for a service outside its
        application window; a manager can (a late application the
        association accepts). A request converted from a web intake is
        checked on the day the intake was received."""
        if self.env.user.has_group(GROUP_MANAGER):
            return
        for vals in vals_list:
            service = self.env["islah.service.type"].browse(vals.get("service_type_id"))
            if not service:
                continue
            day = None
            if vals.get("lead_id"):
                # sudo: only the day the intake came in, of one being converted
                lead = self.env["crm.lead"].sudo().browse(vals["lead_id"])
                tz = pytz.timezone(service.company_id.partner_id.tz or ASSOCIATION_TZ)
                day = pytz.utc.localize(lead.create_date).astimezone(tz).date()
            if not service._islah_is_open(day):
                raise UserError(
                    self.env._(
                        "%(service)s is not taking applications: %(note)s Ask a manager "
                        "if this application must be registered anyway.",
                        service=service.display_name,
                        note=service._islah_window_note(day),
                    )
                )
