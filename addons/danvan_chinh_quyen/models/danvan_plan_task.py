from odoo import api, fields, models


class DanvanPlanTask(models.Model):
    """A task area (nhiệm vụ) of section II of a plan."""

    _name = "danvan.plan.task"
    _description = "Plan Task Area"
    _order = "plan_id, sequence, id"

    plan_id = fields.Many2one(
        "danvan.plan", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    code = fields.Char(help="Numbering in the plan, e.g. II.5")
    name = fields.Char(string="Title", required=True)
    description = fields.Html(sanitize=True)
    lead_unit_id = fields.Many2one("danvan.unit", ondelete="restrict", index=True)
    cooperating_unit_ids = fields.Many2many(
        "danvan.unit",
        "danvan_plan_task_cooperating_rel",
        "task_id",
        "unit_id",
        string="Cooperating Units",
    )
    date_deadline = fields.Date(string="Deadline", index=True)
    target_ids = fields.One2many("danvan.plan.target", "task_id", string="Targets")
    target_count = fields.Integer(compute="_compute_target_count")
    plan_year = fields.Integer(related="plan_id.year", string="Year")
    plan_state = fields.Selection(related="plan_id.state", string="Plan Status")

    def _compute_display_name(self):
        for task in self:
            task.display_name = (
                f"{task.code} {task.name}" if task.code else (task.name or "")
            )

    @api.depends("target_ids")
    def _compute_target_count(self):
        for task in self:
            task.target_count = len(task.target_ids)

    @api.constrains("date_deadline")
    def _check_date_deadline(self):
        self.plan_id._check_deadlines()

    @api.model_create_multi
    def create(self, vals_list):
        tasks = super().create(vals_list)
        tasks.plan_id._check_content_editable()
        return tasks

    def write(self, vals):
        self.plan_id._check_content_editable()
        return super().write(vals)

    def unlink(self):
        self.plan_id._check_content_editable()
        return super().unlink()
