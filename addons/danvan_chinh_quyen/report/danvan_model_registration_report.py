from odoo import api, models

from ..tools.vn_date import format_date_short
from .danvan_report_document import format_place_date

KIND_VI = {"collective": "Tập thể", "individual": "Cá nhân"}
RATING_VI = {
    "excellent": "Xuất sắc",
    "good": "Tốt",
    "achieved": "Đạt",
    "not_achieved": "Không đạt",
}
STATE_VI = {
    "draft": "Dự thảo",
    "registered": "Đã đăng ký",
    "returned": "Trả lại",
    "rejected": "Không chấp thuận",
    "approved": "Đã duyệt",
    "evaluated": "Đã đánh giá",
    "recognised": "Điển hình tiên tiến",
}


class ReportDanvanRegistrations(models.AbstractModel):
    """'Dân vận khéo' registrations of a year, listed unit by unit."""

    _name = "report.danvan_chinh_quyen.report_registrations"
    _inherit = "danvan.report.document"
    _description = "'Dân vận khéo' Registration List"
    _danvan_doc_model = "danvan.model.registration"

    @api.model
    def _danvan_filter(self, registrations):
        return registrations

    @api.model
    def _get_report_values(self, docids, data=None):
        values = super()._get_report_values(docids, data=data)
        values.update(
            {
                "documents": self._group_documents(values["docs"]),
                "kind_labels": KIND_VI,
                "rating_labels": RATING_VI,
                "state_labels": STATE_VI,
                "period_text": self._period_text,
            }
        )
        return values

    @api.model
    def _group_documents(self, registrations):
        """One document per plan (hence per year), units in tree order.

        The registrations are those selected, less what ``_danvan_filter``
        leaves out.

        ``[{plan, year, governing_body, issuing_body, place_date, count,
        collective_count, unit_count, units: [{unit, registrations}]}]``
        """
        documents = []
        for plan, plan_regs in sorted(
            registrations.grouped("plan_id").items(),
            key=lambda item: (-(item[0].year or 0), item[0].id),
        ):
            # a plan whose selected models are all filtered out still prints,
            # saying that it has none
            regs = self._danvan_filter(plan_regs)
            units = []
            for unit, unit_regs in sorted(
                regs.grouped("unit_id").items(),
                key=lambda item: (item[0].complete_name or "").lower(),
            ):
                units.append(
                    {
                        "unit": unit,
                        "registrations": unit_regs.sorted(
                            lambda r: (r.name or "").lower()
                        ),
                    }
                )
            documents.append(
                {
                    "plan": plan,
                    "year": plan.year,
                    "governing_body": plan.governing_body or "",
                    "issuing_body": plan.issuing_body or "",
                    "place_date": format_place_date(plan.place, year=plan.year),
                    "count": len(regs),
                    "collective_count": len(
                        regs.filtered(lambda r: r.kind == "collective")
                    ),
                    "unit_count": len(units),
                    "units": units,
                }
            )
        return documents

    @api.model
    def _period_text(self, registration):
        start, end = registration.date_start, registration.date_end
        if start and end:
            return f"{format_date_short(start)} - {format_date_short(end)}"
        return format_date_short(start or end)


class ReportDanvanRegistrationsExemplary(models.AbstractModel):
    """The exemplary 'Dân vận khéo' models, for publicity."""

    _name = "report.danvan_chinh_quyen.report_registrations_exemplary"
    _inherit = "report.danvan_chinh_quyen.report_registrations"
    _description = "Exemplary 'Dân vận khéo' Models"

    @api.model
    def _danvan_filter(self, registrations):
        return registrations.filtered("is_exemplary")
