#!/usr/bin/env python3
"""Excel export benchmark: our Requests sheet vs Odoo's XLSX export vs
xlsxwriter alone (and a Rust-backed writer when importable), on the same
requests and the same columns, plus a few ORM/SQL figures.

    python3 benchmarks/populate.py -d islah_h6_bench -n 100000
    python3 benchmarks/excel_export.py -d islah_h6_bench

Each measurement runs in its own child process (a fresh registry):
``--repeat`` times for time and resident memory (RSS sampled every 5 ms,
growth above the level just before the measured code; the best time is
kept, the machine being shared), then once under ``tracemalloc`` for the
peak of Python allocations (tracemalloc slows the code down, so its run is
not timed). Figures are printed; nothing is asserted.

Measured paths (all read every request of the database as the admin user,
who is a manager of both sections, and write into an in-memory buffer):

- ``ours``: ``_write_requests_sheet`` of the report model
  ``islah.request.xlsx.report``: keyset-paginated SQL batches honouring record
  rules, xlsxwriter in constant-memory mode;
- ``ours_full``: the whole workbook (Requests, Summary KPIs, [Decisions],
  Policy compliance, [Satisfaction]);
- ``odoo``: what ``/web/export/xlsx`` does in process: ``search`` then
  ``export_data(fields)``, then ``ExportXlsxWriter`` (web/controllers/export.py);
- ``xlsxwriter``: xlsxwriter alone writing the same cells, with the same
  formats and sheet options, from rows already in memory (not timed: the
  reading); the library's own limit;
- ``rustpy``: ``rustpy_xlsxwriter.write_worksheet`` on the same rows, when the
  package is importable (``--rust-path`` adds a directory to ``sys.path``).
"""

import argparse
import datetime
import io
import json
import os
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

import psutil

REPO = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
METHODS = ("ours", "ours_full", "odoo", "xlsxwriter", "rustpy")
REPORT = "islah.request.xlsx.report"
# Odoo's export of the same columns (no Hijri text, no computed outcome:
# the decision date stands in for it)
ODOO_FIELDS = (
    "name",
    "create_date",
    "beneficiary_id",
    "beneficiary_id/national_id",
    "section",
    "service_type_id",
    "medium_id",
    "officer_id",
    "state",
    "decision_deadline",
    "sla_state",
    "decision_days_taken",
    "decided_on",
    "delivered_amount",
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("-c", "--config", default=str(REPO / "odoo.conf"))
    parser.add_argument("--addons-path", default=f"/opt/odoo19/addons,{REPO}")
    parser.add_argument("--rust-path", help="directory holding rustpy_xlsxwriter")
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per path (best kept)")
    parser.add_argument("--skip-extras", action="store_true")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--tracemalloc", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def open_env(args):
    import odoo.service.server  # noqa: PLC0415
    from odoo import api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(
        [
            "-c",
            args.config,
            "-d",
            args.database,
            f"--addons-path={args.addons_path}",
            "--log-level=warn",
        ],
        setup_logging=True,
    )
    odoo.service.server.load_server_wide_modules()
    registry = Registry(args.database)
    cr = registry.cursor()
    env = api.Environment(cr, api.SUPERUSER_ID, {})
    admin = env.ref("base.user_admin")
    return api.Environment(cr, admin.id, {"lang": "en_US", "tz": "UTC"})


class RssSampler:
    """Peak resident memory above the level at start, sampled in a thread."""

    def __init__(self, interval=0.005):
        self.process = psutil.Process()
        self.interval = interval
        self.base = self.peak = 0
        self._stop = threading.Event()

    def __enter__(self):
        self.base = self.peak = self.process.memory_info().rss
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)

    @property
    def growth(self):
        return self.peak - self.base


# ----------------------------------------------------------------------
# The measured paths
# ----------------------------------------------------------------------


def export_wizard(env):
    return env["islah.report.export"].create(
        {
            "date_from": datetime.date(2000, 1, 1),
            "date_to": datetime.date.today() + datetime.timedelta(days=1),
            # the same columns as Odoo's export below (names and national IDs)
            "include_identifiers": True,
            "purpose": "Benchmark",
        }
    )


