from odoo import api, models

from ..tools.vn_date import format_date_short, to_vn_date, today_vn
from .danvan_report_document import format_figure, format_number, format_place_date


def lower_first(text):
    return text[:1].lower() + text[1:] if text else ""


class ReportDanvanUnitReport(models.AbstractModel):
    """A unit's periodic report printed as the unit's official report."""

    _name = "report.danvan_chinh_quyen.report_unit_report"
    _inherit = "danvan.report.document"
    _description = "Unit Report Document"
    _danvan_doc_model = "danvan.unit.report"

    @api.model
    def _get_report_values(self, docids, data=None):
        values = super()._get_report_values(docids, data=data)
        values["report_info"] = self._report_info
        return values

    @api.model
    def _report_info(self, report):
        plan, period, unit = report.plan_id, report.period_id, report.unit_id
        submitted = to_vn_date(self.env, report.date_submitted)
        today = today_vn(self.env)
        if plan.number:
            plan_ref = f"Kế hoạch số {plan.number}"
            if plan.date_issued:
                plan_ref += f" ngày {format_date_short(plan.date_issued)}"
        else:
            plan_ref = "Kế hoạch"
        issuer = plan.issuing_unit_id.name or plan.issuing_body or ""
        opening = (
            f"Thực hiện {plan_ref} của {issuer} về {lower_first(plan.name)}; "
            f"{unit.name} báo cáo kết quả thực hiện "
            f"{lower_first(period.name)} như sau:"
        )
        values = report.value_ids
        return {
            "governing_body": unit._get_governing_body() or "",
            "issuing_body": unit._get_print_name(),
            "number": format_number(False, self._danvan_unit_symbol(unit, "BC")),
            "place_date": format_place_date(
                plan.place,
                submitted,
                year=plan.year,
                month=today.month if today.year == plan.year else None,
            ),
            "title": f"Kết quả thực hiện công tác dân vận chính quyền năm {plan.year}",
            "subtitle": (
                f"({period.name}, số liệu từ ngày "
                f"{format_date_short(period.date_from)} "
                f"đến ngày {format_date_short(period.date_to)})"
            ),
            "opening": opening,
            "lines": report.line_ids.sorted(lambda line: (line.sequence, line.id)),
            "values": [
                {
                    "name": value.target_id.name,
                    "task": value.target_id.task_id.code or "",
                    "measure": value.target_id.measure,
                    "target": format_figure(
                        value.target_id.target_value, value.target_id.measure
                    ),
                    "value": format_figure(value.value, value.target_id.measure),
                    "reached": value.target_id._is_reached(value.value),
                    "note": value.note or "",
                }
                for value in values
            ],
            "recipients": [f"- {issuer} (để báo cáo);", "- Lưu: VT."],
            "signing_capacity": "THỦ TRƯỞNG ĐƠN VỊ",
            "signer_title": "",
            "signer_name": unit.head_user_id.name or "",
        }
