"""System-test harness: a real Odoo server process driven over HTTP.

These are plain pytest tests, not Odoo test classes. The session starts one
Odoo server (``python3 -m odoo``) on a free loopback port against a fresh
database with the addons installed, with a local SMTP sink as its outgoing
mail server, and stops it (and drops the database) at the end.

The fresh database is a copy of ``$ISLAH_SYSTEM_TEMPLATE_DB`` when that is set
(``.ci/test`` sets it to a database where the addons were just installed),
otherwise the addons are installed into it here, which takes a few minutes.

Fixtures for tests:

- ``odoo_server``: ``.url``, ``.db``, ``.port``, ``.log_tail()``;
- ``smtp_sink``: every message Odoo sends, as ``email.message.EmailMessage``;
  ``smtp_sink.wait_for(predicate, timeout)``;
- ``rpc(login, password)``: a JSON-RPC client (``/jsonrpc``) with
  ``.call(model, method, *args, **kwargs)`` and ``.ref(xmlid)``; server
  errors raise ``OdooRpcError`` carrying the server's exception name and
  message;
- ``admin``: ``rpc("admin", "admin")``;
- ``web_session(login, password)``: a ``requests.Session`` logged in through
  ``/web/session/authenticate``, for HTTP pages, downloads and web-client calls;
- ``create_user(groups, **values)``: a new internal user with those groups.

Run all tests with ``.ci/test``. To run only these, copying a database of your
own where the addons are installed: ``ISLAH_SYSTEM_TEMPLATE_DB=mydb python3 -m
pytest tests`` (from the repository root; the database must not be in use).
"""

import email
import email.policy
import itertools
import logging
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from aiosmtpd.controller import Controller
from stdnum import luhn

REPO_ROOT = Path(__file__).resolve().parent.parent
ODOO_CONF = REPO_ROOT / "odoo.conf"
ADDONS = ("islah_beneficiary", "islah_survey_ext")
ADMIN_LOGIN = ADMIN_PASSWORD = "admin"  # base's admin in a fresh database
SERVER_START_TIMEOUT = 120
ODOO_CMD = [sys.executable, "-m", "odoo"]


def saudi_id(first_digit="1"):
    """A random Saudi national ID (1...) or iqama (2...) with a valid Luhn
    check digit, so each system test registers new people."""
    body = first_digit + "".join(random.choice("0123456789") for _ in range(8))
    return body + luhn.calc_check_digit(body)


# The officer's steps from a new request up to the committee, as the buttons do.
VERIFICATION_STEPS = (
    "action_start_verification",
    "action_verify_data",
    "action_record_declaration",
    "action_complete_verification",
)


def open_request(admin, service_values, beneficiary_values, steps=VERIFICATION_STEPS):
    """Create a service type, a beneficiary and a request on the interview
    channel, then call ``steps`` on the request; return its id."""
    service_id = admin.call("islah.service.type", "create", service_values)
    beneficiary_id = admin.call(
        "islah.beneficiary", "create", {"national_id": saudi_id(), **beneficiary_values}
    )
    request_id = admin.call(
        "islah.support.request",
        "create",
        {
            "beneficiary_id": beneficiary_id,
            "service_type_id": service_id,
            "medium_id": admin.ref("islah_beneficiary.utm_medium_interview"),
        },
    )
    for step in steps:
        admin.call("islah.support.request", step, [request_id])
    return request_id


