import datetime

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Domain

from ..models.islah_support_request import DECIDED_STATES, OPEN_STATES
from ..report.islah_request_rows import APPROVED_STATES
from ..tools.constants import GROUP_MANAGER, SECTION_SELECTION


class IslahReportExport(models.TransientModel):
    """The filters of the manager's Excel workbook over the requests received
    in a period, and its one action. The workbook itself (one row per
    request, the indicators, the committee's decisions and the policy
    compliance evidence, as the exporting user may see them) is built by the
    report model ``islah.request.xlsx.report``."""

    _name = "islah.report.export"
    _description = "Excel export of support requests"

    date_from = fields.Date(
        string="Received from", required=True, default=lambda self: self._default_date_from()
    )
    date_to = fields.Date(string="Received to", required=True, default=fields.Date.context_today)
    section = fields.Selection(
        SECTION_SELECTION,
        help="Empty: every section you may see.",
    )
    service_type_ids = fields.Many2many("islah.service.type", string="Services")
    medium_ids = fields.Many2many(
        "utm.medium", string="Channels", domain=[("islah_channel", "=", True)]
    )
    state_scope = fields.Selection(
        [
            ("all", "All states"),
            ("open", "Open (received to committee)"),
            ("decided", "Decided"),
            ("approved", "Approved (including in service and done)"),
            ("rejected", "Rejected"),
            ("cancelled", "Cancelled"),
        ],
        string="States",
        required=True,
        default="all",
    )
    include_identifiers = fields.Boolean(
        string="Include identifiers",
        help="Add the beneficiaries' names and national IDs to the Requests sheet. "
        "Leave it unticked unless the purpose needs them: the export is logged "
        "with its purpose.",
    )
    purpose = fields.Text(
        help="Why the names and national IDs are needed; kept in the access log.",
    )

    def _default_date_from(self):
        return fields.Date.context_today(self).replace(month=1, day=1)

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(self.env._("The period ends before it starts."))

    @api.constrains("include_identifiers", "purpose")
    def _check_purpose(self):
        for wizard in self:
            if wizard.include_identifiers and not (wizard.purpose or "").strip():
                raise ValidationError(
                    self.env._(
                        "State the purpose of the export to include the beneficiaries' "
                        "names and national IDs."
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_export(self):
        """Download the workbook (the controller has the report model write
        it into a temporary file and streams that)."""
        self.ensure_one()
        self._check_export_access()
        return {
            "type": "ir.actions.act_url",
            "url": f"/islah_beneficiary/report/export/{self.id}",
            "target": "download",
        }

    def _check_export_access(self):
        if not self.env.su and not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(self.env._("Only managers may export the requests to Excel."))

    def _filename(self):
        self.ensure_one()
        return f"islah-requests-{self.date_from.isoformat()}_{self.date_to.isoformat()}.xlsx"

    def _filters_text(self):
        """The export's filters as a sentence per line, in the user's language."""
        self.ensure_one()
        lines = [
            self.env._(
                "Received from %(date_from)s to %(date_to)s",
                date_from=self.date_from.isoformat(),
                date_to=self.date_to.isoformat(),
            ),
            self.env._(
                "Section: %(section)s",
                section=self._selection_labels("islah.report.export", "section").get(self.section)
                or self.env._("all sections"),
            ),
            self.env._(
                "States: %(states)s",
                states=self._selection_labels("islah.report.export", "state_scope")[
                    self.state_scope
                ],
            ),
        ]
        if self.service_type_ids:
            lines.append(
                self.env._(
                    "Services: %(services)s",
                    services=", ".join(self.service_type_ids.mapped("display_name")),
                )
            )
        if self.medium_ids:
            lines.append(
                self.env._(
                    "Channels: %(channels)s",
                    channels=", ".join(self.medium_ids.mapped("display_name")),
                )
            )
        return "\n".join(lines)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _tz(self):
        return self.env.context.get("tz") or self.env.user.tz or "UTC"

    def _with_identifiers(self):
        """Whether the Requests sheet carries names (and national IDs):
        only when the manager asked for them, with a purpose."""
        return bool(self.include_identifiers)

    def _selection_labels(self, model_name, field_name):
        field = self.env[model_name]._fields[field_name]
        return dict(field._description_selection(self.env))

    def _utc_bounds(self):
        """The period as UTC datetimes: from midnight of ``date_from`` to
        midnight after ``date_to``, in the user's time zone."""
        tz = pytz.timezone(self._tz())
        start = tz.localize(datetime.datetime.combine(self.date_from, datetime.time.min))
        end = tz.localize(
            datetime.datetime.combine(self.date_to + datetime.timedelta(days=1), datetime.time.min)
        )
        return (
            start.astimezone(pytz.utc).replace(tzinfo=None),
            end.astimezone(pytz.utc).replace(tzinfo=None),
        )

    def _request_domain(self):
        """The requests of the export; record rules are added on search."""
        self.ensure_one()
        start, end = self._utc_bounds()
        domain = Domain("create_date", ">=", start) & Domain("create_date", "<", end)
        if self.section:
            domain &= Domain("section", "=", self.section)
        if self.service_type_ids:
            domain &= Domain("service_type_id", "in", self.service_type_ids.ids)
        if self.medium_ids:
            domain &= Domain("medium_id", "in", self.medium_ids.ids)
        states = {
            "open": OPEN_STATES,
            "decided": DECIDED_STATES,
            "approved": APPROVED_STATES,
            "rejected": ("rejected",),
            "cancelled": ("cancelled",),
        }.get(self.state_scope)
        if states:
            domain &= Domain("state", "in", list(states))
        return domain
