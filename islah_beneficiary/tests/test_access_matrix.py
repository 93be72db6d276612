"""Who may read, write, create and unlink what: one table, checked through the
RPC dispatcher (``odoo.service.model.call_kw``, what JSON-RPC calls).

The subject records all belong to one women's-section beneficiary who is also
a portal user: her file, family, requests, documents, deliveries, committee
decision and vote, the CRM inquiry made for her, a message and a file on her
request, and her contact (``res.partner``). Each role is a real user of its
own. ``MATRIX`` gives, per record and role, the answer to read / write /
create / unlink:

    Y  allowed                    A  refused by access rights or record rules
    N  (read) not visible          U  access granted, refused by a business rule

Every Islah model must have a row and every role a column: adding a model or
a role without filling the table fails ``test_table_is_complete``.
"""

import logging
import os

import psycopg2

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import call_kw
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import GROUP_COMMITTEE, IslahCommon

_logger = logging.getLogger(__name__)

ROLES = (
    "officer_men",  # officer of the other section
    "officer_women",  # officer of her section
    "researcher",  # the researcher her requests are assigned to
    "committee_member",  # committee member (no section: both)
    "committee_chair",  # chair of the meeting that decides on her request
    "manager_men",  # manager of the other section only
    "manager",  # manager of both sections
    "internal_user",  # internal user without an Islah role
    "portal_user",  # the beneficiary herself, through the portal
    "public_user",  # the website's anonymous visitor
)
OPERATIONS = ("read", "write", "create", "unlink")


def row(*cells):
    """One MATRIX row: the cells in the order of ROLES."""
    assert len(cells) == len(ROLES), "one cell per role"
    return dict(zip(ROLES, cells, strict=True))


@tagged("post_install", "-at_install", "islah_security")
class IslahAccessMatrixCase(IslahCommon):
    """Fixture and machinery: subclasses give ``MATRIX`` and ``_subjects()``."""

    MATRIX = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.committee_chair = new_test_user(
            cls.env, login="islah_matrix_chair", groups=GROUP_COMMITTEE, name="Matrix Chair"
        )
        cls.public_user = cls.env.ref("base.public_user")
        cls.subjects = cls._subjects()

    @classmethod
    def _subjects(cls):
        """{row name: (record, write values, create values factory or None)}"""
        return {}

    def _attempt(self, record, operation, values):
        """One cell: the letter the dispatcher's answer stands for."""
        Model = record.env[record._name]
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                if operation == "read":
                    rows = call_kw(
                        Model, "search_read", [[("id", "=", record.id)]], {"fields": ["id"]}
                    )
                    letter = "Y" if rows else "N"
                elif operation == "write":
                    call_kw(Model, "write", [record.ids, values], {})
                    letter = "Y"
                elif operation == "create":
                    call_kw(Model, "create", [values], {})
                    letter = "Y"
                else:
                    call_kw(Model, "unlink", [record.ids], {})
                    letter = "Y"
                Model.env.flush_all()
                raise _Rollback(letter)
        except _Rollback as done:
            letter = done.letter
        except AccessError:
            letter = "A"
        except (UserError, ValidationError, psycopg2.IntegrityError):
            letter = "U"
        self.env.invalidate_all()
        return letter

    def _actual_matrix(self):
        actual = {}
        for row, (record, write_vals, create_vals) in self.subjects.items():
            for role in ROLES:
                user = getattr(self, role)
                as_user = record.with_user(user).with_context(active_test=False)
                cells = []
                for operation in OPERATIONS:
                    if operation == "create" and create_vals is None:
                        cells.append("-")
                        continue
                    values = {
                        "write": write_vals,
                        "create": create_vals() if create_vals else None,
                    }.get(operation)
                    cells.append(self._attempt(as_user, operation, values))
                actual[row, role] = "".join(cells)
        return actual

    def _check_matrix(self):
        actual = self._actual_matrix()
        if os.environ.get("ISLAH_PRINT_MATRIX"):  # to review a new table by hand
            for row in self.subjects:
                cells = ", ".join(f'"{role}": "{actual[row, role]}"' for role in ROLES)
                _logger.warning('    "%s": {%s},', row, cells)
        wrong = [
            f"{row:<28} {role:<17} expected {self.MATRIX[row][role]}  got {got}"
            for (row, role), got in actual.items()
            if self.MATRIX[row][role] != got
        ]
        self.assertFalse(
            wrong,
            "cells (read, write, create, unlink) that differ from the table:\n" + "\n".join(wrong),
        )


