from . import report_export
from . import request_form
from . import portal
