"""The rows of the workbook's big sheets (Requests, Decisions), read in
batches so that memory does not grow with the number of requests.

Plain functions over the report model (``report``: an
``islah.request.xlsx.report`` in the exporting user's environment, which
gives the language, the time zone and the labels); the report model's sheet
methods call them.
"""

import functools

import pytz

from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import format_hijri

APPROVED_STATES = ("approved", "in_service", "done")
# the request's stored column of the days the decision took: one place to
# rename it (it is also read by the Summary KPIs, see islah_request_kpis)
DAYS_TAKEN_COLUMN = "decision_days_taken"
# rows fetched per SQL query: bounded memory whatever the number of requests
BATCH_SIZE = 5000


def outcome_sql(request):
    """The final outcome: the committee's last final decision when there is
    one, else what the request's state says."""
    by_state = SQL(
        "CASE WHEN %(state)s IN %(approved)s THEN 'approved' "
        "WHEN %(state)s = 'rejected' THEN 'rejected' END",
        state=SQL.identifier(request, "state"),
        approved=APPROVED_STATES,
    )
    return SQL(
        "COALESCE((SELECT d.outcome FROM islah_committee_decision d "
        "WHERE d.request_id = %s AND d.outcome IN ('approved', 'rejected') "
        "AND d.appeal_id IS NULL "
        "ORDER BY d.id DESC LIMIT 1), %s)",
        SQL.identifier(request, "id"),
        by_state,
    )


def requests_select(report, query, keys):
    """One SQL expression per column key, joined onto ``query``."""
    request = query.table
    lang = report._lang()
    service = query.left_join(
        request, "service_type_id", "islah_service_type", "id", "service_type_id"
    )
    medium = query.left_join(request, "medium_id", "utm_medium", "id", "medium_id")
    officer = query.left_join(request, "officer_id", "res_users", "id", "officer_id")
    officer_partner = query.left_join(officer, "partner_id", "res_partner", "id", "partner_id")
    received = report._local_date_sql(SQL.identifier(request, "create_date"))
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
            SQL.identifier(request, DAYS_TAKEN_COLUMN),
        ),
        "outcome": outcome_sql(request),
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
    return [expressions[key] for key in keys] + [SQL.identifier(request, "id")]


def requests_converters(report, keys):
    """Python conversions of the raw SQL values, by column index: labels and
    Hijri dates. Many requests share a date, so the Hijri text is computed
    once per date."""
    lang = report._lang()
    state_labels = report._selection_labels("islah.support.request", "state")
    converters = {
        "section": report._selection_labels("islah.support.request", "section").get,
        "state": state_labels.get,
        "sla_state": report._selection_labels("islah.support.request", "sla_state").get,
        "outcome": state_labels.get,
        "received_hijri": functools.lru_cache(maxsize=4096)(lambda day: format_hijri(day, lang)),
    }
    return [(index, converters[key]) for index, key in enumerate(keys) if key in converters]


def row_batches(report, export, keys):
    """Lists of rows (values in ``keys`` order), ``BATCH_SIZE`` requests at
    a time, keyset-paginated on id. Each batch is one SQL query built from
    ``_search``, so record rules apply; nothing enters the ORM cache."""
    Request = report.env["islah.support.request"]
    converters = requests_converters(report, keys)
    domain = export._request_domain()
    last_id = 0
    while True:
        query = Request._search(domain & Domain("id", ">", last_id), limit=BATCH_SIZE, order="id")
        if query.is_empty():
            return
        # the id comes last: the row is the list without it, no copy per value
        rows = report.env.execute_query(query.select(*requests_select(report, query, keys)))
        if not rows:
            return
        last_id = rows[-1][-1]
        rows = [list(row) for row in rows]
        for index, convert in converters:
            for row in rows:
                value = row[index]
                if value is not None:
                    row[index] = convert(value)
        for row in rows:
            del row[-1]
        yield rows
        if len(rows) < BATCH_SIZE:
            return


def decision_row_batches(report, request_domain):
    """Rows of the committee's decisions on the requests of
    ``request_domain``, ``BATCH_SIZE`` decisions at a time: one fetch of the
    decisions, one of their meetings and requests, one grouped count of
    their votes per batch; the batch then leaves the cache."""
    env = report.env
    Decision = env["islah.committee.decision"]
    Vote = env["islah.committee.vote"]
    outcomes = report._selection_labels("islah.committee.decision", "outcome")
    pending = env._("Pending")
    domain = Domain("request_id", "any", request_domain)
    user_tz = pytz.timezone(report._tz())
    local_date = report._local_date
    # an appeal's decision is shown as such, apart from the first decisions
    appeal_outcomes = {
        "approved": env._("Appeal: rejection overturned"),
        "rejected": env._("Appeal: rejection upheld"),
    }

    def outcome_label(decision):
        if not decision.outcome:
            return pending
        if decision.is_appeal:
            return appeal_outcomes.get(decision.outcome) or env._(
                "Appeal: %(outcome)s", outcome=outcomes.get(decision.outcome)
            )
        return outcomes.get(decision.outcome)

    last_id = 0
    while True:
        decisions = Decision.search_fetch(
            domain & Domain("id", ">", last_id),
            [
                "meeting_id",
                "request_id",
                "outcome",
                "reason",
                "letter_number",
                "notified_on",
                "is_appeal",
            ],
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
                    local_date(meeting.date_start, user_tz),
                    decision.request_id.name,
                    outcome_label(decision),
                    env._(
                        "%(approve)s approve / %(reject)s reject / %(abstain)s abstain",
                        approve=counts.get("approve", 0),
                        reject=counts.get("reject", 0),
                        abstain=counts.get("abstain", 0),
                    ),
                    decision.reason,
                    decision.letter_number,
                    local_date(decision.notified_on, user_tz),
                ]
            )
        yield rows
        # keep the cache from growing with the number of decisions
        for records in (decisions, decisions.meeting_id, decisions.request_id):
            records.invalidate_recordset()
        if len(decisions) < BATCH_SIZE:
            return
