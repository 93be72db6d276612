from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class IslahServiceDelivery(models.Model):
    """One delivery of the service on an approved request (policy step 7):
    when, what was given, how much for a financial service, and by whom."""

    _name = "islah.service.delivery"
    _description = "Service delivery"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    request_id = fields.Many2one(
        "islah.support.request", required=True, ondelete="restrict", index=True
    )
    company_id = fields.Many2one(related="request_id.company_id", store=True)
    beneficiary_id = fields.Many2one(related="request_id.beneficiary_id", store=True)
    service_type_id = fields.Many2one(related="request_id.service_type_id", store=True)
    is_financial = fields.Boolean(related="request_id.service_type_id.is_financial")
    section = fields.Selection(related="request_id.section", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    description = fields.Char(string="What was given", required=True, tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(
        tracking=True,
        help="Required for a financial service; optional (value in kind) otherwise.",
    )
    delivered_by_id = fields.Many2one(
        "res.users",
        string="Delivered by",
        default=lambda self: self.env.user,
        required=True,
        tracking=True,
    )

    _amount_positive = models.Constraint(
        "CHECK(amount >= 0)", "A delivered amount cannot be negative."
    )

    @api.constrains("request_id")
    def _check_request_state(self):
        for delivery in self:
            if delivery.request_id.state not in ("in_service", "done"):
                raise ValidationError(
                    self.env._(
                        "Services are delivered on requests in service: %(name)s is not.",
                        name=delivery.request_id.name,
                    )
                )

    @api.constrains("amount", "request_id")
    def _check_amount(self):
        for delivery in self:
            if delivery.request_id.service_type_id.is_financial and delivery.amount <= 0:
                raise ValidationError(
                    self.env._(
                        "%(service)s is a financial service: enter the amount given.",
                        service=delivery.request_id.service_type_id.name,
                    )
                )

    @api.constrains("amount", "date")
    def _check_amount_and_date(self):
        today = fields.Date.context_today(self)
        for delivery in self:
            if delivery.amount < 0:
                raise delivery._islah_negative_amount_error()
            if delivery.date and delivery.date > today:
                raise ValidationError(
                    self.env._(
                        "A delivery on %(name)s is recorded once given: its date "
                        "(%(date)s) cannot be in the future.",
                        name=delivery.request_id.name,
                        date=delivery.date,
                    )
                )

    def _islah_negative_amount_error(self, request=None):
        return ValidationError(
            self.env._(
                "The amount delivered on %(name)s cannot be negative.",
                name=(request or self.request_id).name,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # before the database's own check, for a clear message
            if (vals.get("amount") or 0) < 0:
                request = self.env["islah.support.request"].browse(vals.get("request_id"))
                raise self._islah_negative_amount_error(request)
        deliveries = super().create(vals_list)
        if not self.env.su:
            deliveries.request_id._check_transition("record_delivery")
        return deliveries

    def write(self, vals):
        if not self.env.su:
            if self.filtered(lambda d: d.request_id.state == "done"):
                raise UserError(self.env._("A delivery of a closed request cannot be changed."))
            self.request_id._check_transition("record_delivery")
        res = super().write(vals)
        if not self.env.su and "request_id" in vals:
            self.request_id._check_transition("record_delivery")
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if self.filtered(lambda d: d.request_id.state == "done"):
            raise UserError(self.env._("A delivery of a closed request cannot be deleted."))
