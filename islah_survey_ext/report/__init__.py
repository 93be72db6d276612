from . import islah_satisfaction_report
