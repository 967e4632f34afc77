from odoo import models


class DanvanUnit(models.Model):
    _name = "danvan.unit"
    _inherit = ["danvan.unit", "danvan.mail.mixin"]

    def _danvan_unit_lang(self):
        """Language of the unit's mail: its head's, else the unit contact's,
        else the company's (False when none is set)."""
        unit = self[:1]
        return (
            unit.head_user_id.partner_id.lang
            or unit.partner_id.lang
            or self.env.company.partner_id.lang
            or False
        )

    def _danvan_reminder_plan(self):
        """The plan a registration reminder rendered on units is about."""
        return self.env["danvan.plan"].browse(self.env.context.get("danvan_plan_id"))

    def _danvan_registration_url(self):
        """Link to the 'Dân vận khéo' registrations (where units register)."""
        return (
            f"{self.get_base_url()}/odoo/"
            "action-danvan_chinh_quyen.danvan_model_registration_action"
        )
