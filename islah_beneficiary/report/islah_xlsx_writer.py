"""Streaming XLSX writer of the manager's workbook.

The workbook is written by xlsxwriter in ``constant_memory`` mode: each row is
flushed to a temporary file as soon as the next one starts, so memory does not
grow with the number of rows. Rows must therefore be written in order, top to
bottom, one sheet after the other.

``IslahWorkbook`` holds the formats and the sheet options (right-to-left,
frozen header, filters, widths); ``IslahSheet`` writes typed rows. What goes
in each sheet is the report model's (``islah.request.xlsx.report``, one
method per sheet).
"""

import datetime
import functools
import math
import re

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

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
# distinct values whose cell XML is kept per column (dates, labels, names of
# services, channels and officers repeat over thousands of rows)
CELL_CACHE_SIZE = 4096

# what xlsxwriter escapes in an inline string (Worksheet._write_cell)
_CONTROL_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL_CHARS = re.compile(r"([\x00-\x08\x0b-\x1f])")
# any of the above, or what XML escapes: most strings have none (one search)
_NEEDS_ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f&<>\uFFFE\uFFFF]|_x[0-9a-fA-F]{4}_")


def _inline_string_xml(value):
    """The XML of an inline string cell after its ``r`` attribute, as
    xlsxwriter writes it in constant-memory mode (without rich strings:
    ours are plain text)."""
    if _NEEDS_ESCAPE.search(value):
        value = _CONTROL_ESCAPE.sub(r"_x005F\1", value)
        value = _CONTROL_CHARS.sub(lambda match: f"_x{ord(match.group(1)):04X}_", value)
        value = value.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if value[:1].isspace() or value[-1:].isspace():
        return f' t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'
    return f' t="inlineStr"><is><t>{value}</t></is></c>'


class IslahSheet:
    """One worksheet: header row frozen, filters over the written range.

    ``write_rows`` (the Requests sheet's tens of thousands of rows) renders
    each row's XML itself into the row file of constant-memory mode, with
    the XML of a cell computed once per distinct value and column: that is
    where xlsxwriter spends its time (an object, two regular expressions
    and an escape per cell). The result is what xlsxwriter writes; the
    other sheets go through xlsxwriter's own methods (``write_row``)."""

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
        self._cell_xml = [
            functools.lru_cache(maxsize=CELL_CACHE_SIZE)(self._cell_encoder(kind))
            for _header, _width, kind in columns
        ]
        self._letters = [xl_col_to_name(index) for index in range(len(columns))]

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

    def _cell_encoder(self, kind):
        """``value -> XML of the cell after its r attribute`` for ``kind``."""
        cell_format = self.book.formats.get(kind)
        if kind == TEXT and cell_format is None:
            return lambda value: _inline_string_xml(str(value))
        styles = []

        def style():
            # the format's index is taken at its first cell, as xlsxwriter
            # does: the formats keep the numbering xlsxwriter gives them
            if not styles:
                styles.append(f' s="{cell_format._get_xf_index()}"' if cell_format else "")
            return styles[0]

        if kind == TEXT:
            return lambda value: style() + _inline_string_xml(str(value))
        if kind == DATE:
            to_excel = self.worksheet._convert_date_time

            def date_xml(value):
                if not isinstance(value, datetime.datetime):
                    value = datetime.datetime(value.year, value.month, value.day)
                return f"{style()}><v>{to_excel(value):.16G}</v></c>"

            return date_xml

        def number_xml(value):
            if not isinstance(value, int):
                value = float(value)  # numeric columns come as Decimal
                if not math.isfinite(value):
                    raise TypeError("NAN/INF not supported in a number cell")
            return f"{style()}><v>{value:.16G}</v></c>"

        return number_xml

    def write_rows(self, rows):
        """Write many rows of the column kinds (the fast path of big sheets)."""
        worksheet = self.worksheet
        if not worksheet.constant_memory:
            for values in rows:
                self.write_row(values)
            return
        encoders = list(enumerate(zip(self._letters, self._cell_xml, strict=True)))
        if not rows:
            return
        row = self.row
        # the row before (the header) leaves xlsxwriter's buffer first
        worksheet._write_single_row(row + 1)
        write = worksheet.fh.write
        for values in rows:
            row += 1
            number = str(row + 1)
            parts = [f'<row r="{number}">']
            for column, (letter, cell_xml) in encoders:
                value = values[column]
                if value is None or value is False or value == "":
                    continue
                parts.append(f'<c r="{letter}{number}"{cell_xml(value)}')
            parts.append("</row>")
            write("".join(parts))
        # what xlsxwriter would have recorded: the last row written
        worksheet.previous_row = row
        worksheet._check_dimensions(row, 0)
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
