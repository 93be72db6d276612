import datetime
import decimal
import io
import zipfile
from unittest.mock import patch

import openpyxl
from werkzeug.wsgi import FileWrapper

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import BaseCase, HttpCase, freeze_time, tagged
from odoo.tools.translate import code_translations

from ..controllers.report_export import xlsx_file_response
from ..report import islah_xlsx_writer as xw
from .common import IslahExportCase

NUMBER, RECEIVED, RECEIVED_HIJRI = range(3)
IDENTIFIERS = {"include_identifiers": True, "purpose": "Bank transfer list"}
# upper bounds, measured in the quiet test context: Odoo's test runner counts
# 8 and 1, pytest-odoo (registry not in test mode) 15 and 2; the benchmark's
# figures with tracking on are in benchmarks/README.md


class TestXlsxExport(IslahExportCase):
    """The workbook read back with openpyxl matches the data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.day0 = datetime.datetime(2026, 3, 1, 9, 0)
        # six requests with known decision days: 2, 5, 10 (met) and 20 (missed);
        # two rejected, two approved; one still before the committee, one received
        cls.requests = cls.env["islah.support.request"]
        for days, outcome in ((5, "approved"), (10, "rejected"), (20, "approved"), (2, "rejected")):
            request = cls._export_request("received")
            with freeze_time(cls.day0):
                request.sudo()._enter_committee()
            request.sudo().decision_deadline = cls.day0.date() + datetime.timedelta(days=14)
            request.sudo()._apply_decision(
                outcome, decided_on=cls.day0.date() + datetime.timedelta(days=days)
            )
            cls.requests |= request
        cls.open_request = cls._export_request("received")
        with freeze_time(cls.day0):
            cls.open_request.sudo()._enter_committee()
        cls.received_request = cls._export_request("received", gender="female")
        cls.requests |= cls.open_request | cls.received_request
        # policy evidence: declarations on three requests; data verified before
        # the committee on two of the five submitted (the service asks no document)
        cls.requests[:3].sudo().write({"declaration_accepted": True, "declaration_date": cls.day0})
        cls.requests[:2].sudo().write({"data_verified_on": cls.day0 - datetime.timedelta(days=1)})
        cls.requests[2].sudo().write({"data_verified_on": cls.day0 + datetime.timedelta(days=1)})

    def test_requests_sheet_matches_data(self):
        workbook = self._export(self.manager, **IDENTIFIERS)
        sheet = workbook.worksheets[0]
        self.assertEqual(sheet.title, "Requests")
        rows = self._rows(sheet)
        self.assertEqual(len(rows), 6)
        self.assertEqual([row[NUMBER] for row in rows], self.requests.sorted("id").mapped("name"))
        header = self._header(sheet)
        first = self.requests[0]
        row = dict(zip(header, rows[0], strict=True))
        self.assertEqual(row["Beneficiary"], first.beneficiary_id.name)
        self.assertEqual(row["National ID / Iqama"], first.beneficiary_id.sudo().national_id)
        self.assertEqual(row["Section"], "Men's section")
        self.assertEqual(row["Service"], "Test export service")
        self.assertEqual(row["Channel"], self.channel_interview.display_name)
        self.assertEqual(row["State"], "Approved")
        self.assertEqual(row["Outcome"], "Approved")
        self.assertEqual(row["Deadline status"], "Met")
        self.assertEqual(row["Days to decision"], 5)
        self.assertEqual(row["Decision deadline"], datetime.datetime(2026, 3, 15))
        # the received date is a real date, with its Hijri text beside it
        received = rows[0][RECEIVED]
        self.assertIsInstance(received, datetime.datetime)
        self.assertEqual(received.date(), first.create_date.date())
        self.assertTrue(rows[0][RECEIVED_HIJRI].endswith("AH"))
        self.assertEqual(sheet.cell(2, RECEIVED + 1).number_format, "yyyy-mm-dd")
        # the received request has no decision: days and outcome stay empty
        last = dict(zip(header, rows[-1], strict=True))
        self.assertEqual(last["State"], "Received")
        self.assertEqual(last["Section"], "Women's section")
        self.assertIsNone(last["Days to decision"])
        self.assertIsNone(last["Outcome"])
        # sheet options
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertEqual(
            sheet.auto_filter.ref, f"A1:{openpyxl.utils.get_column_letter(len(header))}7"
        )
        self.assertFalse(sheet.sheet_view.rightToLeft)
        self.assertGreater(sheet.column_dimensions["D"].width, 20)

    def _identifier_cells(self, workbook):
        """The cells of every sheet holding a name or national ID of the
        exported requests' beneficiaries."""
        beneficiaries = self.requests.beneficiary_id.sudo()
        identifiers = set(beneficiaries.mapped("name")) | set(beneficiaries.mapped("national_id"))
        return [
            (sheet.title, cell.coordinate)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.value in identifiers
        ]

    def test_no_names_or_national_ids_by_default(self):
        workbook = self._export(self.manager)
        header = self._header(workbook.worksheets[0])
        self.assertNotIn("Beneficiary", header)
        self.assertNotIn("National ID / Iqama", header)
        self.assertEqual(self._identifier_cells(workbook), [])
        # the rest of the sheet is still there
        self.assertEqual(len(self._rows(workbook.worksheets[0])), 6)
        self.assertIn("Section", header)

    def test_identifiers_when_asked_for_with_a_purpose(self):
        workbook = self._export(self.manager, **IDENTIFIERS)
        sheet = workbook.worksheets[0]
        header = self._header(sheet)
        rows = {row[NUMBER]: dict(zip(header, row, strict=True)) for row in self._rows(sheet)}
        for request in self.requests:
            row = rows[request.name]
            self.assertEqual(row["Beneficiary"], request.beneficiary_id.name)
            self.assertEqual(row["National ID / Iqama"], request.beneficiary_id.sudo().national_id)
        # names and IDs appear on the Requests sheet only
        self.assertEqual({title for title, _cell in self._identifier_cells(workbook)}, {"Requests"})

    def test_identifiers_require_a_purpose(self):
        Log = self.env["islah.access.log"].sudo()
        logs_before = Log.search_count([])
        for purpose in (False, "", "   \n "):
            with self.subTest(purpose=purpose), self.assertRaises(ValidationError) as caught:
                self._wizard(self.manager, include_identifiers=True, purpose=purpose)
            self.assertIn("State the purpose of the export", str(caught.exception))
        # nor by ticking the box afterwards, on a wizard created without it
        wizard = self._wizard(self.manager)
        with self.assertRaises(ValidationError):
            wizard.include_identifiers = True
            wizard.flush_recordset()
        # nothing was exported, nothing logged
        self.assertEqual(Log.search_count([]), logs_before)

    def test_purpose_error_is_translated(self):
        self.env["res.lang"]._activate_lang("ar_001")
        message = (
            "State the purpose of the export to include the beneficiaries' names and national IDs."
        )
        original = code_translations.get_python_translations

        def get_python_translations(module, lang):
            translations = original(module, lang)
            if (module, lang) == ("islah_beneficiary", "ar_001"):
                return {**translations, message: "اذكر الغرض"}
            return translations

        with (
            patch.object(code_translations, "get_python_translations", get_python_translations),
            self.assertRaises(ValidationError) as caught,
        ):
            self.env["islah.report.export"].with_user(self.manager).with_context(
                lang="ar_001"
            ).create(
                {
                    "date_from": self.today,
                    "date_to": self.today,
                    "include_identifiers": True,
                }
            )
        self.assertEqual(str(caught.exception), "اذكر الغرض")

    def test_each_export_is_logged(self):
        Log = self.env["islah.access.log"].sudo()
        self._export(self.manager, state_scope="rejected")
        log = Log.search([("kind", "=", "xlsx_export")], limit=1)
        self.assertEqual(log.user_id, self.manager)
        self.assertEqual(log.model, "islah.support.request")
        self.assertEqual(log.row_count, 2)
        self.assertFalse(log.with_identifiers)
        self.assertFalse(log.purpose)
        self.assertNotIn("beneficiary", log.field_names)
        self.assertIn(f"Received from {self.today - datetime.timedelta(days=1)}", log.filters)
        self.assertIn("States: Rejected", log.filters)
        self.assertIn("Services: Test export service", log.filters)
        self.assertIn("Section: all sections", log.filters)
        # with identifiers: flagged, with the purpose
        self._export(self.manager_men, section="men", **IDENTIFIERS)
        log = Log.search([("kind", "=", "xlsx_export")], limit=1)
        self.assertEqual(log.user_id, self.manager_men)
        self.assertEqual(log.row_count, 5)
        self.assertTrue(log.with_identifiers)
        self.assertEqual(log.purpose, "Bank transfer list")
        self.assertIn("national_id", log.field_names)
        self.assertIn("Section: Men's section", log.filters)
        self.assertEqual(Log.search_count([("kind", "=", "xlsx_export")]), 2)

    def test_delivered_amount_is_a_number_in_the_currency_format(self):
        request = self.requests[0]
        request.sudo().write({"state": "in_service"})
        self.env["islah.service.delivery"].sudo().create(
            {"request_id": request.id, "description": "Basket", "amount": 1250.5}
        )
        sheet = self._export(self.manager).worksheets[0]
        column = self._header(sheet).index("Delivered amount") + 1
        cell = sheet.cell(2, column)
        self.assertEqual(cell.value, 1250.5)
        self.assertIn(self.env.company.currency_id.name, cell.number_format)
        self.assertIn("#,##0.00", cell.number_format)

    def test_summary_kpis(self):
        kpis = self._kpis(self._export(self.manager))
        self.assertEqual(kpis[("Indicators", "Requests")], 6)
        self.assertEqual(kpis[("Indicators", "Deadlines met")], 3)
        self.assertEqual(kpis[("Indicators", "Deadlines missed")], 1)
        self.assertAlmostEqual(kpis[("Indicators", "Decided within the deadline")], 0.75)
        self.assertAlmostEqual(kpis[("Indicators", "Average days to decision")], 9.25)
        # percentile_cont(0.9) of 2, 5, 10, 20: 10 + 0.7 * (20 - 10)
        self.assertAlmostEqual(kpis[("Indicators", "90th percentile of days to decision")], 17.0)
        self.assertAlmostEqual(kpis[("Indicators", "Approval rate")], 0.5)
        self.assertEqual(kpis[("By state", "Approved")], 2)
        self.assertEqual(kpis[("By state", "Rejected")], 2)
        self.assertEqual(kpis[("By state", "Research Committee")], 1)
        self.assertEqual(kpis[("By state", "Received")], 1)
        self.assertEqual(kpis[("By section", "Men's section")], 5)
        self.assertEqual(kpis[("By section", "Women's section")], 1)
        self.assertEqual(kpis[("By service", "Test export service")], 6)
        self.assertEqual(kpis[("By channel", self.channel_interview.display_name)], 6)
        month = self.requests[0].create_date.strftime("%Y-%m")
        self.assertEqual(kpis[("By month", month)], 6)

    def test_decisions_sheet(self):
        Decision = self.env["islah.committee.decision"].sudo()
        meeting = (
            self.env["islah.committee.meeting"]
            .sudo()
            .create(
                {
                    "member_ids": [
                        (6, 0, (self.committee_member | self.manager | self.manager_men).ids)
                    ],
                    "chair_id": self.manager.id,
                }
            )
        )
        decision = Decision.create(
            {
                "meeting_id": meeting.id,
                "request_id": self.open_request.id,
                "reason": "Income not proven",
            }
        )
        self.env["islah.committee.vote"].sudo().create(
            [
                {
                    "decision_id": decision.id,
                    "member_id": self.committee_member.id,
                    "vote": "approve",
                },
                {"decision_id": decision.id, "member_id": self.manager.id, "vote": "approve"},
                {"decision_id": decision.id, "member_id": self.manager_men.id, "vote": "reject"},
            ]
        )
        decided_on = self.day0.date() + datetime.timedelta(days=3)
        decision.write(
            {
                "outcome": "rejected",
                "decided_on": decided_on,
                "letter_number": "LTR/TEST/1",
                "notified_on": self.day0 + datetime.timedelta(days=4),
            }
        )
        self.open_request.sudo()._apply_decision("rejected", decided_on)
        workbook = self._export(self.manager)
        sheet = workbook["Decisions"]
        header = self._header(sheet)
        rows = [dict(zip(header, row, strict=True)) for row in self._rows(sheet)]
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["Meeting"], meeting.name)
        self.assertEqual(rows[0]["Request"], self.open_request.name)
        self.assertEqual(rows[0]["Outcome"], "Rejected")
        self.assertEqual(rows[0]["Votes"], "2 approve / 1 reject / 0 abstain")
        self.assertEqual(rows[0]["Reason"], "Income not proven")
        self.assertEqual(rows[0]["Letter number"], "LTR/TEST/1")
        self.assertIsInstance(rows[0]["Notified on"], datetime.datetime)
        # the request's outcome and the policy's written-notification share
        requests_sheet = workbook["Requests"]
        request_rows = {
            row[NUMBER]: dict(zip(self._header(requests_sheet), row, strict=True))
            for row in self._rows(requests_sheet)
        }
        self.assertEqual(request_rows[self.open_request.name]["Outcome"], "Rejected")
        policy = workbook["Policy compliance"]
        men = next(
            dict(zip(self._header(policy), row, strict=True))
            for row in self._rows(policy)
            if row[1] == "Men's section"
        )
        # five requests decided after the committee, one notified in writing
        self.assertAlmostEqual(men["Informed of the decision in writing"], 1 / 5)
        # a manager of the other section sees no decision
        self.manager_men.islah_section = "women"
        self.assertEqual(self._rows(self._export(self.manager_men)["Decisions"]), [])

    def test_state_filter(self):
        workbook = self._export(self.manager, state_scope="rejected")
        rows = self._rows(workbook.worksheets[0])
        self.assertEqual(len(rows), 2)
        self.assertEqual(self._kpis(workbook)[("Indicators", "Approval rate")], 0)

    def test_policy_compliance(self):
        sheet = self._export(self.manager)["Policy compliance"]
        self.assertEqual(sheet.title, "Policy compliance")
        header = self._header(sheet)
        rows = {row[1]: dict(zip(header, row, strict=True)) for row in self._rows(sheet)}
        men = rows["Men's section"]
        self.assertEqual(men["Requests"], 5)
        self.assertIsInstance(men["Month"], datetime.datetime)
        self.assertEqual(men["Month"].day, 1)
        self.assertAlmostEqual(men["Declaration recorded"], 3 / 5)
        # five submitted; verified before submission: two (the third after it)
        self.assertAlmostEqual(men["Data and documents verified before the committee"], 2 / 5)
        self.assertAlmostEqual(men["Decided within the deadline"], 3 / 4)
        women = rows["Women's section"]
        self.assertEqual(women["Requests"], 1)
        self.assertEqual(women["Declaration recorded"], 0)
        self.assertIsNone(women["Decided within the deadline"])
        self.assertEqual(sheet.cell(2, 4).number_format, "0.0%")

    def test_section_limited_manager_sees_own_section_only(self):
        workbook = self._export(self.manager_men)
        rows = self._rows(workbook.worksheets[0])
        self.assertEqual(len(rows), 5)
        section = self._header(workbook.worksheets[0]).index("Section")
        self.assertEqual({row[section] for row in rows}, {"Men's section"})
        kpis = self._kpis(workbook)
        self.assertEqual(kpis[("Indicators", "Requests")], 5)
        self.assertNotIn(("By section", "Women's section"), kpis)
        policy_sections = {row[1] for row in self._rows(workbook["Policy compliance"])}
        self.assertEqual(policy_sections, {"Men's section"})

    def test_national_id_column_follows_field_groups(self):
        Export = self.env["islah.report.export"]
        Report = self.env["islah.request.xlsx.report"]

        def keys(user):
            wizard = Export.with_user(user).new(IDENTIFIERS)
            return [column[0] for column in Report.with_user(user)._requests_columns(wizard)]

        self.assertIn("national_id", keys(self.manager))
        # a committee member may not read national IDs: no column
        self.assertNotIn("national_id", keys(self.committee_member))
        self.assertIn("beneficiary", keys(self.committee_member))
        self.assertFalse(Report.with_user(self.committee_member)._can_read_national_id())
        # the check reads the field's own groups
        field = self.env["islah.beneficiary"]._fields["national_id"]
        with patch.object(field, "groups", "base.group_system"):
            self.assertFalse(Report.with_user(self.manager)._can_read_national_id())

    def test_only_managers_export(self):
        with self.assertRaises(AccessError):
            self.env["islah.report.export"].with_user(self.officer_men).create({})
        with self.assertRaises(AccessError):
            self.env["islah.report.export"].with_user(self.committee_member).create({})
        wizard = self._wizard(self.manager)
        with self.assertRaises(AccessError):
            self.env["islah.request.xlsx.report"].with_user(self.committee_member)._generate_xlsx(
                wizard.with_user(self.committee_member), io.BytesIO()
            )
        action = wizard.action_export()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["url"], f"/islah_beneficiary/report/export/{wizard.id}")

    def test_filename_carries_the_period(self):
        wizard = self._wizard(
            self.manager, date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 3, 31)
        )
        self.assertEqual(wizard._filename(), "islah-requests-2026-01-01_2026-03-31.xlsx")

    def test_arabic_headers_and_right_to_left(self):
        self.env["res.lang"]._activate_lang("ar_001")
        self.manager.lang = "ar_001"
        # an Arabic translation of two headers, as ar.po would load it
        original = code_translations.get_python_translations
        extra = {"Number": "رقم الطلب", "Requests": "الطلبات"}

        def get_python_translations(module, lang):
            translations = original(module, lang)
            if (module, lang) == ("islah_beneficiary", "ar_001"):
                return {**translations, **extra}
            return translations

        with patch.object(code_translations, "get_python_translations", get_python_translations):
            wizard = self._wizard(self.manager).with_context(lang="ar_001")
            output = io.BytesIO()
            wizard.env["islah.request.xlsx.report"]._generate_xlsx(wizard, output)
            workbook = openpyxl.load_workbook(io.BytesIO(output.getvalue()))
            expected = wizard.env._("Number")
        self.assertEqual(expected, "رقم الطلب")
        sheet = workbook.worksheets[0]
        self.assertEqual(sheet.title, "الطلبات")
        self.assertEqual(sheet.cell(1, 1).value, expected)
        for sheet in workbook.worksheets:
            self.assertTrue(sheet.sheet_view.rightToLeft, sheet.title)
        rows = self._rows(workbook.worksheets[0])
        self.assertTrue(rows[0][RECEIVED_HIJRI].endswith("هـ"))


