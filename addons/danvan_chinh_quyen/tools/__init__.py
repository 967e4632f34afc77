from . import vn_date
from . import plan_parser
