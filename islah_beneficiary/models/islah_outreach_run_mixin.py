import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import split_every

from ..tools.constants import (
    GROUP_COMMITTEE,
    GROUP_OFFICER,
    GROUP_RESEARCHER,
    OPEN_STATES,
)

_logger = logging.getLogger(__name__)

INVITATION_TEMPLATE = "islah_beneficiary.mail_template_islah_outreach_invitation"
# files looked at, and their outreach created, per step of the run
OUTREACH_BATCH = 2000
# a request in one of these states: the person is being served, or will be
# (approved, delivery to come); "in_service" and "done" mean they had it
BLOCKING_REQUEST_STATES = (*OPEN_STATES, "approved", "in_service")


class IslahOutreachRunMixin(models.AbstractModel):
    """The daily outreach run of ``islah.outreach``, set-based: per company a
    handful of queries for the candidates, their requests, deliveries,
    earlier outreach and contacts, then one batch of creations; the
    eligibility engine (``islah.service.type._islah_eligibility``) is pure
    Python over each file's facts.

    Who is contacted, per service with outreach enabled and its window open:
    a registered, active beneficiary of the service's company, with an
    active consent, who did not opt out (``islah_outreach_opt_out``), who
    meets the conditions (eligible True; eligible None, i.e. a fact is
    unknown, gives an officer to-do only, never an e-mail: the officer
    confirms the missing fact in the call, and an invitation could promise
    what the person may not get), without a request of the service in
    progress or in service, and who either never had it, or had a periodic
    service whose ``period_months`` have passed since the last delivery.
    Not after the committee rejected the person's request for the service,
    until a confirmed periodic review of the file after the rejection (what
    the committee decided on may have changed): an invitation would
    contradict its decision.
    Never twice for one service: not when an outreach of that service was
    made after the last delivery (or ever, for a service not delivered).
    At most ``islah_outreach_max_contacts`` contacts per person in
    ``islah_outreach_period_days`` days, across services."""

    _name = "islah.outreach.run.mixin"
    _description = "Outreach run"

    @api.model
    def _cron_islah_outreach(self):
        # in the scheduled job (the progress API's context), each batch is
        # committed and the run stops when its time is up; the job calls it
        # again, and the files done already cost a scan only (nobody is
        # contacted twice)
        progress = None
        if self.env.context.get("ir_cron_progress_id"):
            progress = self.env["ir.cron"]._commit_progress
        # sudo: the scheduled run looks at every section's files to find who
        # to contact; what it creates follows the section of each file
        result = self.sudo()._islah_run_outreach(progress=progress)
        _logger.info("Outreach run: %s", result)
        return result

    @api.model
    def _islah_run_outreach(self, today=None, progress=None):
        """Run the outreach for every company, ``OUTREACH_BATCH`` files at a
        time; returns the counts ``{"outreach": n, "todo": n, "invitation": n}``.
        ``progress(processed, remaining=n)``, when given, is called after each
        batch and returns the seconds left (0: stop here)."""
        totals = {"outreach": 0, "todo": 0, "invitation": 0}
        work = []
        for company in self.env["res.company"].search([]):
            # the association's today (its time zone), as the windows use it
            day = today or self.env["islah.service.type"].with_company(company)._islah_today()
            work.append((company, day, self._islah_outreach_candidates(company)))
        remaining = sum(len(candidates) for _company, _day, candidates in work)
        for company, day, candidates in work:
            for batch in split_every(OUTREACH_BATCH, candidates.ids, candidates.browse):
                for key, value in self._islah_run_company(company, day, batch).items():
                    totals[key] += value
                remaining -= len(batch)
                if progress and not progress(len(batch), remaining=remaining):
                    return totals
        return totals

    # ------------------------------------------------------------------
    # Reading the situation: a few queries per company
    # ------------------------------------------------------------------

    @api.model
    def _islah_outreach_services(self, company, today):
        services = self.env["islah.service.type"].search(
            [("outreach_enabled", "=", True), ("company_id", "in", [company.id, False])]
        )
        return services.filtered(lambda service: service._islah_is_open(today))

    @api.model
    def _islah_outreach_candidates(self, company):
        return self.env["islah.beneficiary"].search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "registered"),
                ("consent", "=", True),
                ("islah_outreach_opt_out", "=", False),
            ],
            order="id",
        )

    @api.model
    def _islah_contact_counts(self, beneficiaries, company):
        """Beneficiary id -> outreach made within the company's period."""
        since = fields.Datetime.now() - timedelta(days=company.islah_outreach_period_days)
        return {
            beneficiary.id: count
            for beneficiary, count in self.env["islah.outreach"]._read_group(
                [("beneficiary_id", "in", beneficiaries.ids), ("contacted_on", ">=", since)],
                ["beneficiary_id"],
                ["__count"],
            )
        }

    @api.model
    def _islah_request_situation(self, beneficiaries, services):
        """``(blocked, delivered)``: the (beneficiary, service) pairs with a
        request in progress or in service, and pair -> date of the last
        delivery (or of the closing of a done request without one)."""
        Request = self.env["islah.support.request"].with_context(active_test=False)
        base = [
            ("beneficiary_id", "in", beneficiaries.ids),
            ("service_type_id", "in", services.ids),
        ]
        blocked = {
            (beneficiary.id, service.id)
            for beneficiary, service in Request._read_group(
                [*base, ("state", "in", BLOCKING_REQUEST_STATES)],
                ["beneficiary_id", "service_type_id"],
            )
        }
        delivered = {}
        for beneficiary, service, closed in Request._read_group(
            [*base, ("state", "=", "done")],
            ["beneficiary_id", "service_type_id"],
            ["write_date:max"],
        ):
            delivered[beneficiary.id, service.id] = closed.date()
        for beneficiary, service, date in self.env["islah.service.delivery"]._read_group(
            base, ["beneficiary_id", "service_type_id"], ["date:max"]
        ):
            delivered[beneficiary.id, service.id] = date
        return blocked, delivered

    @api.model
    def _islah_rejection_standing(self, beneficiaries, services):
        """The (beneficiary, service) pairs whose last rejection has not been
        followed by a confirmed review of the file."""
        Request = self.env["islah.support.request"].with_context(active_test=False)
        rejected = Request._read_group(
            [
                ("beneficiary_id", "in", beneficiaries.ids),
                ("service_type_id", "in", services.ids),
                ("state", "=", "rejected"),
            ],
            ["beneficiary_id", "service_type_id"],
            ["decided_on:max"],
        )
        if not rejected:
            return set()
        reviewed = dict(
            self.env["islah.beneficiary.review"]._read_group(
                [("beneficiary_id", "in", beneficiaries.ids), ("state", "=", "done")],
                ["beneficiary_id"],
                ["reviewed_on:max"],
            )
        )
        return {
            (beneficiary.id, service.id)
            for beneficiary, service, decided_on in rejected
            if not (reviewed.get(beneficiary) and decided_on and reviewed[beneficiary] > decided_on)
        }

    @api.model
    def _islah_last_outreach(self, beneficiaries, services):
        """(beneficiary id, service id) -> date of the last outreach."""
        return {
            (beneficiary.id, service.id): contacted.date()
            for beneficiary, service, contacted in self.env["islah.outreach"]._read_group(
                [
                    ("beneficiary_id", "in", beneficiaries.ids),
                    ("service_type_id", "in", services.ids),
                ],
                ["beneficiary_id", "service_type_id"],
                ["contacted_on:max"],
            )
        }

    @api.model
    def _islah_is_due(self, service, pair, today, delivered, last_outreach):
        """Whether the service is due to the person: never had (and never
        contacted about), or periodic and due again since the last delivery
        (and not contacted since)."""
        last_delivery = delivered.get(pair)
        last_contact = last_outreach.get(pair)
        if not last_delivery:
            return not last_contact
        if not service.period_months:
            return False
        if today < last_delivery + relativedelta(months=service.period_months):
            return False
        return not last_contact or last_contact < last_delivery

    # ------------------------------------------------------------------
    # Officers
    # ------------------------------------------------------------------

    @api.model
    def _islah_outreach_officers(self, company, section):
        """The section's officers (not its researchers or committee
        members); none: whoever ``_islah_section_staff`` gives."""
        staff = company._islah_section_staff(GROUP_OFFICER, section)
        other_jobs = self.env.ref(GROUP_RESEARCHER) | self.env.ref(GROUP_COMMITTEE)
        officers = staff.filtered(lambda user: not (other_jobs & user.all_group_ids))
        return officers or staff

    @api.model
    def _islah_officer_load(self, users):
        """User id -> their open outreach: the balance starts from it."""
        load = dict.fromkeys(users.ids, 0)
        for user, count in self.env["islah.outreach"]._read_group(
            [("user_id", "in", users.ids), ("state", "in", ("planned", "no_answer"))],
            ["user_id"],
            ["__count"],
        ):
            load[user.id] = count
        return load

    # ------------------------------------------------------------------
    # The run
    # ------------------------------------------------------------------

    @api.model
    def _islah_run_company(self, company, today, candidates):
        counts = {"outreach": 0, "todo": 0, "invitation": 0}
        services = self._islah_outreach_services(company, today)
        if not services or not candidates:
            return counts
        blocked, delivered = self._islah_request_situation(candidates, services)
        blocked |= self._islah_rejection_standing(candidates, services)
        last_outreach = self._islah_last_outreach(candidates, services)
        contacts = self._islah_contact_counts(candidates, company)
        limit = company.islah_outreach_max_contacts
        # the facts and the partners' e-mail state, prefetched for the batch
        candidates.fetch(["section", "partner_id"])
        candidates.partner_id.fetch(["email", "lang", "is_blacklisted"])
        officers = {}
        # the note is for the section's officers: in their language, not
        # the scheduled job's
        note_services = {}
        load = {}
        vals_list = []
        for beneficiary in candidates:
            if contacts.get(beneficiary.id, 0) >= limit:
                continue
            section = beneficiary.section
            if section not in officers:
                officers[section] = self._islah_outreach_officers(company, section)
                load.update(self._islah_officer_load(officers[section]))
                lang = officers[section][:1].lang or company.partner_id.lang or self.env.lang
                note_services[section] = services.with_context(lang=lang)
            verdicts = note_services[section]._islah_eligibility(
                beneficiary._islah_eligibility_facts()
            )
            for service in services:
                if contacts.get(beneficiary.id, 0) >= limit:
                    break
                pair = (beneficiary.id, service.id)
                verdict = verdicts.get(service.id) or {}
                eligible = verdict.get("eligible")
                if eligible is False or pair in blocked:
                    continue
                if not self._islah_is_due(service, pair, today, delivered, last_outreach):
                    continue
                partner = beneficiary.partner_id
                invite = bool(
                    eligible
                    and service.outreach_invite
                    and partner.email
                    and not partner.is_blacklisted
                )
                user = False
                if not invite and officers[section]:
                    user = min(officers[section], key=lambda u: (load[u.id], u.id))
                    load[user.id] += 1
                vals_list.append(
                    {
                        "beneficiary_id": beneficiary.id,
                        "service_type_id": service.id,
                        "method": "invitation" if invite else "todo",
                        "user_id": user and user.id,
                        "eligibility_note": "\n".join(verdict.get("reasons") or []),
                    }
                )
                contacts[beneficiary.id] = contacts.get(beneficiary.id, 0) + 1
        if not vals_list:
            return counts
        # no "created" note, tracking nor assignment e-mail per record (a
        # query storm for a big run): the to-dos subscribe their officers in
        # one batch and the chatter logs the invitations
        outreaches = (
            self.env["islah.outreach"]
            .with_context(tracking_disable=True)
            .create(vals_list)
            .with_env(self.env)
        )
        invitations = outreaches.filtered(lambda o: o.method == "invitation")
        todos = outreaches - invitations
        todos._islah_schedule_todos()
        invitations._islah_send_invitations()
        counts.update(outreach=len(outreaches), todo=len(todos), invitation=len(invitations))
        return counts

    def _islah_schedule_todos(self):
        """One to-do per outreach for its officer, in their language: the
        activities created in one batch."""
        todo_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        deadline = fields.Date.context_today(self) + timedelta(days=7)
        vals_list = []
        for outreach in self.filtered("user_id"):
            env = outreach.with_context(lang=outreach.user_id.lang or self.env.lang).env
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": outreach.id,
                    "activity_type_id": todo_type.id,
                    "automated": True,
                    "user_id": outreach.user_id.id,
                    "date_deadline": deadline,
                    "summary": env._(
                        "Contact %(name)s about %(service)s",
                        name=outreach.beneficiary_id.name,
                        service=outreach.service_type_id.with_env(env).name,
                    ),
                    "note": env._(
                        "%(name)s may qualify for %(service)s and has not applied: call them, "
                        "tell them about the service, and record the outcome.",
                        name=outreach.beneficiary_id.name,
                        service=outreach.service_type_id.with_env(env).name,
                    ),
                }
            )
        # no e-mail per to-do to the officers (a run may give each many): they
        # find them in their to-dos; the batch stays a few queries
        return (
            self.env["mail.activity"]
            .with_context(mail_activity_quick_update=True)
            .create(vals_list)
        )

    def _islah_send_invitations(self):
        """The invitation e-mail of each outreach, in the person's language
        (the template's ``lang``), queued in batches."""
        if not self:
            return self.env["mail.mail"]
        template = self.env.ref(INVITATION_TEMPLATE)
        mails = template.send_mail_batch(self.ids)
        self._message_log_batch(
            {outreach.id: self.env._("Invitation sent by e-mail.") for outreach in self}
        )
        return mails

    def _islah_invitation_url(self):
        """The public request form with the service chosen."""
        self.ensure_one()
        return "%s/islah/request?service_type_id=%s" % (
            self.get_base_url(),
            self.service_type_id.id,
        )
