from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    danvan_plan_id = fields.Many2one(
        "danvan.plan",
        string="Dân vận Plan",
        index="btree_not_null",
        ondelete="cascade",
        help="The plan a unit's 'Register Models' to-do is about.",
    )
