from odoo import models


class DanvanPlanTask(models.Model):
    _name = "danvan.plan.task"
    _inherit = ["danvan.plan.task", "danvan.mail.mixin"]
