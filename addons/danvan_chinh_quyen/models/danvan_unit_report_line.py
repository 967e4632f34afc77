from odoo import api, fields, models


class DanvanUnitReportLine(models.Model):
    """What a unit reports on one task area of the plan."""

    _name = "danvan.unit.report.line"
    _description = "Unit Report Line"
    _order = "report_id, sequence, id"

    report_id = fields.Many2one(
        "danvan.unit.report", required=True, ondelete="cascade", index=True
    )
    task_id = fields.Many2one(
        "danvan.plan.task", string="Task Area", required=True, ondelete="restrict"
    )
    sequence = fields.Integer(related="task_id.sequence", store=True)
    task_code = fields.Char(related="task_id.code")
    unit_id = fields.Many2one(related="report_id.unit_id", store=True, index=True)
    state = fields.Selection(related="report_id.state")
    result = fields.Text(string="Results Achieved")
    difficulty = fields.Text(string="Difficulties")
    proposal = fields.Text(string="Proposals")

    _sql_constraints = [
        (
            "report_task_uniq",
            "unique(report_id, task_id)",
            "A report has one line per task area.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.report_id._check_lines_editable()
        return lines

    def write(self, vals):
        self.report_id._check_lines_editable()
        return super().write(vals)

    def unlink(self):
        self.report_id._check_lines_editable()
        return super().unlink()
