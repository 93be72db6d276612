from datetime import datetime

from odoo import fields
from odoo.service.model import call_kw

from .common import IslahCommon


class IslahFeedbackCommon(IslahCommon):
    """Suggestions and complaints: a Sunday-Thursday calendar, beneficiaries
    of each section, helpers to create a record as a role and to call the
    ORM as the web client does (``call_kw``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ar_001")
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Saudi week (feedback test)",
                "tz": "Asia/Riyadh",
                "attendance_ids": [
                    fields.Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 8,
                            "hour_to": 16,
                            "day_period": "morning",
                        }
                    )
                    for day in (6, 0, 1, 2, 3)  # Sunday, Monday ... Thursday
                ],
            }
        )
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday (feedback test)",
                "calendar_id": cls.calendar.id,
                # Wednesday 4 March 2026, whole day in Riyadh (UTC+3)
                "date_from": datetime(2026, 3, 3, 21, 0),
                "date_to": datetime(2026, 3, 4, 20, 59, 59),
            }
        )
        cls.company.write(
            {
                "resource_calendar_id": cls.calendar.id,
                "islah_feedback_response_days": 5,
                "islah_at_risk_days": 1,
                "email": "info@islah.test",
            }
        )
        cls.beneficiary_men = cls._create_beneficiary(
            name="Feedback Man", email="man@example.com", lang="en_US"
        )
        cls.beneficiary_women = cls._create_beneficiary(
            name="Feedback Woman", gender="female", email="woman@example.com", lang="ar_001"
        )
        cls.channel_phone = cls.env.ref("islah_beneficiary.utm_medium_phone_call")

    @classmethod
    def _feedback(cls, user=None, **vals):
        values = {
            "kind": "complaint",
            "category": "service",
            "description": "The answer took too long.",
            "channel_id": cls.channel_phone.id,
        }
        values.update(vals)
        if "beneficiary_id" not in values and "section" not in values:
            values["beneficiary_id"] = cls.beneficiary_men.id
        env = cls.env(user=user) if user else cls.env
        return env["islah.feedback"].create(values)

    def _call(self, user, method, args, kwargs=None, model="islah.feedback"):
        return call_kw(self.env[model].with_user(user), method, args, kwargs or {})

    def _mails(self, feedback):
        # the person's e-mails (staff notifications go to recipient_ids)
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "islah.feedback"), ("res_id", "=", feedback.id)], order="id")
        )
        return mails.filtered("email_to")
