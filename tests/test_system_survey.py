"""System test: the satisfaction survey after delivery, through a real server.

Staff close a request as delivered over JSON-RPC; the invitation arrives in
the SMTP sink, in the beneficiary's language (Arabic); the link taken from
the e-mail is answered over plain HTTP, anonymously, exactly as the survey
page's JavaScript does it; the score then shows on the request. A second use
of the link and a tampered token are refused and record nothing.
"""

import html
import re
import uuid
from urllib.parse import urlsplit

import pytest
import requests
from conftest import open_request

ARABIC = "ar_001"
LINK_RE = re.compile(r'href="([^"]*/survey/start/[^"]+)"')


def _html_body(message):
    part = message.get_body(preferencelist=("html", "plain"))
    return part.get_content()


def _jsonrpc(session, url, params):
    response = session.post(
        url, json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}, timeout=60
    )
    response.raise_for_status()
    body = response.json()
    assert "error" not in body, body.get("error")
    return body["result"]


@pytest.fixture(scope="module")
def survey_ids(admin):
    """Ids of the shipped survey's questions and of the "yes" answer."""
    ref = admin.ref
    names = (
        "courtesy",
        "clarity",
        "speed",
        "channel",
        "overall",
        "need_met",
        "recommend",
        "suggestions",
    )
    ids = {name: ref(f"islah_survey_ext.survey_question_{name}") for name in names}
    ids["yes"] = ref("islah_survey_ext.survey_answer_need_met_yes")
    return ids


def _request_in_service(admin, service_name, beneficiary_values):
    """A registered beneficiary's request of a service needing neither research
    nor committee, brought to ``in_service`` through the officer's steps."""
    request_id = open_request(
        admin,
        {"name": service_name, "needs_research": False, "needs_committee": False},
        {"consent": True, **beneficiary_values},
    )
    request = admin.read_one("islah.support.request", request_id, ["beneficiary_id"])
    admin.call("islah.beneficiary", "action_register", [request["beneficiary_id"][0]])
    admin.call("islah.support.request", "action_start_service", [request_id])
    assert admin.read_one("islah.support.request", request_id, ["state"])["state"] == "in_service"
    return request_id


@pytest.fixture(scope="module")
def delivered_request(admin, odoo_server, smtp_sink):
    """A request of a service without research nor committee, driven to
    ``done`` through its actions; returns (request id, e-mail address)."""
    # the association's address sends the invitations
    company_id = admin.call("res.users", "read", [admin.uid], ["company_id"])[0]["company_id"][0]
    admin.call("res.company", "write", [company_id], {"email": "contact@islah.example"})
    lang = ARABIC if admin.call("res.lang", "search_count", [("code", "=", ARABIC)]) else "en_US"
    email = f"beneficiary.{uuid.uuid4().hex[:8]}@example.com"
    request_id = _request_in_service(
        admin,
        "System-test guidance",
        {"name": "مستفيد الاستبانة", "gender": "male", "email": email, "lang": lang},
    )
    admin.call(
        "islah.service.delivery",
        "create",
        {"request_id": request_id, "description": "Guidance session held"},
    )
    admin.call("islah.support.request", "action_done", [request_id])
    return request_id, email, lang


