"""System tests: the public request form and the portal through a real server,
as an applicant's browser uses them (multipart POST, CSRF token from the page)."""

import random
import re
import uuid

import pytest
import requests
from conftest import saudi_id

PDF_DOC = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PORTAL_GROUP = "base.group_portal"


def _hidden(html, name):
    match = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert match, f"no hidden {name} in the page"
    return match.group(1)


class Applicant(requests.Session):
    """An anonymous browser on the public form."""

    def __init__(self, server):
        super().__init__()
        self.server = server

    def open_form(self):
        response = self.get(f"{self.server.url}/islah/request", timeout=60)
        assert response.status_code == 200
        return _hidden(response.text, "csrf_token"), _hidden(response.text, "form_token")

    def submit(self, values, files=None, csrf=None, form_token=None):
        page_csrf, page_token = self.open_form()
        data = dict(values, form_token=form_token or page_token)
        data["csrf_token"] = page_csrf if csrf is None else csrf
        if csrf is False:
            data.pop("csrf_token")
        return self.post(
            f"{self.server.url}/islah/request", data=data, files=files or None, timeout=60
        )


@pytest.fixture(scope="module", autouse=True)
def base_url(admin, odoo_server):
    """Server-side callbacks (the receipt PDF's wkhtmltopdf fetches its
    assets from web.base.url) must reach this server, not whatever listens on
    the URL copied with the template database."""
    # the association's address is the sender of its e-mails: a fresh
    # database has none, as an administrator would, give it one
    company_id = admin.call("res.users", "read", [admin.uid], ["company_id"])[0]["company_id"][0]
    if not admin.read_one("res.company", company_id, ["email"])["email"]:
        admin.call("res.company", "write", [company_id], {"email": "islah@example.com"})
    return odoo_server.url


@pytest.fixture
def applicant(odoo_server):
    session = Applicant(odoo_server)
    yield session
    session.close()


@pytest.fixture(scope="module")
def service_id(admin):
    return admin.call(
        "islah.service.type",
        "create",
        {"name": f"System test counselling {uuid.uuid4().hex[:6]}", "needs_research": True},
    )


def _values(service_id, **overrides):
    values = {
        "name": "System Applicant",
        "national_id": saudi_id(),
        "gender": "female",
        "mobile": "0551234567",
        "email": f"applicant-{uuid.uuid4().hex[:8]}@example.com",
        "city": "Jeddah",
        "service_type_id": str(service_id),
        "description": "We need family counselling.",
        "declaration": "1",
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def _counts(admin):
    """What a submission creates: requests, beneficiaries, leads, attachments."""
    everything = {"context": {"active_test": False}}
    return (
        admin.call("islah.support.request", "search_count", [], **everything),
        admin.call("islah.beneficiary", "search_count", [], **everything),
        admin.call("crm.lead", "search_count", [], **everything),
        admin.call("ir.attachment", "search_count", [("res_model", "=", "islah.support.request")]),
    )


def test_public_form_creates_request_and_acknowledges(admin, applicant, service_id, smtp_sink):
    values = _values(service_id)
    response = applicant.submit(
        values, files=[("attachments", ("id-copy.pdf", PDF_DOC, "application/pdf"))]
    )
    assert response.status_code == 200
    number = re.search(r'o_islah_request_number">([^<]+)<', response.text).group(1)
    found = admin.call(
        "islah.support.request",
        "search_read",
        [("name", "=", number)],
        fields=["beneficiary_id", "medium_id", "declaration_accepted", "state"],
    )
    assert len(found) == 1
    request = found[0]
    assert request["state"] == "received"
    assert request["declaration_accepted"] is True
    assert request["medium_id"][0] == admin.ref("islah_beneficiary.utm_medium_website")
    beneficiary = admin.read_one(
        "islah.beneficiary", request["beneficiary_id"][0], ["national_id", "email"]
    )
    assert beneficiary["national_id"] == values["national_id"]
    attachments = admin.call(
        "ir.attachment",
        "search_read",
        [("res_model", "=", "islah.support.request"), ("res_id", "=", request["id"])],
        fields=["name"],
    )
    assert "id-copy.pdf" in [a["name"] for a in attachments]
    # the acknowledgement e-mail (the teammate's on-create automation)
    admin.call("mail.mail", "process_email_queue")
    message = smtp_sink.wait_for(
        lambda m: values["email"] in m["X-Sink-Rcpt-To"].lower(), timeout=60
    )
    assert (
        number in message["Subject"] or number in message.get_body(("html", "plain")).get_content()
    )


def test_double_submit_gives_one_request(admin, applicant, service_id):
    csrf, form_token = applicant.open_form()
    data = dict(_values(service_id), csrf_token=csrf, form_token=form_token)
    before = _counts(admin)
    first = applicant.post(f"{applicant.server.url}/islah/request", data=data, timeout=60)
    second = applicant.post(f"{applicant.server.url}/islah/request", data=data, timeout=60)
    assert first.status_code == second.status_code == 200
    after = _counts(admin)
    assert after[0] == before[0] + 1
    number = re.search(r'o_islah_request_number">([^<]+)<', first.text).group(1)
    assert number in second.text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"national_id": "1012345673"}, "is not a valid Saudi national ID or iqama number"),
        ({"declaration": None}, "You must declare that you are directly responsible"),
    ],
    ids=["bad-national-id", "missing-declaration"],
)
def test_invalid_submission_refused(admin, applicant, service_id, overrides, message):
    before = _counts(admin)
    response = applicant.submit(
        _values(service_id, **overrides),
        files=[("attachments", ("id-copy.pdf", PDF_DOC, "application/pdf"))],
    )
    assert response.status_code == 200
    assert message in response.text
    assert 'value="System Applicant"' in response.text, "the input is kept"
    assert _counts(admin) == before, "nothing half-created"


