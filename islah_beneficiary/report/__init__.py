from . import islah_request_xlsx_report
from . import islah_outreach_xlsx
