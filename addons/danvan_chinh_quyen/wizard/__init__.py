from . import danvan_plan_amend
from . import danvan_plan_import
