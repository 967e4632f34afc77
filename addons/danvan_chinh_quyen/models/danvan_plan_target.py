import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DanvanPlanTarget(models.Model):
    """A measurable indicator (chỉ tiêu) of a task area."""

    _name = "danvan.plan.target"
    _description = "Plan Target"
    _order = "task_id, sequence, id"

    task_id = fields.Many2one(
        "danvan.plan.task", required=True, ondelete="cascade", index=True
    )
    plan_id = fields.Many2one(
        related="task_id.plan_id", store=True, index=True, string="Plan"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=False)
    measure = fields.Selection(
        [("percent", "Percentage"), ("count", "Count"), ("boolean", "Yes / No")],
        required=True,
        default="percent",
    )
    target_value = fields.Float(
        default=100.0,
        help="Percent 0-100, a count, or 1 for 'yes' on a yes/no target.",
    )

    @api.constrains("measure", "target_value")
    def _check_target_value(self):
        for target in self:
            value = target.target_value
            if target.measure == "percent" and not 0 <= value <= 100:
                raise ValidationError(
                    self.env._(
                        "The target '%(name)s' is a percentage: its value must "
                        "be between 0 and 100.",
                        name=target.name,
                    )
                )
            # NaN and infinity (they pass XML-RPC) are no count
            if target.measure == "count" and (not math.isfinite(value) or value < 0):
                raise ValidationError(
                    self.env._(
                        "The target '%(name)s' is a count: it cannot be negative.",
                        name=target.name,
                    )
                )
            if target.measure == "boolean" and value not in (0, 1):
                raise ValidationError(
                    self.env._(
                        "The target '%(name)s' is a yes/no target: its value "
                        "is 0 (no) or 1 (yes).",
                        name=target.name,
                    )
                )

    def _is_reached(self, value):
        """Whether a reported value reaches this target."""
        self.ensure_one()
        return value is not None and value >= self.target_value

    @api.model_create_multi
    def create(self, vals_list):
        targets = super().create(vals_list)
        targets.plan_id._check_content_editable()
        return targets

    def write(self, vals):
        self.plan_id._check_content_editable()
        return super().write(vals)

    def unlink(self):
        self.plan_id._check_content_editable()
        return super().unlink()
