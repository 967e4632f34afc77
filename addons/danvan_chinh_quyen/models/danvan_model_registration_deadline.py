from odoo import models

# A unit "has registered" for a plan once one of its models reached one of
# these states (a returned model was registered and is being fixed).
REGISTERED_STATES = ("registered", "returned", "approved", "evaluated", "recognised")


class DanvanModelRegistration(models.Model):
    _name = "danvan.model.registration"
    _inherit = ["danvan.model.registration", "danvan.mail.mixin"]

    def action_register(self):
        res = super().action_register()
        self._danvan_close_registration_activities()
        return res

    def _danvan_close_registration_activities(self):
        """Mark done the units' 'Register Models' to-dos of these plans."""
        activity_type = self.env.ref(
            "danvan_chinh_quyen.mail_activity_type_registration",
            raise_if_not_found=False,
        )
        if not activity_type or not self:
            return
        pairs = {(reg.plan_id.id, reg.unit_id.id) for reg in self}
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "danvan.unit"),
                    ("res_id", "in", [unit_id for _plan, unit_id in pairs]),
                    ("activity_type_id", "=", activity_type.id),
                    ("danvan_plan_id", "in", [plan_id for plan_id, _unit in pairs]),
                ]
            )
            .filtered(lambda a: (a.danvan_plan_id.id, a.res_id) in pairs)
        )
        if activities:
            activities.action_feedback(
                feedback=self.env._("'Dân vận khéo' model registered.")
            )
