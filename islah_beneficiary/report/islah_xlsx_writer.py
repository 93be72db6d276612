"""Streaming XLSX writer of the manager's workbook.

The workbook is written by xlsxwriter in ``constant_memory`` mode: each row is
flushed to a temporary file as soon as the next one starts, so memory does not
grow with the number of rows. Rows must therefore be written in order, top to
bottom, one sheet after the other.

``IslahWorkbook`` holds the formats and the sheet options (right-to-left,
frozen header, filters, widths); ``IslahSheet`` writes typed rows. The sheet
writers (``write_*_sheet``) are small functions taking the export wizard and
the workbook: the wizard gives the data, the writers lay it out. A module
that adds a sheet (the satisfaction bridge of ``islah_survey_ext``) adds a
writer to the wizard's ``_xlsx_sheet_writers()``.
"""

import datetime

import xlsxwriter

# column kinds: how a value is written and with which format
TEXT, DATE, INTEGER, DECIMAL, AMOUNT, PERCENT = (
    "text",
    "date",
    "integer",
    "decimal",
    "amount",
    "percent",
)

HEADER_ROW = 0


class IslahSheet:
    """One worksheet: header row frozen, filters over the written range."""

    def __init__(self, book, name, columns):
        """``columns``: ``(header, width, kind)`` triples."""
        self.book = book
        self.columns = columns
        self.worksheet = book.workbook.add_worksheet(name)
        self.row = HEADER_ROW
        if book.rtl:
            self.worksheet.right_to_left()
        for index, (header, width, kind) in enumerate(columns):
            self.worksheet.set_column(index, index, width, book.formats.get(kind))
            self.worksheet.write_string(HEADER_ROW, index, header, book.formats["header"])
        self.worksheet.freeze_panes(HEADER_ROW + 1, 0)
        self.worksheet.set_row(HEADER_ROW, 30)
        # one bound writer and format per column, resolved once for the hot loop
        self._writers = [
            book.cell_writer(self.worksheet, kind) for _header, _width, kind in columns
        ]

    def note(self, column, text):
        """A comment on a header cell (e.g. why a column stays empty)."""
        self.worksheet.write_comment(HEADER_ROW, column, text)

    def write_row(self, values, kinds=None):
        """Write the next row; ``None``/``False``/``""`` cells stay blank.
        ``kinds`` overrides the column kinds for this row (summary sheets)."""
        self.row += 1
        row = self.row
        if kinds is None:
            writers = self._writers
        else:
            writers = [self.book.cell_writer(self.worksheet, kind) for kind in kinds]
        for column, value in enumerate(values):
            if value is None or value is False or value == "":
                continue
            write, cell_format = writers[column]
            write(row, column, value, cell_format)

    def write_rows(self, rows):
        """Write many rows of the column kinds (the fast path of big sheets)."""
        writers = self._writers
        row = self.row
        for values in rows:
            row += 1
            for column, value in enumerate(values):
                if value is None or value is False or value == "":
                    continue
                write, cell_format = writers[column]
                write(row, column, value, cell_format)
        self.row = row

    def close(self):
        """Filters over the header and the rows written."""
        self.worksheet.autofilter(HEADER_ROW, 0, max(self.row, HEADER_ROW), len(self.columns) - 1)


class IslahWorkbook:
    """An xlsxwriter workbook in constant-memory mode with the report's formats."""

    def __init__(self, fileobj, rtl=False, currency="SAR", decimal_places=2):
        self.workbook = xlsxwriter.Workbook(
            fileobj,
            {
                "constant_memory": True,
                "default_date_format": "yyyy-mm-dd",
                "strings_to_numbers": False,
            },
        )
        self.rtl = rtl
        digits = "0" * (decimal_places or 0)
        amount_format = f'#,##0{"." + digits if digits else ""} "{currency}"'
        add = self.workbook.add_format
        self.formats = {
            "header": add(
                {
                    "bold": True,
                    "bg_color": "#e9ecef",
                    "text_wrap": True,
                    "valign": "vcenter",
                    "bottom": 1,
                }
            ),
            TEXT: None,
            DATE: add({"num_format": "yyyy-mm-dd"}),
            INTEGER: add({"num_format": "0"}),
            DECIMAL: add({"num_format": "0.0"}),
            AMOUNT: add({"num_format": amount_format}),
            PERCENT: add({"num_format": "0.0%"}),
        }
        self.sheets = []

    def cell_writer(self, worksheet, kind):
        """The (method, format) pair writing one cell of ``kind``."""
        if kind == TEXT:
            return worksheet.write_string, None
        if kind == DATE:
            return _date_writer(worksheet), self.formats[DATE]
        return worksheet.write_number, self.formats[kind]

    def add_sheet(self, name, columns):
        # sheet names: at most 31 characters, none of []:*?/\
        safe = "".join(" " if char in "[]:*?/\\" else char for char in name)[:31]
        sheet = IslahSheet(self, safe, columns)
        self.sheets.append(sheet)
        return sheet

    def close(self):
        for sheet in self.sheets:
            sheet.close()
        self.workbook.close()


def _date_writer(worksheet):
    write_datetime = worksheet.write_datetime

    def write_date(row, column, value, cell_format):
        if not isinstance(value, datetime.datetime):
            value = datetime.datetime(value.year, value.month, value.day)
        return write_datetime(row, column, value, cell_format)

    return write_date


# ----------------------------------------------------------------------
# Sheet writers: (wizard, book) -> None
# ----------------------------------------------------------------------


def write_requests_sheet(wizard, book):
    """One row per request, read in batches honouring the record rules."""
    columns = wizard._requests_columns()
    sheet = book.add_sheet(wizard.env._("Requests"), [(c[1], c[2], c[3]) for c in columns])
    for rows in wizard._requests_row_batches(columns):
        sheet.write_rows(rows)


def write_summary_sheet(wizard, book):
    """Counts and indicators, computed by the database."""
    sheet = book.add_sheet(
        wizard.env._("Summary KPIs"),
        [
            (wizard.env._("Group"), 24, TEXT),
            (wizard.env._("Item"), 36, TEXT),
            (wizard.env._("Value"), 14, DECIMAL),
        ],
    )
    for group, item, value, kind in wizard._summary_rows():
        sheet.write_row([group, item, value], kinds=[TEXT, TEXT, kind])


def write_decisions_sheet(wizard, book):
    """The committee's decisions on the exported requests."""
    columns = wizard._decisions_columns()
    sheet = book.add_sheet(wizard.env._("Decisions"), columns)
    for rows in wizard._decisions_row_batches():
        sheet.write_rows(rows)


def write_policy_sheet(wizard, book):
    """Auditor's evidence: shares of requests meeting each policy step."""
    policy_columns = wizard._policy_columns()
    columns = [
        (wizard.env._("Month"), 12, DATE),
        (wizard.env._("Section"), 18, TEXT),
        (wizard.env._("Requests"), 11, INTEGER),
    ]
    columns += [(column["header"], 22, PERCENT) for column in policy_columns]
    sheet = book.add_sheet(wizard.env._("Policy compliance"), columns)
    for index, column in enumerate(policy_columns, start=3):
        if column.get("note"):
            sheet.note(index, column["note"])
    for row in wizard._policy_rows(policy_columns):
        sheet.write_row(row)
