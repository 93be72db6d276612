from . import test_beneficiary, test_security, test_validation_tools, test_tools_upload
from . import test_xlsx_export
from . import test_crm_intake, test_request_form, test_portal
from . import test_request_flow
from . import test_request_sla
from . import test_request_automation
from . import test_request_reports, test_performance
from . import test_committee, test_committee_concurrency, test_committee_reports
from . import test_committee_tools
from . import test_transitions
from . import test_ui
from . import test_i18n
from . import test_letter_pdf
from . import test_security_personal_data
from . import test_my_work
from . import test_company_mail
from . import test_access_matrix, test_security_scope
from . import test_form_access, test_handoffs
from . import test_demo_data
from . import test_tours
from . import test_consent, test_privacy_notice
from . import test_portal_personal_data, test_data_correction
from . import test_access_log
from . import test_retention
from . import test_service_guide, test_eligibility_page
from . import test_outreach, test_outreach_xlsx
from . import test_periodic_review, test_periodic_review_letter
from . import test_feedback_deadline, test_feedback_flow, test_feedback_page, test_feedback_security
from . import test_evidence_report
from . import test_voice_figures
