"""System tests: the public request form and the portal through a real server,
as an applicant's browser uses them (multipart POST, CSRF token from the page)."""

import http.client
import random
import re
import time
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


@pytest.fixture(scope="module")
def company_id(admin):
    return admin.call("res.users", "read", [admin.uid], ["company_id"])[0]["company_id"][0]


@pytest.fixture(scope="module", autouse=True)
def generous_throttle(admin, company_id):
    """Every test posts from 127.0.0.1: the throttling test lowers the limit
    itself."""
    admin.call("res.company", "write", [company_id], {"islah_intake_rate_limit": 10_000})


@pytest.fixture
def applicant(odoo_server):
    session = Applicant(odoo_server)
    yield session
    session.close()


@pytest.fixture(scope="module")
def doc_type_id(admin):
    return admin.call("islah.document.type", "create", {"name": "System test ID copy"})


@pytest.fixture(scope="module")
def service_id(admin, doc_type_id):
    return admin.call(
        "islah.service.type",
        "create",
        {
            "name": f"System test counselling {uuid.uuid4().hex[:6]}",
            "needs_research": True,
            "document_type_ids": [(6, 0, [doc_type_id])],
        },
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
        "need": "We need family counselling.",
        "declaration": "1",
        "consent": "1",
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def _counts(admin):
    """What a submission may create: requests, beneficiaries, leads, lead files."""
    everything = {"context": {"active_test": False}}
    return (
        admin.call("islah.support.request", "search_count", [], **everything),
        admin.call("islah.beneficiary", "search_count", [], **everything),
        admin.call("crm.lead", "search_count", [], **everything),
        admin.call("ir.attachment", "search_count", [("res_model", "=", "crm.lead")]),
    )


def _reference(html):
    return re.search(r'o_islah_request_number">([^<]+)<', html).group(1)


def _lead(admin, reference, fields=("islah_identity_state", "islah_beneficiary_id", "partner_id")):
    found = admin.call(
        "crm.lead",
        "search_read",
        [("islah_intake_ref", "=", reference)],
        fields=list(fields),
        context={"active_test": False},
    )
    assert len(found) == 1
    return found[0]


def _mail_to(smtp_sink, admin, address):
    admin.call("mail.mail", "process_email_queue")
    return smtp_sink.wait_for(lambda m: address in m["X-Sink-Rcpt-To"].lower(), timeout=60)


def _mail_text(message):
    return message.get_body(("html", "plain")).get_content()


def _confirm_link(message):
    return re.search(r'href="([^"]*/islah/intake/confirm/[^"]+)"', _mail_text(message)).group(1)


def test_public_form_creates_only_an_intake(admin, applicant, service_id, doc_type_id, smtp_sink):
    before = _counts(admin)
    values = _values(service_id)
    response = applicant.submit(
        values, files=[(f"document_{doc_type_id}", ("id-copy.pdf", PDF_DOC, "application/pdf"))]
    )
    assert response.status_code == 200
    assert "/my/" not in response.text, "no portal link"
    after = _counts(admin)
    assert after[:2] == before[:2], "no request, no beneficiary"
    assert after[2:] == (before[2] + 1, before[3] + 1), "one intake with its file"
    fields = ["islah_identity_state", "islah_beneficiary_id", "partner_id", "medium_id", "team_id"]
    lead = _lead(admin, _reference(response.text), fields)
    assert lead["islah_identity_state"] == "unverified"
    assert lead["islah_beneficiary_id"] is False and lead["partner_id"] is False
    assert lead["medium_id"][0] == admin.ref("islah_beneficiary.utm_medium_website")
    assert lead["team_id"][0] == admin.ref("islah_beneficiary.crm_team_islah_women")
    todos = admin.call(
        "mail.activity",
        "search_count",
        [("res_model", "=", "crm.lead"), ("res_id", "=", lead["id"])],
    )
    assert todos, "the officers are told at once"
    # the one e-mail to the typed address: acknowledgement + confirmation link
    message = _mail_to(smtp_sink, admin, values["email"])
    assert _reference(response.text) in _mail_text(message)
    assert ".pdf" not in str([part.get_filename() for part in message.iter_attachments()])
    link = _confirm_link(message)
    # a mail scanner opens the link: a page with a button, nothing confirmed
    scanner = requests.get(link, timeout=60)
    assert scanner.status_code == 200
    assert 'id="islah_email_confirm_form"' in scanner.text
    page = applicant.get(link, timeout=60)
    assert page.status_code == 200
    assert "/my/" not in page.text and "access_token" not in page.text
    assert not admin.read_one("crm.lead", lead["id"], ["islah_email_confirmed"])[
        "islah_email_confirmed"
    ], "opening the link confirms nothing"
    forged = applicant.post(link, data={"csrf_token": "forged"}, timeout=60)
    assert forged.status_code == 400
    assert not admin.read_one("crm.lead", lead["id"], ["islah_email_confirmed"])[
        "islah_email_confirmed"
    ]
    # the applicant presses the button
    done = applicant.post(link, data={"csrf_token": _hidden(page.text, "csrf_token")}, timeout=60)
    assert done.status_code == 200
    assert "islah_email_confirmed" in done.text
    assert "/my/" not in done.text and "access_token" not in done.text
    confirmed = admin.read_one("crm.lead", lead["id"], ["islah_email_confirmed"])
    assert confirmed["islah_email_confirmed"] is True
    unknown = link.rsplit("/", 1)[0] + "/unknown"
    assert applicant.get(unknown, timeout=60).status_code == 404
    csrf = _hidden(page.text, "csrf_token")
    assert applicant.post(unknown, data={"csrf_token": csrf}, timeout=60).status_code == 404


def _scrub(text, *secrets):
    text = re.sub(r"[0-9a-f]{40}o\d+", "CSRF", text)
    text = re.sub(r'name="form_token" value="[^"]+"', "", text)
    text = re.sub(r"/islah/intake/confirm/[A-Za-z0-9_-]+", "/islah/intake/confirm/X", text)
    for secret in secrets:
        text = text.replace(secret, "X")
    return text


def test_no_oracle_known_unknown_archived(admin, applicant, service_id, smtp_sink):
    """Byte for byte the same page and e-mail, whoever's national ID it is."""
    known, archived = (saudi_id(), saudi_id())
    for number, name in ((known, "Known Person"), (archived, "Archived Person")):
        ben = admin.call(
            "islah.beneficiary",
            "create",
            {"name": name, "national_id": number, "gender": "female", "email": "k@example.com"},
        )
        if number == archived:
            admin.call("islah.beneficiary", "write", [ben], {"active": False})
    answers = []
    for number in (known, saudi_id(), archived):
        email = f"same-{uuid.uuid4().hex[:8]}@example.com"
        response = applicant.submit(_values(service_id, national_id=number, email=email))
        reference = _reference(response.text)
        message = _mail_to(smtp_sink, admin, email)
        answers.append(
            (
                response.status_code,
                _scrub(response.text, reference),
                _scrub(message["Subject"], reference),
                _scrub(_mail_text(message), reference, email),
            )
        )
    assert answers[0] == answers[1] == answers[2]
    assert not smtp_sink.sent_to("k@example.com"), "nothing to the files' addresses"
    requests_of = admin.call(
        "islah.support.request",
        "search_count",
        [("beneficiary_id.national_id", "in", [known, archived])],
        context={"active_test": False},
    )
    assert requests_of == 0


def test_squatted_id_never_captures_the_owner(admin, applicant, service_id, smtp_sink):
    national_id = saudi_id()
    stranger_mail = f"stranger-{uuid.uuid4().hex[:8]}@example.com"
    owner_mail = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    first = applicant.submit(
        _values(service_id, national_id=national_id, name="Stranger", email=stranger_mail)
    )
    second = applicant.submit(
        _values(service_id, national_id=national_id, name="Real Owner", email=owner_mail)
    )
    stranger, owner = (_lead(admin, _reference(r.text)) for r in (first, second))
    assert stranger["id"] != owner["id"]
    for lead in (stranger, owner):
        assert lead["islah_beneficiary_id"] is False and lead["partner_id"] is False
    assert not admin.call(
        "islah.beneficiary",
        "search_count",
        [("national_id", "=", national_id)],
        context={"active_test": False},
    )
    _mail_to(smtp_sink, admin, owner_mail)
    stranger_mails = smtp_sink.sent_to(stranger_mail)
    assert len(stranger_mails) == 1
    assert _reference(second.text) not in _mail_text(stranger_mails[0])


def test_form_token_of_another_session_is_worth_nothing(admin, applicant, service_id, odoo_server):
    """Someone else's form token neither shows their reference nor makes a
    stranger's post a "double" of theirs."""
    csrf, form_token = applicant.open_form()
    data = dict(_values(service_id), csrf_token=csrf, form_token=form_token)
    first = applicant.post(f"{applicant.server.url}/islah/request", data=data, timeout=60)
    stranger = Applicant(odoo_server)
    try:
        before = _counts(admin)
        second = stranger.submit(_values(service_id, name="Stranger"), form_token=form_token)
        assert second.status_code == 200
        assert _reference(first.text) not in second.text
        assert _counts(admin)[2] == before[2] + 1
    finally:
        stranger.close()


def test_double_submit_gives_one_intake(admin, applicant, service_id):
    csrf, form_token = applicant.open_form()
    data = dict(_values(service_id), csrf_token=csrf, form_token=form_token)
    before = _counts(admin)
    first = applicant.post(f"{applicant.server.url}/islah/request", data=data, timeout=60)
    second = applicant.post(f"{applicant.server.url}/islah/request", data=data, timeout=60)
    assert first.status_code == second.status_code == 200
    assert _counts(admin)[2] == before[2] + 1
    assert _reference(first.text) == _reference(second.text)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"national_id": "1012345673"}, "is not a valid Saudi national ID or iqama number"),
        ({"declaration": None}, "You must declare that you are directly responsible"),
        ({"name": "A" * 100_000}, "Write at most 128 characters."),
    ],
    ids=["bad-national-id", "missing-declaration", "name-too-long"],
)
def test_invalid_submission_refused(admin, applicant, service_id, doc_type_id, overrides, message):
    before = _counts(admin)
    response = applicant.submit(
        _values(service_id, **overrides),
        files=[(f"document_{doc_type_id}", ("id-copy.pdf", PDF_DOC, "application/pdf"))],
    )
    assert response.status_code == 200
    assert message in response.text
    assert response.text.count(message) == 1, "listed once"
    if "name" not in overrides:
        assert 'value="System Applicant"' in response.text, "the input is kept"
    assert _counts(admin) == before, "nothing half-created"


