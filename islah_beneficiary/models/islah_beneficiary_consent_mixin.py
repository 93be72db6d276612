from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.constants import GROUP_OFFICER


class IslahBeneficiaryConsentMixin(models.AbstractModel):
    """The beneficiary's consent to the processing of their data (PDPL): the
    records are ``islah.consent``; the file shows whether one is active and
    records or withdraws it. Inherited by ``islah.beneficiary`` only."""

    _name = "islah.beneficiary.consent.mixin"
    _description = "Beneficiary consent"

    consent_ids = fields.One2many(
        "islah.consent",
        "beneficiary_id",
        string="Consents",
        groups=GROUP_OFFICER,
    )
    consent = fields.Boolean(
        string="Consent to data processing",
        compute="_compute_consent",
        inverse="_inverse_consent",
        store=True,
        help="The beneficiary agreed that the association keeps and processes their data: "
        "a consent is recorded and not withdrawn.",
    )
    consent_date = fields.Date(compute="_compute_consent_date", store=True)

    @api.depends("consent_ids.state")
    def _compute_consent(self):
        # stored computes: the ORM runs them as superuser (consents are staff-only)
        for beneficiary in self:
            beneficiary.consent = "active" in beneficiary.consent_ids.mapped("state")

    @api.depends("consent_ids.state", "consent_ids.given_on")
    def _compute_consent_date(self):
        # apart from _compute_consent: a create writing ``consent`` would
        # otherwise leave the date uncomputed
        for beneficiary in self:
            active = beneficiary.consent_ids.filtered(lambda c: c.state == "active")[:1]
            beneficiary.consent_date = (
                fields.Date.context_today(beneficiary, active.given_on) if active else False
            )

    def _inverse_consent(self):
        """Ticking the box records a consent (channel from the context key
        ``islah_consent_channel_id``, else the interview), clearing it
        withdraws: code, data and tests writing ``consent`` keep working."""
        channel = self.env["utm.medium"].browse(self.env.context.get("islah_consent_channel_id"))
        for beneficiary in self:
            if beneficiary.consent and not beneficiary._islah_has_consent():
                beneficiary._islah_record_consent(channel=channel or None)
            elif not beneficiary.consent and beneficiary._islah_has_consent():
                beneficiary._islah_withdraw_consent(channel=channel or None)

    def _islah_has_consent(self):
        """Whether this beneficiary has an active (not withdrawn) consent."""
        self.ensure_one()
        # sudo: a yes or no for the processing that needs it (surveys,
        # outreach), whoever runs it; the records stay staff-only
        return bool(
            self.env["islah.consent"]
            .sudo()
            .search_count([("beneficiary_id", "=", self.id), ("state", "=", "active")], limit=1)
        )

    def _islah_record_consent(self, notice=None, channel=None, given_on=None, recorded_by=None):
        """Record the consent of these beneficiaries to ``notice`` (default:
        the current notice of their company), given through ``channel``
        (default: the in-person interview) on ``given_on`` (default: now).
        ``recorded_by`` defaults to the current user; pass False for a
        consent the applicant gave online. Returns the new consents."""
        self.check_access("write")
        Notice = self.env["islah.privacy.notice"]
        channel = channel or self.env.ref("islah_beneficiary.utm_medium_interview")
        if recorded_by is None:
            recorded_by = self.env.user
        vals_list = [
            {
                "beneficiary_id": beneficiary.id,
                "notice_id": (notice or Notice._islah_current(beneficiary.company_id)).id,
                "channel_id": channel.id,
                "given_on": given_on or fields.Datetime.now(),
                "recorded_by_id": recorded_by.id if recorded_by else False,
            }
            for beneficiary in self
        ]
        # sudo: the date and the author are decided here, not by the caller's
        # rights (staff creating a consent directly always record it as
        # themselves, now); the right to change these files was checked above
        return self.env["islah.consent"].sudo().create(vals_list).with_env(self.env)

    def _islah_withdraw_consent(self, channel=None):
        """Withdraw the active consents of these beneficiaries, through
        ``channel`` (default: the in-person interview), in the current
        user's name. Returns the withdrawn consents."""
        self.check_access("write")
        channel = channel or self.env.ref("islah_beneficiary.utm_medium_interview")
        # sudo: the withdrawal is written in the current user's name, also for
        # the portal beneficiary (the portal calls this after its ownership check)
        consents = (
            self.env["islah.consent"]
            .sudo()
            .search([("beneficiary_id", "in", self.ids), ("state", "=", "active")])
        )
        consents.write(
            {
                "withdrawn_on": fields.Datetime.now(),
                "withdrawn_by_id": self.env.uid,
                "withdrawal_channel_id": channel.id,
            }
        )
        return consents.with_env(self.env)

    def action_islah_record_consent(self):
        """The back-office button: opens the choice of the channel."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record consent"),
            "res_model": "islah.consent",
            "view_mode": "form",
            "views": [
                (self.env.ref("islah_beneficiary.islah_consent_view_form_record").id, "form")
            ],
            "target": "new",
            "context": {"default_beneficiary_id": self.id},
        }

    def action_islah_withdraw_consent(self):
        """The back-office button: the active consent, to withdraw through
        the channel the officer chooses."""
        self.ensure_one()
        consent = self.consent_ids.filtered(lambda c: c.state == "active")[:1]
        if not consent:
            raise UserError(
                self.env._("%(name)s has no active consent to withdraw.", name=self.name)
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Withdraw consent"),
            "res_model": "islah.consent",
            "res_id": consent.id,
            "view_mode": "form",
            "views": [
                (self.env.ref("islah_beneficiary.islah_consent_view_form_withdraw").id, "form")
            ],
            "target": "new",
        }
