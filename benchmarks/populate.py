#!/usr/bin/env python3
"""Populate a database with N beneficiaries and N support requests across all
states, for the benchmarks (not for production databases).

    python3 benchmarks/populate.py -d islah_h6_bench -n 100000

The database must have ``islah_beneficiary`` installed. Rows are written by
direct SQL inserts (``execute_values`` in pages of ``--batch`` rows), not by
the ORM: an ORM ``create`` of a request runs the sequence, the document
checklist, mail-thread bookkeeping and the computes, i.e. dozens of queries per
record, which makes 100k requests take tens of minutes on this machine. The
benchmarks measure reading and exporting, so they need realistic *stored*
data, written quickly: every stored column the export reads is filled
consistently (deadline status, days to decision, delivered amount, section).
The ORM path of one request is measured separately by
``benchmarks/excel_export.py`` (queries to create one request and to move it
one step).
"""

import argparse
import datetime
import sys
import time
from pathlib import Path

from psycopg2.extras import execute_values

REPO = Path(__file__).resolve().parent.parent

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
DECIDED = {"approved", "rejected", "in_service", "done"}
SUBMITTED = DECIDED | {"committee"}
MARKER = "BENCH/"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("-n", "--count", type=int, default=10000, help="beneficiaries and requests")
    parser.add_argument("--batch", type=int, default=5000, help="rows per INSERT")
    parser.add_argument("-c", "--config", default=str(REPO / "odoo.conf"))
    parser.add_argument("--addons-path", default=f"/opt/odoo19/addons,{REPO}")
    return parser.parse_args(argv)


def open_registry(args):
    import odoo.service.server  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(
        [
            "-c",
            args.config,
            "-d",
            args.database,
            f"--addons-path={args.addons_path}",
            "--log-level=warn",
        ],
        setup_logging=True,
    )
    odoo.service.server.load_server_wide_modules()
    return Registry(args.database)


def national_id(number, first_digit):
    # imported here: the addons path is known once the registry is loaded;
    # prefix "6": the benchmark's numbers never meet the demo data's or the tests'
    from odoo.addons.islah_beneficiary.tools.saudi import make_national_id

    return make_national_id(number, kind=str(first_digit), prefix="6")


def chunks(rows, size):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def populate(env, count, batch):
    cr = env.cr
    company = env.company
    uid = env.ref("base.user_admin").id
    services = env["islah.service.type"].search([]).ids
    media = env["utm.medium"].search([("islah_channel", "=", True)]).ids
    cr.execute("SELECT count(*) FROM islah_support_request WHERE name LIKE %s", [MARKER + "%"])
    offset = cr.fetchone()[0]
    now = datetime.datetime.now().replace(microsecond=0)
    today = now.date()

    # partners, then beneficiaries pointing at them (ids come back in order)
    partners = [
        (f"Bench Beneficiary {offset + i}", f"Bench Beneficiary {offset + i}", "contact",
         True, False,
         company.id, now, now, uid, uid)
        for i in range(count)
    ]  # fmt: skip
    partner_ids = []
    for page in chunks(partners, batch):
        partner_ids += [
            row[0]
            for row in execute_values(
                cr,
                "INSERT INTO res_partner (name, complete_name, type, active, is_company,"
                " company_id,"
                " create_date, write_date, create_uid, write_uid) VALUES %s RETURNING id",
                page,
                page_size=batch,
                fetch=True,
            )
        ]
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [partner_ids]
    )

    beneficiaries = []
    for i, partner_id in enumerate(partner_ids):
        number = offset + i
        female = number % 2 == 1
        resident = number % 5 == 0
        beneficiaries.append(
            (partner_id, company.id, national_id(number, 2 if resident else 1),
             "resident" if resident else "citizen", "female" if female else "male",
             "women" if female else "men", "registered", today, True, now, now, uid, uid)
        )  # fmt: skip
    beneficiary_ids = []
    for page in chunks(beneficiaries, batch):
        beneficiary_ids += [
            row[0]
            for row in execute_values(
                cr,
                "INSERT INTO islah_beneficiary (partner_id, company_id, national_id, id_kind,"
                " gender,"
                " section, state, registered_on, consent, create_date, write_date, create_uid,"
                " write_uid) VALUES %s RETURNING id",
                page,
                page_size=batch,
                fetch=True,
            )
        ]

    # one request per beneficiary, the states in turn, received over a year
    requests = []
    for i, (beneficiary_id, values) in enumerate(zip(beneficiary_ids, beneficiaries, strict=True)):
        number = offset + i
        state = STATES[number % len(STATES)]
        created = now - datetime.timedelta(days=number % 365, hours=number % 24)
        submitted = created + datetime.timedelta(days=3) if state in SUBMITTED else None
        deadline = (submitted + datetime.timedelta(days=14)).date() if submitted else None
        decided_on = sla_state = None
        days = 0
        if state in DECIDED:
            days = (number * 7) % 25
            decided_on = submitted.date() + datetime.timedelta(days=days)
            sla_state = "met" if decided_on <= deadline else "missed"
        elif state == "committee":
            left = (deadline - today).days
            sla_state = "overdue" if left < 0 else "at_risk" if left <= 3 else "on_track"
        declared = state != "received" or number % 3 == 0
        verified = created + datetime.timedelta(days=1) if state not in ("received",) else None
        amount = float((number % 50) * 100) if state in ("in_service", "done") else 0.0
        requests.append(
            (f"{MARKER}{number:07d}", company.id, beneficiary_id, values[0],
             services[number % len(services)], media[number % len(media)], uid, state, values[5],
             True, declared, created if declared else None, verified, uid if verified else None,
             submitted, deadline, decided_on, sla_state, days, amount, created, created, uid, uid)
        )  # fmt: skip
    for page in chunks(requests, batch):
        execute_values(
            cr,
            "INSERT INTO islah_support_request (name, company_id, beneficiary_id, partner_id,"
            " service_type_id, medium_id, officer_id, state, section, active, declaration_accepted,"
            " declaration_date, data_verified_on, data_verified_by_id, submission_date,"
            " decision_deadline, decided_on, sla_state, decision_days_taken, delivered_amount,"
            " create_date, write_date, create_uid, write_uid) VALUES %s",
            page,
            page_size=batch,
        )
    cr.execute("ANALYZE res_partner; ANALYZE islah_beneficiary; ANALYZE islah_support_request")


def main(argv=None):
    args = parse_args(argv)
    registry = open_registry(args)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    started = time.perf_counter()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        populate(env, args.count, args.batch)
        cr.execute("SELECT count(*) FROM islah_support_request")
        total = cr.fetchone()[0]
    elapsed = time.perf_counter() - started
    print(f"populated {args.count} beneficiaries and {args.count} requests in {elapsed:.1f} s "
          f"({total} requests in {args.database})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