def prepare_rows(env):
    """The Requests sheet's headers, kinds and rows, in memory."""
    wizard = export_wizard(env)
    report = env[REPORT]
    columns = report._requests_columns(wizard)
    rows = [row for batch in report._requests_row_batches(wizard, columns) for row in batch]
    return wizard, columns, rows


def run_ours(env, _prepared):
    from odoo.addons.islah_beneficiary.report import islah_xlsx_writer as xw  # noqa: PLC0415

    wizard = export_wizard(env)
    output = io.BytesIO()
    book = xw.IslahWorkbook(output)
    env[REPORT]._write_requests_sheet(book, wizard)
    book.close()
    return len(output.getvalue())


def run_ours_full(env, _prepared):
    wizard = export_wizard(env)
    output = io.BytesIO()
    env[REPORT]._generate_xlsx(wizard, output)
    return len(output.getvalue())


def run_odoo(env, _prepared):
    from odoo.addons.web.controllers import export  # noqa: PLC0415

    Request = env["islah.support.request"].with_context(import_compat=False)
    records = Request.search([])
    fields_info = Request.fields_get(
        [name.split("/")[0] for name in ODOO_FIELDS], ["string", "type"]
    )
    fields = []
    for name in ODOO_FIELDS:
        info = fields_info[name.split("/")[0]]
        fields.append({"name": name, "label": info["string"], "type": info["type"]})
    rows = records.export_data(list(ODOO_FIELDS)).get("datas", [])
    headers = [field["label"] for field in fields]
    # ExportXlsxWriter reads request.env; in process there is no request
    saved = export.request
    export.request = SimpleNamespace(env=env)
    try:
        with export.ExportXlsxWriter(fields, headers, len(rows)) as writer:
            for row_index, row in enumerate(rows):
                for cell_index, cell_value in enumerate(row):
                    writer.write_cell(row_index + 1, cell_index, cell_value)
    finally:
        export.request = saved
    return len(writer.value)


def run_xlsxwriter(_env, prepared):
    """The same cells and formats, plain xlsxwriter (default mode)."""
    import xlsxwriter  # noqa: PLC0415

    _wizard, columns, rows = prepared
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output)
    header = workbook.add_format(
        {"bold": True, "bg_color": "#e9ecef", "text_wrap": True, "bottom": 1}
    )
    formats = {
        "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
        "integer": workbook.add_format({"num_format": "0"}),
        "amount": workbook.add_format({"num_format": '#,##0.00 "SAR"'}),
    }
    sheet = workbook.add_worksheet("Requests")
    for index, (_key, label, width, _kind) in enumerate(columns):
        sheet.set_column(index, index, width)
        sheet.write_string(0, index, label, header)
    writers = []
    for _key, _label, _width, kind in columns:
        if kind == "text":
            writers.append((sheet.write_string, None))
        elif kind == "date":
            writers.append((sheet.write_datetime, formats["date"]))
        else:
            writers.append((sheet.write_number, formats[kind]))
    for row_index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value is None or value == "":
                continue
            write, cell_format = writers[column]
            if write is sheet.write_datetime and not isinstance(value, datetime.datetime):
                value = datetime.datetime(value.year, value.month, value.day)
            write(row_index, column, value, cell_format)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(rows), len(columns) - 1)
    workbook.close()
    return len(output.getvalue())


def run_rustpy(_env, prepared):
    import rustpy_xlsxwriter as rx  # noqa: PLC0415

    _wizard, columns, rows = prepared
    labels = [label for _key, label, _width, _kind in columns]
    formats = {
        "amount": rx.Format().set_num_format('#,##0.00 "SAR"'),
        "integer": rx.Format().set_num_format("0"),
    }
    output = io.BytesIO()
    rx.write_worksheet(
        (dict(zip(labels, row, strict=True)) for row in rows),
        output,
        sheet_name="Requests",
        freeze_row=1,
        datetime_format="yyyy-mm-dd",
        column_widths=[width for _key, _label, width, _kind in columns],
        column_formats={
            label: formats[kind] for _key, label, _width, kind in columns if kind in formats
        },
        header_format=rx.Format().set_bold().set_background_color("#e9ecef"),
        autofilter=True,
        sheet_view={"right_to_left": False},
    )
    return len(output.getvalue())


