from odoo import fields, models, tools

from ..tools.vn_date import format_date_long, format_date_short, to_vn_date, today_vn
from .danvan_reminder_log import PARAM_MAIL_FROM


class DanvanMailMixin(models.AbstractModel):
    """Helpers the addon's mail templates call on their record.

    Deadlines are written the Vietnamese way ("ngày 10 tháng 5 năm 2022"),
    links open the record in the web client, and the sender comes from the
    setting ``danvan_chinh_quyen.mail_from`` (default: the company's
    address). The deadline job renders its templates "as of" a day that
    it passes in the context key ``danvan_reminder_date``.
    """

    _name = "danvan.mail.mixin"
    _description = "Dân vận mail helpers"

    def _danvan_mail_from(self):
        param = self.env["ir.config_parameter"].sudo().get_param(PARAM_MAIL_FROM)
        # never empty: a template rendering an empty sender makes posting
        # fail ("configure the sender's email address") on a fresh database
        return (
            param
            or self.env.company.email_formatted
            or tools.config.get("email_from")
            or self.env.user.email_formatted
            or self.env.ref("base.partner_root").email_formatted
            or False
        )

    def _danvan_url(self):
        """Absolute link opening this record in the web client."""
        self.ensure_one()
        return f"{self.get_base_url()}/odoo/{self._name}/{self.id}"

    def _danvan_today(self):
        day = self.env.context.get("danvan_reminder_date")
        return fields.Date.to_date(day) if day else today_vn(self.env)

    def _danvan_days_left(self, deadline):
        if not deadline:
            return 0
        return (fields.Date.to_date(deadline) - self._danvan_today()).days

    def _danvan_days_late(self, deadline):
        return -self._danvan_days_left(deadline)

    def _danvan_date_long(self, value):
        return format_date_long(value)

    def _danvan_date_short(self, value):
        return format_date_short(value)

    def _danvan_vn_date(self, value):
        """The Vietnam calendar day of a UTC datetime."""
        return to_vn_date(self.env, value)
