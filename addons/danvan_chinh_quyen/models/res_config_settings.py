from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

from .danvan_reminder_log import (
    DEFAULT_CATCHUP_DAYS,
    MAX_OFFSET,
    PARAM_CATCHUP_DAYS,
    PARAM_DIGEST_EMAILS,
    PARAM_DIGEST_PARTNERS,
    PARAM_MAIL_FROM,
    PARAM_NOTIFY_WHO,
    PARAM_OFFSETS,
    PARAM_TASK_LEADS,
    parse_ids,
    parse_offsets,
)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    danvan_reminder_offsets = fields.Char(
        string="Reminder Days",
        config_parameter=PARAM_OFFSETS,
        default="7,1",
        help="How many days before each deadline units that have not "
        "submitted or registered get a reminder, e.g. 7,1.",
    )
    danvan_notify_who = fields.Selection(
        [
            ("head", "Head of the unit"),
            ("staff", "Staff of the unit"),
            ("both", "Head and staff"),
        ],
        string="E-mail to",
        config_parameter=PARAM_NOTIFY_WHO,
        default="both",
        help="Who receives a unit's mail. The unit's own address is used "
        "when nobody of the chosen people has one.",
    )
    danvan_mail_from = fields.Char(
        string="Sender",
        config_parameter=PARAM_MAIL_FROM,
        help="From address of the app's mail, e.g. "
        '"Sở GD&ĐT <vanphong@example.gov.vn>". Empty: the company\'s address.',
    )
    danvan_catchup_days = fields.Integer(
        string="Catch-up Days",
        config_parameter=PARAM_CATCHUP_DAYS,
        default=DEFAULT_CATCHUP_DAYS,
        help="Overdue notices and digests are still sent for deadlines "
        "passed during this many days (when the job could not run on the "
        "day after).",
    )
    danvan_notify_task_leads = fields.Boolean(
        string="Remind Task Lead Units",
        help="E-mail the lead unit of each task area before and after its deadline.",
    )
    danvan_digest_partner_ids = fields.Many2many(
        "res.partner",
        "danvan_config_digest_partner_rel",
        string="Digest Recipients",
        help="Also receive every digest of late and missing units.",
    )
    danvan_digest_emails = fields.Char(
        string="Digest E-mails",
        config_parameter=PARAM_DIGEST_EMAILS,
        help="Other addresses receiving the digests, separated by commas.",
    )

    @api.constrains("danvan_reminder_offsets")
    def _check_danvan_reminder_offsets(self):
        for settings in self:
            try:
                offsets = parse_offsets(settings.danvan_reminder_offsets)
            except ValueError as error:
                raise ValidationError(
                    self.env._(
                        "Reminder days must be whole numbers of days between 1 and "
                        "%(max)s separated by commas, e.g. 7,1 ('%(value)s' is not).",
                        max=MAX_OFFSET,
                        value=error.args[0],
                    )
                ) from error
            if settings.danvan_reminder_offsets and not offsets:
                raise ValidationError(self.env._("Give at least one reminder day."))

    @api.constrains("danvan_catchup_days")
    def _check_danvan_catchup_days(self):
        for settings in self:
            if settings.danvan_catchup_days < 0:
                raise ValidationError(self.env._("Catch-up days cannot be negative."))

    @api.model
    def get_values(self):
        res = super().get_values()
        icp = self.env["ir.config_parameter"].sudo()
        res["danvan_notify_task_leads"] = (
            icp.get_param(PARAM_TASK_LEADS) or "1"
        ) not in (
            "0",
            "False",
        )
        partners = (
            self.env["res.partner"]
            .browse(parse_ids(icp.get_param(PARAM_DIGEST_PARTNERS)))
            .exists()
        )
        res["danvan_digest_partner_ids"] = [Command.set(partners.ids)]
        return res

    def set_values(self):
        for settings in self:
            if settings.danvan_reminder_offsets:
                settings.danvan_reminder_offsets = ",".join(
                    str(d) for d in parse_offsets(settings.danvan_reminder_offsets)
                )
        res = super().set_values()
        icp = self.env["ir.config_parameter"].sudo()
        icp.set_param(PARAM_TASK_LEADS, "1" if self.danvan_notify_task_leads else "0")
        icp.set_param(
            PARAM_DIGEST_PARTNERS,
            ",".join(str(pid) for pid in self.danvan_digest_partner_ids.ids) or False,
        )
        return res
