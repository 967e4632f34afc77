from odoo import fields, models


class DanvanModelField(models.Model):
    """Field of a "Dân vận khéo" model (economy, culture and society...)."""

    _name = "danvan.model.field"
    _description = "Model Field"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code of a field must be unique."),
    ]
