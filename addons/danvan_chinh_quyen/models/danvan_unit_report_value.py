import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DanvanUnitReportValue(models.Model):
    """A unit's figure for one target of the plan."""

    _name = "danvan.unit.report.value"
    _description = "Unit Report Figure"
    _order = "report_id, target_id"

    report_id = fields.Many2one(
        "danvan.unit.report", required=True, ondelete="cascade", index=True
    )
    target_id = fields.Many2one(
        "danvan.plan.target",
        required=True,
        ondelete="restrict",
        index=True,
    )
    unit_id = fields.Many2one(related="report_id.unit_id", store=True, index=True)
    measure = fields.Selection(related="target_id.measure")
    target_value = fields.Float(related="target_id.target_value")
    value = fields.Float(help="Percent 0-100, a count, or 0 / 1 for a yes/no target.")
    note = fields.Char()
    state = fields.Selection(related="report_id.state")

    _sql_constraints = [
        (
            "report_target_uniq",
            "unique(report_id, target_id)",
            "A report has one figure per target.",
        ),
    ]

    @api.constrains("value", "target_id")
    def _check_value(self):
        for line in self:
            measure, value, name = (
                line.target_id.measure,
                line.value,
                line.target_id.name,
            )
            if measure == "percent" and not 0 <= value <= 100:
                raise ValidationError(
                    self.env._(
                        "'%(name)s' is a percentage: enter a value between 0 and 100.",
                        name=name,
                    )
                )
            # NaN and infinity (they pass XML-RPC) are no count
            if measure == "count" and (
                not math.isfinite(value) or value < 0 or value != int(value)
            ):
                raise ValidationError(
                    self.env._(
                        "'%(name)s' is a count: enter a whole number, 0 or more.",
                        name=name,
                    )
                )
            if measure == "boolean" and value not in (0, 1):
                raise ValidationError(
                    self.env._(
                        "'%(name)s' is a yes/no figure: enter 0 or 1.", name=name
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        values = super().create(vals_list)
        values.report_id._check_lines_editable()
        return values

    def write(self, vals):
        self.report_id._check_lines_editable()
        return super().write(vals)

    def unlink(self):
        self.report_id._check_lines_editable()
        return super().unlink()
