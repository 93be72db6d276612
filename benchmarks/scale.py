#!/usr/bin/env python3
"""Scale benchmark: 1,000,000 beneficiaries and 1,000,000 requests populated
in SQL, then what the staff of ONE section do every day, as real users with
the record rules (``with_user``): the request and beneficiary lists, the
kanban counts, a national-ID search and a month's Excel export.

    python3 benchmarks/scale.py --template-db islah_bench_tpl -n 1000000

The database ``-d`` is created from ``--template-db`` (islah_beneficiary
installed, no demo data), populated, measured, then dropped (``--keep``
keeps it). The data: the two sections in turn (by gender), the four shipped
services and the channels in turn, the nine states in turn, received over
the last 12 months, the committee fields consistent with the state.

Each figure is measured twice in a fresh transaction: the first run (cold
ORM caches, warm PostgreSQL after the populate) and the second. Printed;
nothing is asserted.
"""

import argparse
import datetime
import sys
import tempfile
import time

from bench_db import add_common_args, create_database, drop_database, open_registry, populate_series
from lxml import etree

STATES = (
    "received",
    "verification",
    "research",
    "committee",
    "approved",
    "rejected",
    "in_service",
    "done",
    "cancelled",
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(parser, default_db="islah_wt_bench_scale")
    parser.add_argument("-n", "--count", type=int, default=1000000, help="beneficiaries, requests")
    return parser.parse_args(argv)


def sql_list(values):
    return "ARRAY[" + ", ".join(repr(v) for v in values) + "]"


def request_columns(env, officers):
    """The request columns as SQL over ``i`` (the row), ``b`` and ``now``."""
    services = env["islah.service.type"].search([]).ids
    media = env["utm.medium"].search([("islah_channel", "=", True)]).ids
    state = f"({sql_list(STATES)})[i % {len(STATES)} + 1]"
    submitted = "('committee', 'approved', 'rejected', 'in_service', 'done')"
    decided = "('approved', 'rejected', 'in_service', 'done')"
    created = "(now - (i % 365) * interval '1 day' - (i % 24) * interval '1 hour')"
    submission = f"CASE WHEN {state} IN {submitted} THEN {created} + interval '3 days' END"
    deadline = f"({created} + interval '17 days')::date"
    days = "((i * 7) % 25)"
    decided_on = f"({created} + interval '3 days')::date + {days}"
    return {
        "name": "'SC/' || lpad(i::text, 7, '0')",
        "service_type_id": f"({sql_list(services)})[i % {len(services)} + 1]",
        "medium_id": f"({sql_list(media)})[i % {len(media)} + 1]",
        "officer_id": f"CASE WHEN b.section = 'men' THEN {officers['men']} "
        f"ELSE {officers['women']} END",
        "state": state,
        "declaration_date": created,
        "data_verified_on": (
            f"CASE WHEN {state} <> 'received' THEN {created} + interval '1 day' END"
        ),
        "data_verified_by_id": f"CASE WHEN {state} <> 'received' THEN b.create_uid END",
        "submission_date": submission,
        "decision_deadline": f"CASE WHEN {state} IN {submitted} THEN {deadline} END",
        "decided_on": f"CASE WHEN {state} IN {decided} THEN {decided_on} END",
        "sla_state": f"""CASE
            WHEN {state} IN {decided} THEN
                 CASE WHEN {decided_on} <= {deadline} THEN 'met' ELSE 'missed' END
            WHEN {state} = 'committee' THEN
                 CASE WHEN {deadline} < current_date THEN 'overdue'
                      WHEN {deadline} <= current_date + 3 THEN 'at_risk'
                      ELSE 'on_track' END
            END""",
        "decision_days_taken": f"CASE WHEN {state} IN {decided} THEN {days} ELSE 0 END",
        "delivered_amount": f"CASE WHEN {state} IN ('in_service', 'done') "
        f"THEN (i % 50) * 100 ELSE 0 END",
        "create_date": created,
        "write_date": created,
    }


def create_users(env):
    """An officer and a manager of the men's section, an officer of the women's."""
    from odoo.addons.islah_beneficiary.tools.constants import (  # noqa: PLC0415
        GROUP_MANAGER,
        GROUP_OFFICER,
    )

    def user(login, group, section):
        return (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": login.replace("_", " ").title(),
                    "login": login,
                    "group_ids": [(6, 0, [env.ref("base.group_user").id, env.ref(group).id])],
                    "islah_section": section,
                    "tz": "Asia/Riyadh",
                }
            )
        )

    return {
        "officer": user("scale_officer_men", GROUP_OFFICER, "men"),
        "manager": user("scale_manager_men", GROUP_MANAGER, "men"),
        "officer_women": user("scale_officer_women", GROUP_OFFICER, "women"),
    }


