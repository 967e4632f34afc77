from werkzeug.exceptions import Forbidden, NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import content_disposition, request

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DanvanConsolidationController(http.Controller):
    @http.route(
        "/danvan/period/<int:period_id>/consolidation.xlsx",
        type="http",
        auth="user",
        methods=["GET"],
        readonly=True,
    )
    def danvan_consolidation_xlsx(self, period_id, **kwargs):
        """The consolidation of a reporting period as an XLSX workbook.

        Department officers only: the workbook lists every unit, so unit
        staff get 403 even for a period of their own plan.
        """
        env = request.env
        if not env.user.has_group("danvan_chinh_quyen.group_danvan_officer"):
            raise Forbidden()
        period = env["danvan.report.period"].browse(period_id).exists()
        if not period:
            raise NotFound()
        try:
            period.check_access("read")
            content = period._get_consolidation_xlsx()
        except (AccessError, MissingError) as error:
            raise Forbidden() from error
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Length", len(content)),
                (
                    "Content-Disposition",
                    content_disposition(period._get_consolidation_xlsx_filename()),
                ),
            ],
        )
