"""The managers' Excel workbook over the requests of an export wizard.

Why our own abstract report model and not OCA's ``report_xlsx``: that module
would have to be vendored to be installable here (we do not vendor), it is
built around ``ir.actions.report`` and ``openpyxl``/``xlsxwriter`` in memory
(its ``create_xlsx_report`` returns the whole file as bytes), and what we
take from it is only its shape: one abstract model, one overridable method
per sheet, the workbook handed to each. Ours keeps xlsxwriter's
``constant_memory`` mode and writes into any file object, so the download
streams from a temporary file.
"""

import pytz

from odoo import api, models
from odoo.tools import SQL

from . import islah_request_kpis as kpis
from . import islah_request_rows as request_rows
from . import islah_xlsx_writer as xw

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class IslahRequestXlsxReport(models.AbstractModel):
    """One method per sheet (``_write_<name>_sheet(book, export)``), written
    in the order of ``_xlsx_sheets()``; a module adding a sheet inherits this
    model, appends its name there and defines its method. ``export`` is an
    ``islah.report.export`` wizard: it holds the filters."""

    _name = "islah.request.xlsx.report"
    _description = "Excel workbook of support requests"

    # ------------------------------------------------------------------
    # Entry point
    # ------------------------------------------------------------------

    @api.model
    def _generate_xlsx(self, export, fileobj):
        """Write the workbook of ``export`` into ``fileobj`` (a path or a
        binary file) as the current user may see the data, and log it."""
        export.ensure_one()
        export._check_export_access()
        export._check_purpose()
        self.env.flush_all()
        currency = self.env.company.currency_id
        book = xw.IslahWorkbook(
            fileobj,
            rtl=self._is_rtl(),
            currency=currency.name or "SAR",
            decimal_places=currency.decimal_places,
        )
        for sheet in self._xlsx_sheets():
            getattr(self, f"_write_{sheet}_sheet")(book, export)
        book.close()
        self._log_export(export)

    @api.model
    def _xlsx_sheets(self):
        """The sheets, in order (constant-memory mode writes them one after
        the other): ``name`` stands for the method ``_write_<name>_sheet``."""
        return ["requests", "summary", "decisions", "policy"]

    @api.model
    def _log_export(self, export):
        """One line in the access log: who, the filters, the rows, whether
        identifiers were included and why."""
        self.env["islah.access.log"]._islah_log(
            "xlsx_export",
            "islah.support.request",
            field_names=[column[0] for column in self._requests_columns(export)],
            filters=export._filters_text(),
            row_count=self.env["islah.support.request"].search_count(export._request_domain()),
            with_identifiers=export._with_identifiers(),
            purpose=export.purpose if export.include_identifiers else False,
            # the section filtered on, else every section the exporter may see
            section=self.env["islah.access.log"]._islah_section_of(
                {export.section} if export.section else set(self.env.user._islah_sections())
            ),
        )

    # ------------------------------------------------------------------
    # Context of the reader
    # ------------------------------------------------------------------

    def _lang(self):
        return self.env.lang or self.env.user.lang or "en_US"

    def _tz(self):
        return self.env.context.get("tz") or self.env.user.tz or "UTC"

    def _is_rtl(self):
        return self.env["res.lang"]._get_data(code=self._lang()).direction == "rtl"

    def _selection_labels(self, model_name, field_name):
        field = self.env[model_name]._fields[field_name]
        return dict(field._description_selection(self.env))

    def _can_read_national_id(self):
        """Whether the exporting user may see national IDs: the field's own
        ``groups``, so the column follows any change of the field."""
        groups = self.env["islah.beneficiary"]._fields["national_id"].groups
        return self.env.su or not groups or self.env.user.has_groups(groups)

    def _local_date_sql(self, column):
        """A UTC timestamp column as a date in the user's time zone."""
        return SQL("(%s AT TIME ZONE 'UTC' AT TIME ZONE %s)::date", column, self._tz())

    @staticmethod
    def _local_date(value, user_tz):
        """A UTC datetime as a date in the user's time zone (None if empty)."""
        if not value:
            return None
        return pytz.utc.localize(value).astimezone(user_tz).date()

    # ------------------------------------------------------------------
    # Requests sheet
    # ------------------------------------------------------------------

    def _requests_columns(self, export):
        """``(key, header, width, kind)`` of the Requests sheet. Names and
        national IDs only when asked for (minimal export), the national ID
        only for users who may read it."""
        columns = [
            ("number", self.env._("Number"), 16, xw.TEXT),
            ("received", self.env._("Received on"), 12, xw.DATE),
            ("received_hijri", self.env._("Received on (Hijri)"), 16, xw.TEXT),
        ]
        if export._with_identifiers():
            columns.append(("beneficiary", self.env._("Beneficiary"), 28, xw.TEXT))
            if self._can_read_national_id():
                columns.append(("national_id", self.env._("National ID / Iqama"), 15, xw.TEXT))
        columns += [
            ("section", self.env._("Section"), 16, xw.TEXT),
            ("service", self.env._("Service"), 24, xw.TEXT),
            ("channel", self.env._("Channel"), 18, xw.TEXT),
            ("officer", self.env._("Officer"), 20, xw.TEXT),
            ("state", self.env._("State"), 16, xw.TEXT),
            ("deadline", self.env._("Decision deadline"), 12, xw.DATE),
            ("sla_state", self.env._("Deadline status"), 14, xw.TEXT),
            ("days_to_decision", self.env._("Days to decision"), 10, xw.INTEGER),
            ("outcome", self.env._("Outcome"), 12, xw.TEXT),
            ("delivered_amount", self.env._("Delivered amount"), 16, xw.AMOUNT),
        ]
        return columns

    def _requests_row_batches(self, export, columns):
        """Lists of rows in column order, a batch at a time (see
        ``islah_request_rows``)."""
        return request_rows.row_batches(self, export, [column[0] for column in columns])

    def _write_requests_sheet(self, book, export):
        """One row per request, read in batches honouring the record rules."""
        columns = self._requests_columns(export)
        sheet = book.add_sheet(self.env._("Requests"), [c[1:] for c in columns])
        for rows in self._requests_row_batches(export, columns):
            sheet.write_rows(rows)

    # ------------------------------------------------------------------
    # Summary sheet
    # ------------------------------------------------------------------

    def _summary_indicators(self, domain):
        """The headline indicators as a dict (``None`` when undefined)."""
        return kpis.summary_indicators(self, domain)

    def _write_summary_sheet(self, book, export):
        """Counts and indicators, computed by the database."""
        sheet = book.add_sheet(
            self.env._("Summary KPIs"),
            [
                (self.env._("Group"), 24, xw.TEXT),
                (self.env._("Item"), 36, xw.TEXT),
                (self.env._("Value"), 14, xw.DECIMAL),
            ],
        )
        for group, item, value, kind in kpis.summary_rows(self, export._request_domain()):
            sheet.write_row([group, item, value], kinds=[xw.TEXT, xw.TEXT, kind])

    # ------------------------------------------------------------------
    # Decisions sheet
    # ------------------------------------------------------------------

    def _decisions_columns(self):
        return [
            (self.env._("Meeting"), 24, xw.TEXT),
            (self.env._("Meeting date"), 12, xw.DATE),
            (self.env._("Request"), 16, xw.TEXT),
            (self.env._("Outcome"), 22, xw.TEXT),
            (self.env._("Votes"), 32, xw.TEXT),
            (self.env._("Reason"), 50, xw.TEXT),
            (self.env._("Letter number"), 16, xw.TEXT),
            (self.env._("Notified on"), 12, xw.DATE),
        ]

    def _write_decisions_sheet(self, book, export):
        """The committee's decisions on the exported requests."""
        sheet = book.add_sheet(self.env._("Decisions"), self._decisions_columns())
        for rows in request_rows.decision_row_batches(self, export._request_domain()):
            sheet.write_rows(rows)

    # ------------------------------------------------------------------
    # Policy compliance sheet
    # ------------------------------------------------------------------

    def _policy_columns(self, export):
        """The policy steps measured, each as SQL over a request alias:
        ``numerator`` and ``denominator`` give per-request booleans; the
        share is sum(numerator) / sum(denominator), per month and section.
        A column without ``numerator`` stays empty with its ``note``."""

        def col(name):
            return lambda alias: SQL.identifier(alias, name)

        return [
            {
                "key": "declaration",
                "header": self.env._("Declaration recorded"),
                "numerator": lambda alias: SQL("%s IS TRUE", col("declaration_accepted")(alias)),
                "denominator": lambda alias: SQL("TRUE"),
            },
            {
                "key": "verified",
                "header": self.env._("Data and documents verified before the committee"),
                "numerator": lambda alias: SQL(
                    "%(sub)s IS NOT NULL AND %(data)s <= %(sub)s AND NOT EXISTS ("
                    "SELECT 1 FROM islah_request_document doc WHERE doc.request_id = %(id)s "
                    "AND (doc.verified_on IS NULL OR doc.verified_on > %(sub)s))",
                    sub=col("submission_date")(alias),
                    data=col("data_verified_on")(alias),
                    id=col("id")(alias),
                ),
                "denominator": lambda alias: SQL("%s IS NOT NULL", col("submission_date")(alias)),
            },
            {
                "key": "deadline",
                "header": self.env._("Decided within the deadline"),
                "numerator": lambda alias: SQL("%s = 'met'", col("sla_state")(alias)),
                "denominator": lambda alias: SQL(
                    "%s IN ('met', 'missed')", col("sla_state")(alias)
                ),
            },
            {
                "key": "informed",
                "header": self.env._("Informed of the decision in writing"),
                "numerator": lambda alias: SQL(
                    "EXISTS (SELECT 1 FROM islah_committee_decision dec "
                    "WHERE dec.request_id = %s AND dec.notified_on IS NOT NULL "
                    "AND dec.appeal_id IS NULL)",
                    col("id")(alias),
                ),
                "denominator": lambda alias: SQL(
                    "%s IS NOT NULL AND %s IS NOT NULL",
                    col("decided_on")(alias),
                    col("submission_date")(alias),
                ),
            },
        ]

    def _write_policy_sheet(self, book, export):
        """Auditor's evidence: shares of requests meeting each policy step."""
        policy_columns = self._policy_columns(export)
        columns = [
            (self.env._("Month"), 12, xw.DATE),
            (self.env._("Section"), 18, xw.TEXT),
            (self.env._("Requests"), 11, xw.INTEGER),
        ]
        columns += [(column["header"], 22, xw.PERCENT) for column in policy_columns]
        sheet = book.add_sheet(self.env._("Policy compliance"), columns)
        for index, column in enumerate(policy_columns, start=3):
            if column.get("note"):
                sheet.note(index, column["note"])
        for row in kpis.policy_rows(self, export._request_domain(), policy_columns):
            sheet.write_row(row)