def free_port():
    """A TCP port free on the loopback interface right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(cmd, **kwargs):
    """Run a command and fail the test session with its output if it fails."""
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    if proc.returncode:
        pytest.fail(
            f"command failed ({proc.returncode}): {' '.join(map(str, cmd))}\n"
            f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}",
            pytrace=False,
        )
    return proc.stdout


@pytest.fixture(scope="session", autouse=True)
def load_registry():
    """Override pytest-odoo's fixture of this name for these tests: they talk
    to their own server process and need no Odoo registry in pytest's process
    (and when only tests/ is run, pytest-odoo has no database to load)."""
    yield


# --------------------------------------------------------------------------
# SMTP sink
# --------------------------------------------------------------------------


class SmtpSink:
    """Collects every message delivered to it, parsed as EmailMessage."""

    def __init__(self):
        self.messages = []
        self._cond = threading.Condition()
        self.host = "127.0.0.1"
        self.port = None
        self._controller = None

    # aiosmtpd handler hook
    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Sink-Mail-From"] = envelope.mail_from
        message["X-Sink-Rcpt-To"] = ", ".join(envelope.rcpt_tos)
        with self._cond:
            self.messages.append(message)
            self._cond.notify_all()
        return "250 Message accepted for delivery"

    def start(self):
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's chatter
        self.port = free_port()
        self._controller = Controller(self, hostname=self.host, port=self.port)
        self._controller.start()

    def stop(self):
        if self._controller:
            self._controller.stop()

    def wait_for(self, predicate=None, timeout=30):
        """Return the first message matching ``predicate`` (any message when
        None), waiting up to ``timeout`` seconds for it to arrive."""
        predicate = predicate or (lambda message: True)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for message in self.messages:
                    if predicate(message):
                        return message
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    subjects = [m["Subject"] for m in self.messages]
                    raise AssertionError(
                        f"no matching e-mail within {timeout}s; received: {subjects}"
                    )
                self._cond.wait(remaining)

    def sent_to(self, address):
        """Messages whose envelope recipients include ``address``."""
        address = address.lower()
        return [m for m in self.messages if address in m["X-Sink-Rcpt-To"].lower()]


@pytest.fixture(scope="session")
def smtp_sink():
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


# --------------------------------------------------------------------------
# Odoo server
# --------------------------------------------------------------------------


@dataclass
class OdooServer:
    url: str
    db: str
    port: int
    log_path: Path
    data_dir: Path
    process: subprocess.Popen = field(repr=False)

    def log_tail(self, lines=60):
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def _odoo_filestore(db):
    """The filestore folder of ``db`` as configured by odoo.conf."""
    code = (
        "import sys; from odoo.tools import config; "
        "config.parse_config(['-c', sys.argv[1]], setup_logging=False); "
        "print(config.filestore(sys.argv[2]))"
    )
    out = _run([sys.executable, "-c", code, str(ODOO_CONF), db], cwd=REPO_ROOT)
    return Path(out.strip().splitlines()[-1])


def _create_database(db, data_dir, log_path):
    template = os.environ.get("ISLAH_SYSTEM_TEMPLATE_DB")
    if template:
        _run(["createdb", "-T", template, db])
        source = _odoo_filestore(template)
        if source.is_dir():
            shutil.copytree(source, data_dir / "filestore" / db)
        return
    with log_path.open("a") as log:
        proc = subprocess.run(
            [
                *ODOO_CMD,
                "-c", str(ODOO_CONF),
                "-d", db,
                "-i", ",".join(ADDONS),
                "--data-dir", str(data_dir),
                "--load-language=en_US,ar_001",
                "--stop-after-init",
                "--no-http",
                "--log-level=warn",
            ],
            cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, check=False,
            timeout=1800,
        )  # fmt: skip
    if proc.returncode:
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-60:])
        pytest.fail(f"installing {ADDONS} into {db} failed:\n{tail}", pytrace=False)


def _answers(url):
    """Whether the Odoo server at ``url`` serves its database yet."""
    try:
        response = requests.post(
            f"{url}/web/webclient/version_info",
            json={"jsonrpc": "2.0", "method": "call", "params": {}},
            timeout=10,
        )
        return response.ok and "result" in response.json()
    except (requests.RequestException, ValueError):  # not listening, not JSON yet
        return False


def _wait_until_ready(server):
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline and server.process.poll() is None:
        if _answers(server.url):
            return
        time.sleep(0.5)
    pytest.fail(
        f"Odoo server did not answer within {SERVER_START_TIMEOUT}s "
        f"(exit code {server.process.poll()}); log tail:\n{server.log_tail()}",
        pytrace=False,
    )


def _stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def odoo_server(smtp_sink, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("odoo_server")
    data_dir = workdir / "data"
    data_dir.mkdir()
    log_path = workdir / "odoo.log"
    db = f"islah_system_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    port = free_port()
    process = None
    try:
        _create_database(db, data_dir, log_path)
        with log_path.open("a") as log:
            process = subprocess.Popen(
                [
                    *ODOO_CMD,
                    "-c", str(ODOO_CONF),
                    "-d", db,
                    f"--db-filter=^{db}$",
                    "--data-dir", str(data_dir),
                    "--http-interface=127.0.0.1",
                    f"--http-port={port}",
                    f"--smtp={smtp_sink.host}",
                    f"--smtp-port={smtp_sink.port}",
                    "--workers=0",
                    "--max-cron-threads=0",
                    "--log-level=warn",
                    # /jsonrpc logs a deprecation warning on every call in 19.0
                    "--log-handler=odoo.addons.rpc.controllers.jsonrpc:ERROR",
                ],
                cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        server = OdooServer(
            url=f"http://127.0.0.1:{port}",
            db=db,
            port=port,
            log_path=log_path,
            data_dir=data_dir,
            process=process,
        )
        _wait_until_ready(server)
        _prepare_server(server)
        yield server
    finally:
        if process is not None:
            _stop(process)
        subprocess.run(["dropdb", "--if-exists", "--force", db], check=False)
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Show the end of the server's log under a failed system test."""
    report = yield
    server = getattr(item, "funcargs", {}).get("odoo_server")
    if report.failed and server is not None:
        report.sections.append(("Odoo server log (last lines)", server.log_tail(40)))
    return report


