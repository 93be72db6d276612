from . import test_beneficiary, test_security, test_validation_tools
from . import test_xlsx_export
from . import test_crm_intake, test_request_form, test_portal
from . import test_request_flow
from . import test_request_sla
from . import test_request_automation
from . import test_request_reports, test_performance
from . import test_committee, test_committee_concurrency, test_committee_reports
from . import test_transitions
from . import test_ui
from . import test_i18n
from . import test_letter_pdf
from . import test_security_personal_data