RUNNERS = {
    "ours": run_ours,
    "ours_full": run_ours_full,
    "odoo": run_odoo,
    "xlsxwriter": run_xlsxwriter,
    "rustpy": run_rustpy,
}


def measure(args):
    """Child process: one method, one run; prints a JSON line."""
    env = open_env(args)
    count = env["islah.support.request"].search_count([])
    prepared = prepare_rows(env) if args.measure in ("xlsxwriter", "rustpy") else None
    env.invalidate_all()
    runner = RUNNERS[args.measure]
    if args.tracemalloc:
        tracemalloc.start()
        runner(env, prepared)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        result = {"tracemalloc_peak": peak}
    else:
        with RssSampler() as rss:
            started, cpu_started = time.perf_counter(), time.process_time()
            size = runner(env, prepared)
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
        result = {"seconds": elapsed, "cpu": cpu, "rss_growth": rss.growth, "bytes": size}
    env.cr.rollback()
    env.cr.close()
    result.update(method=args.measure, requests=count)
    print("RESULT " + json.dumps(result))


def child(args, method, traced):
    command = [sys.executable, __file__, "-d", args.database, "-c", args.config,
               "--addons-path", args.addons_path, "--measure", method]  # fmt: skip
    if traced:
        command.append("--tracemalloc")
    environ = dict(os.environ)
    if args.rust_path:
        environ["PYTHONPATH"] = os.pathsep.join(
            filter(None, [args.rust_path, environ.get("PYTHONPATH")])
        )
    proc = subprocess.run(command, capture_output=True, text=True, env=environ, check=False)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT ") :])
    print(f"{method} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}", file=sys.stderr)
    return None


# ----------------------------------------------------------------------
# Extras: ORM query counts, SLA action, search by national ID
# ----------------------------------------------------------------------


def extras(args):
    from odoo.tools import SQL  # noqa: PLC0415

    env = open_env(args)
    cr = env.cr
    Request = env["islah.support.request"]
    Beneficiary = env["islah.beneficiary"]
    lines = []

    # queries to create one request, then to move it one step
    beneficiary = Beneficiary.create(
        {"name": "Bench Query Count", "national_id": "1000000008", "gender": "male"}
    )
    service = env["islah.service.type"].search([], limit=1)
    medium = env["utm.medium"].search([("islah_channel", "=", True)], limit=1)
    env.flush_all()
    start = cr.sql_log_count
    request = Request.create(
        {"beneficiary_id": beneficiary.id, "service_type_id": service.id, "medium_id": medium.id}
    )
    env.flush_all()
    create_queries = cr.sql_log_count - start
    start = cr.sql_log_count
    request.action_start_verification()
    env.flush_all()
    step_queries = cr.sql_log_count - start
    lines.append(f"SQL queries to create one request (service with "
                 f"{len(service.document_type_ids)} document types): {create_queries}")  # fmt: skip
    lines.append(f"SQL queries to move it one step (received -> verification): {step_queries}")
    cr.rollback()
    env.invalidate_all()

    # the deadline-status pass: benchmarks/deadline_pass.py (issue 13)

    # search by national ID over every beneficiary
    cr.execute("SELECT national_id FROM islah_beneficiary ORDER BY random() LIMIT 200")
    numbers = [row[0] for row in cr.fetchall()]
    total = Beneficiary.search_count([])
    started = time.perf_counter()
    for number in numbers:
        found = Beneficiary.search([("national_id", "=", number)])
        assert len(found) == 1, number
    elapsed = time.perf_counter() - started
    query = Beneficiary._search([("national_id", "=", numbers[0])])
    plan = "\n".join(row[0] for row in env.execute_query(SQL("EXPLAIN %s", query.select())))
    index_used = "islah_beneficiary_national_id_company_uniq" in plan
    per_search = elapsed / len(numbers) * 1000
    lines.append(f"search by national ID over {total} beneficiaries: {per_search:.2f} ms "
                 f"per search (mean of {len(numbers)}); EXPLAIN uses the (company_id, national_id) "
                 f"unique index: {'yes' if index_used else 'NO'}")  # fmt: skip
    lines.append("EXPLAIN of that search (admin, record rules included):")
    lines += ["    " + line for line in plan.splitlines()]
    cr.rollback()
    cr.close()
    for line in lines:
        print("EXTRA " + line)


