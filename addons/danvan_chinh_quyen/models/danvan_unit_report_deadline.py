from odoo import models

from ..tools.vn_date import to_vn_date


class DanvanUnitReport(models.Model):
    _name = "danvan.unit.report"
    _inherit = ["danvan.unit.report", "danvan.mail.mixin"]

    def _danvan_deadline_status(self, today):
        """'on_time', 'late', 'missing' or 'open' as of the Vietnam day
        ``today`` (the deadline day itself is on time)."""
        self.ensure_one()
        if not self.date_deadline:
            return "open"
        if self.date_submitted:
            late = to_vn_date(self.env, self.date_submitted) > self.date_deadline
            return "late" if late else "on_time"
        return "missing" if today > self.date_deadline else "open"
