"""System tests: the beneficiary registry through a real server, as staff use it."""

import random

import pytest
from conftest import OdooRpcError, saudi_id

OFFICER_GROUP = "islah_beneficiary.group_islah_beneficiary_officer"
VALIDATION_ERROR = "odoo.exceptions.ValidationError"


@pytest.fixture(scope="module")
def officer(rpc, create_user):
    user = create_user([OFFICER_GROUP], login="officer", islah_section="both")
    return rpc(user["login"], user["password"])


def test_officer_registers_beneficiary(officer):
    beneficiary_id = officer.call(
        "islah.beneficiary",
        "create",
        {
            "name": "Salem Al-Harbi",
            "national_id": "1012345672",
            "gender": "male",
            "phone": "0553304342",
        },
    )
    record = officer.read_one("islah.beneficiary", beneficiary_id, ["name", "phone"])
    assert record["name"] == "Salem Al-Harbi"
    assert record["phone"] == "+966553304342"


def test_bad_check_digit_is_refused(officer):
    with pytest.raises(OdooRpcError) as error:
        officer.call(
            "islah.beneficiary",
            "create",
            {"name": "Bad Check Digit", "national_id": "1012345673", "gender": "male"},
        )
    assert error.value.name == VALIDATION_ERROR
    assert "1012345673" in error.value.message


def test_duplicate_national_id_is_refused(officer):
    national_id = saudi_id()
    values = {"name": "First Holder", "national_id": national_id, "gender": "female"}
    officer.call("islah.beneficiary", "create", values)
    with pytest.raises(OdooRpcError) as error:
        officer.call("islah.beneficiary", "create", dict(values, name="Second Holder"))
    assert error.value.name == VALIDATION_ERROR
    holders = officer.call("islah.beneficiary", "search_count", [("national_id", "=", national_id)])
    assert holders == 1


def test_outgoing_mail_reaches_the_sink(admin, smtp_sink):
    """The server's outgoing mail is the test's SMTP sink (the harness itself)."""
    address = f"sink-check-{random.randint(0, 10**9)}@example.com"
    mail_id = admin.call(
        "mail.mail",
        "create",
        {
            # a fresh database has no sender address configured anywhere
            "email_from": "Islah <no-reply@example.com>",
            "email_to": address,
            "subject": "Sink check",
            "body_html": "<p>Hello</p>",
        },
    )
    admin.call("mail.mail", "send", [mail_id], raise_exception=True)
    message = smtp_sink.wait_for(lambda m: address in m["X-Sink-Rcpt-To"], timeout=30)
    assert message["Subject"] == "Sink check"
    assert "Hello" in message.get_body(("html", "plain")).get_content()
