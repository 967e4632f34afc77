from . import danvan_plan_amend
