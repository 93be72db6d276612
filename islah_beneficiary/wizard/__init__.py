from . import islah_report_export
from . import crm_lead_convert_request
from . import islah_request_cancel
from . import islah_request_return
from . import islah_committee_decision_notify
from . import islah_policy_evidence
from . import islah_feedback_answer
from . import islah_you_said_we_did
