"""System test: a Research Committee meeting held over JSON-RPC, as the
committee does it, up to the decision letter arriving by e-mail."""

import uuid

import pytest
from conftest import OdooRpcError, open_request

COMMITTEE_GROUP = "islah_beneficiary.group_islah_beneficiary_committee"


@pytest.fixture(scope="module")
def committee(rpc, create_user):
    """Chair, secretary and two members, each with their own JSON-RPC client."""
    users = {
        role: create_user([COMMITTEE_GROUP], login=f"committee_{role}")
        for role in ("chair", "secretary", "member_a", "member_b")
    }
    return {
        role: (user["id"], rpc(user["login"], user["password"])) for role, user in users.items()
    }


def _request_in_committee(admin, email):
    """A beneficiary with an e-mail address and a request brought to the
    committee through the officer's steps."""
    request_id = open_request(
        admin,
        {"name": "System test cash aid", "needs_research": False, "is_financial": True},
        {"name": "Maryam Al-Dosari", "gender": "female", "email": email, "lang": "en_US"},
    )
    assert admin.read_one("islah.support.request", request_id, ["state"])["state"] == "committee"
    return request_id


def _pdf_parts(message):
    return [
        part
        for part in message.walk()
        if part.get_content_type() == "application/pdf"
        and part.get_content_disposition() == "attachment"
    ]


def test_meeting_decides_and_the_letter_is_emailed(odoo_server, admin, committee, smtp_sink):
    # wkhtmltopdf fetches the report's styles from this server; the letters
    # are sent from the association's address (company settings)
    admin.call("ir.config_parameter", "set_param", "report.url", odoo_server.url)
    company_id = admin.call("res.users", "read", [admin.uid], ["company_id"])[0]["company_id"][0]
    admin.call("res.company", "write", [company_id], {"email": "info@islah.example.com"})
    email = f"maryam-{uuid.uuid4().hex[:8]}@example.com"
    request_id = _request_in_committee(admin, email)
    ids = {role: uid for role, (uid, _client) in committee.items()}
    secretary = committee["secretary"][1]

    # the secretary opens the meeting and pulls the waiting requests
    meeting_id = secretary.call(
        "islah.committee.meeting",
        "create",
        {
            "member_ids": [(6, 0, list(ids.values()))],
            "chair_id": ids["chair"],
            "secretary_id": ids["secretary"],
            "attendee_ids": [(6, 0, list(ids.values()))],
        },
    )
    secretary.call("islah.committee.meeting", "action_pull_requests", [meeting_id])
    decision_ids = secretary.call(
        "islah.committee.decision",
        "search",
        [("meeting_id", "=", meeting_id), ("request_id", "=", request_id)],
    )
    assert len(decision_ids) == 1
    secretary.call(
        "islah.committee.decision",
        "write",
        decision_ids,
        {"approved_amount": 1500, "approved_notes": "One payment"},
    )
    secretary.call("islah.committee.meeting", "action_start_session", [meeting_id])

    # each member casts their own vote, and only theirs
    votes = {
        "chair": "approve",
        "secretary": "approve",
        "member_a": "approve",
        "member_b": "reject",
    }
    for role, vote in votes.items():
        client = committee[role][1]
        own = client.call(
            "islah.committee.vote",
            "search",
            [("decision_id", "in", decision_ids), ("member_id", "=", ids[role])],
        )
        assert len(own) == 1
        client.call("islah.committee.vote", "write", own, {"vote": vote, "comment": f"{role} view"})
    member_a = committee["member_a"][1]
    others = member_a.call(
        "islah.committee.vote",
        "search",
        [("decision_id", "in", decision_ids), ("member_id", "=", ids["member_b"])],
    )
    with pytest.raises(OdooRpcError):
        member_a.call("islah.committee.vote", "write", others, {"vote": "approve"})
    with pytest.raises(OdooRpcError):
        member_a.call("islah.committee.meeting", "action_close", [meeting_id])

    # the chair closes the meeting: the request is approved, the deadline met
    committee["chair"][1].call("islah.committee.meeting", "action_close", [meeting_id])
    meeting = admin.read_one("islah.committee.meeting", meeting_id, ["state", "quorum"])
    assert meeting["state"] == "closed"
    request = admin.read_one("islah.support.request", request_id, ["state", "sla_state"])
    assert (request["state"], request["sla_state"]) == ("approved", "met")
    decision = admin.read_one(
        "islah.committee.decision",
        decision_ids[0],
        ["outcome", "letter_number", "notification_method", "notified_on"],
    )
    assert decision["outcome"] == "approved"
    assert decision["letter_number"]
    assert decision["notification_method"] == "email"

    # the decision is locked, even for the administrator
    with pytest.raises(OdooRpcError):
        admin.call("islah.committee.decision", "write", decision_ids, {"reason": "changed"})

    # the beneficiary's e-mail arrives with the letter as a PDF
    try:
        message = smtp_sink.wait_for(
            lambda m: email in m["X-Sink-Rcpt-To"] and "decision" in str(m["Subject"]).lower(),
            timeout=60,
        )
    except AssertionError as error:
        mails = admin.call(
            "mail.mail",
            "search_read",
            [("model", "=", "islah.committee.decision")],
            ["state", "failure_reason", "email_to", "recipient_ids", "email_from"],
        )
        messages = admin.call(
            "mail.message",
            "search_read",
            [("model", "=", "islah.committee.decision")],
            ["message_type", "subtype_id", "partner_ids", "subject"],
        )
        raise AssertionError(f"{error}; mails: {mails}; messages: {messages}") from error
    pdfs = _pdf_parts(message)
    assert len(pdfs) == 1, [p.get_content_type() for p in message.walk()]
    assert pdfs[0].get_filename().startswith("Decision letter")
    assert pdfs[0].get_payload(decode=True).startswith(b"%PDF")
