"""What every printed official document of the addon shares.

The documents follow Decree 30/2020/NĐ-CP on administrative documents: the
two-column header (governing and issuing body, number and symbol on the
left; national motto, place and date on the right), the recipients bottom
left and the signature block bottom right. They are Vietnamese documents,
so their fixed wording is Vietnamese whatever the user's language; the
records are read in Vietnamese when that language is installed.
"""

import re

from odoo import api, models
from odoo.tools import html2plaintext, is_html_empty

from ..tools.vn_date import format_date_long, format_date_short, to_vn_date, today_vn

NBSP = "\u00a0"
# left blank for the hand-written number and day of a document to be signed
BLANK_NUMBER = NBSP * 8
BLANK_DAY = "……"
VI_LANG = "vi_VN"

MEASURE_UNITS = {"percent": "%", "count": "", "boolean": ""}
MEASURE_LABELS_VI = {
    "percent": "Tỷ lệ (%)",
    "count": "Số lượng",
    "boolean": "Có / Không",
}


def format_day(day):
    """Days below 10 take a leading zero (Decree 30/2020, appendix I)."""
    return f"{day:02d}"


def format_month(month):
    """Months 1 and 2 take a leading zero, the others do not (Decree 30/2020)."""
    return f"{month:02d}" if month < 3 else str(month)


def format_place_date(place, value=None, year=None, month=None):
    """``Hòa Bình, ngày 05 tháng 02 năm 2022``.

    Without a date the day (and the month or year when unknown) stay blank
    to be filled by hand when signing: ``Hòa Bình, ngày …… tháng 02 năm 2022``.
    """
    if value:
        day, mon, yr = format_day(value.day), format_month(value.month), value.year
    else:
        day = BLANK_DAY
        mon = format_month(month) if month and 1 <= month <= 12 else BLANK_DAY
        yr = year or BLANK_DAY
    text = f"ngày {day} tháng {mon} năm {yr}"
    return (
        f"{place.strip()}, {text}"
        if place and place.strip()
        else text[:1].upper() + text[1:]
    )


def format_number(number, symbol=None):
    """``Số: 12/KH-SGD&ĐT``, or ``Số:        /KH-SGD&ĐT`` before issue."""
    if number:
        return f"Số: {number}"
    if symbol:
        return f"Số:{BLANK_NUMBER}/{symbol}"
    return f"Số:{BLANK_NUMBER}"


def format_figure(value, measure=None, decimal_point=",", thousands_sep="."):
    """A figure the Vietnamese way: ``1.234,5`` (no useless decimals)."""
    if value is None or value is False:
        return ""
    if measure == "boolean" and value in (0, 1):
        return "Có" if value else "Không"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    text = (
        text.replace(",", "\x00")
        .replace(".", decimal_point)
        .replace("\x00", thousands_sep)
    )
    return text + MEASURE_UNITS.get(measure or "", "")


def html_has_content(value):
    return bool(value) and not is_html_empty(value)


def plain_lines(text):
    """The non-empty lines of a plain text (for multi-line Text fields)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class DanvanReportDocument(models.AbstractModel):
    """Base of the addon's report models: documents and print helpers."""

    _name = "danvan.report.document"
    _description = "Official Document Printing Helpers"

    # model of the records an action prints; set by each report model
    _danvan_doc_model = None

    @api.model
    def _danvan_doc_lang(self):
        """Documents are printed in Vietnamese when it is installed."""
        if self.env["res.lang"]._lang_get(VI_LANG):
            return VI_LANG
        return self.env.lang or "en_US"

    @api.model
    def _danvan_helpers(self):
        """Functions and constants the QWeb templates use."""
        env = self.env
        return {
            "vn_date_long": format_date_long,
            "vn_date_short": format_date_short,
            "vn_place_date": format_place_date,
            "vn_number": format_number,
            "vn_figure": format_figure,
            "vn_date_of": lambda dt: to_vn_date(env, dt),
            "vn_today": today_vn(env),
            "html_has_content": html_has_content,
            "html_text": html2plaintext,
            "plain_lines": plain_lines,
            "measure_labels": MEASURE_LABELS_VI,
            "doc_lang": self._danvan_doc_lang(),
        }

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env[self._danvan_doc_model].browse(docids)
        # refuse with a clear AccessError before rendering (inside QWeb it
        # would surface wrapped in a rendering error)
        docs.check_access("read")
        return {
            "doc_ids": docids,
            "doc_model": self._danvan_doc_model,
            "docs": docs,
            "data": data,
            **self._danvan_helpers(),
        }

    # ------------------------------------------------------------------
    # Shared pieces
    # ------------------------------------------------------------------

    @api.model
    def _danvan_unit_symbol(self, unit, prefix):
        """Symbol of a unit's documents of one type: ``BC-SGD&ĐT``.

        Derived from the unit's plan symbol (``KH-SGD&ĐT``) by changing the
        document type, else from the unit's code.
        """
        symbol = unit.plan_symbol or ""
        match = re.match(r"^\s*[A-ZĐ]+-(.+)$", symbol)
        if match:
            return f"{prefix}-{match.group(1).strip()}"
        return f"{prefix}-{unit.code}" if unit.code else prefix

    @api.model
    def _danvan_plan_symbol(self, plan):
        unit = plan.issuing_unit_id
        if not unit:
            return "KH"
        return unit.plan_symbol or f"KH-{unit.code}"
