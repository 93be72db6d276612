"""Fixtures of the per-role tours (issue 11): Arabic-speaking users of each
role, a service with a required document, and a helper that runs a tour and
keeps a screenshot of its last screen.

The tours do the work in the browser; the tests assert its effect on the
records. Nothing here relies on demo data."""

import binascii
import contextlib
import logging
import os
import pathlib
from unittest.mock import patch

from stdnum import luhn

from odoo.tests import HttpCase, new_test_user
from odoo.tests.common import ChromeBrowser

_logger = logging.getLogger(__name__)

GROUP_OFFICER = "islah_beneficiary.group_islah_beneficiary_officer"
GROUP_RESEARCHER = "islah_beneficiary.group_islah_beneficiary_researcher"
GROUP_COMMITTEE = "islah_beneficiary.group_islah_beneficiary_committee"
GROUP_MANAGER = "islah_beneficiary.group_islah_beneficiary_manager"
SHOTS = pathlib.Path(os.environ.get("ISLAH_TOUR_SHOTS", "/tmp/islah_tour_shots"))


class IslahTourCase(HttpCase):
    """Arabic users of every role; the names are those the tours look for."""

    _id_counter = 0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env["res.lang"]._activate_lang("ar_001")
        cls.company = cls.env.company
        cls.company.islah_committee_quorum = 2

        def user(login, name, groups, section=False):
            return new_test_user(
                cls.env,
                login=login,
                name=name,
                groups=groups,
                islah_section=section,
                lang="ar_001",
                tz="Asia/Riyadh",
            )

        cls.officer_men = user("tour_officer_men", "موظف قسم الرجال", GROUP_OFFICER, "men")
        cls.officer_women = user("tour_officer_women", "موظفة قسم النساء", GROUP_OFFICER, "women")
        cls.researcher = user("tour_researcher", "الباحثة الاجتماعية", GROUP_RESEARCHER, "both")
        cls.chair = user("tour_chair", "رئيس اللجنة", GROUP_COMMITTEE)
        cls.secretary = user("tour_secretary", "أمين اللجنة", GROUP_COMMITTEE)
        cls.member = user("tour_member", "عضو اللجنة", GROUP_COMMITTEE)
        cls.manager = user("tour_manager", "مدير العلاقات", GROUP_MANAGER, "both")
        cls.portal = user("tour_portal", "مستفيد البوابة", "base.group_portal")

        cls.doc_type = cls.env["islah.document.type"].create({"name": "صورة الهوية للجولة"})
        cls.service = cls.env["islah.service.type"].create(
            {
                "name": "خدمة الجولة",
                "needs_research": False,
                "needs_committee": True,
                "document_type_ids": [(6, 0, cls.doc_type.ids)],
            }
        )
        cls.service_research = cls.env["islah.service.type"].create(
            {"name": "خدمة البحث للجولة", "needs_research": True, "needs_committee": True}
        )
        cls.channel = cls.env["utm.medium"].create({"name": "قناة الجولة", "islah_channel": True})

    # ------------------------------------------------------------------
    # Records
    # ------------------------------------------------------------------

    @classmethod
    def _national_id(cls):
        """A valid national ID no record holds (demo data included)."""
        Beneficiary = cls.env["islah.beneficiary"].with_context(active_test=False)
        while True:
            cls._id_counter += 1
            body = f"1964{cls._id_counter:05d}"
            number = body + luhn.calc_check_digit(body)
            if not Beneficiary.search_count([("national_id", "=", number)], limit=1):
                return number

    @classmethod
    def _beneficiary(cls, name, gender="male", **vals):
        vals = {"gender": gender, "consent": True, "national_id": cls._national_id(), **vals}
        if "partner_id" not in vals:
            vals["name"] = name
        return cls.env["islah.beneficiary"].create(vals)

    @classmethod
    def _request(cls, beneficiary, state="received", service=None, **vals):
        """A request of ``service`` put in ``state`` (a fixture shortcut, as
        the flow itself does it; the tours take the steps)."""
        request = cls.env["islah.support.request"].create(
            {
                "beneficiary_id": beneficiary.id,
                "service_type_id": (service or cls.service).id,
                "medium_id": cls.channel.id,
                **vals,
            }
        )
        flow = request.sudo()
        if state in ("committee", "approved"):
            flow._enter_committee()
        if state == "approved":
            flow._apply_decision("approved")
        if state in ("verification", "research", "in_service"):
            flow.write({"state": state})
        return request

    # ------------------------------------------------------------------
    # Running a tour
    # ------------------------------------------------------------------

    def _tour(self, tour, login, url="/odoo", **kwargs):
        """Run ``tour`` as ``login``; keep its last screen in ``SHOTS``.
        With ``ISLAH_TOUR_LENIENT=1`` in the environment, untranslated labels
        are only logged, not fatal."""
        wait_code_ok = ChromeBrowser._wait_code_ok

        def wait_and_shoot(browser, *args, **kw):
            wait_code_ok(browser, *args, **kw)
            # a screenshot of the tour's last screen, for the reviewer
            with contextlib.suppress(Exception):
                shot = browser.take_screenshot(prefix="islah_").result(timeout=10)
                SHOTS.mkdir(parents=True, exist_ok=True)
                (SHOTS / f"{tour}.png").write_bytes(binascii.a2b_base64(shot["data"]))

        if os.environ.get("ISLAH_TOUR_LENIENT"):
            # only log the untranslated labels (to see the rest of a tour work)
            kwargs.setdefault("cookies", {"islah_tour_lenient": "1"})
        with patch.object(ChromeBrowser, "_wait_code_ok", wait_and_shoot):
            self.start_tour(url, tour, login=login, **kwargs)
