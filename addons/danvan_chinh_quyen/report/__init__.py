from . import danvan_report_document
from . import danvan_plan_report
from . import danvan_unit_report_report
from . import danvan_report_period_report
from . import danvan_model_registration_report
