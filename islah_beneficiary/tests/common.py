"""Shared fixtures of the Islah tests.

``IslahCommon`` builds, once per test class, one user per role and section,
service and document types of its own, and helpers that create beneficiaries
and support requests. It never relies on demo records, and does not collide
with them when demo data is loaded.

Mail is quiet by default: ``cls.env`` carries ``MAIL_QUIET_CONTEXT`` (no
chatter log on create, no tracking, no follower subscription, no password
reset mail), so fixtures stay fast. A test about tracking or messages opts
out with ``self._with_mail(records)`` (same records, mail context switched
back on) or ``self.env(context=self._mail_context())``.
"""

from stdnum import luhn

from odoo.tests import TransactionCase, new_test_user

from ..tools.constants import (  # noqa: F401 (the tests import the groups from here)
    GROUP_COMMITTEE,
    GROUP_MANAGER,
    GROUP_OFFICER,
    GROUP_RESEARCHER,
)

MAIL_QUIET_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "no_reset_password": True,
}


class IslahCommon(TransactionCase):
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
        cls.env = cls.env(context=dict(cls.env.context, **MAIL_QUIET_CONTEXT))
        cls.company = cls.env.company

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

    # ------------------------------------------------------------------
    # Mail opt-out
    # ------------------------------------------------------------------

    @staticmethod
    def _mail_context():
        """The context keys of ``MAIL_QUIET_CONTEXT``, switched back off."""
        return {key: False for key in MAIL_QUIET_CONTEXT}

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
            body = f"{first_digit}97{cls._national_id_counter:06d}"
            number = body + luhn.calc_check_digit(body)
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
