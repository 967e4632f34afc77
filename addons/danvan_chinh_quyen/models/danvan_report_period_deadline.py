from odoo import models


class DanvanReportPeriod(models.Model):
    _name = "danvan.report.period"
    _inherit = ["danvan.report.period", "danvan.mail.mixin"]

    def _danvan_digest_rows(self):
        """Late and missing units of this period, for the digest mail."""
        self.ensure_one()
        today = self._danvan_today()
        reports = self.env["danvan.unit.report"].search(
            [("period_id", "=", self.id), ("unit_id.active", "=", True)]
        )
        rows = []
        for report in reports.sorted(lambda r: r.unit_id.complete_name or ""):
            status = report._danvan_deadline_status(today)
            if status in ("late", "missing"):
                rows.append(
                    {
                        "unit": report.unit_id.name,
                        "status": status,
                        "date_submitted": report._danvan_date_short(
                            report.date_submitted
                            and report._danvan_vn_date(report.date_submitted)
                        ),
                        "url": report._danvan_url(),
                    }
                )
        return rows
