import logging
import re

from odoo import fields, models
from odoo.tools import SQL, split_every

_logger = logging.getLogger(__name__)

# Settings of the deadline job (ir.config_parameter keys; see res_config_settings)
PARAM_OFFSETS = "danvan_chinh_quyen.reminder_offsets"
PARAM_NOTIFY_WHO = "danvan_chinh_quyen.notify_who"
PARAM_MAIL_FROM = "danvan_chinh_quyen.mail_from"
PARAM_DIGEST_PARTNERS = "danvan_chinh_quyen.digest_partner_ids"
PARAM_DIGEST_EMAILS = "danvan_chinh_quyen.digest_emails"
PARAM_TASK_LEADS = "danvan_chinh_quyen.notify_task_leads"
PARAM_CATCHUP_DAYS = "danvan_chinh_quyen.catchup_days"

DEFAULT_OFFSETS = (7, 1)
DEFAULT_CATCHUP_DAYS = 7
MAX_OFFSET = 366


def parse_offsets(value):
    """``"7, 1"`` -> ``[7, 1]`` (distinct positive days, largest first).

    :raise ValueError: on anything else than positive whole numbers.
    """
    parts = [p for p in re.split(r"[\s,;]+", (value or "").strip()) if p]
    offsets = set()
    for part in parts:
        if not part.isdigit() or not 0 < int(part) <= MAX_OFFSET:
            raise ValueError(part)
        offsets.add(int(part))
    return sorted(offsets, reverse=True)


def parse_ids(value):
    return [int(p) for p in re.split(r"[\s,;]+", value or "") if p.isdigit()]


def get_deadline_settings(env):
    """The job's settings, with defaults for missing or broken values."""
    icp = env["ir.config_parameter"].sudo()
    raw = icp.get_param(PARAM_OFFSETS)
    try:
        offsets = parse_offsets(raw) if raw else list(DEFAULT_OFFSETS)
    except ValueError:
        _logger.warning("Invalid %s %r: using the defaults 7,1", PARAM_OFFSETS, raw)
        offsets = list(DEFAULT_OFFSETS)
    who = icp.get_param(PARAM_NOTIFY_WHO) or "both"
    if who not in ("head", "staff", "both"):
        who = "both"
    try:
        catchup = max(1, int(icp.get_param(PARAM_CATCHUP_DAYS) or DEFAULT_CATCHUP_DAYS))
    except ValueError:
        catchup = DEFAULT_CATCHUP_DAYS
    emails = [
        e.strip()
        for e in re.split(r"[,;\n]+", icp.get_param(PARAM_DIGEST_EMAILS) or "")
    ]
    return {
        "offsets": offsets,
        "notify_who": who,
        "catchup_days": catchup,
        "task_leads": (icp.get_param(PARAM_TASK_LEADS) or "1") not in ("0", "False"),
        "digest_partner_ids": parse_ids(icp.get_param(PARAM_DIGEST_PARTNERS)),
        "digest_emails": [e for e in emails if e],
    }


class DanvanReminderLog(models.Model):
    """What the deadline job sent: one row per record, reminder kind,
    deadline and unit. The row is inserted before the mail is created, in
    the same transaction, under a unique constraint: a second run (or a
    concurrent one) finds the row and sends nothing again."""

    _name = "danvan.reminder.log"
    _description = "Deadline Reminder Log"
    _order = "id desc"
    _rec_name = "kind"

    res_model = fields.Char(string="Document Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Document", model_field="res_model", required=True, readonly=True
    )
    kind = fields.Char(
        required=True,
        readonly=True,
        help="before_<days>, overdue, digest, reg_before_<days>, reg_overdue, "
        "reg_digest, task_before_<days>, task_after",
    )
    # Index (issue #8): each batch of the deadline job reads what was
    # already sent for the deadlines of the day (res_model, kind, deadline in
    # a few dates); the log grows by some 15,000 rows a year for a province,
    # and the unique (res_model, res_id, ...) btree does not serve that query
    deadline = fields.Date(
        required=True,
        readonly=True,
        index=True,
        help="The deadline (Vietnam date) it is about.",
    )
    unit_id = fields.Many2one(
        "danvan.unit", required=True, readonly=True, index=True, ondelete="cascade"
    )
    plan_id = fields.Many2one(
        "danvan.plan", readonly=True, index=True, ondelete="cascade"
    )
    date = fields.Date(
        string="Run Date",
        readonly=True,
        help="The day (Vietnam) of the run that sent it.",
    )
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("no_recipient", "No Recipient"),
            ("no_template", "No Template"),
        ],
        default="queued",
        required=True,
        readonly=True,
    )
    mail_id = fields.Many2one(
        "mail.mail",
        string="E-mail",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    recipients = fields.Char(readonly=True)

    _sql_constraints = [
        (
            "reminder_uniq",
            "unique(res_model, res_id, kind, deadline, unit_id)",
            "This reminder was already sent.",
        ),
    ]

    def _claim(self, jobs, run_date):
        """Insert a log row per job unless one exists; return the claimed jobs.

        ``INSERT ... ON CONFLICT DO NOTHING``: a concurrent transaction
        holding the same key makes this one wait, then skip the job.
        Each claimed job gets its ``log_id``.
        """
        claimed = {}
        for chunk in split_every(500, jobs):
            rows = SQL(", ").join(
                SQL(
                    "(%s, %s, %s, %s, %s, %s, %s, 'queued', %s, "
                    "now() at time zone 'UTC', %s, now() at time zone 'UTC')",
                    job["res_model"],
                    job["res_id"],
                    job["kind"],
                    job["deadline"],
                    job["unit_id"],
                    job.get("plan_id") or None,
                    run_date,
                    self.env.uid,
                    self.env.uid,
                )
                for job in chunk
            )
            self.env.cr.execute(
                SQL(
                    "INSERT INTO danvan_reminder_log (res_model, res_id, kind, "
                    "deadline, unit_id, plan_id, date, state, create_uid, "
                    "create_date, write_uid, write_date) VALUES %s "
                    "ON CONFLICT DO NOTHING "
                    "RETURNING id, res_model, res_id, kind, deadline, unit_id",
                    rows,
                )
            )
            for log_id, *key in self.env.cr.fetchall():
                claimed[tuple(key)] = log_id
        result = []
        for job in jobs:
            key = (
                job["res_model"],
                job["res_id"],
                job["kind"],
                job["deadline"],
                job["unit_id"],
            )
            if key in claimed:
                job["log_id"] = claimed.pop(key)
                result.append(job)
        return result

    def _record_results(self, jobs):
        """Store each job's outcome (mail, state, recipients) in one query."""
        for chunk in split_every(500, [j for j in jobs if j.get("log_id")]):
            rows = SQL(", ").join(
                SQL(
                    "(%s::int, %s::int, %s::varchar, %s::varchar)",
                    job["log_id"],
                    job.get("mail_id") or None,
                    job.get("state") or "queued",
                    job.get("recipients") or None,
                )
                for job in chunk
            )
            self.env.cr.execute(
                SQL(
                    "UPDATE danvan_reminder_log AS l SET mail_id = v.mail_id, "
                    "state = v.state, recipients = v.recipients "
                    "FROM (VALUES %s) AS v(id, mail_id, state, recipients) "
                    "WHERE l.id = v.id",
                    rows,
                )
            )
        self.invalidate_model(["mail_id", "state", "recipients"])
