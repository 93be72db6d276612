"""System tests: the managers' Excel export downloaded over HTTP."""

import datetime
import io
import uuid

import openpyxl
import pytest
from conftest import OdooRpcError, saudi_id

MANAGER_GROUP = "islah_beneficiary.group_islah_beneficiary_manager"
OFFICER_GROUP = "islah_beneficiary.group_islah_beneficiary_officer"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def manager_user(create_user):
    return create_user([MANAGER_GROUP], login="export_manager", islah_section="both")


@pytest.fixture(scope="module")
def officer_user(create_user):
    return create_user([OFFICER_GROUP], login="export_officer", islah_section="both")


@pytest.fixture(scope="module")
def exported(rpc, manager_user):
    """Two requests of a service of their own, created by the manager."""
    manager = rpc(manager_user["login"], manager_user["password"])
    service_id = manager.call(
        "islah.service.type", "create", {"name": f"Export service {uuid.uuid4().hex[:6]}"}
    )
    medium_id = manager.ref("islah_beneficiary.utm_medium_interview")
    requests = []
    for name, gender in (("Export Man", "male"), ("Export Woman", "female")):
        beneficiary_id = manager.call(
            "islah.beneficiary",
            "create",
            {"name": name, "national_id": saudi_id(), "gender": gender},
        )
        request_id = manager.call(
            "islah.support.request",
            "create",
            {
                "beneficiary_id": beneficiary_id,
                "service_type_id": service_id,
                "medium_id": medium_id,
            },
        )
        requests.append(
            manager.read_one("islah.support.request", request_id, ["name", "beneficiary_id"])
        )
    return {"service_id": service_id, "requests": requests}


def _period():
    today = datetime.datetime.now(datetime.timezone.utc).date()
    return (today - datetime.timedelta(days=1)).isoformat(), (
        today + datetime.timedelta(days=1)
    ).isoformat()


def _create_wizard(session, service_id, **values):
    date_from, date_to = _period()
    wizard_id = session.call_kw(
        "islah.report.export",
        "create",
        {
            "date_from": date_from,
            "date_to": date_to,
            "service_type_ids": [(6, 0, [service_id])],
            **values,
        },
    )
    return wizard_id[0] if isinstance(wizard_id, list) else wizard_id


def _requests_header(session, wizard_id):
    action = session.call_kw("islah.report.export", "action_export", [wizard_id])
    workbook = openpyxl.load_workbook(io.BytesIO(session.get(action["url"]).content))
    return [cell.value for cell in workbook["Requests"][1]]


def test_default_workbook_has_no_names_or_ids(web_session, admin, manager_user, exported):
    session = web_session(manager_user["login"], manager_user["password"])
    wizard_id = _create_wizard(session, exported["service_id"])
    header = _requests_header(session, wizard_id)
    assert "Number" in header
    assert "Beneficiary" not in header
    assert "National ID / Iqama" not in header
    # the export is in the access log, without identifiers
    log = admin.call(
        "islah.access.log",
        "search_read",
        [("kind", "=", "xlsx_export")],
        ["with_identifiers", "row_count"],
        order="id desc",
        limit=1,
    )[0]
    assert log["with_identifiers"] is False
    assert log["row_count"] == len(exported["requests"])


def test_manager_downloads_the_workbook(web_session, admin, manager_user, exported):
    session = web_session(manager_user["login"], manager_user["password"])
    wizard_id = _create_wizard(
        session,
        exported["service_id"],
        include_identifiers=True,
        purpose="Checking the payments with the bank",
    )
    action = session.call_kw("islah.report.export", "action_export", [wizard_id])
    assert action["type"] == "ir.actions.act_url"

    response = session.get(action["url"])
    assert response.status_code == 200, response.text[:500]
    assert response.headers["Content-Type"] == XLSX_MIMETYPE
    date_from, date_to = _period()
    assert f"islah-requests-{date_from}_{date_to}.xlsx" in response.headers["Content-Disposition"]

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Requests"
    assert "Summary KPIs" in workbook.sheetnames
    assert "Policy compliance" in workbook.sheetnames
    sheet = workbook["Requests"]
    header = [cell.value for cell in sheet[1]]
    rows = [
        dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    expected = {request["name"]: request["beneficiary_id"][1] for request in exported["requests"]}
    assert {row["Number"]: row["Beneficiary"] for row in rows} == expected
    national_ids = {
        record["name"]: record["national_id"]
        for record in admin.call(
            "islah.beneficiary",
            "search_read",
            [("name", "in", list(expected.values()))],
            ["name", "national_id"],
        )
    }
    assert {row["Beneficiary"]: row["National ID / Iqama"] for row in rows} == national_ids
    assert {row["State"] for row in rows} == {"Received"}
    assert isinstance(rows[0]["Received on"], datetime.datetime)
    summary = {
        (group, item): value
        for group, item, value in workbook["Summary KPIs"].iter_rows(min_row=2, values_only=True)
    }
    assert summary[("Indicators", "Requests")] == 2


def test_officer_is_refused(web_session, manager_user, officer_user, exported):
    manager_session = web_session(manager_user["login"], manager_user["password"])
    wizard_id = _create_wizard(manager_session, exported["service_id"])

    officer_session = web_session(officer_user["login"], officer_user["password"])
    with pytest.raises(OdooRpcError) as error:
        _create_wizard(officer_session, exported["service_id"])
    assert error.value.name == "odoo.exceptions.AccessError"
    response = officer_session.get(f"/islah_beneficiary/report/export/{wizard_id}")
    assert response.status_code == 403
    assert not response.content.startswith(b"PK")