def test_survey_answered_from_the_email(
    admin, odoo_server, smtp_sink, delivered_request, survey_ids
):
    request_id, email, lang = delivered_request
    request = admin.read_one("islah.support.request", request_id, ["state", "islah_survey_state"])
    assert request["state"] == "done"
    assert request["islah_survey_state"] == "invited"

    # the acknowledgement left at once, on receipt; then the survey invitation
    smtp_sink.wait_for(
        lambda m: email in m["X-Sink-Rcpt-To"] and "/survey/" not in _html_body(m), timeout=60
    )
    message = smtp_sink.wait_for(
        lambda m: email in m["X-Sink-Rcpt-To"] and "/survey/" in _html_body(m), timeout=60
    )
    assert "contact@islah.example" in message["From"]
    body = _html_body(message)
    if lang == ARABIC:  # the invitation is in the beneficiary's language
        assert "كيف كانت خدمتنا" in message["Subject"], message["Subject"]
        assert "تقييم جودة الخدمة حق" in body
    links = LINK_RE.findall(body)
    assert links, body
    link = html.unescape(links[0])
    assert link.startswith(odoo_server.url)
    survey_token = urlsplit(link).path.rsplit("/", 1)[1]
    answer_token = urlsplit(link).query.split("answer_token=", 1)[1]

    # the beneficiary opens the link: no login, the survey's start page
    browser = requests.Session()
    page = browser.get(link, timeout=60)
    assert page.status_code == 200
    assert "o_survey_start" in page.text
    if lang == ARABIC:
        assert "تقييم جودة الخدمة حق" in page.text

    # ... starts it and submits the one page, as the page's script does
    base = f"{odoo_server.url}/survey"
    _jsonrpc(browser, f"{base}/begin/{survey_token}/{answer_token}", {})
    answers = {
        str(survey_ids[name]): "4"
        for name in ("courtesy", "clarity", "speed", "channel", "overall")
    }
    answers[str(survey_ids["need_met"])] = str(survey_ids["yes"])
    answers[str(survey_ids["recommend"])] = "9"
    answers[str(survey_ids["suggestions"])] = "شكراً لكم على حسن التعامل"
    result = _jsonrpc(browser, f"{base}/submit/{survey_token}/{answer_token}", answers)
    assert "error" not in result[1], result

    # the score shows on the request: 4/5 -> 75 (x5), yes -> 100, 9/10 -> 90
    request = admin.read_one(
        "islah.support.request", request_id, ["islah_survey_state", "islah_satisfaction_score"]
    )
    assert request["islah_survey_state"] == "answered"
    assert request["islah_satisfaction_score"] == pytest.approx(round((375 + 100 + 90) / 7, 1))
    invitation = admin.call(
        "survey.user_input",
        "search_read",
        [("islah_request_id", "=", request_id)],
        ["state", "islah_comment", "user_input_line_ids"],
    )
    assert len(invitation) == 1
    assert invitation[0]["state"] == "done"
    assert invitation[0]["islah_comment"] == "شكراً لكم على حسن التعامل"
    lines = len(invitation[0]["user_input_line_ids"])

    # the same link again: the "finished" page, and a new submission is refused
    again = requests.Session()
    page = again.get(link, timeout=60)
    assert page.status_code == 200
    assert "o_survey_finished" in page.text
    assert "o_survey_start" not in page.text
    refused = _jsonrpc(again, f"{base}/submit/{survey_token}/{answer_token}", answers)
    assert refused[1] == {"error": "unauthorized"}

    # a tampered token: a clean error page that reveals nothing
    tampered = answer_token[:-6] + ("000000" if answer_token[-6:] != "000000" else "111111")
    intruder = requests.Session()
    page = intruder.get(
        f"{odoo_server.url}/survey/start/{survey_token}?answer_token={tampered}", timeout=60
    )
    assert page.status_code == 200
    assert "مستفيد الاستبانة" not in page.text
    assert "o_survey_start" not in page.text and "o_survey_finished" not in page.text
    assert answer_token not in page.text
    refused = _jsonrpc(intruder, f"{base}/submit/{survey_token}/{tampered}", answers)
    assert refused[1] == {"error": "token_wrong"}

    after = admin.call(
        "survey.user_input",
        "search_read",
        [("islah_request_id", "=", request_id)],
        ["user_input_line_ids", "islah_score"],
    )
    assert len(after) == 1
    assert len(after[0]["user_input_line_ids"]) == lines
    assert after[0]["islah_score"] == pytest.approx(round((375 + 100 + 90) / 7, 1))


def test_no_email_logged_on_request(admin, smtp_sink):
    """A beneficiary without e-mail: nothing sent, the chatter says why."""
    request_id = _request_in_service(
        admin, "System-test quick help", {"name": "No Mail Beneficiary", "gender": "female"}
    )
    admin.call(
        "islah.service.delivery", "create", {"request_id": request_id, "description": "Given"}
    )
    sent_before = len(smtp_sink.messages)
    admin.call("islah.support.request", "action_done", [request_id])
    assert (
        admin.call("survey.user_input", "search_count", [("islah_request_id", "=", request_id)])
        == 0
    )
    bodies = admin.call(
        "mail.message",
        "search_read",
        [("model", "=", "islah.support.request"), ("res_id", "=", request_id)],
        ["body"],
    )
    assert any("No Mail Beneficiary" in (m["body"] or "") for m in bodies)
    assert len(smtp_sink.messages) == sent_before
