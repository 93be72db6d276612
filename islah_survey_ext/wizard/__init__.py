from . import islah_report_export
