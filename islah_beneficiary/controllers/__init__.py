from . import report_export
from . import request_form
from . import portal
from . import portal_personal_data
from . import privacy_notice
from . import portal_appeal
from . import you_said_we_did
