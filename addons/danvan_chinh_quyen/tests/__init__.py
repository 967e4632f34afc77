from . import test_plan_parser
