#!/usr/bin/env python3
"""Load on the public request form and the portal upload, on a prefork server.

    python3 benchmarks/form_load.py --template-db islah_nodemo

Copies ``--template-db`` (a database with the addons installed, no demo data,
not in use) to a scratch database, starts ``odoo --workers=4`` on a free
loopback port with a local SMTP sink, and then, all at once:

- ``--clients`` concurrent visitors send ``--submissions`` web form
  submissions; each visitor opens the form (its CSRF and form token) and posts
  the same filled form twice at the same moment, as a double click does;
- ``--uploads`` portal beneficiaries each send a missing document of their
  request from the portal.

Printed: throughput, p50/p95 latency of the posts, 5xx count, intakes created
vs expected, duplicates, uploads received; nothing is asserted. The scratch
database is dropped at the end. Loopback only; bounded by ``--timeout``.
The submission throttle is raised on the scratch copy: every visitor comes
from 127.0.0.1 here, and the throttle is measured by the tests, not here.
"""

import argparse
import concurrent.futures
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests
from aiosmtpd.controller import Controller
from stdnum import luhn

REPO = Path(__file__).resolve().parent.parent
ODOO_CONF = REPO / "odoo.conf"
# the smallest valid PDF the upload check accepts (sniffed as application/pdf)
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
INPUT_RE = re.compile(r"<input\b[^>]*>", re.I)
ATTR_RE = re.compile(r'(\w[\w-]*)="([^"]*)"')
SELECT_RE = re.compile(r'<select\b[^>]*name="service_type_id"[^>]*>(.*?)</select>', re.S | re.I)
OPTION_RE = re.compile(r'<option\b[^>]*value="(\d+)"', re.I)


def saudi_id():
    body = "1" + "".join(random.choice("0123456789") for _ in range(8))
    return body + luhn.calc_check_digit(body)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CountingSink:
    """An SMTP server that only counts what it receives."""

    def __init__(self):
        self.count = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self._lock:
            self.count += 1
        return "250 OK"


class Rpc:
    def __init__(self, url, db, login, password):
        self.url, self.db, self.password = url, db, password
        self.http = requests.Session()
        self.uid = self._call("common", "login", db, login, password)

    def _call(self, service, method, *args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": list(args)},
        }
        body = self.http.post(f"{self.url}/jsonrpc", json=payload, timeout=120).json()
        if body.get("error"):
            raise RuntimeError(body["error"].get("data", {}).get("message", body["error"]))
        return body["result"]

    def __call__(self, model, method, *args, **kwargs):
        return self._call(
            "object", "execute_kw", self.db, self.uid, self.password, model, method, args, kwargs
        )


def parse_form(html):
    """The form's hidden values, checkbox names and the first service offered."""
    hidden, checkboxes = {}, []
    for tag in INPUT_RE.findall(html):
        attrs = dict(ATTR_RE.findall(tag))
        kind, name = attrs.get("type", "text").lower(), attrs.get("name")
        if not name:
            continue
        if kind == "hidden":
            hidden[name] = attrs.get("value", "")
        elif kind == "checkbox":
            checkboxes.append(name)
    select = SELECT_RE.search(html)
    services = OPTION_RE.findall(select.group(1)) if select else []
    return hidden, checkboxes, services


def submit_twice(url, index, stats):
    """One visitor: open the form, post it twice at the same moment."""
    session = requests.Session()
    page = session.get(f"{url}/islah/request", timeout=60)
    hidden, checkboxes, services = parse_form(page.text)
    data = {
        **hidden,
        "name": f"متقدم اختبار الحمل {index}",
        "national_id": saudi_id(),
        "gender": random.choice(["male", "female"]),
        # a valid Saudi mobile: one of the operators' prefixes
        "mobile": f"05{random.choice('0345689')}{random.randint(1000000, 9999999)}",
        "email": f"load{index}@example.com",
        "city": "الرياض",
        "service_type_id": services[0] if services else "",
        "need": "طلب مساعدة من اختبار الحمل",
        # every box the applicant ticks (declaration, consent); never the honeypot
        **{name: "on" for name in checkboxes if name != "website_url"},
    }
    barrier = threading.Barrier(2)
    results = []

    def post():
        barrier.wait()
        start = time.perf_counter()
        try:
            response = session.post(f"{url}/islah/request", data=data, timeout=60)
            results.append((response.status_code, time.perf_counter() - start))
        except requests.RequestException:
            results.append((599, time.perf_counter() - start))

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stats.extend(results)
    return data["national_id"]


def upload(url, db, login, request_id, line_id, stats):
    session = requests.Session()
    session.post(
        f"{url}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": login}},
        timeout=60,
    ).raise_for_status()
    page = session.get(f"{url}/my/requests/{request_id}", timeout=60)
    csrf = re.search(r'name="csrf_token"\s+value="([^"]+)"', page.text)
    start = time.perf_counter()
    response = session.post(
        f"{url}/my/requests/{request_id}/documents/{line_id}",
        data={"csrf_token": csrf.group(1) if csrf else ""},
        files={"file": ("document.pdf", TINY_PDF, "application/pdf")},
        timeout=60,
    )
    stats.append((response.status_code, time.perf_counter() - start))


