import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

from ..tools import format_hijri

ASSOCIATION_TZ = "Asia/Riyadh"


class IslahServiceTypeWindowMixin(models.AbstractModel):
    """When a service takes applications: an optional first and last day
    (both included, the association's days). Outside them the public form
    does not offer the service and staff cannot register a request for it
    (a manager can)."""

    _name = "islah.service.type.window.mixin"
    _description = "Application window of a service"

    application_start = fields.Date(
        string="Applications open on",
        help="The first day applications are taken. Empty: open from any day.",
    )
    application_end = fields.Date(
        string="Applications close on",
        help="The last day applications are taken. Empty: no closing day.",
    )
    window_note = fields.Char(
        string="Application period",
        compute="_compute_window_note",
        help="When applications open or closed, with the Hijri date.",
    )
    is_open = fields.Boolean(
        string="Open for applications",
        compute="_compute_window_note",
        help="Applications are taken today.",
    )

    @api.depends("application_start", "application_end")
    @api.depends_context("lang")
    def _compute_window_note(self):
        for service in self:
            today = service._islah_today()
            service.is_open = service._islah_is_open(today)
            service.window_note = service._islah_window_note(today)

    @api.constrains("application_start", "application_end")
    def _check_application_window(self):
        for service in self:
            start, end = service.application_start, service.application_end
            if start and end and start > end:
                raise ValidationError(
                    self.env._(
                        "%(service)s: applications cannot close (%(end)s) before they "
                        "open (%(start)s).",
                        service=service.display_name,
                        start=format_date(self.env, start),
                        end=format_date(self.env, end),
                    )
                )

    def _islah_today(self):
        """Today in the association's time zone (its company's address, else
        Riyadh's), whoever asks: a visitor or a cron has no time zone."""
        company = self[:1].company_id or self.env.company
        tz = company.partner_id.tz or ASSOCIATION_TZ
        return fields.Datetime.now().replace(tzinfo=pytz.utc).astimezone(pytz.timezone(tz)).date()

    def _islah_is_open(self, day=None):
        """Whether this service takes applications on ``day`` (default:
        the association's today); both limits are included."""
        self.ensure_one()
        day = day or self._islah_today()
        start, end = self.application_start, self.application_end
        return (not start or start <= day) and (not end or day <= end)

    def _islah_format_day(self, day):
        """A day as the reader writes it, with its Hijri date."""
        hijri = format_hijri(day, self.env.lang)
        text = format_date(self.env, day, date_format="long")
        return f"{text} ({hijri})" if hijri else text

    def _islah_window_note(self, day=None):
        """When applications open or closed, in the reader's language;
        empty when the service is always open."""
        self.ensure_one()
        day = day or self._islah_today()
        start, end = self.application_start, self.application_end
        if start and day < start:
            if end:
                return self.env._(
                    "Applications open on %(start)s and close on %(end)s.",
                    start=self._islah_format_day(start),
                    end=self._islah_format_day(end),
                )
            return self.env._(
                "Applications open on %(start)s.", start=self._islah_format_day(start)
            )
        if end and day > end:
            return self.env._("Applications closed on %(end)s.", end=self._islah_format_day(end))
        if end:
            return self.env._(
                "Applications are open until %(end)s.", end=self._islah_format_day(end)
            )
        return ""
