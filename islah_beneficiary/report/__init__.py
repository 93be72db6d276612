from . import islah_request_xlsx_report
from . import islah_outreach_xlsx
from . import islah_beneficiary_review_report
from . import islah_review_xlsx
from . import islah_policy_evidence_report
from . import islah_voice_xlsx
from . import islah_appeal_xlsx
