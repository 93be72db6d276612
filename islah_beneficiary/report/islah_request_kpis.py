"""The aggregated sheets of the workbook (Summary KPIs, Policy compliance):
counts, averages and shares computed by the database over the requests the
exporting user may read. Plain functions over the report model (see
``islah_request_rows``)."""

from odoo.fields import Domain
from odoo.tools import SQL

from . import islah_xlsx_writer as xw
from .islah_request_rows import APPROVED_STATES, DAYS_TAKEN_COLUMN


def percentile_days_taken(report, domain, fraction):
    """``percentile_cont`` of the days to decision, in the database, over
    the requests of ``domain`` the user may read."""
    query = report.env["islah.support.request"]._search(domain)
    if query.is_empty():
        return None
    sql = query.select(
        SQL(
            "percentile_cont(%s) WITHIN GROUP (ORDER BY %s)",
            fraction,
            SQL.identifier(query.table, DAYS_TAKEN_COLUMN),
        )
    )
    return report.env.execute_query(sql)[0][0]


def summary_indicators(report, domain):
    """The headline indicators as a dict (``None`` when undefined)."""
    Request = report.env["islah.support.request"]
    sla = dict(
        Request._read_group(
            domain & Domain("sla_state", "in", ["met", "missed"]), ["sla_state"], ["__count"]
        )
    )
    met, missed = sla.get("met", 0), sla.get("missed", 0)
    decided = domain & Domain("decided_on", "!=", False) & Domain("submission_date", "!=", False)
    [(average, decided_count)] = Request._read_group(
        decided, [], [f"{DAYS_TAKEN_COLUMN}:avg", "__count"]
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
        "p90_days": percentile_days_taken(report, decided, 0.9) if decided_count else None,
        "approved": approved,
        "rejected": rejected,
        "approval_rate": approved / (approved + rejected) if approved + rejected else None,
        "by_state": states,
    }


def summary_rows(report, domain):
    """``(group, item, value, kind)`` rows of the Summary KPIs sheet."""
    Request = report.env["islah.support.request"]
    kpi = report._summary_indicators(domain)
    indicators = report.env._("Indicators")
    rows = [
        (indicators, report.env._("Requests"), kpi["total"], xw.INTEGER),
        (indicators, report.env._("Decided within the deadline"), kpi["compliance"], xw.PERCENT),
        (indicators, report.env._("Deadlines met"), kpi["met"], xw.INTEGER),
        (indicators, report.env._("Deadlines missed"), kpi["missed"], xw.INTEGER),
        (indicators, report.env._("Average days to decision"), kpi["average_days"], xw.DECIMAL),
        (
            indicators,
            report.env._("90th percentile of days to decision"),
            kpi["p90_days"],
            xw.DECIMAL,
        ),
        (indicators, report.env._("Approval rate"), kpi["approval_rate"], xw.PERCENT),
    ]
    if "appeals" in kpi:
        # appeals counted apart (report/islah_appeal_xlsx.py): the figures above
        # are the first decisions'
        appeals = report.env._("Appeals")
        rows += [
            (appeals, report.env._("Appeals"), kpi["appeals"], xw.INTEGER),
            (appeals, report.env._("Rejection overturned"), kpi["appeals_overturned"], xw.INTEGER),
            (appeals, report.env._("Rejection upheld"), kpi["appeals_upheld"], xw.INTEGER),
        ]
    state_labels = report._selection_labels("islah.support.request", "state")
    for state, _label in Request._fields["state"].selection:
        if state in kpi["by_state"]:
            rows.append(
                (report.env._("By state"), state_labels[state], kpi["by_state"][state], xw.INTEGER)
            )
    for medium, count in Request._read_group(domain, ["medium_id"], ["__count"], order="medium_id"):
        rows.append(
            (
                report.env._("By channel"),
                medium.display_name or report.env._("None"),
                count,
                xw.INTEGER,
            )
        )
    for service, count in Request._read_group(
        domain, ["service_type_id"], ["__count"], order="service_type_id"
    ):
        rows.append(
            (report.env._("By service"), service.name or report.env._("None"), count, xw.INTEGER)
        )
    section_labels = report._selection_labels("islah.support.request", "section")
    for section, count in Request._read_group(domain, ["section"], ["__count"], order="section"):
        rows.append(
            (
                report.env._("By section"),
                section_labels.get(section, report.env._("None")),
                count,
                xw.INTEGER,
            )
        )
    for month, count in Request._read_group(
        domain, ["create_date:month"], ["__count"], order="create_date:month"
    ):
        rows.append((report.env._("By month"), month.strftime("%Y-%m"), count, xw.INTEGER))
    return rows


def policy_rows(report, domain, policy_columns):
    """``[month, section, requests, share...]`` per month and section,
    aggregated by one SQL query over the requests the user may read."""
    query = report.env["islah.support.request"]._search(domain)
    if query.is_empty():
        return []
    alias = query.table
    measured = [column for column in policy_columns if column.get("numerator")]
    selects = [
        SQL(
            "date_trunc('month', %s)::date AS month",
            report._local_date_sql(SQL.identifier(alias, "create_date")),
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
            SQL("CASE WHEN %s THEN 1 ELSE 0 END AS %s", column["denominator"](alias), denominator)
        )
        sums += [SQL("SUM(%s)", numerator), SQL("SUM(%s)", denominator)]
    sql = SQL(
        "SELECT month, section, COUNT(*)%s FROM (%s) AS per_request "
        "GROUP BY month, section ORDER BY month, section",
        SQL("").join(SQL(", %s", total) for total in sums),
        query.select(*selects),
    )
    section_labels = report._selection_labels("islah.support.request", "section")
    rows = []
    for month, section, count, *totals in report.env.execute_query(sql):
        shares = iter(
            totals[i] / totals[i + 1] if totals[i + 1] else None for i in range(0, len(totals), 2)
        )
        row = [month, section_labels.get(section, section), count]
        for column in policy_columns:
            row.append(next(shares) if column.get("numerator") else None)
        rows.append(row)
    return rows
