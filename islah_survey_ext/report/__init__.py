from . import islah_request_xlsx_report
from . import islah_satisfaction_report
from . import islah_policy_evidence