def _prepare_server(server):
    """Point the database at this server and its mail at the sink.

    - Odoo prefers ``ir.mail_server`` records over the --smtp options: archive
      any, so that every message goes to the sink.
    - A database copied from a template keeps the template's ``web.base.url``:
      links in e-mails and wkhtmltopdf's asset requests must reach this server.
    """
    admin = OdooRpc(server.url, server.db, ADMIN_LOGIN, ADMIN_PASSWORD)
    ids = admin.call("ir.mail_server", "search", [])
    if ids:
        admin.call("ir.mail_server", "write", ids, {"active": False})
    admin.call("ir.config_parameter", "set_param", "web.base.url", server.url)
    admin.call("ir.config_parameter", "set_param", "web.base.url.freeze", "True")


# --------------------------------------------------------------------------
# JSON-RPC and web session clients
# --------------------------------------------------------------------------


class OdooRpcError(Exception):
    """An error answered by the server.

    ``name`` is the server exception's dotted class name (for example
    ``odoo.exceptions.ValidationError``), ``message`` its message.
    """

    def __init__(self, error):
        self.error = error
        data = error.get("data") or {}
        self.code = error.get("code")
        self.name = data.get("name") or error.get("message", "")
        self.message = data.get("message") or error.get("message", "")
        self.debug = data.get("debug", "")
        super().__init__(f"{self.name}: {self.message}")


_request_ids = itertools.count(1)


def jsonrpc(http, url, params, timeout=60):
    """POST a JSON-RPC 2.0 call; return its result or raise OdooRpcError."""
    payload = {"jsonrpc": "2.0", "method": "call", "id": next(_request_ids), "params": params}
    response = http.post(url, json=payload, timeout=timeout)
    response.raise_for_status()
    body = response.json()
    if body.get("error"):
        raise OdooRpcError(body["error"])
    return body.get("result")


class OdooRpc:
    """External API client over ``/jsonrpc`` (services common and object)."""

    def __init__(self, url, db, login, password):
        self.url, self.db, self.login, self.password = url, db, login, password
        self._http = requests.Session()
        self.uid = self._service("common", "login", db, login, password)
        if not self.uid:
            raise OdooRpcError({"message": f"login failed for {login!r}"})

    def _service(self, service, method, *args):
        return jsonrpc(
            self._http,
            f"{self.url}/jsonrpc",
            {"service": service, "method": method, "args": list(args)},
        )

    def call(self, model, method, *args, **kwargs):
        """``model.method(*args, **kwargs)`` as this user (execute_kw)."""
        return self._service(
            "object", "execute_kw", self.db, self.uid, self.password,
            model, method, list(args), kwargs,
        )  # fmt: skip

    def ref(self, xmlid):
        """Database id of a record by its external id (``module.name``)."""
        module, name = xmlid.split(".", 1)
        return self.call("ir.model.data", "check_object_reference", module, name)[1]

    def read_one(self, model, record_id, fields):
        return self.call(model, "read", [record_id], fields)[0]


class WebSession(requests.Session):
    """A browser-like session: cookie from ``/web/session/authenticate``."""

    def __init__(self, server):
        super().__init__()
        self.server = server

    def url(self, path):
        return path if path.startswith("http") else f"{self.server.url}{path}"

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", 60)
        return super().request(method, self.url(url), *args, **kwargs)

    def authenticate(self, login, password):
        params = {"db": self.server.db, "login": login, "password": password}
        return self.jsonrpc("/web/session/authenticate", params)

    def jsonrpc(self, path, params=None):
        return jsonrpc(self, self.url(path), params or {})

    def call_kw(self, model, method, *args, **kwargs):
        """``model.method(*args, **kwargs)`` the way the web client calls it."""
        return self.jsonrpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


@pytest.fixture(scope="session")
def rpc(odoo_server):
    """``rpc(login, password)`` -> OdooRpc logged in as that user."""

    def connect(login, password):
        return OdooRpc(odoo_server.url, odoo_server.db, login, password)

    return connect


@pytest.fixture(scope="session")
def admin(rpc):
    return rpc(ADMIN_LOGIN, ADMIN_PASSWORD)


@pytest.fixture
def web_session(odoo_server):
    """``web_session(login, password)`` -> WebSession logged in (None: anonymous)."""
    sessions = []

    def open_session(login=None, password=None):
        session = WebSession(odoo_server)
        sessions.append(session)
        if login:
            session.authenticate(login, password)
        return session

    yield open_session
    for session in sessions:
        session.close()


@pytest.fixture(scope="session")
def create_user(admin):
    """``create_user(groups, **values)`` -> dict(id, login, password).

    ``groups`` are xmlids; the user gets exactly those (and what they imply).
    The login is made unique; the password equals the login.
    """

    def create(groups, login="user", **values):
        login = f"{login}_{uuid.uuid4().hex[:8]}"
        group_ids = [admin.ref(xmlid) for xmlid in groups]
        user_id = admin.call(
            "res.users",
            "create",
            {
                "name": login.replace("_", " ").title(),
                "login": login,
                "password": login,
                "email": f"{login}@example.com",
                "group_ids": [(6, 0, group_ids)],
                **values,
            },
        )
        return {"id": user_id, "login": login, "password": login}

    return create
