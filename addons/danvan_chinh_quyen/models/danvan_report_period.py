from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DanvanReportPeriod(models.Model):
    """A reporting period of a plan: data cut-off dates and a deadline."""

    _name = "danvan.report.period"
    _description = "Reporting Period"
    _order = "plan_id, date_deadline, id"

    plan_id = fields.Many2one(
        "danvan.plan", required=True, ondelete="cascade", index=True
    )
    name = fields.Char(required=True)
    date_from = fields.Date(string="Data From", required=True)
    date_to = fields.Date(string="Data Until", required=True)
    # Index: the dashboard's current periods and the deadline job's digests
    # look for the periods due before / after a day
    date_deadline = fields.Date(string="Deadline", required=True, index=True)
    plan_year = fields.Integer(related="plan_id.year", string="Year")
    plan_state = fields.Selection(related="plan_id.state", string="Plan Status")
    report_ids = fields.One2many("danvan.unit.report", "period_id", string="Reports")
    report_count = fields.Integer(compute="_compute_report_stats")
    submitted_count = fields.Integer(compute="_compute_report_stats")

    def _compute_display_name(self):
        for period in self:
            if period.plan_id.year:
                period.display_name = f"{period.name} ({period.plan_id.year})"
            else:
                period.display_name = period.name or ""

    def _compute_report_stats(self):
        data = self.env["danvan.unit.report"]._read_group(
            [("period_id", "in", self.ids)], ["period_id", "state"], ["__count"]
        )
        totals, submitted = {}, {}
        for period, state, count in data:
            totals[period] = totals.get(period, 0) + count
            if state in ("submitted", "accepted"):
                submitted[period] = submitted.get(period, 0) + count
        for period in self:
            period.report_count = totals.get(period, 0)
            period.submitted_count = submitted.get(period, 0)

    @api.constrains("date_from", "date_to", "date_deadline")
    def _check_dates(self):
        for period in self:
            if period.date_to <= period.date_from:
                raise ValidationError(
                    self.env._(
                        "The period '%(name)s' must end after it starts.",
                        name=period.name,
                    )
                )
            if period.date_deadline < period.date_to:
                raise ValidationError(
                    self.env._(
                        "The deadline of the period '%(name)s' cannot be "
                        "before the end of its data.",
                        name=period.name,
                    )
                )
        self.plan_id._check_deadlines()

    @api.model_create_multi
    def create(self, vals_list):
        periods = super().create(vals_list)
        periods.plan_id._check_content_editable()
        return periods

    def write(self, vals):
        self.plan_id._check_content_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_reported(self):
        self.plan_id._check_content_editable()
        # archived reports count too: a period keeps the reports it had
        if self.with_context(active_test=False).report_ids:
            raise ValidationError(
                self.env._("A period that already has unit reports cannot be deleted.")
            )

    def action_view_reports(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "danvan_chinh_quyen.danvan_unit_report_action"
        )
        action["domain"] = [("period_id", "=", self.id)]
        action["context"] = {"search_default_group_state": 1}
        return action
