import tempfile

from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.http import content_disposition, request

from ..wizard.islah_report_export import XLSX_MIMETYPE
from ..tools.constants import GROUP_MANAGER


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
        # xlsxwriter's constant-memory mode keeps rows in temporary files;
        # the finished workbook is spooled to disk when it grows large
        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as output:
            wizard._generate_xlsx(output)
            output.seek(0)
            data = output.read()
        return request.make_response(
            data,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Disposition", content_disposition(wizard._filename())),
            ],
        )
