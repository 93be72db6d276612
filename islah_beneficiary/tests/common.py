"""Shared fixtures of the Islah tests.

``IslahCommon`` builds, once per test class, one user per role and section,
service and document types of its own, and helpers that create beneficiaries
and support requests. It never relies on demo records, and does not collide
with them when demo data is loaded.

The bases stand on Odoo's ``BaseCommon``: mail is quiet by default, since
``cls.env`` carries core's ``DISABLED_MAIL_CONTEXT`` (no chatter log on
create, no tracking, no follower subscription, no password reset mail), so
fixtures stay fast. A test about tracking or messages opts
out with ``self._with_mail(records)`` (same records, mail context switched
back on) or ``self.env(context=self._mail_context())``.

The feature bases live here too, not in feature files: ``IslahCommitteeCommon``
(a committee and its members) and ``IslahExportCase`` (an export restricted to
a service of its own); ``PDF_DOC`` is the smallest PDF the upload checks accept.

Tags: every ORM and HTTP test class is ``post_install``: ``islah_survey_ext``
extends ``islah.support.request``, ``islah.beneficiary`` and the service type,
so the tests check the models as they are deployed with every addon loaded,
and ``HttpCase`` and tours need all modules' routes and assets. Only the pure
helpers of ``tools/`` (``test_validation_tools``, no database) keep the
default ``at_install``.
"""

import io
from datetime import datetime, timedelta

import openpyxl

from odoo import Command
from odoo.fields import Date
from odoo.tests import new_test_user

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT, BaseCommon

from ..tools.constants import (  # noqa: F401 (the tests import the groups from here)
    GROUP_COMMITTEE,
    GROUP_MANAGER,
    GROUP_OFFICER,
    GROUP_RESEARCHER,
)
from ..tools.saudi import make_national_id

