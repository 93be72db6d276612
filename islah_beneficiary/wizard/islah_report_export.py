import datetime
import functools

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from ..models.islah_support_request import DECIDED_STATES, OPEN_STATES
from ..report import islah_xlsx_writer as xw
from ..tools import format_hijri
from ..tools.constants import GROUP_MANAGER, SECTION_SELECTION

APPROVED_STATES = ("approved", "in_service", "done")
# rows fetched per SQL query: bounded memory whatever the number of requests
BATCH_SIZE = 5000
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class IslahReportExport(models.TransientModel):
    """The manager's Excel workbook over the requests received in a period:
    one row per request, the indicators, the committee's decisions and the
    policy compliance evidence, as the exporting user may see them."""

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
        """Download the workbook (the controller writes it)."""
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

    def _generate_xlsx(self, fileobj):
        """Write the workbook into ``fileobj`` (a path or a binary file)."""
        self.ensure_one()
        self._check_export_access()
        self._check_purpose()
        self.env.flush_all()
        currency = self.env.company.currency_id
        book = xw.IslahWorkbook(
            fileobj,
            rtl=self._is_rtl(),
            currency=currency.name or "SAR",
            decimal_places=currency.decimal_places,
        )
        for writer in self._xlsx_sheet_writers():
            writer(self, book)
        book.close()
        self._log_export()

    def _log_export(self):
        """One line in the access log: who, the filters, the rows, whether
        identifiers were included and why."""
        columns = [column[0] for column in self._requests_columns()]
        self.env["islah.access.log"]._islah_log(
            "xlsx_export",
            "islah.support.request",
            field_names=columns,
            filters=self._filters_text(),
            row_count=self.env["islah.support.request"].search_count(self._request_domain()),
            with_identifiers=self._with_identifiers(),
            purpose=self.purpose if self.include_identifiers else False,
        )

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

    def _xlsx_sheet_writers(self):
        """The sheets, in order; a module adding a sheet extends this list."""
        writers = [xw.write_requests_sheet, xw.write_summary_sheet]
        if self._has_committee_decisions():
            writers.append(xw.write_decisions_sheet)
        writers.append(xw.write_policy_sheet)
        return writers

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _lang(self):
        return self.env.lang or self.env.user.lang or "en_US"

    def _tz(self):
        return self.env.context.get("tz") or self.env.user.tz or "UTC"

    def _is_rtl(self):
        return self.env["res.lang"]._get_data(code=self._lang()).direction == "rtl"

    def _has_committee_decisions(self):
        return "islah.committee.decision" in self.env

    def _with_identifiers(self):
        """Whether the Requests sheet carries names (and national IDs):
        only when the manager asked for them, with a purpose."""
        return bool(self.include_identifiers)

    def _can_read_national_id(self):
        """Whether the exporting user may see national IDs: the field's own
        ``groups``, so the column follows any change of the field."""
        groups = self.env["islah.beneficiary"]._fields["national_id"].groups
        return self.env.su or not groups or self.env.user.has_groups(groups)

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

    def _local_date_sql(self, column):
        """A UTC timestamp column as a date in the user's time zone."""
        return SQL("(%s AT TIME ZONE 'UTC' AT TIME ZONE %s)::date", column, self._tz())

    # ------------------------------------------------------------------
    # Requests sheet
    # ------------------------------------------------------------------

    def _requests_columns(self):
        """``(key, header, width, kind)`` of the Requests sheet. Names and
        national IDs only when asked for (minimal export), the national ID
        only for users who may read it."""
        columns = [
            ("number", self.env._("Number"), 16, xw.TEXT),
            ("received", self.env._("Received on"), 12, xw.DATE),
            ("received_hijri", self.env._("Received on (Hijri)"), 16, xw.TEXT),
        ]
        if self._with_identifiers():
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

    def _requests_outcome_sql(self, query):
        """The final outcome: the committee's last final decision when there
        is one, else what the request's state says."""
        request = query.table
        by_state = SQL(
            "CASE WHEN %(state)s IN %(approved)s THEN 'approved' "
            "WHEN %(state)s = 'rejected' THEN 'rejected' END",
            state=SQL.identifier(request, "state"),
            approved=APPROVED_STATES,
        )
        if not self._has_committee_decisions():
            return by_state
        return SQL(
            "COALESCE((SELECT d.outcome FROM islah_committee_decision d "
            "WHERE d.request_id = %s AND d.outcome IN ('approved', 'rejected') "
            "ORDER BY d.id DESC LIMIT 1), %s)",
            SQL.identifier(request, "id"),
            by_state,
        )

    def _requests_select(self, query, keys):
        """One SQL expression per column key, joined onto ``query``."""
        request = query.table
        lang = self._lang()
        service = query.left_join(
            request, "service_type_id", "islah_service_type", "id", "service_type_id"
        )
        medium = query.left_join(request, "medium_id", "utm_medium", "id", "medium_id")
        officer = query.left_join(request, "officer_id", "res_users", "id", "officer_id")
        officer_partner = query.left_join(officer, "partner_id", "res_partner", "id", "partner_id")
        received = self._local_date_sql(SQL.identifier(request, "create_date"))
        expressions = {
            "number": SQL.identifier(request, "name"),
            "received": received,
            "received_hijri": received,
            "section": SQL.identifier(request, "section"),
            "service": SQL(
                "COALESCE(%s->>%s, %s->>'en_US')",
                SQL.identifier(service, "name"),
                lang,
                SQL.identifier(service, "name"),
            ),
            "channel": SQL(
                "COALESCE(%s->>%s, %s->>'en_US', %s)",
                SQL.identifier(medium, "islah_label"),
                lang,
                SQL.identifier(medium, "islah_label"),
                SQL.identifier(medium, "name"),
            ),
            "officer": SQL.identifier(officer_partner, "name"),
            "state": SQL.identifier(request, "state"),
            "deadline": SQL.identifier(request, "decision_deadline"),
            "sla_state": SQL.identifier(request, "sla_state"),
            "days_to_decision": SQL(
                "CASE WHEN %s IS NOT NULL AND %s IS NOT NULL THEN %s END",
                SQL.identifier(request, "decided_on"),
                SQL.identifier(request, "submission_date"),
                SQL.identifier(request, "decision_days_taken"),
            ),
            "outcome": self._requests_outcome_sql(query),
            "delivered_amount": SQL.identifier(request, "delivered_amount"),
        }
        if "beneficiary" in keys or "national_id" in keys:
            # joined only when identifiers are exported
            beneficiary = query.left_join(
                request, "beneficiary_id", "islah_beneficiary", "id", "beneficiary_id"
            )
            partner = query.left_join(beneficiary, "partner_id", "res_partner", "id", "partner_id")
            expressions["beneficiary"] = SQL.identifier(partner, "name")
            expressions["national_id"] = SQL.identifier(beneficiary, "national_id")
        return [SQL.identifier(request, "id")] + [expressions[key] for key in keys]

    def _requests_converters(self, keys):
        """Python conversions of the raw SQL values: labels and Hijri dates."""
        lang = self._lang()
        state_labels = self._selection_labels("islah.support.request", "state")
        converters = {
            "section": self._selection_labels("islah.support.request", "section").get,
            "state": state_labels.get,
            "sla_state": self._selection_labels("islah.support.request", "sla_state").get,
            "outcome": state_labels.get,
            "received_hijri": functools.lru_cache(maxsize=4096)(
                lambda day: format_hijri(day, lang)
            ),
        }
        return [(index, converters[key]) for index, key in enumerate(keys) if key in converters]

    def _requests_row_batches(self, columns):
        """Lists of rows (values in column order), ``BATCH_SIZE`` requests
        at a time, keyset-paginated on id. Each batch is one SQL query built
        from ``_search``, so record rules apply; nothing enters the ORM cache."""
        Request = self.env["islah.support.request"]
        keys = [column[0] for column in columns]
        converters = self._requests_converters(keys)
        domain = self._request_domain()
        last_id = 0
        while True:
            query = Request._search(
                domain & Domain("id", ">", last_id), limit=BATCH_SIZE, order="id"
            )
            if query.is_empty():
                return
            raw_rows = self.env.execute_query(query.select(*self._requests_select(query, keys)))
            if not raw_rows:
                return
            last_id = raw_rows[-1][0]
            rows = []
            for raw in raw_rows:
                row = list(raw[1:])
                for index, convert in converters:
                    if row[index] is not None:
                        row[index] = convert(row[index])
                rows.append(row)
            yield rows
            if len(raw_rows) < BATCH_SIZE:
                return

    # ------------------------------------------------------------------
    # Summary sheet
    # ------------------------------------------------------------------

    def _percentile_days_to_decision(self, domain, fraction):
        """``percentile_cont`` of the days to decision, in the database, over
        the requests of ``domain`` the user may read."""
        query = self.env["islah.support.request"]._search(domain)
        if query.is_empty():
            return None
        sql = query.select(
            SQL(
                "percentile_cont(%s) WITHIN GROUP (ORDER BY %s)",
                fraction,
                SQL.identifier(query.table, "decision_days_taken"),
            )
        )
        return self.env.execute_query(sql)[0][0]

    def _summary_indicators(self, domain=None):
        """The headline indicators as a dict (``None`` when undefined)."""
        Request = self.env["islah.support.request"]
        domain = self._request_domain() if domain is None else domain
        sla = dict(
            Request._read_group(
                domain & Domain("sla_state", "in", ["met", "missed"]), ["sla_state"], ["__count"]
            )
        )
        met, missed = sla.get("met", 0), sla.get("missed", 0)
        decided = (
            domain & Domain("decided_on", "!=", False) & Domain("submission_date", "!=", False)
        )
        [(average, decided_count)] = Request._read_group(
            decided, [], ["decision_days_taken:avg", "__count"]
        )
        states = dict(Request._read_group(domain, ["state"], ["__count"]))
        approved = sum(states.get(state, 0) for state in APPROVED_STATES)
        rejected = states.get("rejected", 0)
        return {
            "total": sum(states.values()),
            "met": met,
            "missed": missed,
            "compliance": met / (met + missed) if met + missed else None,
            "decided": decided_count,
            "average_days": average if decided_count else None,
            "p90_days": self._percentile_days_to_decision(decided, 0.9) if decided_count else None,
            "approved": approved,
            "rejected": rejected,
            "approval_rate": approved / (approved + rejected) if approved + rejected else None,
            "by_state": states,
        }

    def _summary_rows(self):
        """``(group, item, value, kind)`` rows of the Summary KPIs sheet."""
        Request = self.env["islah.support.request"]
        domain = self._request_domain()
        kpi = self._summary_indicators(domain)
        indicators = self.env._("Indicators")
        rows = [
            (indicators, self.env._("Requests"), kpi["total"], xw.INTEGER),
            (indicators, self.env._("Decided within the deadline"), kpi["compliance"], xw.PERCENT),
            (indicators, self.env._("Deadlines met"), kpi["met"], xw.INTEGER),
            (indicators, self.env._("Deadlines missed"), kpi["missed"], xw.INTEGER),
            (indicators, self.env._("Average days to decision"), kpi["average_days"], xw.DECIMAL),
            (
                indicators,
                self.env._("90th percentile of days to decision"),
                kpi["p90_days"],
                xw.DECIMAL,
            ),
            (indicators, self.env._("Approval rate"), kpi["approval_rate"], xw.PERCENT),
        ]
        state_labels = self._selection_labels("islah.support.request", "state")
        for state, _label in self.env["islah.support.request"]._fields["state"].selection:
            if state in kpi["by_state"]:
                rows.append(
                    (
                        self.env._("By state"),
                        state_labels[state],
                        kpi["by_state"][state],
                        xw.INTEGER,
                    )
                )
        for medium, count in Request._read_group(
            domain, ["medium_id"], ["__count"], order="medium_id"
        ):
            rows.append(
                (
                    self.env._("By channel"),
                    medium.display_name or self.env._("None"),
                    count,
                    xw.INTEGER,
                )
            )
        for service, count in Request._read_group(
            domain, ["service_type_id"], ["__count"], order="service_type_id"
        ):
            rows.append(
                (
                    self.env._("By service"),
                    service.name or self.env._("None"),
                    count,
                    xw.INTEGER,
                )
            )
        section_labels = self._selection_labels("islah.support.request", "section")
        for section, count in Request._read_group(
            domain, ["section"], ["__count"], order="section"
        ):
            rows.append(
                (
                    self.env._("By section"),
                    section_labels.get(section, self.env._("None")),
                    count,
                    xw.INTEGER,
                )
            )
        for month, count in Request._read_group(
            domain, ["create_date:month"], ["__count"], order="create_date:month"
        ):
            rows.append((self.env._("By month"), month.strftime("%Y-%m"), count, xw.INTEGER))
        return rows

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

    def _decisions_domain(self):
        return Domain("request_id", "any", self._request_domain())

    def _decisions_row_batches(self):
        """Rows of the committee's decisions on the exported requests,
        ``BATCH_SIZE`` decisions at a time: one fetch of the decisions, one of
        their meetings and requests, one grouped count of their votes per
        batch; the batch then leaves the cache."""
        if not self._has_committee_decisions():
            return
        Decision = self.env["islah.committee.decision"]
        Vote = self.env["islah.committee.vote"]
        outcomes = self._selection_labels("islah.committee.decision", "outcome")
        pending = self.env._("Pending")
        domain = self._decisions_domain()
        user_tz = pytz.timezone(self._tz())
        last_id = 0
        while True:
            decisions = Decision.search_fetch(
                domain & Domain("id", ">", last_id),
                ["meeting_id", "request_id", "outcome", "reason", "letter_number", "notified_on"],
                limit=BATCH_SIZE,
                order="id",
            )
            if not decisions:
                return
            last_id = decisions[-1].id
            decisions.meeting_id.fetch(["name", "date_start"])
            decisions.request_id.fetch(["name"])
            votes = {}
            for decision, vote, count in Vote._read_group(
                [("decision_id", "in", decisions.ids)], ["decision_id", "vote"], ["__count"]
            ):
                votes.setdefault(decision.id, {})[vote] = count
            rows = []
            for decision in decisions:
                counts = votes.get(decision.id, {})
                meeting = decision.meeting_id
                rows.append(
                    [
                        meeting.name,
                        self._local_date(meeting.date_start, user_tz),
                        decision.request_id.name,
                        outcomes.get(decision.outcome) if decision.outcome else pending,
                        self.env._(
                            "%(approve)s approve / %(reject)s reject / %(abstain)s abstain",
                            approve=counts.get("approve", 0),
                            reject=counts.get("reject", 0),
                            abstain=counts.get("abstain", 0),
                        ),
                        decision.reason,
                        decision.letter_number,
                        self._local_date(decision.notified_on, user_tz),
                    ]
                )
            yield rows
            # keep the cache from growing with the number of decisions
            for records in (decisions, decisions.meeting_id, decisions.request_id):
                records.invalidate_recordset()
            if len(decisions) < BATCH_SIZE:
                return

    @staticmethod
    def _local_date(value, user_tz):
        """A UTC datetime as a date in the user's time zone (None if empty)."""
        if not value:
            return None
        return pytz.utc.localize(value).astimezone(user_tz).date()

    # ------------------------------------------------------------------
    # Policy compliance sheet
    # ------------------------------------------------------------------

    def _policy_columns(self):
        """The policy steps measured, each as SQL over a request alias:
        ``numerator`` and ``denominator`` give per-request booleans; the
        share is sum(numerator) / sum(denominator), per month and section.
        A column without ``numerator`` stays empty with its ``note``."""

        def col(name):
            return lambda alias: SQL.identifier(alias, name)

        submitted = lambda alias: SQL("%s IS NOT NULL", SQL.identifier(alias, "submission_date"))  # noqa: E731
        columns = [
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
                "denominator": submitted,
            },
            {
                "key": "deadline",
                "header": self.env._("Decided within the deadline"),
                "numerator": lambda alias: SQL("%s = 'met'", col("sla_state")(alias)),
                "denominator": lambda alias: SQL(
                    "%s IN ('met', 'missed')", col("sla_state")(alias)
                ),
            },
            self._policy_informed_column(),
        ]
        return columns

    def _policy_informed_column(self):
        column = {"key": "informed", "header": self.env._("Informed of the decision in writing")}
        if (
            not self._has_committee_decisions()
            or "notified_on" not in self.env["islah.committee.decision"]._fields
        ):
            column["note"] = self.env._(
                "Not measured: written notifications of decisions are not recorded yet."
            )
            return column
        column["numerator"] = lambda alias: SQL(
            "EXISTS (SELECT 1 FROM islah_committee_decision dec "
            "WHERE dec.request_id = %s AND dec.notified_on IS NOT NULL)",
            SQL.identifier(alias, "id"),
        )
        column["denominator"] = lambda alias: SQL(
            "%s IS NOT NULL AND %s IS NOT NULL",
            SQL.identifier(alias, "decided_on"),
            SQL.identifier(alias, "submission_date"),
        )
        return column

    def _policy_rows(self, policy_columns):
        """``[month, section, requests, share...]`` per month and section,
        aggregated by one SQL query over the requests the user may read."""
        query = self.env["islah.support.request"]._search(self._request_domain())
        if query.is_empty():
            return []
        alias = query.table
        measured = [column for column in policy_columns if column.get("numerator")]
        selects = [
            SQL(
                "date_trunc('month', %s)::date AS month",
                self._local_date_sql(SQL.identifier(alias, "create_date")),
            ),
            SQL("%s AS section", SQL.identifier(alias, "section")),
        ]
        sums = []
        for index, column in enumerate(measured):
            numerator = SQL.identifier(f"n{index}")
            denominator = SQL.identifier(f"d{index}")
            selects.append(
                SQL(
                    "CASE WHEN (%s) AND (%s) THEN 1 ELSE 0 END AS %s",
                    column["numerator"](alias),
                    column["denominator"](alias),
                    numerator,
                )
            )
            selects.append(
                SQL(
                    "CASE WHEN %s THEN 1 ELSE 0 END AS %s",
                    column["denominator"](alias),
                    denominator,
                )
            )
            sums += [SQL("SUM(%s)", numerator), SQL("SUM(%s)", denominator)]
        sql = SQL(
            "SELECT month, section, COUNT(*)%s FROM (%s) AS per_request "
            "GROUP BY month, section ORDER BY month, section",
            SQL("").join(SQL(", %s", total) for total in sums),
            query.select(*selects),
        )
        section_labels = self._selection_labels("islah.support.request", "section")
        rows = []
        for month, section, count, *totals in self.env.execute_query(sql):
            shares = iter(
                totals[i] / totals[i + 1] if totals[i + 1] else None
                for i in range(0, len(totals), 2)
            )
            row = [month, section_labels.get(section, section), count]
            for column in policy_columns:
                row.append(next(shares) if column.get("numerator") else None)
            rows.append(row)
        return rows