class _Rollback(Exception):  # noqa: N818 - a control-flow signal, not an error
    def __init__(self, letter):
        super().__init__(letter)
        self.letter = letter


class TestAccessMatrix(IslahAccessMatrixCase):
    """A women's-section beneficiary's data, as each role reaches it by RPC."""

    _module_name = "islah_beneficiary"
    # fmt: off
    MATRIX = {
        # columns:  off_men  off_wom research   member    chair  mgr_men  manager internal   portal   public
        "islah.beneficiary": row("NAAA", "YYYA", "YAAA", "YAAA", "YAAA", "NAAA", "YYYU", "AAAA", "AAAA", "AAAA"),
        "islah.beneficiary.member": row("NAAA", "YYYY", "YAAA", "YAAA", "YAAA", "NAAA", "YYYY", "AAAA", "AAAA", "AAAA"),
        "islah.support.request": row("NAAA", "YYYU", "YAAA", "YAAA", "YAAA", "NAAA", "YYYU", "AAAA", "YAAA", "AAAA"),
        "islah.request.document": row("NAAA", "YYUU", "YAAA", "YAAA", "YAAA", "NAAA", "YYUU", "AAAA", "YAAA", "AAAA"),
        "islah.service.delivery": row("NAAA", "YYYY", "NAAA", "YAAA", "YAAA", "NAAA", "YYYY", "AAAA", "AAAA", "AAAA"),
        "islah.committee.meeting": row("AA-A", "AA-A", "AA-A", "YA-A", "YY-U", "YY-U", "YY-U", "AA-A", "AA-A", "AA-A"),
        "islah.committee.decision": row("NA-A", "NA-A", "AA-A", "YU-A", "YY-Y", "NA-A", "YY-Y", "AA-A", "AA-A", "AA-A"),
        "islah.committee.vote": row("AA-A", "AA-A", "AA-A", "YY-A", "YU-A", "NA-A", "YU-A", "AA-A", "AA-A", "AA-A"),
        "res.partner": row("NA-A", "YA-A", "YA-A", "YA-A", "YA-A", "NA-A", "YA-A", "NA-A", "YA-A", "NA-A"),
        "crm.lead": row("NA-A", "YY-A", "AA-A", "AA-A", "AA-A", "NA-A", "YY-A", "AA-A", "AA-A", "AA-A"),
        "mail.message": row("NA-A", "YA-A", "YA-A", "YA-A", "YA-A", "NA-A", "YY-Y", "NA-A", "NA-A", "NA-A"),
        "ir.attachment": row("NA-A", "YA-A", "YA-A", "YA-A", "YA-A", "NA-A", "YY-Y", "NA-A", "NA-A", "NA-A"),
        "islah.beneficiary.category": row("YA-A", "YA-A", "YA-A", "YA-A", "YA-A", "YY-Y", "YY-Y", "YA-A", "AA-A", "AA-A"),
        "islah.document.type": row("YA-A", "YA-A", "YA-A", "YA-A", "YA-A", "YY-U", "YY-U", "YA-A", "AA-A", "AA-A"),
        "islah.service.type": row("YA-A", "YA-A", "YA-A", "YA-A", "YA-A", "YY-U", "YY-U", "YA-A", "YA-A", "YA-A"),
        "islah.staff.guide": row("YA-A", "YA-A", "YA-A", "YA-A", "YA-A", "YY-Y", "YY-Y", "YA-A", "AA-A", "AA-A"),
        "islah.privacy.notice": row("YA-A", "YA-A", "YA-A", "YA-A", "YA-A", "YY-U", "YY-U", "YA-A", "AA-A", "AA-A"),
        "islah.consent": row("NAAA", "YYYA", "AAAA", "AAAA", "AAAA", "NAAA", "YYYA", "AAAA", "AAAA", "AAAA"),
        "islah.data.correction": row("NAAA", "YYYA", "AAAA", "AAAA", "AAAA", "NAAA", "YYYY", "AAAA", "AAAA", "AAAA"),
        "islah.access.log": row("AA-A", "AA-A", "AA-A", "AA-A", "AA-A", "NA-A", "YA-A", "AA-A", "AA-A", "AA-A"),
        "islah.city": row("YA-A", "YA-A", "YA-A", "YA-A", "YA-A", "YY-Y", "YY-Y", "YA-A", "YA-A", "YA-A"),
        "islah.beneficiary.review": row("NAAA", "YYYA", "YYYA", "AAAA", "AAAA", "NAAA", "YYYY", "AAAA", "AAAA", "AAAA"),
        "islah.beneficiary.review.report": row("AA-A", "AA-A", "AA-A", "AA-A", "AA-A", "NA-A", "YA-A", "AA-A", "AA-A", "AA-A"),
        "islah.appeal": row("NAAA", "YUYU", "AAAA", "NAAA", "NAAA", "NAAA", "YUYU", "AAAA", "YAAA", "AAAA"),
        "islah.feedback": row("NAAA", "YYYA", "AAAA", "AAAA", "AAAA", "NAAA", "YYYY", "AAAA", "YAAA", "AAAA"),
        "islah.outreach": row("NAAA", "YYYA", "AAAA", "AAAA", "AAAA", "NAAA", "YYYY", "AAAA", "AAAA", "AAAA"),
        "islah.service.faq": row("YAAA", "YAAA", "YAAA", "YAAA", "YAAA", "YYYY", "YYYY", "YAAA", "YAAA", "YAAA"),
        "islah.improvement.action": row("NAAA", "YYAA", "AAAA", "AAAA", "AAAA", "NAAA", "YYYY", "AAAA", "AAAA", "AAAA"),
    }
    # fmt: on

    @classmethod
    def _subjects(cls):
        beneficiary = cls._create_beneficiary(
            gender="female", partner_id=cls.portal_user.partner_id.id, district="Al Nuzha"
        )
        member = cls.env["islah.beneficiary.member"].create(
            {"beneficiary_id": beneficiary.id, "name": "Matrix Daughter", "relation": "daughter"}
        )
        request = cls._request_in_state("committee", beneficiary, researcher_id=cls.researcher.id)
        served = cls._request_in_state(
            "in_service", beneficiary, service_type_id=cls.service_no_research.id
        )
        delivery = cls.env["islah.service.delivery"].create(
            {"request_id": served.id, "description": "Food basket", "amount": 300}
        )
        rejected = cls._request_in_state(
            "rejected", beneficiary, service_type_id=cls.service_no_research.id
        )
        rejected_other = cls._request_in_state(
            "rejected", beneficiary, service_type_id=cls.service_no_research.id
        )
        appeal = cls.env["islah.appeal"].create(
            {"request_id": rejected.id, "reason": "Matrix: the appeal"}
        )
        appeal._islah_submit()
        meeting = cls.env["islah.committee.meeting"].create(
            {
                "member_ids": [Command.set((cls.committee_member | cls.committee_chair).ids)],
                "chair_id": cls.committee_chair.id,
                "secretary_id": cls.committee_chair.id,
                "attendee_ids": [Command.set((cls.committee_member | cls.committee_chair).ids)],
                "quorum": 2,
            }
        )
        decision = cls.env["islah.committee.decision"].create(
            {"meeting_id": meeting.id, "request_id": request.id}
        )
        meeting.action_start_session()
        vote = decision.vote_ids.filtered(lambda v: v.member_id == cls.committee_member)
        lead = cls.env["crm.lead"].create(
            {
                "name": "Matrix inquiry",
                "type": "lead",
                "islah_beneficiary_id": beneficiary.id,
                "islah_gender": "female",
            }
        )
        message = request.message_post(body="Matrix note", message_type="comment")
        attachment = cls.env["ir.attachment"].create(
            {
                "name": "matrix.pdf",
                "raw": b"%PDF-1.4 matrix",
                "res_model": request._name,
                "res_id": request.id,
            }
        )
        consent = beneficiary.consent_ids.filtered(lambda c: c.state == "active")[:1]
        correction = cls.env["islah.data.correction"].create(
            {"beneficiary_id": beneficiary.id, "description": "Matrix: my district is wrong"}
        )
        access_log = cls.env["islah.access.log"]._islah_log(
            "read", beneficiary, field_names=["national_id"]
        )
        config = {
            "category": cls.env["islah.beneficiary.category"].search([], limit=1),
            "document_type": cls.doc_type_id_copy,
            "service_type": cls.service_full,
            "staff_guide": cls.env["islah.staff.guide"].search([], limit=1),
        }

        # periodic review (engineer review): a registered file, its draft
        # review, and the analysis line of its overdue review
        beneficiary.action_register()
        review = cls.env["islah.beneficiary.review"].create({"beneficiary_id": beneficiary.id})
        beneficiary.next_review_date = "2020-01-01"
        cls.env.flush_all()
        overdue_line = cls.env["islah.beneficiary.review.report"].search(
            [("id", "=", beneficiary.id * 2 + 1)]
        )

        def new_beneficiary():
            return {
                "name": "Matrix New",
                "gender": "female",
                "national_id": cls._new_national_id(),
                "consent": True,
            }

        return {
            "islah.beneficiary": (beneficiary, {"district": "Changed"}, new_beneficiary),
            "islah.beneficiary.member": (
                member,
                {"name": "Changed"},
                lambda: {
                    "beneficiary_id": beneficiary.id,
                    "name": "New member",
                    "relation": "daughter",
                },
            ),
            "islah.support.request": (
                request,
                {"description": "Changed"},
                lambda: {
                    "beneficiary_id": beneficiary.id,
                    "service_type_id": cls.service_full.id,
                    "medium_id": cls.channel_interview.id,
                },
            ),
            "islah.request.document": (
                request.document_ids[:1],
                {"note": "Changed"},
                lambda: {"request_id": request.id, "document_type_id": cls.doc_type_family.id},
            ),
            "islah.service.delivery": (
                delivery,
                {"description": "Changed"},
                lambda: {"request_id": served.id, "description": "Another basket", "amount": 200},
            ),
            "islah.committee.meeting": (meeting, {"minutes": "<p>Changed</p>"}, None),
            "islah.committee.decision": (decision, {"approved_notes": "Changed"}, None),
            "islah.committee.vote": (vote, {"comment": "Changed"}, None),
            "res.partner": (beneficiary.partner_id, {"email": "attacker@example.com"}, None),
            "crm.lead": (lead, {"description": "Changed"}, None),
            "mail.message": (message, {"body": "Changed"}, None),
            "ir.attachment": (attachment, {"name": "changed.pdf"}, None),
            "islah.beneficiary.category": (config["category"], {"name": "Changed"}, None),
            "islah.document.type": (config["document_type"], {"name": "Changed"}, None),
            "islah.service.type": (config["service_type"], {"name": "Changed"}, None),
            "islah.staff.guide": (config["staff_guide"], {"name": "Changed"}, None),
            "islah.privacy.notice": (
                cls.env["islah.privacy.notice"]._islah_current(),
                {"name": "Changed"},
                None,
            ),
            "islah.consent": (
                consent,
                {"withdrawal_channel_id": cls.channel_interview.id},
                lambda: {"beneficiary_id": beneficiary.id, "channel_id": cls.channel_interview.id},
            ),
            "islah.data.correction": (
                correction,
                {"answer": "Changed"},
                lambda: {"beneficiary_id": beneficiary.id, "description": "Matrix: new"},
            ),
            "islah.access.log": (access_log, {"purpose": "Changed"}, None),
            "islah.city": (
                cls.env["islah.city"].create({"name": "Matrix city"}),
                {"name": "Matrix city changed"},
                None,
            ),
            "islah.beneficiary.review": (
                review,
                {"notes": "Changed"},
                lambda: {"beneficiary_id": beneficiary.id},
            ),
            "islah.beneficiary.review.report": (overdue_line, {"timeliness": "late"}, None),
            # a submitted appeal is kept as lodged; another rejection is appealed
            "islah.appeal": (
                appeal,
                {"reason": "Changed"},
                lambda: {"request_id": rejected_other.id, "reason": "Matrix: new appeal"},
            ),
            # a women's suggestion of the file's own beneficiary, about no one
            "islah.feedback": (
                cls.env["islah.feedback"].create(
                    {
                        "kind": "suggestion",
                        "category": "service",
                        "beneficiary_id": beneficiary.id,
                        "section": "women",
                        "channel_id": cls.channel_interview.id,
                        "description": "Matrix: longer opening hours",
                    }
                ),
                {"description": "Changed"},
                lambda: {
                    "kind": "complaint",
                    "category": "waiting_time",
                    "beneficiary_id": beneficiary.id,
                    "section": "women",
                    "channel_id": cls.channel_interview.id,
                    "description": "Matrix: new",
                },
            ),
            # the registered file reached for a service it has not had
            "islah.outreach": (
                cls.env["islah.outreach"].create(
                    {"beneficiary_id": beneficiary.id, "service_type_id": cls.service_full.id}
                ),
                {"user_id": cls.officer_women.id},
                lambda: {
                    "beneficiary_id": beneficiary.id,
                    "service_type_id": cls.service_no_research.id,
                },
            ),
            "islah.service.faq": (
                cls.env["islah.service.faq"].create(
                    {
                        "service_type_id": cls.service_full.id,
                        "question": "Matrix: who may apply?",
                        "answer": "<p>Anyone.</p>",
                    }
                ),
                {"question": "Changed"},
                lambda: {"service_type_id": cls.service_full.id, "question": "Matrix: new"},
            ),
            # a women's-section action, owned by the women's officer
            "islah.improvement.action": (
                cls.env["islah.improvement.action"].create(
                    {"name": "Matrix action", "section": "women", "user_id": cls.officer_women.id}
                ),
                {"action_taken": "Changed"},
                lambda: {"name": "Matrix: new", "section": "women"},
            ),
        }

    def test_table_is_complete(self):
        """Every stored Islah model and every role has its row and column."""
        own = self.env["ir.model.data"].search(
            [("module", "=", self._module_name), ("model", "=", "ir.model")]
        )
        islah_models = self.env["ir.model"].browse(own.mapped("res_id"))
        stored = islah_models.filtered(
            lambda m: (
                m.model.startswith("islah.") and not self.env[m.model]._abstract and not m.transient
            )
        )
        missing = sorted(set(stored.mapped("model")) - set(self.MATRIX))
        self.assertFalse(missing, f"models without a row in MATRIX: {missing}")
        for row, cells in self.MATRIX.items():
            self.assertEqual(set(cells), set(ROLES), f"row {row}: not one cell per role")
        self.assertEqual(set(self.MATRIX), set(self.subjects), "a row without a subject")

    def test_matrix(self):
        """The whole table, cell by cell, through the RPC dispatcher."""
        self._check_matrix()
