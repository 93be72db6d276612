from . import islah_request_xlsx_report