@pytest.mark.parametrize("csrf", [False, "forged0123456789abcdef0123456789abcdef01o1999999999"])
def test_bad_csrf_refused(admin, applicant, service_id, csrf):
    before = _counts(admin)
    response = applicant.submit(_values(service_id), csrf=csrf)
    assert response.status_code == 400
    assert _counts(admin) == before


def test_oversized_file_refused(admin, applicant, service_id):
    company_id = admin.call("res.users", "read", [admin.uid], ["company_id"])[0]["company_id"][0]
    limit = admin.read_one("res.company", company_id, ["islah_max_upload_mb"])[
        "islah_max_upload_mb"
    ]
    admin.call("res.company", "write", [company_id], {"islah_max_upload_mb": 1})
    try:
        before = _counts(admin)
        big = PDF_DOC + b"0" * (1024 * 1024 + random.randint(1, 1000))
        response = applicant.submit(
            _values(service_id), files=[("attachments", ("big.pdf", big, "application/pdf"))]
        )
        assert response.status_code == 200
        assert "big.pdf is larger than 1 MB" in response.text
        assert _counts(admin) == before
    finally:
        admin.call("res.company", "write", [company_id], {"islah_max_upload_mb": limit})


def _portal_login(server, login, password):
    session = requests.Session()
    page = session.get(f"{server.url}/web/login", timeout=60)
    response = session.post(
        f"{server.url}/web/login",
        data={
            "login": login,
            "password": password,
            "csrf_token": _hidden(page.text, "csrf_token"),
            "redirect": "/my",
        },
        timeout=60,
    )
    assert response.status_code == 200
    assert "/web/session/logout" in response.text, "logged in"
    return session


def test_portal_user_cannot_open_another_request(admin, odoo_server, service_id):
    login = f"portal_{uuid.uuid4().hex[:8]}"
    user_id = admin.call(
        "res.users",
        "create",
        {
            "name": "Portal Beneficiary",
            "login": login,
            "password": login,
            "email": f"{login}@example.com",
            "group_ids": [(6, 0, [admin.ref(PORTAL_GROUP)])],
        },
    )
    partner_id = admin.read_one("res.users", user_id, ["partner_id"])["partner_id"][0]
    channel = admin.ref("islah_beneficiary.utm_medium_interview")
    own = admin.call(
        "islah.beneficiary",
        "create",
        {"partner_id": partner_id, "national_id": saudi_id(), "gender": "female"},
    )
    other = admin.call(
        "islah.beneficiary",
        "create",
        {"name": "Hidden Other Family", "national_id": saudi_id(), "gender": "female"},
    )
    own_request, other_request = (
        admin.call(
            "islah.support.request",
            "create",
            {"beneficiary_id": ben, "service_type_id": service_id, "medium_id": channel},
        )
        for ben in (own, other)
    )
    own_name, other_name = (
        admin.read_one("islah.support.request", rid, ["name"])["name"]
        for rid in (own_request, other_request)
    )
    session = _portal_login(odoo_server, login, login)
    try:
        mine = session.get(f"{odoo_server.url}/my/requests", timeout=60)
        assert mine.status_code == 200
        assert own_name in mine.text
        assert other_name not in mine.text
        assert session.get(f"{odoo_server.url}/my/requests/{own_request}", timeout=60).ok
        stolen = session.get(f"{odoo_server.url}/my/requests/{other_request}", timeout=60)
        assert stolen.status_code in (403, 404)
        assert other_name not in stolen.text
        assert "Hidden Other Family" not in stolen.text
    finally:
        session.close()
