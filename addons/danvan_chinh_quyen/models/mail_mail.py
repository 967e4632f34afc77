from datetime import timedelta

from odoo import api, fields, models

# how long the app's mails that could not reach the SMTP server are retried
RETRY_DAYS = 3


class MailMail(models.Model):
    """The app's mails survive an SMTP server that is down.

    When Odoo cannot connect to the SMTP server it marks the whole batch
    'exception' and never tries again. The deadline job queues its mails
    once (the reminder log forbids a second one), so a reminder failed that
    way would be lost. The mail queue (cron "Mail: Email Queue Manager")
    puts the app's mails that failed to connect back in the queue, for
    ``RETRY_DAYS`` days, before each run. Mails refused for their address
    are left alone.
    """

    _inherit = "mail.mail"

    @api.model
    def process_email_queue(self, ids=None, batch_size=1000):
        self._danvan_requeue_unsent()
        return super().process_email_queue(ids=ids, batch_size=batch_size)

    @api.model
    def _danvan_requeue_unsent(self):
        since = fields.Datetime.now() - timedelta(days=RETRY_DAYS)
        failed = self.sudo().search(
            [
                ("state", "=", "exception"),
                ("model", "=like", "danvan.%"),
                # no failure type: the connection failed (Odoo only sets
                # 'mail_smtp' on the notifications); other types are per mail
                ("failure_type", "in", (False, "mail_smtp")),
                ("create_date", ">=", since),
            ]
        )
        if failed:
            failed.mark_outgoing()
        return failed