PDF_DOC = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class IslahCommon(BaseCommon):
    """Users, service types and helpers shared by the Islah test classes.

    Users (all in the main company):
        officer_men, officer_women    officer of one section
        researcher                    social researcher, both sections
        committee_member              committee member, no section (sees both)
        manager                       manager, both sections
        manager_men                   manager, men's section only
        portal_user                   portal user (links to a beneficiary
                                      through its partner)
        internal_user                 internal user without any Islah group
    Configuration:
        doc_type_id_copy, doc_type_family    document types
        service_full            research + committee, both document types
        service_no_research     committee without research
        service_no_committee    research without committee
        channel_interview       the in-person interview channel (shipped data)
    """

    _national_id_counter = 0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def user(login, groups, section=False, **kwargs):
            return new_test_user(
                cls.env,
                login=login,
                groups=groups,
                islah_section=section,
                name=kwargs.pop("name", login.replace("_", " ").title()),
                **kwargs,
            )

        cls.officer_men = user("islah_officer_men", GROUP_OFFICER, "men")
        cls.officer_women = user("islah_officer_women", GROUP_OFFICER, "women")
        cls.researcher = user("islah_researcher", GROUP_RESEARCHER, "both")
        cls.committee_member = user("islah_committee", GROUP_COMMITTEE)
        cls.manager = user("islah_manager", GROUP_MANAGER, "both")
        cls.manager_men = user("islah_manager_men", GROUP_MANAGER, "men")
        cls.portal_user = user("islah_portal", "base.group_portal")
        cls.internal_user = user("islah_internal", "base.group_user")

        cls.doc_type_id_copy = cls.env["islah.document.type"].create(
            {"name": "Test copy of the national ID", "sequence": 1}
        )
        cls.doc_type_family = cls.env["islah.document.type"].create(
            {"name": "Test family record", "sequence": 2}
        )
        cls.service_full = cls.env["islah.service.type"].create(
            {
                "name": "Test family counselling",
                "needs_research": True,
                "needs_committee": True,
                "document_type_ids": [(6, 0, (cls.doc_type_id_copy | cls.doc_type_family).ids)],
            }
        )
        cls.service_no_research = cls.env["islah.service.type"].create(
            {
                "name": "Test food basket",
                "needs_research": False,
                "needs_committee": True,
                "is_financial": True,
            }
        )
        cls.service_no_committee = cls.env["islah.service.type"].create(
            {
                "name": "Test guidance session",
                "needs_research": True,
                "needs_committee": False,
            }
        )
        cls.channel_interview = cls.env.ref("islah_beneficiary.utm_medium_interview")

    @classmethod
    def setup_main_company(cls, currency_code="SAR"):
        """The company keeps its own currency (BaseCommon would force USD):
        amounts in letters and exports are in riyals."""

    # ------------------------------------------------------------------
    # Mail opt-out
    # ------------------------------------------------------------------

    @staticmethod
    def _mail_context():
        """The context keys of core's ``DISABLED_MAIL_CONTEXT``, switched back off."""
        return {key: False for key in DISABLED_MAIL_CONTEXT}

    @classmethod
    def _with_mail(cls, records):
        """``records`` with tracking, chatter logs and subscriptions enabled."""
        return records.with_context(**cls._mail_context())

    # ------------------------------------------------------------------
    # Record helpers
    # ------------------------------------------------------------------

    @classmethod
    def _new_national_id(cls, first_digit="1"):
        """A valid, unused national ID (``first_digit`` 1) or iqama (2).

        Nine digits from a class counter plus the Luhn check digit; numbers
        already in the database (demo data, other fixtures) are skipped.
        """
        Beneficiary = cls.env["islah.beneficiary"].sudo().with_context(active_test=False)
        while True:
            cls._national_id_counter += 1
            number = make_national_id(cls._national_id_counter, first_digit, prefix="97")
            if not Beneficiary.search_count([("national_id", "=", number)], limit=1):
                return number

    @classmethod
    def _create_beneficiary(cls, **vals):
        """A draft beneficiary (male, consenting, unique national ID).

        Any field may be overridden, e.g. ``gender='female'``,
        ``partner_id=portal_user.partner_id.id``, ``company_id=...``.
        """
        defaults = {
            "name": "Test Beneficiary %s" % (cls._national_id_counter + 1),
            "gender": "male",
            "consent": True,
        }
        defaults.update(vals)
        if "national_id" not in defaults:
            defaults["national_id"] = cls._new_national_id()
        if "partner_id" in defaults:
            # an existing partner: its own name is kept
            defaults.pop("name", None)
        return cls.env["islah.beneficiary"].create(defaults)

    def _web_form_values(self, **overrides):
        """The fields of the public request form, filled as a woman applying
        for ``service_full`` would (strings, as the browser posts them)."""
        return {
            "name": "Sara Abdullah",
            "national_id": self._new_national_id(),
            "gender": "female",
            "mobile": "0551234567",
            "email": "sara@example.com",
            "city": "Riyadh",
            "service_type_id": str(self.service_full.id),
            "need": "We need family counselling.",
            "declaration": "1",
            "consent": "1",
            **overrides,
        }

    @classmethod
    def _create_request(cls, beneficiary=None, **vals):
        """A received request of ``service_full`` through the interview channel.

        Without ``beneficiary`` a new (male) one is created; extra keyword
        arguments are request values, or for the beneficiary ``gender``.
        """
        if beneficiary is None:
            beneficiary = cls._create_beneficiary(gender=vals.pop("gender", "male"))
        defaults = {
            "beneficiary_id": beneficiary.id,
            "service_type_id": cls.service_full.id,
            "medium_id": cls.channel_interview.id,
        }
        if beneficiary.company_id != cls.env.company:
            defaults["company_id"] = beneficiary.company_id.id
        defaults.update(vals)
        return cls.env["islah.support.request"].create(defaults)

    @classmethod
    def _request_in_state(cls, state, beneficiary=None, **vals):
        """A request put directly in ``state`` (fixture shortcut, not the
        workflow): ``committee`` goes through ``_enter_committee()`` so that
        the deadline fields are set; later states are written as superuser.
        """
        request = cls._create_request(beneficiary, **vals)
        if state in ("committee", "approved", "rejected", "in_service", "done"):
            request.sudo()._enter_committee()
        if state in ("approved", "rejected", "in_service", "done"):
            request.sudo()._apply_decision("approved" if state != "rejected" else "rejected")
        if state in ("verification", "research", "in_service", "done", "cancelled"):
            request.sudo().write({"state": state})
        return request


