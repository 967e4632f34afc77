from odoo import api, models
from odoo.tools import html2plaintext

from .danvan_report_document import format_figure, format_number, format_place_date


class ReportDanvanPlan(models.AbstractModel):
    """The plan (Kế hoạch) printed as the official document."""

    _name = "report.danvan_chinh_quyen.report_plan"
    _inherit = "danvan.report.document"
    _description = "Plan Document"
    _danvan_doc_model = "danvan.plan"

    @api.model
    def _get_report_values(self, docids, data=None):
        values = super()._get_report_values(docids, data=data)
        values["plan_info"] = self._plan_info
        return values

    @api.model
    def _plan_info(self, plan):
        """Everything the document prints that is not a field as is."""
        return {
            "number": format_number(plan.number, self._danvan_plan_symbol(plan)),
            "place_date": format_place_date(
                plan.place,
                plan.date_issued,
                year=plan.year,
                month=plan.month_issued,
            ),
            "basis_lines": self._plan_basis_lines(plan),
            "tasks": [
                {
                    "index": index,
                    "task": task,
                    "targets": [
                        f"{target.name}: "
                        f"{format_figure(target.target_value, target.measure)}"
                        for target in task.target_ids
                    ],
                }
                for index, task in enumerate(plan.task_ids, start=1)
            ],
            "period_lines": [
                f"{period.name}: số liệu từ ngày "
                f"{period.date_from.strftime('%d/%m/%Y')} đến ngày "
                f"{period.date_to.strftime('%d/%m/%Y')}, gửi trước ngày "
                f"{period.date_deadline.strftime('%d/%m/%Y')}."
                for period in plan.period_ids
            ],
            "recipients": self._recipient_lines(plan._get_recipient_lines()),
        }

    @api.model
    def _plan_basis_lines(self, plan):
        """'Căn cứ …' lines of the basis documents the opening does not cite."""
        opening = html2plaintext(plan.introduction or "")
        lines = []
        for basis in plan.basis_ids:
            if basis.number and basis.number in opening:
                continue
            text = basis._danvan_text()
            if text:
                lines.append(f"Căn cứ {text};")
        return lines

    @api.model
    def _recipient_lines(self, lines):
        """``- X;`` lines, the filing line (``Lưu: …``) last with a full stop."""
        filing = [line for line in lines if line.lower().startswith("lưu")]
        others = [line for line in lines if line not in filing]
        printed = [f"- {line.rstrip(' ;.')};" for line in others]
        for line in filing:
            printed.append(f"- {line}" if line.endswith(".") else f"- {line}.")
        return printed
