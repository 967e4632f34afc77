from odoo import api, fields, models
from odoo.exceptions import ValidationError


class DanvanPlan(models.Model):
    """What the printed plan needs beyond the content fields."""

    _inherit = "danvan.plan"

    month_issued = fields.Integer(
        string="Month of Issue",
        help="Month printed in the date line while the issue day is still "
        "blank, e.g. 2 prints 'ngày …… tháng 02 năm 2022' (the day is written "
        "by hand when signing). Once the plan has an issue date, that date is "
        "printed.",
    )

    @api.constrains("month_issued")
    def _check_month_issued(self):
        for plan in self:
            if plan.month_issued and not 1 <= plan.month_issued <= 12:
                raise ValidationError(
                    self.env._("The month of issue is a number from 1 to 12.")
                )