class IslahCommitteeCommon(IslahCommon):
    """A committee of five (chair, secretary, two members and one member who
    is not invited), a quorum of three and requests waiting for it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.islah_committee_quorum = 3

        def member(login, name):
            return new_test_user(cls.env, login=login, groups=GROUP_COMMITTEE, name=name)

        cls.chair = member("islah_cm_chair", "Chair Abdullah")
        cls.secretary = member("islah_cm_secretary", "Secretary Huda")
        cls.member_c = member("islah_cm_member_c", "Member Khalid")
        cls.member_d = member("islah_cm_member_d", "Member Noura")
        cls.outsider = member("islah_cm_outsider", "Member Not Invited")
        cls.members = cls.chair | cls.secretary | cls.member_c | cls.member_d

    @classmethod
    def _committee_request(cls, **vals):
        vals.setdefault("service_type_id", cls.service_no_research.id)
        return cls._request_in_state("committee", **vals)

    def _meeting(self, requests=None, attendees=None, start=True, **vals):
        """A meeting organised by the secretary, its agenda ``requests``."""
        attendees = self.members if attendees is None else attendees
        values = {
            "date_start": datetime(2026, 3, 1, 9, 0),
            "member_ids": [Command.set(self.members.ids)],
            "chair_id": self.chair.id,
            "secretary_id": self.secretary.id,
            "attendee_ids": [Command.set(attendees.ids)],
            **vals,
        }
        meeting = self.env["islah.committee.meeting"].with_user(self.secretary).create(values)
        if requests:
            self.env["islah.committee.decision"].with_user(self.secretary).create(
                [{"meeting_id": meeting.id, "request_id": r.id} for r in requests]
            )
        if start:
            meeting.action_start_session()
        return meeting

    def _vote(self, decision, **votes):
        """``votes``: attribute name of the member -> approve/reject/abstain."""
        for attr, vote in votes.items():
            user = getattr(self, attr)
            ballot = decision.vote_ids.filtered(lambda v, u=user: v.member_id == u)
            ballot.with_user(user).write({"vote": vote})

    def _vote_all(self, decision, vote):
        for ballot in decision.vote_ids:
            ballot.with_user(ballot.member_id).write({"vote": vote})


class IslahExportCase(IslahCommon):
    """Fixture helpers: an export restricted to the test's own service, so
    demo or other data never enter the counts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service = cls.env["islah.service.type"].create(
            {"name": "Test export service", "needs_research": False, "needs_committee": True}
        )
        cls.today = Date.context_today(cls.env["islah.support.request"])

    @classmethod
    def _export_request(cls, state="received", **vals):
        return cls._request_in_state(state, service_type_id=cls.service.id, **vals)

    def _wizard(self, user, **vals):
        values = {
            "date_from": self.today - timedelta(days=1),
            "date_to": self.today + timedelta(days=1),
            "service_type_ids": [(6, 0, self.service.ids)],
        }
        values.update(vals)
        return self.env["islah.report.export"].with_user(user).create(values)

    def _export(self, user, **vals):
        wizard = self._wizard(user, **vals)
        output = io.BytesIO()
        wizard.env["islah.request.xlsx.report"]._generate_xlsx(wizard, output)
        return openpyxl.load_workbook(io.BytesIO(output.getvalue()))

    @staticmethod
    def _rows(sheet):
        """Data rows (header excluded) as lists."""
        return [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]

    @staticmethod
    def _header(sheet):
        return [cell.value for cell in sheet[1]]

    @staticmethod
    def _kpis(workbook):
        """{(group, item): value} of the Summary KPIs sheet."""
        sheet = workbook.worksheets[1]
        return {
            (group, item): value
            for group, item, value in sheet.iter_rows(min_row=2, values_only=True)
        }
