import pytz

from odoo import api, models
from odoo.fields import Domain

from . import islah_xlsx_writer as xw


class IslahRequestXlsxReport(models.AbstractModel):
    """Appeals in the workbook, counted apart: the Summary KPIs give the
    first decisions (a rejection overturned on appeal stays a rejection
    there) and the appeals' own figures; the Appeals sheet lists them."""

    _inherit = "islah.request.xlsx.report"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _xlsx_sheets(self):
        return [*super()._xlsx_sheets(), "appeals"]

    def _islah_appeal_domain(self, request_domain):
        return Domain("request_id", "any", request_domain)

    def _summary_indicators(self, domain):
        """The first decisions' counts, whatever an appeal decided later;
        the appeals apart."""
        kpi = super()._summary_indicators(domain)
        Appeal = self.env["islah.appeal"]
        by_outcome = dict(
            Appeal._read_group(
                self._islah_appeal_domain(domain) & Domain("state", "!=", "cancelled"),
                ["outcome"],
                ["__count"],
            )
        )
        overturned = by_outcome.get("overturned", 0)
        approved = kpi["approved"] - overturned
        rejected = kpi["rejected"] + overturned
        kpi.update(
            {
                "approved": approved,
                "rejected": rejected,
                "approval_rate": approved / (approved + rejected) if approved + rejected else None,
                "appeals": sum(by_outcome.values()),
                "appeals_overturned": overturned,
                "appeals_upheld": by_outcome.get("upheld", 0),
            }
        )
        return kpi

    def _appeals_columns(self):
        return [
            (self.env._("Appeal"), 16, xw.TEXT),
            (self.env._("Request"), 16, xw.TEXT),
            (self.env._("Section"), 16, xw.TEXT),
            (self.env._("Submitted on"), 12, xw.DATE),
            (self.env._("Status"), 20, xw.TEXT),
            (self.env._("Outcome"), 22, xw.TEXT),
            (self.env._("Decided on"), 12, xw.DATE),
            (self.env._("Meeting"), 20, xw.TEXT),
        ]

    def _write_appeals_sheet(self, book, export):
        """The appeals of the exported requests, and their outcome."""
        sheet = book.add_sheet(self.env._("Appeals"), self._appeals_columns())
        states = self._selection_labels("islah.appeal", "state")
        outcomes = self._selection_labels("islah.appeal", "outcome")
        sections = self._selection_labels("islah.support.request", "section")
        user_tz = pytz.timezone(self._tz())
        appeals = self.env["islah.appeal"].search_fetch(
            self._islah_appeal_domain(export._request_domain()),
            ["name", "request_id", "section", "submitted_on", "state", "outcome", "decided_on"],
            order="id",
        )
        rows = [
            [
                appeal.name,
                appeal.request_id.name,
                sections.get(appeal.section, ""),
                self._local_date(appeal.submitted_on, user_tz),
                states.get(appeal.state, ""),
                outcomes.get(appeal.outcome, "") if appeal.outcome else "",
                self._local_date(appeal.decided_on, user_tz),
                # sudo: the meeting's number only (officers do not read meetings)
                appeal.sudo().meeting_id.name or "",
            ]
            for appeal in appeals
        ]
        sheet.write_rows(rows)
