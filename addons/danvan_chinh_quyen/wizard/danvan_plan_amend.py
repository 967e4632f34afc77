from odoo import fields, models


class DanvanPlanAmend(models.TransientModel):
    """Ask a manager why an issued plan must change, then open it."""

    _name = "danvan.plan.amend"
    _description = "Amend an Issued Plan"

    plan_id = fields.Many2one("danvan.plan", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.plan_id._open_for_amendment(self.reason)
        return {"type": "ir.actions.act_window_close"}
