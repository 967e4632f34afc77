from odoo import api, models

from ..tools.vn_date import format_date_short, today_vn
from .danvan_report_document import format_figure, format_number, format_place_date

STATUS_LABELS_VI = {
    "on_time": "Đúng hạn",
    "late": "Muộn",
    "missing": "Chưa gửi (quá hạn)",
    "open": "Chưa đến hạn",
    "returned": "Trả lại",
    "accepted": "Đã duyệt",
}


class ReportDanvanConsolidated(models.AbstractModel):
    """The consolidation of a period printed as the Department's report."""

    _name = "report.danvan_chinh_quyen.report_consolidated"
    _inherit = "danvan.report.document"
    _description = "Consolidated Report Document"
    _danvan_doc_model = "danvan.report.period"

    @api.model
    def _get_report_values(self, docids, data=None):
        values = super()._get_report_values(docids, data=data)
        values["docs"]._check_danvan_officer()
        values["period_info"] = self._period_info
        return values

    @api.model
    def _period_info(self, period):
        plan = period.plan_id
        today = today_vn(self.env)
        data = period._get_consolidation_data()
        targets = [
            dict(
                target,
                target_text=format_figure(target["target_value"], target["measure"]),
                average_text=format_figure(target["average"], target["measure"]),
                minimum_text=format_figure(target["minimum"], target["measure"]),
                maximum_text=format_figure(target["maximum"], target["measure"]),
                share_text=(
                    f"{target['reached']}/{target['count']} "
                    f"({format_figure(target['share'] * 100, 'percent')})"
                    if target["count"]
                    else ""
                ),
            )
            for target in data["targets"]
        ]
        return {
            "data": data,
            "targets": targets,
            "status_labels": STATUS_LABELS_VI,
            "governing_body": plan.governing_body or "",
            "issuing_body": plan.issuing_body or "",
            "number": format_number(
                False, self._danvan_unit_symbol(plan.issuing_unit_id, "BC")
            ),
            "place_date": format_place_date(
                plan.place, year=today.year, month=today.month
            ),
            "title": (
                "Tổng hợp kết quả thực hiện công tác dân vận chính quyền "
                f"năm {plan.year}"
            ),
            "subtitle": (
                f"({period.name}, số liệu từ ngày "
                f"{format_date_short(period.date_from)} "
                f"đến ngày {format_date_short(period.date_to)}, hạn gửi "
                f"{format_date_short(period.date_deadline)})"
            ),
            "situation_date": format_date_short(data["today"]),
            "recipients": ["- Lưu: VT, VP."],
        }
