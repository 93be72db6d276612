#!/usr/bin/env python3
"""Outreach run benchmark: the daily job (``islah.outreach._islah_run_outreach``)
over N registered beneficiaries populated in SQL, each with one request of a
shipped service in one of the nine states, every shipped service with
outreach on (half of them by invitation).

    python3 benchmarks/outreach_run.py --template-db islah_bench_tpl -n 10000

The database ``-d`` is created from ``--template-db`` (islah_beneficiary
installed, no demo data), populated, measured, then dropped (``--keep`` keeps
it). Two runs inside one transaction, rolled back: the first (every
beneficiary a candidate: to-dos for the officers, invitations queued), then
the next day's (nobody contacted twice: nothing created). Printed: seconds,
SQL queries, what was created. Nothing is asserted.
"""

import argparse
import sys
import time

from bench_db import add_common_args, create_database, drop_database, open_registry, populate_series
from scale import create_users, request_columns


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(parser, default_db="islah_wt_bench_outreach")
    parser.add_argument("-n", "--count", type=int, default=10000, help="beneficiaries")
    return parser.parse_args(argv)


def run(env, label):
    cr = env.cr
    queries = cr.sql_log_count
    started = time.perf_counter()
    counts = env["islah.outreach"]._islah_run_outreach()
    env.flush_all()
    seconds = time.perf_counter() - started
    print(f"{label}: {seconds:.2f} s, {cr.sql_log_count - queries} queries, created {counts}")


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
            services = env["islah.service.type"].search([])
            services.write({"outreach_enabled": True})
            services[::2].write({"outreach_invite": True})
            cr.execute(
                "UPDATE res_partner SET email = 'b' || id || '@example.com'"
                " WHERE ref LIKE 'bench-%'"
            )
            cr.commit()
        print(
            f"populated {args.count} registered beneficiaries (one request each) in "
            f"{seconds:.0f} s; {len(services)} services with outreach"
        )
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tz": "UTC", "lang": "en_US"})
            run(env, "first run")
            run(env, "next run ")
            cr.rollback()
    finally:
        if not args.keep:
            drop_database(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
