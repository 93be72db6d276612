import os
import tempfile

from werkzeug.exceptions import Forbidden, NotFound
from werkzeug.wsgi import wrap_file

from odoo import http
from odoo.http import content_disposition, request

from ..report.islah_request_xlsx_report import XLSX_MIMETYPE
from ..tools.constants import GROUP_MANAGER


def xlsx_file_response(write, filename, environ):
    """A response streaming the workbook that ``write(fileobj)`` writes.

    The workbook is built into an anonymous temporary file (xlsxwriter's
    constant-memory mode keeps its rows in temporary files too), then sent
    from that file in blocks: the workbook is never held in memory whole.
    The file has no name on disk; closing it (the response does, once sent)
    deletes it."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    try:
        write(output)
        size = os.fstat(output.fileno()).st_size
        output.seek(0)
    except BaseException:
        output.close()
        raise
    response = http.Response(
        wrap_file(environ, output),
        headers=[
            ("Content-Type", XLSX_MIMETYPE),
            ("Content-Disposition", content_disposition(filename)),
        ],
        direct_passthrough=True,
    )
    response.content_length = size
    return response


class IslahReportExportController(http.Controller):
    @http.route("/islah_beneficiary/report/export/<int:wizard_id>", type="http", auth="user")
    def islah_report_export(self, wizard_id, **kwargs):
        """The manager's Excel workbook of an export wizard, as the current
        user may see the data (no sudo: record rules apply)."""
        if not request.env.user.has_group(GROUP_MANAGER):
            raise Forbidden()
        wizard = request.env["islah.report.export"].browse(wizard_id).exists()
        if not wizard:
            raise NotFound()
        wizard.check_access("read")
        report = request.env["islah.request.xlsx.report"]
        return xlsx_file_response(
            lambda output: report._generate_xlsx(wizard, output),
            wizard._filename(),
            request.httprequest.environ,
        )
