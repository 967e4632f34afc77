from odoo import api, fields, models


class DanvanPlanBasis(models.Model):
    """A document the plan is based on ("Căn cứ", "Thực hiện ...")."""

    _name = "danvan.plan.basis"
    _description = "Plan Basis Document"
    _order = "plan_id, sequence, id"

    plan_id = fields.Many2one(
        "danvan.plan", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    number = fields.Char(help="Number and symbol, e.g. 05/KH-UBND.")
    date = fields.Date()
    issuer = fields.Char(help="e.g. Ủy ban nhân dân tỉnh Hòa Bình")
    title = fields.Char(help="Abstract of the document (trích yếu).")
    plan_ref_id = fields.Many2one(
        "danvan.plan",
        string="Plan in the System",
        ondelete="set null",
        help="The parent plan, when it is managed here too.",
    )

    def _compute_display_name(self):
        for basis in self:
            parts = [basis.number or "", basis.issuer or "", basis.title or ""]
            basis.display_name = " ".join(p for p in parts if p) or basis.env._(
                "Document"
            )

    @api.model_create_multi
    def create(self, vals_list):
        bases = super().create(vals_list)
        bases.plan_id._check_content_editable()
        return bases

    def write(self, vals):
        self.plan_id._check_content_editable()
        return super().write(vals)

    def unlink(self):
        self.plan_id._check_content_editable()
        return super().unlink()

    def _danvan_text(self):
        """The sentence printed in the plan's opening."""
        self.ensure_one()
        from ..tools.vn_date import format_date_short

        text = self.number or ""
        if self.date:
            text += " ngày " + format_date_short(self.date)
        if self.issuer:
            text += " của " + self.issuer
        if self.title:
            text += " " + self.title
        return text.strip()
