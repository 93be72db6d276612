from . import res_company
from . import res_config_settings
from . import islah_service_type
from . import islah_beneficiary
from . import survey_user_input
from . import islah_support_request
from . import survey_question
from . import survey_question_answer
