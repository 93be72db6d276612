from odoo import api, fields, models
from odoo.exceptions import UserError

# the only fields a consent record accepts after its creation
WITHDRAWAL_FIELDS = frozenset({"withdrawn_on", "withdrawn_by_id", "withdrawal_channel_id"})


class IslahConsent(models.Model):
    """One consent of a beneficiary to the processing of their data: which
    notice they were shown, when, by which channel and, for the offline
    channels, which staff member recorded it. A record is never changed nor
    deleted (only with its file); a withdrawal is added to it."""

    _name = "islah.consent"
    _description = "Consent to data processing"
    _order = "given_on desc, id desc"
    _rec_name = "beneficiary_id"

    beneficiary_id = fields.Many2one(
        "islah.beneficiary", required=True, ondelete="cascade", index=True, readonly=True
    )
    partner_id = fields.Many2one(related="beneficiary_id.partner_id", store=True, index=True)
    section = fields.Selection(related="beneficiary_id.section", store=True, index=True)
    company_id = fields.Many2one(related="beneficiary_id.company_id", store=True, index=True)
    notice_id = fields.Many2one(
        "islah.privacy.notice",
        string="Privacy notice",
        ondelete="restrict",
        readonly=True,
        default=lambda self: self.env["islah.privacy.notice"]._islah_current().id,
        help="The version of the privacy notice the beneficiary was shown.",
    )
    notice_version = fields.Char(related="notice_id.version", string="Notice version")
    given_on = fields.Datetime(
        string="Given on", required=True, default=fields.Datetime.now, readonly=True
    )
    channel_id = fields.Many2one("utm.medium", ondelete="restrict", readonly=True)
    recorded_by_id = fields.Many2one(
        "res.users",
        string="Recorded by",
        ondelete="restrict",
        readonly=True,
        help="The staff member who recorded a consent given in person, by phone or by "
        "letter; empty when the beneficiary gave it online.",
    )
    withdrawn_on = fields.Datetime(string="Withdrawn on", readonly=True)
    withdrawn_by_id = fields.Many2one(
        "res.users", string="Withdrawn by", ondelete="restrict", readonly=True
    )
    withdrawal_channel_id = fields.Many2one(
        "utm.medium", string="Withdrawal channel", ondelete="restrict", readonly=True
    )
    state = fields.Selection(
        [("active", "Active"), ("withdrawn", "Withdrawn")],
        string="Status",
        compute="_compute_state",
        store=True,
        index=True,
    )

    @api.depends("withdrawn_on")
    def _compute_state(self):
        for consent in self:
            consent.state = "withdrawn" if consent.withdrawn_on else "active"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # staff record a consent now and in their own name; other dates
            # and authors come only from the server (_islah_record_consent)
            for vals in vals_list:
                vals.update(given_on=fields.Datetime.now(), recorded_by_id=self.env.uid)
                for name in WITHDRAWAL_FIELDS:
                    vals.pop(name, None)
        Notice = self.env["islah.privacy.notice"]
        for vals in vals_list:
            if "notice_id" not in vals and vals.get("beneficiary_id"):
                # the notice in force, as shown to the beneficiary now
                company = self.env["islah.beneficiary"].browse(vals["beneficiary_id"]).company_id
                vals["notice_id"] = Notice._islah_current(company).id
        consents = super().create(vals_list)
        for consent in consents:
            consent.beneficiary_id._message_log(
                body=self.env._(
                    "Consent to data processing recorded (%(channel)s, privacy notice "
                    "%(version)s).",
                    channel=consent.channel_id.display_name or "-",
                    version=consent.notice_id.version or "-",
                )
            )
        return consents

    def write(self, vals):
        # rights first: a user without access learns nothing from the rules below
        self.check_access("write")
        if vals.keys() - WITHDRAWAL_FIELDS:
            raise UserError(
                self.env._(
                    "A consent cannot be changed: record a new consent, or withdraw this one."
                )
            )
        if vals and any(consent.withdrawn_on for consent in self):
            raise UserError(self.env._("This consent was already withdrawn."))
        if not vals:
            return super().write(vals)
        vals = {
            "withdrawn_on": fields.Datetime.now(),
            "withdrawn_by_id": self.env.uid,
            "withdrawal_channel_id": self.env.ref("islah_beneficiary.utm_medium_interview").id,
            **vals,
        }
        if not self.env.su and (
            vals["withdrawn_by_id"] != self.env.uid or not vals["withdrawn_on"]
        ):
            raise UserError(self.env._("A withdrawal is recorded in your own name."))
        result = super().write(vals)
        for consent in self:
            consent.beneficiary_id._message_log(
                body=self.env._(
                    "Consent to data processing withdrawn (%(channel)s).",
                    channel=consent.withdrawal_channel_id.display_name,
                )
            )
        return result