def list_specification(model, view_type="list"):
    """The fields the web client reads for the view, as ``web_search_read``
    gets them: the arch's top-level fields, many-to-ones with their name."""
    arch = etree.fromstring(model.get_view(view_type=view_type)["arch"])
    spec = {}
    for node in arch.iterchildren("field"):
        name = node.get("name")
        field = model._fields[name]
        spec[name] = {"fields": {"display_name": {}}} if field.type == "many2one" else {}
    return spec


# ----------------------------------------------------------------------
# The measured actions, each as the web client (or the wizard) calls it
# ----------------------------------------------------------------------


def request_list(env, _data):
    Request = env["islah.support.request"]
    result = Request.web_search_read([], list_specification(Request), limit=80, count_limit=10001)
    return f"{len(result['records'])} rows, count {result['length']}"


def beneficiary_list(env, _data):
    Beneficiary = env["islah.beneficiary"]
    result = Beneficiary.web_search_read(
        [], list_specification(Beneficiary), limit=80, count_limit=10001
    )
    return f"{len(result['records'])} rows, count {result['length']}"


def kanban_counts(env, _data):
    groups = env["islah.support.request"].web_read_group(
        [], ["state"], ["__count"], auto_unfold=False
    )["groups"]
    return f"{len(groups)} columns, {sum(g['__count'] for g in groups)} requests"


def national_id_name_search(env, data):
    found = env["islah.beneficiary"].name_search(data["national_id"], limit=8)
    return f"{len(found)} found by name_search"


def national_id_search(env, data):
    found = env["islah.beneficiary"].search([("national_id", "=", data["national_id"])])
    return f"{len(found)} found by search"


def export_month(env, date_from, date_to, fileobj):
    """A month's workbook, as the download route writes it (one small function
    to adapt when the export wizard changes shape)."""
    wizard = env["islah.report.export"].create({"date_from": date_from, "date_to": date_to})
    wizard._generate_xlsx(fileobj)


def month_export(env, data):
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as output:
        export_month(env, data["month_from"], data["month_to"], output)
        output.flush()
        size = output.tell()
    return f"{size / 1024 / 1024:.1f} MB"


ACTIONS = (
    ("request list (first page + count)", "officer", request_list),
    ("beneficiary list (first page + count)", "officer", beneficiary_list),
    ("kanban counts (read_group by state)", "officer", kanban_counts),
    ("national-ID name_search", "officer", national_id_name_search),
    ("national-ID search", "officer", national_id_search),
    ("a month's Excel export (manager of the section)", "manager", month_export),
)


def measure(registry, users, data):
    from odoo import api  # noqa: PLC0415

    lines = []
    for label, role, action in ACTIONS:
        times = []
        for _run in range(2):
            with registry.cursor() as cr:
                env = api.Environment(cr, users[role], {"lang": "en_US", "tz": "Asia/Riyadh"})
                queries = cr.sql_log_count
                started = time.perf_counter()
                outcome = action(env, data)
                times.append(time.perf_counter() - started)
                spent = cr.sql_log_count - queries
                cr.rollback()
        lines.append(
            f"  {label:50s} {times[0]:7.3f} s, then {times[1]:7.3f} s ({spent} queries; {outcome})"
        )
    return lines


def main(argv=None):
    args = parse_args(argv)
    create_database(args)
    try:
        registry = open_registry(args)
        from odoo import SUPERUSER_ID, api  # noqa: PLC0415

        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tz": "UTC", "lang": "en_US"})
            users = create_users(env)
            officers = {"men": users["officer"].id, "women": users["officer_women"].id}
            seconds = populate_series(env, args.count, request_columns(env, officers))
            users = {role: user.id for role, user in users.items()}
            cr.execute("SELECT count(*) FROM islah_beneficiary")
            beneficiaries = cr.fetchone()[0]
            cr.execute("SELECT count(*) FROM islah_support_request")
            requests = cr.fetchone()[0]
            # a national ID of the men's section (even rows), from the middle
            cr.execute(
                "SELECT national_id FROM islah_beneficiary WHERE section = 'men'"
                " ORDER BY id OFFSET %s LIMIT 1",
                [args.count // 4],
            )
            national_id = cr.fetchone()[0]
        print(f"populated {beneficiaries} beneficiaries and {requests} requests in {seconds:.0f} s")
        today = datetime.date.today()
        month_to = today.replace(day=1) - datetime.timedelta(days=1)
        data = {
            "national_id": national_id,
            "month_from": month_to.replace(day=1),
            "month_to": month_to,
        }
        print(f"as an officer of the men's section (record rules), month {month_to:%Y-%m}:")
        for line in measure(registry, users, data):
            print(line)
    finally:
        if not args.keep:
            drop_database(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