class TestXlsxExportQueries(IslahExportCase):
    """The export reads in batches: its query count does not depend on the
    number of requests."""

    def _export_queries(self, service):
        wizard = self._wizard(self.manager, service_type_ids=[(6, 0, service.ids)])
        self.env.flush_all()
        start = self.env.cr.sql_log_count
        wizard.env["islah.request.xlsx.report"]._generate_xlsx(wizard, io.BytesIO())
        return self.env.cr.sql_log_count - start, wizard

    def test_query_count_does_not_grow_with_rows(self):
        service_10 = self.service
        service_50 = self.service.copy({"name": "Test export service 50"})
        for service, count in ((service_10, 10), (service_50, 50)):
            beneficiary = self._create_beneficiary()
            for _index in range(count):
                self._create_request(beneficiary, service_type_id=service.id)
        self._export_queries(service_10)  # warm the caches (rules, translations)
        queries_10, _wizard = self._export_queries(service_10)
        wizard_50 = self._wizard(self.manager, service_type_ids=[(6, 0, service_50.ids)])
        self.env.flush_all()
        with self.assertQueryCount(queries_10):
            wizard_50.env["islah.request.xlsx.report"]._generate_xlsx(wizard_50, io.BytesIO())
        queries_50, _wizard = self._export_queries(service_50)
        self.assertEqual(queries_10, queries_50)


