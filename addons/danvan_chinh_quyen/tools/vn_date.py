"""Dates the Vietnamese way, and "today" in Vietnam.

Deadlines are calendar days in Asia/Ho_Chi_Minh: a report sent at 23:30 on
the deadline day (16:30 UTC) is on time, one sent at 00:10 the next day is
late, whatever the server's timezone.
"""

from odoo import fields

VN_TZ = "Asia/Ho_Chi_Minh"


def today_vn(env):
    """Today's date in Vietnam (follows a frozen clock in tests)."""
    return fields.Date.context_today(env["res.users"].with_context(tz=VN_TZ))


def to_vn_date(env, value):
    """The Vietnamese calendar date of a UTC datetime (None stays None)."""
    if not value:
        return None
    return fields.Date.context_today(
        env["res.users"].with_context(tz=VN_TZ), timestamp=value
    )


def format_date_long(value):
    """``ngày 10 tháng 5 năm 2022`` (the form used in documents and mail)."""
    if not value:
        return ""
    value = fields.Date.to_date(value)
    return f"ngày {value.day} tháng {value.month} năm {value.year}"


def format_date_short(value):
    """``10/05/2022``."""
    if not value:
        return ""
    value = fields.Date.to_date(value)
    return value.strftime("%d/%m/%Y")
