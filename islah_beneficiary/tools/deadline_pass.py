"""The daily deadline-status pass shared by requests (the committee's
decision) and suggestions and complaints (the written answer): one UPDATE
for every company, each record against its company's at-risk days."""

from odoo import fields
from odoo.tools import SQL


def update_deadline_states(records, deadline_field, open_states, on_time_value):
    """Bring ``sla_state`` of the open records of ``records``' model up to
    date: on an empty recordset every open record, otherwise only these.
    The deadline day itself is at risk (also with 0 warning days); overdue
    from the day after. Returns ``[(id, old_state, new_state)]`` for the
    records that changed, and those only; the cache is invalidated and the
    changed records marked modified."""
    model = records.browse()
    model.flush_model(["state", "company_id", deadline_field, "sla_state"])
    model.env["res.company"].flush_model(["islah_at_risk_days"])
    table = SQL.identifier(model._table)
    deadline = SQL.identifier("record", deadline_field)
    only_these = SQL("AND record.id = ANY(%s)", records.ids) if records else SQL()
    rows = model.env.execute_query(
        SQL(
            """
            WITH target AS (
                SELECT record.id,
                       record.sla_state AS old_state,
                       CASE
                           WHEN %(deadline)s < %(today)s THEN 'overdue'
                           WHEN %(deadline)s
                                <= %(today)s + COALESCE(company.islah_at_risk_days, 0)
                               THEN 'at_risk'
                           ELSE %(on_time)s
                       END AS new_state
                  FROM %(table)s record
                  JOIN res_company company ON company.id = record.company_id
                 WHERE record.state IN %(open_states)s
                   AND %(deadline)s IS NOT NULL
                   %(only_these)s
            )
            UPDATE %(table)s record
               SET sla_state = target.new_state,
                   write_uid = %(uid)s,
                   write_date = %(now)s
              FROM target
             WHERE record.id = target.id
               AND record.sla_state IS DISTINCT FROM target.new_state
         RETURNING record.id, target.old_state, target.new_state
            """,
            table=table,
            deadline=deadline,
            today=fields.Date.context_today(model),
            on_time=on_time_value,
            open_states=tuple(open_states),
            only_these=only_these,
            uid=model.env.uid,
            now=model.env.cr.now(),
        )
    )
    # the UPDATE went around the ORM: forget what the cache holds
    model.invalidate_model(["sla_state", "write_uid", "write_date"])
    if rows:
        model.browse(row[0] for row in rows).modified(["sla_state"])
    return rows
