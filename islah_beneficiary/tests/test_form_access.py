"""Every role opens the forms of its work as the web client does: the form
view it is served (``get_views``, its groups applied) and a ``web_read`` of
every field that view shows, sub-lists included, on a record it may see.

Regression: the social researcher could not open a support request
("Failed to read field islah.support.request.delivery_ids": no access to
service deliveries), so step 3 could only be done over RPC."""

import re

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError
from odoo.service.model import call_kw
from odoo.tests import new_test_user, tagged

from .common import GROUP_COMMITTEE, IslahCommon

X2MANY = ("one2many", "many2many")
EXPRESSIONS = ("invisible", "readonly", "required", "column_invisible")
# a field name in an expression, not one of the parent record (parent.x)
IDENTIFIER = re.compile(r"(?<![.\w])([a-z_][a-z0-9_]*)\b(?!\s*\()")


def _view_fields(node, model, models):
    """The specification the web client reads for the fields under
    ``node``: nested views of x2many fields become sub-specifications."""
    spec = {}
    for field_node in node.iter("field"):
        # only the fields of this level: a nested view's are its field's
        parent = field_node.getparent()
        while parent is not None and parent is not node and parent.tag != "field":
            parent = parent.getparent()
        if parent is not node and parent is not None:
            continue
        name = field_node.get("name")
        field = models[model]["fields"].get(name) or {}
        if field.get("type") == "many2one":
            spec[name] = {"fields": {"display_name": {}}}
        elif field.get("type") in X2MANY:
            comodel = field["relation"]
            sub = {}
            for view in field_node:
                if view.tag in ("list", "kanban", "form"):
                    sub.update(_view_fields(view, comodel, models))
            spec[name] = {"fields": sub or {"display_name": {}}}
        else:
            spec[name] = {}
    # fields the view's expressions use (invisible, readonly...) are read too
    for element in node.iter():
        for attribute in EXPRESSIONS:
            for name in IDENTIFIER.findall(element.get(attribute) or ""):
                if name in models[model]["fields"]:
                    spec.setdefault(name, {})
    return spec


def form_specification(Model):
    """The form view of ``Model`` as its user is served it, and the fields
    the web client reads to show a record in it."""
    views = Model.get_views([(False, "form")])
    arch = etree.fromstring(views["views"]["form"]["arch"])
    return _view_fields(arch, Model._name, views["models"])


@tagged("post_install", "-at_install", "islah_form_access")
class TestFormAccess(IslahCommon):
    """The request, meeting and decision forms, for each role of the flow."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.chair = new_test_user(
            cls.env, login="islah_form_chair", groups=GROUP_COMMITTEE, name="Form Chair"
        )
        cls.beneficiary = cls._create_beneficiary(name="Form Beneficiary")
        # one request in each step a role works on
        cls.received = cls._create_request(cls.beneficiary)
        cls.research = cls._request_in_state(
            "research", cls.beneficiary, researcher_id=cls.researcher.id
        )
        cls.unassigned = cls._request_in_state("research", cls.beneficiary)
        cls.on_agenda = cls._request_in_state(
            "committee", cls.beneficiary, researcher_id=cls.researcher.id
        )
        cls.served = cls._request_in_state(
            "in_service", cls.beneficiary, researcher_id=cls.researcher.id
        )
        cls.env["islah.service.delivery"].create(
            {"request_id": cls.served.id, "description": "Counselling session"}
        )
        cls.company.islah_committee_quorum = 2
        members = cls.chair | cls.committee_member
        cls.meeting = cls.env["islah.committee.meeting"].create(
            {
                "member_ids": [Command.set(members.ids)],
                "chair_id": cls.chair.id,
                "secretary_id": cls.chair.id,
                "attendee_ids": [Command.set(members.ids)],
            }
        )
        cls.decision = cls.env["islah.committee.decision"].create(
            {"meeting_id": cls.meeting.id, "request_id": cls.on_agenda.id}
        )
        cls.meeting.action_start_session()

    def _open_form(self, user, records):
        """Open each record of ``records`` in its form as ``user``, over the
        RPC dispatcher; fail on any access error."""
        Model = self.env[records._name].with_user(user)
        spec = form_specification(Model)
        return self._read_all(user, Model, spec, records)

    def _read_all(self, user, Model, spec, records):
        for record in records:
            with self.subTest(user=user.login, record=record.display_name):
                try:
                    values = call_kw(Model, "web_read", [record.ids, spec], {})
                except AccessError as error:
                    self.fail(f"{user.login} cannot open {record.display_name}: {error}")
                self.assertEqual(values[0]["id"], record.id)

    def test_request_form_every_role(self):
        requests = {
            self.officer_men: self.received | self.research | self.on_agenda | self.served,
            self.researcher: self.research | self.unassigned | self.on_agenda | self.served,
            self.committee_member: self.on_agenda | self.served,
            self.manager: self.received | self.research | self.on_agenda | self.served,
        }
        for user, records in requests.items():
            visible = records.with_user(user).search([("id", "in", records.ids)])
            self.assertEqual(visible, records.with_user(user), f"{user.login} sees them")
            self._open_form(user, records)
        spec = form_specification(self.env["islah.support.request"].with_user(self.researcher))
        self.assertIn("date", spec["delivery_ids"]["fields"], "the deliveries tab is read")
        self.assertIn("document_type_id", spec["document_ids"]["fields"])

    def test_researcher_reads_no_other_delivery(self):
        """Reading deliveries is for the researcher's own assignments only."""
        other = self._request_in_state("in_service", self._create_beneficiary())
        delivery = self.env["islah.service.delivery"].create(
            {"request_id": other.id, "description": "Not theirs"}
        )
        Delivery = self.env["islah.service.delivery"].with_user(self.researcher)
        self.assertFalse(Delivery.search([("id", "=", delivery.id)]))
        self.assertTrue(Delivery.search([("request_id", "=", self.served.id)]))
        with self.assertRaises(AccessError):
            delivery.with_user(self.researcher).read(["description"])

    def test_meeting_form_every_role(self):
        for user in (self.chair, self.committee_member, self.manager):
            self._open_form(user, self.meeting)

    def test_decision_form_every_role(self):
        for user in (self.chair, self.committee_member, self.manager):
            self._open_form(user, self.decision)
        for ballot in self.decision.vote_ids:
            ballot.with_user(ballot.member_id).action_vote_approve()
        self.meeting.with_user(self.chair).action_close()
        # officers read the closed decisions of their section
        self._open_form(self.officer_men, self.decision)

    def test_delivery_form_officer_and_researcher(self):
        deliveries = self.served.delivery_ids
        self._open_form(self.officer_men, deliveries)
        self._open_form(self.researcher, deliveries)