def prepare_portal(admin, count):
    """``count`` beneficiaries with a portal login and a request missing a document."""
    services = admin(
        "islah.service.type", "search_read", [("document_type_ids", "!=", False)], ["id"], limit=1
    )
    if not services:
        sys.exit("no service with required documents in the template database")
    prepared = []
    for index in range(count):
        login = f"load_portal_{index}_{uuid.uuid4().hex[:6]}@example.com"
        beneficiary_id = admin(
            "islah.beneficiary",
            "create",
            {
                "name": f"مستفيد بوابة {index}",
                "national_id": saudi_id(),
                "gender": "male",
                "email": login,
                "consent": True,
            },
        )
        request_id = admin(
            "islah.support.request",
            "create",
            {
                "beneficiary_id": beneficiary_id,
                "service_type_id": services[0]["id"],
                "medium_id": admin.ref_id("islah_beneficiary.utm_medium_interview"),
            },
        )
        admin("islah.support.request", "action_start_verification", [request_id])
        partner_id = admin("islah.beneficiary", "read", [beneficiary_id], ["partner_id"])[0][
            "partner_id"
        ][0]
        admin(
            "res.users",
            "create",
            {
                "name": f"مستفيد بوابة {index}",
                "login": login,
                "password": login,
                "partner_id": partner_id,
                "group_ids": [(6, 0, [admin.ref_id("base.group_portal")])],
            },
        )
        lines = admin(
            "islah.request.document",
            "search_read",
            [("request_id", "=", request_id), ("received", "=", False)],
            ["id"],
            limit=1,
        )
        prepared.append((login, request_id, lines[0]["id"]))
    return prepared


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--template-db", required=True)
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--timeout", type=int, default=600, help="seconds for the whole run")
    args = parser.parse_args()

    db = f"islah_formload_{os.getpid()}"
    data_dir = Path(tempfile.mkdtemp(prefix="islah_formload_"))
    sink_handler = CountingSink()
    sink = Controller(sink_handler, hostname="127.0.0.1", port=free_port())
    sink.start()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = None
    try:
        subprocess.run(["createdb", "-T", args.template_db, db], check=True)
        server = subprocess.Popen(
            [
                sys.executable, "-m", "odoo", "-c", str(ODOO_CONF), "-d", db,
                f"--db-filter=^{db}$", "--data-dir", str(data_dir),
                "--http-interface=127.0.0.1", f"--http-port={port}",
                f"--workers={args.workers}", "--max-cron-threads=0",
                f"--smtp={sink.hostname}", f"--smtp-port={sink.port}",
                "--log-level=warn",
                "--log-handler=odoo.addons.rpc.controllers.jsonrpc:ERROR",
            ],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{url}/web/login", timeout=5).ok:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        admin = Rpc(url, db, "admin", "admin")
        admin.ref_id = lambda xmlid: admin(
            "ir.model.data",
            "search_read",
            [("module", "=", xmlid.split(".")[0]), ("name", "=", xmlid.split(".")[1])],
            ["res_id"],
        )[0]["res_id"]
        # every visitor is 127.0.0.1 here: the throttle would refuse them all
        admin(
            "res.company",
            "write",
            admin("res.company", "search", []),
            {"islah_intake_rate_limit": 100000},
        )
        for ids in [admin("ir.mail_server", "search", [])]:
            if ids:
                admin("ir.mail_server", "write", ids, {"active": False})
        before = admin("crm.lead", "search_count", [("islah_identity_state", "!=", False)])
        portal = prepare_portal(admin, args.uploads)

        post_stats, upload_stats = [], []
        start = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(args.clients + args.uploads) as pool:
            futures = [
                pool.submit(submit_twice, url, index, post_stats)
                for index in range(args.submissions)
            ]
            futures += [
                pool.submit(upload, url, db, login, request_id, line_id, upload_stats)
                for login, request_id, line_id in portal
            ]
            done, not_done = concurrent.futures.wait(futures, timeout=args.timeout)
            errors = [future.exception() for future in done if future.exception()]
            for future in not_done:
                future.cancel()
        elapsed = time.perf_counter() - start

        leads = admin(
            "crm.lead",
            "search_read",
            [("islah_identity_state", "!=", False)],
            ["islah_web_form_token"],
        )
        created = len(leads) - before
        tokens = [lead["islah_web_form_token"] for lead in leads]
        duplicates = len(tokens) - len(set(tokens))
        received = admin(
            "islah.request.document",
            "search_count",
            [("id", "in", [line for _l, _r, line in portal]), ("received", "=", True)],
        )
        latencies = [seconds for _code, seconds in post_stats]
        print(f"server: --workers={args.workers}, {os.cpu_count()} CPU cores, loopback")
        print(
            f"form posts: {len(post_stats)} ({args.submissions} submissions x 2) in "
            f"{elapsed:.1f} s, {len(post_stats) / elapsed:.1f} posts/s"
        )
        print(
            f"latency: p50 {statistics.median(latencies) * 1000:.0f} ms, "
            f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms"
            if latencies
            else "latency: no post answered"
        )
        codes = [code for code, _s in post_stats + upload_stats]
        print(f"status codes: { {code: codes.count(code) for code in sorted(set(codes))} }")
        # 599 stands for a post whose connection failed (no HTTP answer at all)
        print(f"5xx answered by the server: {sum(1 for code in codes if 500 <= code < 599)}")
        print(f"posts without an answer (connection reset): {codes.count(599)}")
        print(f"intakes created: {created} (expected {args.submissions}), duplicates: {duplicates}")
        print(f"portal uploads: {received} received of {args.uploads}")
        queued = admin("mail.mail", "search_count", [("model", "=", "crm.lead")])
        print(
            f"acknowledgements queued for the mail queue: {queued}; "
            f"e-mails the sink received during the run: {sink_handler.count}"
        )
        if errors or not_done:
            # a refused connection: Odoo's prefork server listens with a
            # backlog of 8 x workers, and more clients than that wait at once
            print(f"client errors: {len(errors)}, unfinished: {len(not_done)}: {errors[:1]}")
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        sink.stop()
        subprocess.run(["dropdb", "--if-exists", "--force", db], check=False)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
