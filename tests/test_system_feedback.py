"""System test: a complaint sent on the public page over real HTTP, answered
by its owner over JSON-RPC, and the answer e-mail reaching the SMTP sink."""

import re
import uuid

import requests

MANAGER_GROUP = "islah_beneficiary.group_islah_beneficiary_manager"


def _hidden(html, name):
    match = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert match, f"no hidden {name} in the page"
    return match.group(1)


def test_complaint_answered_by_email(odoo_server, admin, rpc, create_user, smtp_sink):
    company_id = admin.call("res.users", "read", [admin.uid], ["company_id"])[0]["company_id"][0]
    if not admin.read_one("res.company", company_id, ["email"])["email"]:
        admin.call("res.company", "write", [company_id], {"email": "islah@example.com"})
    address = f"visitor_{uuid.uuid4().hex[:8]}@example.com"
    visitor = requests.Session()
    page = visitor.get(f"{odoo_server.url}/islah/feedback", timeout=60)
    assert page.status_code == 200
    response = visitor.post(
        f"{odoo_server.url}/islah/feedback",
        data={
            "csrf_token": _hidden(page.text, "csrf_token"),
            "form_token": _hidden(page.text, "form_token"),
            "kind": "complaint",
            "category": "waiting_time",
            "section": "men",
            "description": "I waited two hours at reception.",
            "author_name": "Salem",
            "author_email": address,
        },
        timeout=60,
    )
    assert response.status_code == 200, odoo_server.log_tail()
    number = re.search(r"FB/\d{4}/\d{5}", response.text).group(0)
    (feedback,) = admin.call(
        "islah.feedback", "search_read", [("name", "=", number)], ["id", "state", "author_email"]
    )
    assert feedback["state"] == "new"
    assert feedback["author_email"] == address
    # the acknowledgement first
    admin.call("mail.mail", "process_email_queue")
    smtp_sink.wait_for(lambda m: address in m["X-Sink-Rcpt-To"].lower(), timeout=60)
    # a manager of the section owns it and answers over JSON-RPC
    manager = create_user([MANAGER_GROUP], login="fb_manager", islah_section="men")
    admin.call("islah.feedback", "write", [feedback["id"]], {"user_id": manager["id"]})
    owner = rpc(manager["login"], manager["password"])
    owner.call("islah.feedback", "action_send_answer", [feedback["id"]], answer="We added staff.")
    state = owner.read_one("islah.feedback", feedback["id"], ["state"])["state"]
    assert state == "answered"
    admin.call("mail.mail", "process_email_queue")
    message = smtp_sink.wait_for(
        lambda m: address in m["X-Sink-Rcpt-To"].lower() and "answer" in m["Subject"].lower(),
        timeout=60,
    )
    body = message.get_body(("html", "plain")).get_content()
    assert "We added staff." in body
    assert number in message["Subject"]