@pytest.mark.parametrize("csrf", [False, "forged0123456789abcdef0123456789abcdef01o1999999999"])
def test_bad_csrf_refused(admin, applicant, service_id, csrf):
    before = _counts(admin)
    response = applicant.submit(_values(service_id), csrf=csrf)
    assert response.status_code == 400
    assert _counts(admin) == before


def test_oversized_file_refused(admin, applicant, service_id, doc_type_id, company_id):
    limit = admin.read_one("res.company", company_id, ["islah_max_upload_mb"])[
        "islah_max_upload_mb"
    ]
    admin.call("res.company", "write", [company_id], {"islah_max_upload_mb": 1})
    try:
        before = _counts(admin)
        big = PDF_DOC + b"0" * (1024 * 1024 + random.randint(1, 1000))
        response = applicant.submit(
            _values(service_id),
            files=[(f"document_{doc_type_id}", ("big.pdf", big, "application/pdf"))],
        )
        assert response.status_code == 200
        assert "big.pdf is larger than 1 MB" in response.text
        assert _counts(admin) == before
    finally:
        admin.call("res.company", "write", [company_id], {"islah_max_upload_mb": limit})


def test_body_over_the_limit_refused_before_it_is_read(admin, odoo_server, applicant):
    """30 MB announced, a few bytes sent: 413 at once, the body is not awaited."""
    applicant.open_form()
    cookies = "; ".join(f"{name}={value}" for name, value in applicant.cookies.items())
    before = _counts(admin)
    connection = http.client.HTTPConnection("127.0.0.1", odoo_server.port, timeout=20)
    started = time.monotonic()
    try:
        connection.putrequest("POST", "/islah/request")
        connection.putheader("Content-Type", "multipart/form-data; boundary=xyz")
        connection.putheader("Content-Length", str(30 * 1024 * 1024))
        connection.putheader("Cookie", cookies)
        connection.endheaders(b"--xyz\r\nContent-Disposition: form-data; name=")
        response = connection.getresponse()
        body = response.read().decode()
    finally:
        connection.close()
    assert response.status == 413
    assert time.monotonic() - started < 15
    assert "islah_request_refused" in body
    assert _counts(admin) == before


