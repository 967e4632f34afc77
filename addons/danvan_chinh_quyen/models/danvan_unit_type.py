from odoo import fields, models


class DanvanUnitType(models.Model):
    """Kind of organisational unit (Department, division, education office, school...).

    Types are data, never code: the 2025 reorganisation removed the district
    level, so no business rule may depend on a particular type.
    """

    _name = "danvan.unit.type"
    _description = "Unit Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    participates_by_default = fields.Boolean(
        string="Reports on Plans by Default",
        default=True,
        help="Units of this type are participant units of new plans by "
        "default (e.g. offices and schools, but not the Department's own "
        "divisions).",
    )
    unit_count = fields.Integer(compute="_compute_unit_count")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code of a unit type must be unique."),
    ]

    def _compute_unit_count(self):
        counts = dict(
            self.env["danvan.unit"]._read_group(
                [("type_id", "in", self.ids)], ["type_id"], ["__count"]
            )
        )
        for unit_type in self:
            unit_type.unit_count = counts.get(unit_type, 0)
