from . import vn_date
