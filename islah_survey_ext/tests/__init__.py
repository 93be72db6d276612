from . import test_install
from . import test_survey_invitation
from . import test_survey_followup
from . import test_survey_score
from . import test_survey_access
from . import test_survey_controller
from . import test_xlsx_satisfaction
