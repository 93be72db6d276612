"""Retention (PDPL): a beneficiary's file is anonymised once it is no longer
needed, instead of being deleted, so that the association's figures (requests
by state, section and service, deliveries, decisions) stay whole."""

import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools.constants import GROUP_MANAGER
from ..tools.retention import (
    APPROVED_REQUEST_STATES,
    CLOSED_REQUEST_STATES,
    RETENTION_BATCH_SIZE,
)

_logger = logging.getLogger(__name__)


class IslahBeneficiaryRetentionMixin(models.AbstractModel):
    """The retention of a beneficiary's file: the legal hold, the files due,
    the daily anonymisation and the manager's one on request (what is
    removed: ``islah.beneficiary.anonymise.mixin``). Inherited by
    ``islah.beneficiary`` only; a mail thread for the tracked legal hold."""

    _name = "islah.beneficiary.retention.mixin"
    _inherit = ["mail.thread"]
    _description = "Beneficiary retention (PDPL)"

    islah_legal_hold = fields.Boolean(
        string="Legal hold",
        groups=GROUP_MANAGER,
        tracking=True,
        help="The file must be kept whole (a dispute, an authority's request): it is "
        "never anonymised while this is ticked.",
    )
    anonymised_on = fields.Date(
        string="Anonymised on",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The personal data of this file were removed on this date; its requests, "
        "deliveries and decisions still count in the reports.",
    )

    # ------------------------------------------------------------------
    # Which files are due
    # ------------------------------------------------------------------

    @api.model
    def _islah_retention_due(self, limit=None):
        """The files past their retention period: last activity (the latest
        request's creation, archived ones included, else the file's own
        creation) older than the company's period (shorter without any
        approved request); no legal hold, no open request, not anonymised."""
        self.flush_model()
        self.env["islah.support.request"].flush_model()
        self.env["res.company"].flush_model()
        query = SQL(
            """
            SELECT b.id
              FROM islah_beneficiary b
              JOIN res_company c ON c.id = b.company_id
         LEFT JOIN LATERAL (
                    SELECT MAX(r.create_date) AS last_date,
                           BOOL_OR(r.state IN %(approved)s) AS approved,
                           BOOL_OR(r.active AND r.state NOT IN %(closed)s) AS open
                      FROM islah_support_request r
                     WHERE r.beneficiary_id = b.id
                   ) req ON TRUE
             WHERE b.anonymised_on IS NULL
               AND b.islah_legal_hold IS NOT TRUE
               AND req.open IS NOT TRUE
               AND COALESCE(req.last_date, b.create_date)
                   < (NOW() AT TIME ZONE 'UTC') - MAKE_INTERVAL(years => CASE
                        WHEN req.approved THEN c.islah_retention_years
                        ELSE c.islah_retention_years_unapproved END)
          ORDER BY b.partner_id, b.id
             %(limit)s
            """,
            approved=APPROVED_REQUEST_STATES,
            closed=CLOSED_REQUEST_STATES,
            limit=SQL("LIMIT %s", limit) if limit else SQL(),
        )
        return self.browse(row[0] for row in self.env.execute_query(query))

    @api.model
    def _cron_islah_anonymise_expired(self):
        """Daily: anonymise the files past retention, one committed batch
        at a time, within the cron's time budget."""
        # sudo: the scheduled action works on every company's files and on
        # the records (messages, mails, users) no role may change
        Beneficiary = self.sudo().with_context(active_test=False)
        Cron = self.env["ir.cron"]
        total = 0
        due = Beneficiary._islah_retention_due()
        Cron._commit_progress(remaining=len(due))
        failed = Beneficiary.browse()
        while True:
            batch = (due - failed)[:RETENTION_BATCH_SIZE]
            if not batch:
                break
            due -= batch
            done = Beneficiary.browse()
            for partner_files in batch.grouped("partner_id").values():
                try:
                    with self.env.cr.savepoint():
                        partner_files._islah_anonymise()
                    done |= partner_files
                except Exception:  # noqa: BLE001
                    # whatever went wrong with one file (a constraint, an
                    # extension's bug), the next ones are still anonymised:
                    # the savepoint undid this one, it is retried tomorrow
                    _logger.exception(
                        "Retention: beneficiaries %s not anonymised", partner_files.ids
                    )
                    failed |= partner_files
            total += len(done)
            if not Cron._commit_progress(len(batch)):
                break
        _logger.info("Retention: %s beneficiaries anonymised", total)
        if intakes := self.env["crm.lead"]._islah_scrub_stale_intakes():
            _logger.info("Retention: %s web intakes never converted scrubbed", len(intakes))
        return total

    # ------------------------------------------------------------------
    # On request
    # ------------------------------------------------------------------

    def action_islah_anonymise(self):
        """A manager anonymises a person on their request (PDPL right to
        erasure), unless a legal hold applies or a request is still open."""
        if not self.env.user.has_group(GROUP_MANAGER):
            raise AccessError(self.env._("Only managers may anonymise a beneficiary."))
        # the section rules of the files, as for any change to them
        self.check_access("write")
        for beneficiary in self.sudo().with_context(active_test=False):
            if beneficiary.anonymised_on:
                continue
            if beneficiary.islah_legal_hold:
                raise UserError(
                    self.env._(
                        "%(name)s is under a legal hold: the file cannot be anonymised "
                        "until the hold is lifted.",
                        name=beneficiary.name,
                    )
                )
            if open_requests := beneficiary._islah_open_requests():
                raise UserError(
                    self.env._(
                        "%(name)s has requests still being handled (%(requests)s): close, "
                        "cancel or archive them before anonymising the file.",
                        name=beneficiary.name,
                        requests=", ".join(open_requests.mapped("name")),
                    )
                )
        # sudo: the anonymisation clears records no role may change (messages,
        # mails, tracking, users); the manager's right on these files was checked
        self.sudo()._islah_anonymise(requested_by=self.env.user)
        return True

    def _islah_open_requests(self):
        """The requests of these files still being handled (archived ones are closed)."""
        # sudo: requests the manager may not read (another researcher's) count too
        return (
            self.env["islah.support.request"]
            .sudo()
            .with_context(active_test=True)
            .search(
                [
                    ("beneficiary_id", "in", self.ids),
                    ("state", "not in", CLOSED_REQUEST_STATES),
                ]
            )
        )