class TestXlsxWriter(BaseCase):
    """The fast path of big sheets writes the XML xlsxwriter writes."""

    def _sheet_xml(self, write):
        output = io.BytesIO()
        book = xw.IslahWorkbook(output, rtl=True)
        columns = [
            ("Text", 10, xw.TEXT),
            ("Date", 10, xw.DATE),
            ("Count", 10, xw.INTEGER),
            ("Amount", 10, xw.AMOUNT),
        ]
        write(book.add_sheet("Rows", columns))
        book.close()
        return zipfile.ZipFile(io.BytesIO(output.getvalue())).read("xl/worksheets/sheet1.xml")

    def test_write_rows_matches_xlsxwriter(self):
        rows = [
            [" a <b> & c ", datetime.date(2026, 3, 1), 5, decimal.Decimal("1250.50")],
            ["_x0041_\x01", None, 0, None],
            ["نص", datetime.datetime(2026, 1, 2), None, 3.25],
            ["", False, 7, 0.0],
        ]

        def one_by_one(sheet):
            for row in rows:
                sheet.write_row(row)  # xlsxwriter's own methods

        def in_batches(sheet):
            sheet.write_rows([list(row) for row in rows[:2]])
            sheet.write_rows([list(row) for row in rows[2:]])

        self.assertEqual(self._sheet_xml(in_batches), self._sheet_xml(one_by_one))


