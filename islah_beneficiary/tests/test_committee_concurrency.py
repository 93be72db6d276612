"""A request has at most one final decision, even when two transactions
record one at the same time: the database's partial unique index decides."""

from psycopg2.errors import LockNotAvailable, UniqueViolation

from odoo import Command, api
from odoo.sql_db import db_connect
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

from .common import IslahCommitteeCommon

INSERT_FINAL = (
    "INSERT INTO islah_committee_decision (meeting_id, request_id, company_id, outcome) "
    "VALUES (%s, %s, %s, %s) RETURNING id"
)


@tagged("islah_committee", "-at_install", "post_install")
class TestFinalDecisionConcurrency(IslahCommitteeCommon):
    def test_two_transactions_cannot_both_decide(self):
        """Transaction A records an approval; transaction B, started before
        A ends, records a rejection of the same request. B cannot go through
        while A may still commit: it waits on A's index entry (here until its
        lock timeout), which a Python check alone, blind to A's uncommitted
        row, would not do."""
        cr_a = db_connect(self.env.cr.dbname).cursor()
        cr_b = db_connect(self.env.cr.dbname).cursor()
        try:
            # never hang: neither transaction waits long on anything
            cr_a.execute("SET lock_timeout = '5s'")
            cr_b.execute("SET lock_timeout = '2s'")
            # A sees none of this test's uncommitted fixtures: it builds its own
            env_a = api.Environment(cr_a, api.SUPERUSER_ID, dict(DISABLED_MAIL_CONTEXT))
            # a committed committee member (the administrator is a manager);
            # creating users here would wait on this test's own uncommitted rows
            admin = env_a.ref("base.user_admin")
            beneficiary = env_a["islah.beneficiary"].create(
                {
                    "name": "Concurrent applicant",
                    "gender": "male",
                    "national_id": self._new_national_id(),
                }
            )
            service = env_a["islah.service.type"].create(
                {"name": "Concurrency service", "needs_research": False}
            )
            request = env_a["islah.support.request"].create(
                {
                    "beneficiary_id": beneficiary.id,
                    "service_type_id": service.id,
                    "medium_id": env_a.ref("islah_beneficiary.utm_medium_interview").id,
                }
            )
            request.write({"state": "committee", "decision_deadline": "2026-03-15"})
            meetings = env_a["islah.committee.meeting"].create(
                [
                    {
                        "member_ids": [Command.set(admin.ids)],
                        "chair_id": admin.id,
                        "secretary_id": admin.id,
                    }
                    for _i in range(2)
                ]
            )
            env_a["islah.committee.decision"].create(
                {"meeting_id": meetings[0].id, "request_id": request.id, "outcome": "approved"}
            )
            env_a.flush_all()

            # B: the same request, another meeting, while A is still open
            with mute_logger("odoo.sql_db"), self.assertRaises(LockNotAvailable):
                cr_b.execute(
                    INSERT_FINAL, (meetings[1].id, request.id, request.company_id.id, "rejected")
                )
        finally:
            cr_b.rollback()
            cr_b.close()
            cr_a.rollback()
            cr_a.close()

    def test_same_transaction_duplicate_is_refused_by_the_database(self):
        request = self._committee_request()
        first = self._meeting(requests=request, start=False)
        second = (
            self.env["islah.committee.meeting"]
            .sudo()
            .create(
                {
                    "member_ids": [Command.set(self.members.ids)],
                    "chair_id": self.chair.id,
                    "secretary_id": self.secretary.id,
                }
            )
        )
        first.decision_ids.sudo().write({"outcome": "approved"})
        self.env.flush_all()
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(UniqueViolation),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(INSERT_FINAL, (second.id, request.id, self.company.id, "rejected"))
        # a deferral next to it is fine
        with self.env.cr.savepoint():
            self.env.cr.execute(INSERT_FINAL, (second.id, request.id, self.company.id, "deferred"))
