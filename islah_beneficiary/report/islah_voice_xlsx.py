"""The beneficiary's voice in the managers' workbook: suggestions and
complaints, improvement actions and appeals, as aggregated figures without
personal data, filtered like the rest of the workbook (period, section,
services, channels) and read as the exporting manager may see them."""

import pytz

from odoo import models
from odoo.fields import Domain

from . import islah_xlsx_writer as xw


class IslahRequestXlsxReport(models.AbstractModel):
    _inherit = "islah.request.xlsx.report"  # pylint: disable=consider-merging-classes-inherited

    def _xlsx_sheets(self):
        sheets = super()._xlsx_sheets() + ["feedback"]
        # the models of the improvement actions and the appeals come with
        # their own parts of the voice (they may be installed later)
        if "islah.improvement.action" in self.env:
            sheets.append("improvement")
        if "islah.appeal" in self.env:
            sheets.append("appeal")
        return sheets

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _voice_period_domain(self, export, field_name):
        """``field_name`` (a datetime) in the export's period, in the user's
        time zone, and the export's section."""
        start, end = export._utc_bounds()
        domain = Domain(field_name, ">=", start) & Domain(field_name, "<", end)
        if export.section:
            domain &= Domain("section", "=", export.section)
        return domain

    def _voice_group_label(self, model_name, groupby, value):
        """The label of a group value: a selection's label, a record's name."""
        if isinstance(value, models.BaseModel):
            return value.display_name if value else self.env._("None")
        if not value:
            return self.env._("None")
        return self._selection_labels(model_name, groupby).get(value, value)

    @staticmethod
    def _share(average):
        """The average of a 0/100 measure as a share for a PERCENT cell."""
        return None if average is None or average is False else average / 100.0

    # ------------------------------------------------------------------
    # Suggestions and complaints
    # ------------------------------------------------------------------

    def _feedback_domain(self, export):
        """The suggestions and complaints of the export (thanks and cancelled
        ones left out); record rules are added on search."""
        domain = (
            self._voice_period_domain(export, "received_on")
            & Domain("kind", "in", ["suggestion", "complaint"])
            & Domain("state", "!=", "cancelled")
        )
        if export.service_type_ids:
            domain &= Domain("service_type_id", "in", export.service_type_ids.ids)
        if export.medium_ids:
            domain &= Domain("channel_id", "in", export.medium_ids.ids)
        return domain

    def _feedback_groupbys(self):
        """``(label, groupby)`` of the sheet's breakdowns."""
        return [
            (self.env._("Kind"), "kind"),
            (self.env._("Channel"), "channel_id"),
            (self.env._("Category"), "category"),
            (self.env._("Service"), "service_type_id"),
            (self.env._("Section"), "section"),
        ]

    def _feedback_rows(self, export):
        """``[breakdown, item, received, answered, average days to answer,
        answered on time, accepted]``, counted and averaged by the database."""
        Feedback = self.env["islah.feedback"]
        domain = self._feedback_domain(export)
        answered = domain & Domain("answered_on", "!=", False)
        due = domain & Domain("is_due", "=", True)
        responded = domain & Domain("has_author_response", "=", True)

        def figures(groupby):
            groups = [groupby] if groupby else []

            def by(sub_domain, aggregates):
                return {
                    (row[0] if groupby else None): row[len(groups) :]
                    for row in Feedback._read_group(sub_domain, groups, aggregates)
                }

            return (
                by(domain, ["__count"]),
                by(answered, ["__count", "answer_days:avg"]),
                by(due, ["answered_on_time_rate:avg"]),
                by(responded, ["accepted_rate:avg"]),
            )

        rows = []
        breakdowns = [(self.env._("Total"), None), *self._feedback_groupbys()]
        for label, groupby in breakdowns:
            counts, answers, on_time, accepted = figures(groupby)
            for key, (count,) in counts.items():
                answered_count, average_days = answers.get(key, (0, None))
                rows.append(
                    [
                        label,
                        self._voice_group_label("islah.feedback", groupby, key)
                        if groupby
                        else self.env._("All"),
                        count,
                        answered_count,
                        average_days if answered_count else None,
                        self._share(on_time.get(key, (None,))[0]),
                        self._share(accepted.get(key, (None,))[0]),
                    ]
                )
        return rows

    def _write_feedback_sheet(self, book, export):
        """Suggestions and complaints by kind, channel, category, service and
        section: no names, no numbers."""
        sheet = book.add_sheet(
            self.env._("Suggestions and complaints"),
            [
                (self.env._("Breakdown"), 14, xw.TEXT),
                (self.env._("Item"), 30, xw.TEXT),
                (self.env._("Received"), 10, xw.INTEGER),
                (self.env._("Answered"), 10, xw.INTEGER),
                (self.env._("Average days to answer"), 14, xw.DECIMAL),
                (self.env._("Answered on time"), 14, xw.PERCENT),
                (self.env._("Answer accepted"), 14, xw.PERCENT),
            ],
        )
        for row in self._feedback_rows(export):
            sheet.write_row(row)

    # ------------------------------------------------------------------
    # Improvement actions
    # ------------------------------------------------------------------

    def _improvement_domain(self, export):
        """The improvement actions opened or done in the export's period."""
        start, end = export._utc_bounds()
        domain = (Domain("create_date", ">=", start) & Domain("create_date", "<", end)) | (
            Domain("done_on", ">=", export.date_from) & Domain("done_on", "<=", export.date_to)
        )
        if export.section:
            # an action without a section concerns both
            domain &= Domain("section", "in", [export.section, False])
        if export.service_type_ids:
            domain &= Domain("service_type_id", "in", export.service_type_ids.ids)
        return domain

    def _improvement_columns(self):
        return [
            (self.env._("Source"), 22, xw.TEXT),
            (self.env._("Indicator"), 30, xw.TEXT),
            (self.env._("Service"), 22, xw.TEXT),
            (self.env._("Section"), 16, xw.TEXT),
            (self.env._("State"), 14, xw.TEXT),
            (self.env._("Opened on"), 12, xw.DATE),
            (self.env._("Due date"), 12, xw.DATE),
            (self.env._("Done on"), 12, xw.DATE),
            (self.env._("Late"), 8, xw.TEXT),
            (self.env._("Indicator before"), 12, xw.DECIMAL),
            (self.env._("Indicator after"), 12, xw.DECIMAL),
            (self.env._("Effect"), 12, xw.DECIMAL),
            (self.env._("What was done (public summary)"), 50, xw.TEXT),
        ]

    def _improvement_rows(self, export):
        """One row per action, without its owner, problem or sources (they
        may name people): what may be published, and the measured effect."""
        Action = self.env["islah.improvement.action"]
        labels = {
            name: self._selection_labels("islah.improvement.action", name)
            for name in ("source", "indicator", "section", "state")
        }
        yes, no = self.env._("Yes"), self.env._("No")
        user_tz = pytz.timezone(self._tz())
        actions = Action.search(self._improvement_domain(export), order="create_date, id")
        return [
            [
                labels["source"].get(action.source, ""),
                labels["indicator"].get(action.indicator, ""),
                action.service_type_id.name or "",
                labels["section"].get(action.section, ""),
                labels["state"].get(action.state, ""),
                self._local_date(action.create_date, user_tz),
                action.due_date or None,
                action.done_on or None,
                yes if action.is_late else no,
                action.indicator_before if action.measured_on else None,
                action.indicator_after if action.measured_on else None,
                action.indicator_effect if action.measured_on else None,
                action.public_summary or "",
            ]
            for action in actions
        ]

    def _write_improvement_sheet(self, book, export):
        sheet = book.add_sheet(self.env._("Improvement actions"), self._improvement_columns())
        for row in self._improvement_rows(export):
            sheet.write_row(row)

    # ------------------------------------------------------------------
    # Appeals
    # ------------------------------------------------------------------

    def _appeal_domain(self, export):
        """The appeals submitted in the export's period."""
        domain = self._voice_period_domain(export, "submitted_on")
        domain &= Domain("state", "!=", "cancelled")
        if export.service_type_ids:
            domain &= Domain("service_type_id", "in", export.service_type_ids.ids)
        if export.medium_ids:
            domain &= Domain("channel_id", "in", export.medium_ids.ids)
        return domain

    def _appeal_rows(self, export):
        """``[breakdown, item, submitted, decided, upheld, overturned]``."""
        Appeal = self.env["islah.appeal"]
        domain = self._appeal_domain(export)
        rows = []
        breakdowns = [
            (self.env._("Total"), None),
            (self.env._("Service"), "service_type_id"),
            (self.env._("Section"), "section"),
            (self.env._("Channel"), "channel_id"),
        ]
        for label, groupby in breakdowns:
            groups = [groupby] if groupby else []
            outcomes = {}
            for row in Appeal._read_group(domain, [*groups, "outcome"], ["__count"]):
                key = row[0] if groupby else None
                outcomes.setdefault(key, {})[row[-2]] = row[-1]
            for key, by_outcome in outcomes.items():
                upheld = by_outcome.get("upheld", 0)
                overturned = by_outcome.get("overturned", 0)
                rows.append(
                    [
                        label,
                        self._voice_group_label("islah.appeal", groupby, key)
                        if groupby
                        else self.env._("All"),
                        sum(by_outcome.values()),
                        upheld + overturned,
                        upheld,
                        overturned,
                    ]
                )
        return rows

    def _write_appeal_sheet(self, book, export):
        """Appeals of rejections by outcome: counts only."""
        sheet = book.add_sheet(
            self.env._("Appeals by outcome"),
            [
                (self.env._("Breakdown"), 14, xw.TEXT),
                (self.env._("Item"), 30, xw.TEXT),
                (self.env._("Appeals"), 10, xw.INTEGER),
                (self.env._("Decided"), 10, xw.INTEGER),
                (self.env._("Rejection upheld"), 12, xw.INTEGER),
                (self.env._("Rejection overturned"), 12, xw.INTEGER),
            ],
        )
        for row in self._appeal_rows(export):
            sheet.write_row(row)