def test_throttled_with_a_page_in_the_visitors_language(admin, applicant, service_id, company_id):
    applicant.submit(_values(service_id))  # at least one recent intake from here
    admin.call("res.company", "write", [company_id], {"islah_intake_rate_limit": 1})
    try:
        before = _counts(admin)
        response = applicant.submit(_values(service_id))
        assert response.status_code == 429
        assert response.headers["Retry-After"] == "600"
        # Arabic for /ar, and for an Arabic browser on the plain URL
        page = applicant.get(f"{applicant.server.url}/ar/islah/request", timeout=60)
        data = dict(
            _values(service_id),
            csrf_token=_hidden(page.text, "csrf_token"),
            form_token=_hidden(page.text, "form_token"),
        )
        arabic = applicant.post(f"{applicant.server.url}/ar/islah/request", data=data, timeout=60)
        browser = Applicant(applicant.server)
        browser.headers["Accept-Language"] = "ar-SA,ar;q=0.9"
        arabic_browser = browser.submit(_values(service_id))
        for answer in (arabic, arabic_browser):
            assert answer.status_code == 429
            assert 'dir="rtl"' in answer.text
            assert 'lang="ar-' in answer.text
        assert _counts(admin) == before
    finally:
        admin.call("res.company", "write", [company_id], {"islah_intake_rate_limit": 10_000})


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