def run_paths(args, methods):
    """``{path: figures}`` of every path that ran."""
    # the timed runs go round-robin over the paths, so that each path meets
    # the same share of the load of a shared machine; the best run is kept
    runs = {method: [] for method in methods}
    for _round in range(args.repeat):
        for method in methods:
            if run := child(args, method, traced=False):
                runs[method].append(run)
    results = {}
    for method in methods:
        if not runs[method]:
            continue
        best = min(runs[method], key=lambda run: run["seconds"])
        traced = child(args, method, traced=True)
        if traced:
            results[method] = {
                **best,
                "cpu": min(run["cpu"] for run in runs[method]),
                "rss_growth": max(run["rss_growth"] for run in runs[method]),
                **traced,
            }
            print(f"  measured {method}: {best['seconds']:.2f} s", flush=True)
    return results


def print_results(args, results):
    count = next(iter(results.values()))["requests"]
    print(
        f"\n{count} requests, one row each (Requests sheet: 15 columns; Odoo's export: 14); "
        f"best of {args.repeat} runs; CPU = this process's user+system time (excludes "
        "PostgreSQL's)\n"
    )
    print(
        f"{'path':<12} {'wall s':>8} {'CPU s':>8} {'RSS growth MB':>14} "
        f"{'tracemalloc peak MB':>20} {'file MB':>8}"
    )
    for method, result in results.items():
        print(
            f"{method:<12} {result['seconds']:>8.2f} {result['cpu']:>8.2f} "
            f"{result['rss_growth'] / MB:>14.1f} {result['tracemalloc_peak'] / MB:>20.1f} "
            f"{result['bytes'] / MB:>8.2f}"
        )
    ours, odoo, alone = results.get("ours"), results.get("odoo"), results.get("xlsxwriter")
    print()
    if ours and odoo:
        print(
            f"Odoo's export / ours, wall: {odoo['seconds'] / ours['seconds']:.2f}x, "
            f"CPU: {odoo['cpu'] / ours['cpu']:.2f}x (target >= 2)"
        )
        print(
            f"ours / Odoo's, RSS growth: {ours['rss_growth'] / max(odoo['rss_growth'], 1):.2f} "
            "(target < 0.33); tracemalloc peak: "
            f"{ours['tracemalloc_peak'] / max(odoo['tracemalloc_peak'], 1):.2f}"
        )
    if ours and alone:
        print(
            f"ours / xlsxwriter alone, wall: {ours['seconds'] / alone['seconds']:.2f}x, "
            f"CPU: {ours['cpu'] / alone['cpu']:.2f}x (target <= 1.3)"
        )
    if alone and "rustpy" in results:
        print(
            "xlsxwriter alone / rustpy, wall: "
            f"{alone['seconds'] / results['rustpy']['seconds']:.2f}x"
            f", CPU: {alone['cpu'] / results['rustpy']['cpu']:.2f}x"
        )


def main(argv=None):
    args = parse_args(argv)
    if args.measure == "extras":
        extras(args)
        return 0
    if args.measure:
        measure(args)
        return 0
    methods = [method for method in args.methods.split(",") if method]
    if "rustpy" in methods:
        sys.path[:0] = [args.rust_path] if args.rust_path else []
        try:
            import rustpy_xlsxwriter  # noqa: F401, PLC0415
        except ImportError:
            print("rustpy_xlsxwriter not importable: skipped (see --rust-path)")
            methods.remove("rustpy")
    results = run_paths(args, methods)
    if not results:
        return 1
    print_results(args, results)
    if not args.skip_extras:
        proc = subprocess.run(
            [sys.executable, __file__, "-d", args.database, "-c", args.config,
             "--addons-path", args.addons_path, "--measure", "extras"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        print()
        extra_lines = [
            line[len("EXTRA ") :] for line in proc.stdout.splitlines() if line.startswith("EXTRA ")
        ]
        if not extra_lines:
            print(f"extras failed:\n{proc.stderr[-3000:]}", file=sys.stderr)
        for line in extra_lines:
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