class TestXlsxExportStream(IslahExportCase):
    """The download is streamed from a temporary file, not read into memory."""

    def test_response_streams_the_temporary_file(self):
        self._export_request("received")
        wizard = self._wizard(self.manager)
        files = []

        def write(output):
            files.append(output)
            wizard.env["islah.request.xlsx.report"]._generate_xlsx(wizard, output)

        response = xlsx_file_response(write, wizard._filename(), {})
        self.assertTrue(response.direct_passthrough)
        self.assertTrue(response.is_streamed)
        # the body is the temporary file itself, sent block by block
        self.assertIsInstance(response.response, FileWrapper)
        [output] = files
        self.assertFalse(isinstance(output, io.BytesIO))
        self.assertFalse(output.closed)
        data = b"".join(response.response)
        self.assertEqual(response.content_length, len(data))
        self.assertIn(wizard._filename(), response.headers["Content-Disposition"])
        # the server closes the body once sent: the file goes with it
        response.response.close()
        self.assertTrue(output.closed)
        workbook = openpyxl.load_workbook(io.BytesIO(data))
        self.assertEqual(workbook.sheetnames[0], "Requests")
        self.assertEqual(len(self._rows(workbook.worksheets[0])), 1)

    def test_temporary_file_closed_when_the_workbook_fails(self):
        files = []

        def write(output):
            files.append(output)
            raise ZeroDivisionError  # any failure while the workbook is written

        with self.assertRaises(ZeroDivisionError):
            xlsx_file_response(write, "x.xlsx", {})
        self.assertTrue(files[0].closed)


@tagged("post_install", "-at_install")
class TestXlsxExportHttp(HttpCase, IslahExportCase):
    """The download route: managers get the workbook, others are refused."""

    def test_download(self):
        self._export_request("received")
        wizard = self._wizard(
            self.manager, date_from=self.today - datetime.timedelta(days=1), date_to=self.today
        )
        url = f"/islah_beneficiary/report/export/{wizard.id}"
        self.authenticate(self.manager.login, self.manager.login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(wizard._filename(), response.headers["Content-Disposition"])
        self.assertEqual(int(response.headers["Content-Length"]), len(response.content))
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(len(self._rows(workbook.worksheets[0])), 1)
        self.assertNotIn("Beneficiary", self._header(workbook.worksheets[0]))
        log = self.env["islah.access.log"].sudo().search([("kind", "=", "xlsx_export")], limit=1)
        self.assertEqual((log.user_id, log.row_count), (self.manager, 1))
        self.authenticate(self.officer_men.login, self.officer_men.login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 403)
