#!/usr/bin/env python3
"""Deadline-status pass benchmark: the ORM pass (search + write per status,
as it was until issue 13) against the set-based pass (one UPDATE ... CASE
for every company, then the rules for the requests that changed), over N
open committee requests populated in SQL.

    python3 benchmarks/deadline_pass.py --template-db islah_bench_tpl -n 100000

The database ``-d`` is created from ``--template-db`` (islah_beneficiary
installed, no demo data), populated, measured, then dropped (``--keep`` keeps
it). Two situations, each inside a transaction rolled back:

- ``stale``: every request marked on track, deadlines spread over -20..+19
  days: about 60% change status (the case measured at 12.8 s in issue 13).
  Both passes run with the at-risk and escalation rules archived, so that
  the status update alone is compared (the old pass did not fire them: they
  were time-based rules then) and both give the same statuses.
- ``daily``: the statuses current except ``--changing`` requests that cross a
  boundary today (half at risk, half overdue), the rules active: the new
  pass as the cron runs it, with the rules' to-dos and e-mails.

Figures are printed; nothing is asserted.
"""

import argparse
import sys
import time
from datetime import timedelta

from bench_db import add_common_args, create_database, drop_database, open_registry, populate_series

SLA_RULES = (
    "islah_beneficiary.base_automation_request_at_risk",
    "islah_beneficiary.base_automation_request_escalation",
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(parser, default_db="islah_wt_bench_deadline")
    parser.add_argument("-n", "--count", type=int, default=100000, help="open requests")
    parser.add_argument("--changing", type=int, default=200, help="daily: requests changing")
    return parser.parse_args(argv)


def old_orm_pass(requests):
    """The pass as it was before issue 13 (``_update_sla_states`` at a336481),
    kept here for the side-by-side: per company, one search and one ORM write
    per status."""
    from odoo import fields  # noqa: PLC0415
    from odoo.fields import Domain  # noqa: PLC0415

    self = requests
    today = fields.Date.context_today(self)
    Request = self.sudo()
    base = Domain("state", "=", "committee") & Domain("decision_deadline", "!=", False)
    if self:
        base &= Domain("id", "in", self.ids)
    companies = (
        self.env["res.company"]
        .sudo()
        .browse([company.id for [company] in Request._read_group(base, ["company_id"])])
    )
    changed = self.browse()
    for company in companies:
        warn = today + timedelta(days=company.islah_at_risk_days)
        in_company = base & Domain("company_id", "=", company.id)
        targets = {
            "overdue": Domain("decision_deadline", "<", today),
            "at_risk": Domain("decision_deadline", ">=", today)
            & Domain("decision_deadline", "<=", warn),
            "on_track": Domain("decision_deadline", ">", warn),
        }
        for sla_state, domain in targets.items():
            stale = Request.search(in_company & domain & Domain("sla_state", "not in", [sla_state]))
            if stale:
                stale.write({"sla_state": sla_state})
            changed |= stale
    return changed


def populate(env, count):
    services = env["islah.service.type"].search([("needs_committee", "=", True)]).ids
    media = env["utm.medium"].search([("islah_channel", "=", True)]).ids
    uid = env.ref("base.user_admin").id
    return populate_series(
        env,
        count,
        {
            "name": "'DL/' || lpad(i::text, 7, '0')",
            "service_type_id": f"(ARRAY{services})[i % {len(services)} + 1]",
            "medium_id": f"(ARRAY{media})[i % {len(media)} + 1]",
            "officer_id": str(uid),
            "state": "'committee'",
            "declaration_date": "now - interval '20 days'",
            "data_verified_on": "now - interval '19 days'",
            "data_verified_by_id": str(uid),
            "submission_date": "now - (i % 30) * interval '1 day'",
            "decision_deadline": "current_date + (i % 40 - 20)",
            "sla_state": "'on_track'",
            "decision_days_taken": "0",
            "delivered_amount": "0",
            "create_date": "now - interval '21 days'",
            "write_date": "now - interval '21 days'",
        },
    )


def status_counts(env):
    env.flush_all()
    env.cr.execute(
        "SELECT sla_state, count(*) FROM islah_support_request"
        " WHERE state = 'committee' GROUP BY 1 ORDER BY 1"
    )
    return dict(env.cr.fetchall())


def timed(env, function):
    env.invalidate_all()
    queries = env.cr.sql_log_count
    started = time.perf_counter()
    changed = function()
    env.flush_all()
    return time.perf_counter() - started, len(changed), env.cr.sql_log_count - queries


def set_rules_active(env, active):
    ids = [env.ref(xmlid).id for xmlid in SLA_RULES]
    env.cr.execute("UPDATE base_automation SET active = %s WHERE id = ANY(%s)", [active, ids])
    env.invalidate_all()


def stale(env):
    """The 12.8 s case: every deadline status on track, 60% of them wrong."""
    env.cr.execute("UPDATE islah_support_request SET sla_state = 'on_track'")
    env.invalidate_all()


def daily(env, args):
    """Every status current, then ``--changing`` requests crossing a
    boundary today (half at risk tomorrow, half overdue since yesterday)."""
    Request = env["islah.support.request"]
    set_rules_active(env, False)
    Request.browse()._update_sla_states()  # every status current, quietly
    set_rules_active(env, True)
    half = args.changing // 2
    env.cr.execute(
        """
        WITH boundary AS (
            SELECT id, row_number() OVER (ORDER BY id) AS n
              FROM islah_support_request
             WHERE state = 'committee' AND sla_state = 'on_track'
             LIMIT %(changing)s
        )
        UPDATE islah_support_request r
           SET decision_deadline = CASE WHEN boundary.n <= %(half)s
                                        THEN current_date + 1 ELSE current_date - 1 END
          FROM boundary WHERE boundary.id = r.id
        """,
        {"changing": args.changing, "half": half},
    )
    env.invalidate_all()


def measure(env, args):
    Request = env["islah.support.request"]
    lines = []
    env.cr.execute("SAVEPOINT stale")
    set_rules_active(env, False)
    stale(env)
    old_s, old_changed, old_q = timed(env, lambda: old_orm_pass(Request.browse()))
    old_counts = status_counts(env)
    stale(env)
    new_s, new_changed, new_q = timed(env, lambda: Request.browse()._update_sla_states())
    new_counts = status_counts(env)
    env.cr.execute("ROLLBACK TO SAVEPOINT stale")
    env.invalidate_all()
    same = "same statuses" if old_counts == new_counts else f"DIFFER {old_counts} {new_counts}"
    lines += [
        f"stale, {args.count} open requests, rules archived ({same}: {new_counts})",
        f"  old ORM pass (search + write per status): {old_s:8.2f} s "
        f"{old_changed:7d} changed {old_q:5d} queries",
        f"  new set-based pass (UPDATE ... CASE):     {new_s:8.2f} s "
        f"{new_changed:7d} changed {new_q:5d} queries",
        f"  ratio old / new: {old_s / new_s:.0f}x",
    ]

    # daily, the pass alone: statuses current, a few crossing a boundary,
    # rules archived (what the status update itself costs, old and new)
    for name, function in (
        ("old ORM pass", lambda: old_orm_pass(Request.browse())),
        ("new set-based pass", lambda: Request.browse()._update_sla_states()),
    ):
        env.cr.execute("SAVEPOINT daily_alone")
        daily(env, args)
        set_rules_active(env, False)
        alone_s, alone_changed, alone_q = timed(env, function)
        env.cr.execute("ROLLBACK TO SAVEPOINT daily_alone")
        env.invalidate_all()
        lines.append(
            f"daily, {args.count} open requests, {args.changing} crossing a boundary, "
            f"rules archived: {name}: {alone_s:8.2f} s {alone_changed:7d} changed "
            f"{alone_q:5d} queries"
        )

    # daily: statuses current, a few crossing a boundary, rules on
    env.cr.execute("SAVEPOINT daily")
    daily(env, args)
    daily_s, daily_changed, daily_q = timed(env, lambda: Request.browse()._update_sla_states())
    env.cr.execute(
        "SELECT count(*) FROM mail_activity WHERE res_model = 'islah.support.request'"
        " AND summary LIKE 'Deadline at risk%%'"
    )
    todos = env.cr.fetchone()[0]
    env.cr.execute("ROLLBACK TO SAVEPOINT daily")
    env.invalidate_all()
    lines += [
        f"daily, {args.count} open requests, {args.changing} crossing a boundary, rules on",
        f"  new pass + rules (the cron):              {daily_s:8.2f} s "
        f"{daily_changed:7d} changed {daily_q:5d} queries, {todos} at-risk to-dos",
    ]
    return lines


def main(argv=None):
    args = parse_args(argv)
    create_database(args)
    try:
        registry = open_registry(args)
        from odoo import SUPERUSER_ID, api  # noqa: PLC0415

        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tz": "UTC", "lang": "en_US"})
            seconds = populate(env, args.count)
            print(f"populated {args.count} committee requests in {seconds:.1f} s")
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tz": "UTC", "lang": "en_US"})
            # warm the registry (first queries)
            env["islah.support.request"].search([], limit=1)
            for line in measure(env, args):
                print(line)
            cr.rollback()
    finally:
        if not args.keep:
            drop_database(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
