from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    danvan_unit_id = fields.Many2one(
        "danvan.unit",
        string="Unit (Dân vận)",
        index=True,
        ondelete="restrict",
        help="The organisational unit this user works for: unit staff see "
        "and edit only their unit's records.",
    )
    danvan_head_unit_ids = fields.One2many(
        "danvan.unit",
        "head_user_id",
        string="Units Headed",
        help="Units this user heads: the user also sees their sub-units' records.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["danvan_unit_id", "danvan_head_unit_ids"]

    def _danvan_visible_unit_ids(self):
        """Ids of the units whose records this user may see as unit staff."""
        self.ensure_one()
        units = self.sudo().danvan_unit_id
        heads = self.sudo().danvan_head_unit_ids
        if heads:
            units |= (
                self.env["danvan.unit"].sudo().search([("id", "child_of", heads.ids)])
            )
        return units.ids

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        if any("danvan_unit_id" in vals for vals in vals_list):
            self.env.registry.clear_cache()
        return users

    def write(self, vals):
        res = super().write(vals)
        if "danvan_unit_id" in vals:
            # record rules are cached per user: the user's unit changed
            self.env.registry.clear_cache()
        return res
