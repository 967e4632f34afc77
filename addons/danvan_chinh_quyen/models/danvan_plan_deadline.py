"""The daily deadline job: to-dos, reminders, overdue notices and digests.

Everything is computed "as of" a Vietnam day (``today_vn`` for the
scheduled action). The job is a list of steps; each step lists what is
still to do (records not yet logged in ``danvan.reminder.log``, reports
lacking their to-do...) and processes a slice of it. One call handles at
most ``BATCH_SIZE`` items and reports its progress to the cron
(``ir.cron._notify_progress``): Odoo commits, calls again, and a run that
was interrupted resumes where it stopped, since what was done is no longer
listed. Mails are only queued (``mail.mail``), so a failing address or SMTP
server for one unit does not stop the others.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..tools.vn_date import today_vn
from .danvan_model_registration_deadline import REGISTERED_STATES
from .danvan_reminder_log import get_deadline_settings
from .danvan_unit_report import _FollowerBatch

_logger = logging.getLogger(__name__)

BATCH_SIZE = 200
OPEN_REPORT_STATES = ("draft", "returned")
TEMPLATE = "danvan_chinh_quyen.mail_template_%s"
RENDER_FIELDS = (
    "subject",
    "body_html",
    "email_from",
    "reply_to",
    "partner_to",
    "email_to",
    "email_cc",
)


class DanvanPlan(models.Model):
    _name = "danvan.plan"
    _inherit = ["danvan.plan", "danvan.mail.mixin"]

    # ------------------------------------------------------------------
    # Hooks on the plan's workflow
    # ------------------------------------------------------------------

    def _on_issue(self):
        res = super()._on_issue()
        self._danvan_schedule_registration_activities(today_vn(self.env))
        return res

    def action_close(self):
        res = super().action_close()
        self._danvan_unlink_registration_activities()
        return res

    def action_cancel(self):
        res = super().action_cancel()
        self._danvan_unlink_registration_activities()
        return res

    def _danvan_unlink_registration_activities(self):
        self.env["mail.activity"].sudo().search(
            [("danvan_plan_id", "in", self.ids)]
        ).unlink()

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------

    @api.model
    def _cron_deadline_reminders(self):
        """Scheduled action: one batch of the job as of today (Vietnam)."""
        today = today_vn(self.env)
        done, remaining = self.sudo()._danvan_run_deadlines(today)
        _logger.info(
            "Deadline job of %s: %s item(s) done, %s remaining", today, done, remaining
        )
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return True

    @api.model
    def run_deadline_reminders_for_date(self, date_str=False):
        """Run the whole deadline job as of the given day (managers only).

        Same code as the scheduled action, for another day than today:
        used to catch up by hand and by the end-to-end tests, which cannot
        move the server's clock. Mails are queued, not sent.

        :param str date_str: ``YYYY-MM-DD`` (default: today in Vietnam)
        :return: ``{"date": ..., "done": n, "remaining": n}``
        """
        self._check_manager()
        try:
            day = fields.Date.to_date(date_str) if date_str else today_vn(self.env)
        except ValueError as error:
            raise UserError(
                self.env._("'%(value)s' is not a date (YYYY-MM-DD).", value=date_str)
            ) from error
        total, remaining = 0, 0
        while True:
            done, remaining = self.sudo()._danvan_run_deadlines(day)
            total += done
            if not remaining or not done:
                break
        return {
            "date": fields.Date.to_string(day),
            "done": total,
            "remaining": remaining,
        }

    # ------------------------------------------------------------------
    # The job
    # ------------------------------------------------------------------

    def _danvan_run_deadlines(self, today, batch_size=None):
        """Process at most ``batch_size`` items; return (done, remaining)."""
        job = self.with_context(danvan_reminder_date=fields.Date.to_string(today))
        settings = get_deadline_settings(job.env)
        job.env["danvan.unit.report"]._cron_mark_late()
        budget, done, remaining = batch_size or BATCH_SIZE, 0, 0
        for todo, process in job._danvan_deadline_steps():
            items = todo(today, settings)
            _logger.debug(
                "Deadline job of %s: %s: %s item(s)", today, todo.__name__, len(items)
            )
            if items and budget > 0:
                chunk, items = items[:budget], items[budget:]
                process(today, settings, chunk)
                done += len(chunk)
                budget -= len(chunk)
            remaining += len(items)
        return done, remaining

    def _danvan_deadline_steps(self):
        """(todo, process) pairs, in order. ``todo(today, settings)`` lists
        what is left; ``process(today, settings, items)`` handles a slice."""
        return [
            (self._danvan_todo_report_activities, self._danvan_do_report_activities),
            (
                self._danvan_todo_registration_activities,
                self._danvan_do_registration_activities,
            ),
            (self._danvan_todo_report_reminders, self._danvan_do_report_reminders),
            (
                self._danvan_todo_registration_reminders,
                self._danvan_do_registration_reminders,
            ),
            (self._danvan_todo_report_overdue, self._danvan_do_report_overdue),
            (self._danvan_todo_report_digests, self._danvan_do_report_digests),
            (
                self._danvan_todo_registration_overdue,
                self._danvan_do_registration_overdue,
            ),
            (
                self._danvan_todo_registration_digests,
                self._danvan_do_registration_digests,
            ),
            (self._danvan_todo_task_reminders, self._danvan_do_task_reminders),
            (self._danvan_todo_task_after, self._danvan_do_task_after),
        ]

    # Tools -----------------------------------------------------------

    def _danvan_logged(self, res_model, kinds, deadlines):
        """{(res_id, kind, deadline, unit_id)} already in the log."""
        if not kinds or not deadlines:
            return set()
        logs = (
            self.env["danvan.reminder.log"]
            .sudo()
            .search_fetch(
                [
                    ("res_model", "=", res_model),
                    ("kind", "in", list(kinds)),
                    ("deadline", "in", list(deadlines)),
                ],
                ["res_id", "kind", "deadline", "unit_id"],
            )
        )
        return {(log.res_id, log.kind, log.deadline, log.unit_id.id) for log in logs}

    @staticmethod
    def _danvan_offset_dates(today, settings):
        """{deadline: days before} of the deadlines reminded today."""
        return {today + timedelta(days=d): d for d in settings["offsets"]}

    @staticmethod
    def _danvan_overdue_domain(field, today, settings):
        """Deadlines passed since the last ``catchup_days`` days (a run that
        was missed is caught up; older deadlines are left alone)."""
        return [
            (field, ">=", today - timedelta(days=settings["catchup_days"])),
            (field, "<", today),
        ]

    def _danvan_by_id(self, model, ids):
        """{id: record} sharing one prefetch set (no query per record)."""
        records = self.env[model].browse(list(dict.fromkeys(ids)))
        return {record.id: record for record in records}

    def _danvan_notify_partners(self, units, who):
        """{unit id: partners to e-mail} (``danvan.unit._get_notify_partners``),
        the people and their addresses read for all units at once."""
        units.mapped("head_user_id.partner_id.email")
        units.mapped("user_ids.partner_id.email")
        units.mapped("partner_id.email")
        return {unit.id: unit._get_notify_partners(who) for unit in units}

    def _danvan_digest_partners(self, settings):
        return (
            self.env["res.partner"]
            .browse(settings["digest_partner_ids"])
            .exists()
            .filtered("email")
        )

    # Activities ------------------------------------------------------

    def _danvan_todo_report_activities(self, today, settings):
        activity_type = self.env.ref(
            "danvan_chinh_quyen.mail_activity_type_report", raise_if_not_found=False
        )
        if not activity_type:
            return []
        return (
            self.env["danvan.unit.report"]
            .search(
                [
                    ("state", "in", OPEN_REPORT_STATES),
                    ("plan_id.state", "=", "issued"),
                    ("unit_id.active", "=", True),
                    (
                        "activity_ids",
                        "not any",
                        [("activity_type_id", "=", activity_type.id)],
                    ),
                    "|",
                    ("unit_id.head_user_id", "!=", False),
                    ("unit_id.user_ids", "!=", False),
                ],
                order="id",
            )
            .ids
        )

    def _danvan_do_report_activities(self, today, settings, items):
        self.env["danvan.unit.report"].browse(items)._schedule_deadline_activities()

    def _danvan_registration_activity_todo(self, today):
        """(plan id, unit id) of open registration windows of ``self``
        where the unit has neither registered nor its to-do."""
        activity_type = self.env.ref(
            "danvan_chinh_quyen.mail_activity_type_registration",
            raise_if_not_found=False,
        )
        plans = self.filtered(
            lambda p: (
                p.state == "issued"
                and p.registration_deadline
                and p.registration_deadline >= today
            )
        )
        if not activity_type or not plans:
            return []
        registered = plans._danvan_registered_pairs()
        existing = {
            (plan.id, res_id)
            for plan, res_id in self.env["mail.activity"]
            .sudo()
            ._read_group(
                [
                    ("res_model", "=", "danvan.unit"),
                    ("activity_type_id", "=", activity_type.id),
                    ("danvan_plan_id", "in", plans.ids),
                ],
                ["danvan_plan_id", "res_id"],
            )
        }
        return [
            (plan.id, unit.id)
            for plan in plans
            for unit in plan.participant_unit_ids
            if (plan.id, unit.id) not in registered
            and (plan.id, unit.id) not in existing
            and unit._get_responsible_user()
        ]

    def _danvan_todo_registration_activities(self, today, settings):
        plans = self.search(
            [("state", "=", "issued"), ("registration_deadline", ">=", today)]
        )
        return plans._danvan_registration_activity_todo(today)

    def _danvan_do_registration_activities(self, today, settings, items):
        activity_type = self.env.ref(
            "danvan_chinh_quyen.mail_activity_type_registration"
        )
        plans = self._danvan_by_id("danvan.plan", [p for p, _u in items])
        units = self._danvan_by_id("danvan.unit", [u for _p, u in items])
        model_id = self.env["ir.model"]._get_id("danvan.unit")
        vals_list = []
        for plan_id, unit_id in items:
            plan, unit = plans[plan_id], units[unit_id]
            user = unit._get_responsible_user()
            summary = self.with_context(lang=user.lang or self.env.lang).env._(
                "Register 'Dân vận khéo' models: %(plan)s", plan=plan.display_name
            )
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_model": "danvan.unit",
                    "res_id": unit.id,
                    "activity_type_id": activity_type.id,
                    "summary": summary,
                    "date_deadline": plan.registration_deadline,
                    "user_id": user.id,
                    "danvan_plan_id": plan.id,
                }
            )
        # performance (issue #8): mail.activity subscribes each responsible
        # user with a few queries per user; collect the subscriptions and
        # insert them in one batch (as for the reports' to-dos)
        batch = _FollowerBatch()
        activities = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True, danvan_follower_batch=batch)
            .create(vals_list)
        )
        self.env["danvan.unit.report"]._danvan_add_followers(
            batch.pairs, res_model="danvan.unit"
        )
        return activities

    def _danvan_schedule_registration_activities(self, today):
        """A 'Register Models' to-do per participant unit of these plans."""
        items = self.sudo()._danvan_registration_activity_todo(today)
        if items:
            self.sudo()._danvan_do_registration_activities(today, {}, items)

    def _danvan_registered_pairs(self):
        """{(plan id, unit id)} of units that registered a model."""
        return {
            (plan.id, unit.id)
            for plan, unit in self.env["danvan.model.registration"]
            .sudo()
            ._read_group(
                [("plan_id", "in", self.ids), ("state", "in", REGISTERED_STATES)],
                ["plan_id", "unit_id"],
            )
        }

    # Reminders before a deadline ---------------------------------------

    def _danvan_todo_report_reminders(self, today, settings):
        dates = self._danvan_offset_dates(today, settings)
        reports = self.env["danvan.unit.report"].search_fetch(
            [
                ("state", "in", OPEN_REPORT_STATES),
                ("plan_id.state", "=", "issued"),
                ("unit_id.active", "=", True),
                ("date_deadline", "in", list(dates)),
            ],
            ["date_deadline", "unit_id"],
            order="id",
        )
        kinds = {f"before_{d}" for d in dates.values()}
        logged = self._danvan_logged("danvan.unit.report", kinds, dates)
        items = []
        for report in reports:
            kind = f"before_{dates[report.date_deadline]}"
            key = (report.id, kind, report.date_deadline, report.unit_id.id)
            if key not in logged:
                items.append((report.id, kind))
        return items

    def _danvan_do_report_reminders(self, today, settings, items):
        reports = self._danvan_by_id("danvan.unit.report", [r for r, _k in items])
        partners = self._danvan_notify_partners(
            self.env["danvan.unit.report"].browse(list(reports)).unit_id,
            settings["notify_who"],
        )
        jobs = []
        for report_id, kind in items:
            report = reports[report_id]
            jobs.append(
                self._danvan_job(
                    "unit_report_reminder",
                    report,
                    kind,
                    report.date_deadline,
                    report.unit_id,
                    report.plan_id,
                    partners[report.unit_id.id],
                )
            )
        self._danvan_send(jobs, today)

    def _danvan_todo_registration_reminders(self, today, settings):
        dates = self._danvan_offset_dates(today, settings)
        plans = self.search(
            [("state", "=", "issued"), ("registration_deadline", "in", list(dates))],
            order="id",
        )
        if not plans:
            return []
        registered = plans._danvan_registered_pairs()
        kinds = {f"reg_before_{d}" for d in dates.values()}
        logged = self._danvan_logged("danvan.plan", kinds, dates)
        items = []
        for plan in plans:
            kind = f"reg_before_{dates[plan.registration_deadline]}"
            for unit in plan.participant_unit_ids:
                key = (plan.id, kind, plan.registration_deadline, unit.id)
                if (plan.id, unit.id) not in registered and key not in logged:
                    items.append((plan.id, unit.id, kind))
        return items

    def _danvan_do_registration_reminders(self, today, settings, items):
        self._danvan_send_registration_jobs(
            today, items, "registration_reminder", settings["notify_who"]
        )

    def _danvan_send_registration_jobs(self, today, items, template, who):
        plans = self._danvan_by_id("danvan.plan", [i[0] for i in items])
        units = self._danvan_by_id("danvan.unit", [i[1] for i in items])
        partners = self._danvan_notify_partners(
            self.env["danvan.unit"].browse(list(units)), who
        )
        jobs = []
        for plan_id, unit_id, kind in items:
            plan, unit = plans[plan_id], units[unit_id]
            job = self._danvan_job(
                template,
                plan,
                kind,
                plan.registration_deadline,
                unit,
                plan,
                partners[unit.id],
            )
            # one mail per unit, rendered on the unit with the plan in context
            job["record"] = unit
            job["ctx"] = {"danvan_plan_id": plan.id}
            jobs.append(job)
        self._danvan_send(jobs, today)

    def _danvan_todo_task_reminders(self, today, settings):
        if not settings["task_leads"]:
            return []
        dates = self._danvan_offset_dates(today, settings)
        tasks = self.env["danvan.plan.task"].search_fetch(
            [
                ("plan_id.state", "=", "issued"),
                ("lead_unit_id.active", "=", True),
                ("date_deadline", "in", list(dates)),
            ],
            ["date_deadline", "lead_unit_id"],
            order="id",
        )
        kinds = {f"task_before_{d}" for d in dates.values()}
        logged = self._danvan_logged("danvan.plan.task", kinds, dates)
        items = []
        for task in tasks:
            kind = f"task_before_{dates[task.date_deadline]}"
            if (task.id, kind, task.date_deadline, task.lead_unit_id.id) not in logged:
                items.append((task.id, kind))
        return items

    def _danvan_do_task_reminders(self, today, settings, items):
        self._danvan_send_task_jobs(today, settings, items, "task_reminder")

    def _danvan_send_task_jobs(self, today, settings, items, template):
        tasks = self._danvan_by_id("danvan.plan.task", [t for t, _k in items])
        partners = self._danvan_notify_partners(
            self.env["danvan.plan.task"].browse(list(tasks)).lead_unit_id,
            settings["notify_who"],
        )
        jobs = [
            self._danvan_job(
                template,
                tasks[task_id],
                kind,
                tasks[task_id].date_deadline,
                tasks[task_id].lead_unit_id,
                tasks[task_id].plan_id,
                partners[tasks[task_id].lead_unit_id.id],
            )
            for task_id, kind in items
        ]
        self._danvan_send(jobs, today)

    # After a deadline ----------------------------------------------------

    def _danvan_todo_report_overdue(self, today, settings):
        reports = self.env["danvan.unit.report"].search_fetch(
            [
                ("state", "in", OPEN_REPORT_STATES),
                ("date_submitted", "=", False),
                ("plan_id.state", "=", "issued"),
                ("unit_id.active", "=", True),
                *self._danvan_overdue_domain("date_deadline", today, settings),
            ],
            ["date_deadline", "unit_id"],
            order="id",
        )
        logged = self._danvan_logged(
            "danvan.unit.report", {"overdue"}, set(reports.mapped("date_deadline"))
        )
        return [
            r.id
            for r in reports
            if (r.id, "overdue", r.date_deadline, r.unit_id.id) not in logged
        ]

    def _danvan_do_report_overdue(self, today, settings, items):
        reports = self.env["danvan.unit.report"].browse(items)
        # the head of the late unit (the unit's address without a head)
        partners = self._danvan_notify_partners(reports.unit_id, "head")
        jobs = [
            self._danvan_job(
                "unit_report_overdue",
                report,
                "overdue",
                report.date_deadline,
                report.unit_id,
                report.plan_id,
                partners[report.unit_id.id],
            )
            for report in reports
        ]
        self._danvan_send(jobs, today)

    @staticmethod
    def _danvan_digest_unit(plan):
        """Unit the digest of a plan is logged under: the monitoring unit."""
        return plan.monitoring_unit_id or plan.issuing_unit_id

    def _danvan_todo_report_digests(self, today, settings):
        periods = self.env["danvan.report.period"].search(
            [
                ("plan_id.state", "=", "issued"),
                *self._danvan_overdue_domain("date_deadline", today, settings),
            ],
            order="id",
        )
        if not periods:
            return []
        reports = self.env["danvan.unit.report"].search_fetch(
            [("period_id", "in", periods.ids), ("unit_id.active", "=", True)],
            ["period_id", "date_deadline", "date_submitted"],
        )
        behind = {
            report.period_id.id
            for report in reports
            if report._danvan_deadline_status(today) in ("late", "missing")
        }
        logged = self._danvan_logged(
            "danvan.report.period", {"digest"}, set(periods.mapped("date_deadline"))
        )
        return [
            period.id
            for period in periods
            if period.id in behind
            and (
                period.id,
                "digest",
                period.date_deadline,
                self._danvan_digest_unit(period.plan_id).id,
            )
            not in logged
        ]

    def _danvan_do_report_digests(self, today, settings, items):
        extra = self._danvan_digest_partners(settings)
        jobs = []
        for period in self.env["danvan.report.period"].browse(items):
            plan = period.plan_id
            job = self._danvan_job(
                "unit_report_digest",
                period,
                "digest",
                period.date_deadline,
                self._danvan_digest_unit(plan),
                plan,
                plan.monitoring_unit_id._get_notify_partners(settings["notify_who"])
                | extra,
            )
            job["emails"] = settings["digest_emails"]
            jobs.append(job)
        self._danvan_send(jobs, today)

    def _danvan_todo_registration_overdue(self, today, settings):
        plans = self.search(
            [
                ("state", "=", "issued"),
                *self._danvan_overdue_domain("registration_deadline", today, settings),
            ],
            order="id",
        )
        if not plans:
            return []
        registered = plans._danvan_registered_pairs()
        logged = self._danvan_logged(
            "danvan.plan", {"reg_overdue"}, set(plans.mapped("registration_deadline"))
        )
        return [
            (plan.id, unit.id, "reg_overdue")
            for plan in plans
            for unit in plan.participant_unit_ids
            if (plan.id, unit.id) not in registered
            and (plan.id, "reg_overdue", plan.registration_deadline, unit.id)
            not in logged
        ]

    def _danvan_do_registration_overdue(self, today, settings, items):
        self._danvan_send_registration_jobs(
            today, items, "registration_overdue", "head"
        )

    def _danvan_todo_registration_digests(self, today, settings):
        plans = self.search(
            [
                ("state", "=", "issued"),
                *self._danvan_overdue_domain("registration_deadline", today, settings),
            ],
            order="id",
        )
        if not plans:
            return []
        statuses = plans._danvan_registration_statuses()
        logged = self._danvan_logged(
            "danvan.plan", {"reg_digest"}, set(plans.mapped("registration_deadline"))
        )
        return [
            plan.id
            for plan in plans
            if any(s in ("late", "missing") for s, _r in statuses[plan.id].values())
            and (
                plan.id,
                "reg_digest",
                plan.registration_deadline,
                self._danvan_digest_unit(plan).id,
            )
            not in logged
        ]

    def _danvan_do_registration_digests(self, today, settings, items):
        extra = self._danvan_digest_partners(settings)
        jobs = []
        for plan in self.browse(items):
            job = self._danvan_job(
                "registration_digest",
                plan,
                "reg_digest",
                plan.registration_deadline,
                self._danvan_digest_unit(plan),
                plan,
                plan.monitoring_unit_id._get_notify_partners(settings["notify_who"])
                | extra,
            )
            job["emails"] = settings["digest_emails"]
            jobs.append(job)
        self._danvan_send(jobs, today)

    def _danvan_todo_task_after(self, today, settings):
        if not settings["task_leads"]:
            return []
        tasks = self.env["danvan.plan.task"].search_fetch(
            [
                ("plan_id.state", "=", "issued"),
                ("lead_unit_id.active", "=", True),
                *self._danvan_overdue_domain("date_deadline", today, settings),
            ],
            ["date_deadline", "lead_unit_id"],
            order="id",
        )
        logged = self._danvan_logged(
            "danvan.plan.task", {"task_after"}, set(tasks.mapped("date_deadline"))
        )
        return [
            (task.id, "task_after")
            for task in tasks
            if (task.id, "task_after", task.date_deadline, task.lead_unit_id.id)
            not in logged
        ]

    def _danvan_do_task_after(self, today, settings, items):
        self._danvan_send_task_jobs(today, settings, items, "task_overdue")

    # Registration follow-up (digest content) ------------------------------

    def _danvan_registration_statuses(self):
        """{plan id: {unit id: (status, registration id)}} for the
        participant units: 'missing' (nothing registered), 'late' (all
        registered after the deadline) or 'on_time'."""
        data = {
            (plan.id, unit.id): (all_late, first_id)
            for plan, unit, all_late, first_id in self.env["danvan.model.registration"]
            .sudo()
            ._read_group(
                [("plan_id", "in", self.ids), ("state", "in", REGISTERED_STATES)],
                ["plan_id", "unit_id"],
                ["is_late:bool_and", "id:min"],
            )
        }
        result = {}
        for plan in self:
            statuses = result[plan.id] = {}
            for unit in plan.participant_unit_ids:
                all_late, first_id = data.get((plan.id, unit.id), (None, False))
                if all_late is None:
                    statuses[unit.id] = ("missing", False)
                else:
                    statuses[unit.id] = ("late" if all_late else "on_time", first_id)
        return result

    def _danvan_registration_digest_rows(self):
        """Units of this plan with no or only late registrations."""
        self.ensure_one()
        statuses = self._danvan_registration_statuses()[self.id]
        base_url = self.get_base_url()
        rows = []
        for unit in self.participant_unit_ids.sorted(lambda u: u.complete_name or ""):
            status, registration_id = statuses[unit.id]
            if status == "missing":
                url = f"{base_url}/odoo/danvan.unit/{unit.id}"
            elif status == "late":
                url = f"{base_url}/odoo/danvan.model.registration/{registration_id}"
            else:
                continue
            rows.append({"unit": unit.name, "status": status, "url": url})
        return rows

    # Sending ---------------------------------------------------------------

    @staticmethod
    def _danvan_job(template, record, kind, deadline, unit, plan, partners):
        return {
            "template": template,
            "record": record,
            "ctx": {},
            "res_model": record._name,
            "res_id": record.id,
            "kind": kind,
            "deadline": deadline,
            "unit_id": unit.id,
            "plan_id": plan.id,
            "partners": partners,
            "emails": [],
        }

    def _danvan_send(self, jobs, today):
        """Log then queue one mail per job; skip jobs logged already.

        The log rows are inserted first (a concurrent run waits on them
        and then skips), then every mail of the batch is rendered per
        template and language and created in one ``create`` call.
        """
        if not jobs:
            return 0
        log_model = self.env["danvan.reminder.log"].sudo()
        jobs = log_model._claim(jobs, today)
        templates = {
            name: self.env.ref(TEMPLATE % name, raise_if_not_found=False)
            for name in {job["template"] for job in jobs}
        }
        groups = defaultdict(list)
        for job in jobs:
            partners = job["partners"].filtered("email")
            job["partner_ids"] = partners.ids
            job["recipients"] = ", ".join(partners.mapped("email") + job["emails"])
            template = templates[job["template"]]
            if not template:
                job["state"] = "no_template"
            elif not job["partner_ids"] and not job["emails"]:
                job["state"] = "no_recipient"
                _logger.info(
                    "Deadline job: no e-mail address for unit %s (%s %s)",
                    job["unit_id"],
                    job["kind"],
                    job["res_model"],
                )
            else:
                groups[template, tuple(sorted(job["ctx"].items()))].append(job)
        mail_values, mail_jobs = [], []
        for (template, ctx), group in groups.items():
            res_ids = list(dict.fromkeys(job["record"].id for job in group))
            # performance (issue #8): compile the body once for all the
            # records, not once per record (see models/ir_qweb.py)
            rendered = template.with_context(
                danvan_qweb_compile_cache=True, **dict(ctx)
            )._generate_template(res_ids, RENDER_FIELDS)
            for job in group:
                mail_values.append(
                    self._danvan_mail_values(template, rendered[job["record"].id], job)
                )
                mail_jobs.append(job)
        if mail_values:
            mails = self.env["mail.mail"].sudo().create(mail_values)
            for job, mail in zip(mail_jobs, mails, strict=True):
                job["mail_id"] = mail.id
        log_model._record_results(jobs)
        return len(mail_values)

    def _danvan_mail_values(self, template, values, job):
        partner_ids = list(
            dict.fromkeys(job["partner_ids"] + values.get("partner_ids", []))
        )
        email_to = ", ".join(e for e in [*job["emails"], values.get("email_to")] if e)
        email_from = (
            values.get("email_from")
            or self._danvan_mail_from()
            or self.env.user.email_formatted
        )
        return {
            "subject": values.get("subject") or "",
            "body_html": values.get("body_html") or "",
            "body": values.get("body_html") or "",
            "email_from": email_from,
            "reply_to": values.get("reply_to") or email_from,
            "email_to": email_to or False,
            "email_cc": values.get("email_cc") or False,
            "recipient_ids": [Command.link(pid) for pid in partner_ids],
            "model": job["record"]._name,
            "res_id": job["record"].id,
            "auto_delete": template.auto_delete,
            "mail_server_id": template.mail_server_id.id,
            "message_type": "email_outgoing",
        }
