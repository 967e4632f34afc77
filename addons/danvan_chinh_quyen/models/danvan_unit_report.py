from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.vn_date import to_vn_date, today_vn
from .danvan_unit_mixin import WORKFLOW

REPORT_CREATE_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "mail_activity_quick_update": True,
}


class _FollowerBatch:
    """Collects the (report id, partner id) subscriptions that creating
    activities asks for, to insert them at once (see ``message_subscribe``)."""

    def __init__(self):
        self.pairs = []


class DanvanUnitReport(models.Model):
    """One unit's periodic report on one plan (one per plan, period, unit)."""

    _name = "danvan.unit.report"
    _description = "Unit Report"
    _inherit = ["danvan.unit.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_deadline desc, plan_id, unit_id"
    _danvan_open_states = ("draft", "returned")
    _danvan_review_fields = ("review_note",)
    _danvan_workflow_fields = (
        "state",
        "date_submitted",
        "date_first_submitted",
        "submitted_by_id",
        "reviewer_id",
        "date_reviewed",
        "is_late",
        "plan_id",
        "period_id",
    )

    # Indexes (issue #8). plan_id: the reports of a plan (generation, the
    # plan's smart button); the unique (plan_id, period_id, unit_id) btree
    # also serves plan + period and the generation's existing-triple check.
    plan_id = fields.Many2one(
        "danvan.plan", required=True, ondelete="restrict", index=True, readonly=True
    )
    # period_id: the consolidation, the dashboard and the digests read one
    # period's reports (1,500 of a year's 3,000)
    period_id = fields.Many2one(
        "danvan.report.period",
        required=True,
        ondelete="restrict",
        index=True,
        readonly=True,
    )
    # year: the lists' filter and grouping by year, across plans
    year = fields.Integer(related="plan_id.year", store=True, index=True)
    name = fields.Char(compute="_compute_name", store=True)
    # date_deadline: the deadline job looks for the open reports due on the
    # reminder days or overdue since a few days (a few deadlines among every
    # year's), and the lists are sorted on it
    date_deadline = fields.Date(
        string="Deadline",
        related="period_id.date_deadline",
        store=True,
        index=True,
    )
    # state: open reports (deadline job, unit dashboard), submitted ones (the
    # officers' "to review"); combined with date_deadline or period_id
    state = fields.Selection(
        [
            ("draft", "To Submit"),
            ("submitted", "Submitted"),
            ("returned", "Returned"),
            ("accepted", "Accepted"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand=True,
    )
    date_submitted = fields.Datetime(readonly=True, copy=False, tracking=True)
    date_first_submitted = fields.Datetime(
        readonly=True,
        copy=False,
        help="When the unit first sent the report: lateness is judged on it, "
        "so a report returned for corrections and sent again is not made late "
        "by the review.",
    )
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    # is_late: the "Late" filter, the dashboard's late units and the
    # refresh of open reports that became late (_cron_mark_late)
    is_late = fields.Boolean(
        string="Late",
        compute="_compute_is_late",
        store=True,
        index=True,
        help="Submitted after the deadline, or still not submitted once the "
        "deadline day (Vietnam time) has passed.",
    )
    reviewer_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_reviewed = fields.Datetime(readonly=True, copy=False)
    review_note = fields.Text(tracking=True)
    general_assessment = fields.Html(sanitize=True)
    general_proposal = fields.Html(string="General Proposals", sanitize=True)
    line_ids = fields.One2many(
        "danvan.unit.report.line", "report_id", string="Results by Task Area"
    )
    value_ids = fields.One2many(
        "danvan.unit.report.value", "report_id", string="Target Figures"
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "danvan_unit_report_attachment_rel",
        "report_id",
        "attachment_id",
        string="Evidence",
    )
    monitoring_unit_id = fields.Many2one(related="plan_id.monitoring_unit_id")
    # a submitted report is never deleted: officers archive it instead
    active = fields.Boolean(default=True, tracking=True)
    status_label = fields.Selection(
        [
            ("on_time", "On Time"),
            ("late", "Late"),
            ("missing", "Missing"),
            ("open", "Not Due Yet"),
            ("returned", "Returned"),
            ("accepted", "Accepted"),
        ],
        string="Follow-up",
        compute="_compute_status_label",
    )

    _sql_constraints = [
        (
            "plan_period_unit_uniq",
            "unique(plan_id, period_id, unit_id)",
            "A unit has only one report per plan and period.",
        ),
    ]

    @api.depends("unit_id.name", "period_id.name", "year")
    def _compute_name(self):
        for report in self:
            report.name = " - ".join(
                p
                for p in (
                    report.period_id.display_name or "",
                    report.unit_id.name or "",
                )
                if p
            )

    @api.depends("date_deadline", "date_submitted", "date_first_submitted", "state")
    def _compute_is_late(self):
        today = today_vn(self.env)
        for report in self:
            if not report.date_deadline:
                report.is_late = False
            elif report.date_first_submitted or report.date_submitted:
                sent = report.date_first_submitted or report.date_submitted
                report.is_late = to_vn_date(self.env, sent) > report.date_deadline
            else:
                report.is_late = today > report.date_deadline

    @api.depends("state", "is_late", "date_deadline")
    def _compute_status_label(self):
        for report in self:
            report.status_label = report._get_status_label()

    def _get_status_label(self):
        self.ensure_one()
        if self.state == "accepted":
            return "accepted"
        if self.state == "returned":
            return "returned"
        if self.state == "submitted":
            return "late" if self.is_late else "on_time"
        return "missing" if self.is_late else "open"

    # ------------------------------------------------------------------
    # Generation
    # ------------------------------------------------------------------

    @api.model
    def _create_for_plans(self, plans):
        """Create every missing report of issued plans, in one batch.

        The number of queries does not depend on the number of units:
        existing triples are read at once, reports, lines and values are
        each created by one ``create`` call (INSERTs of up to 100 rows).
        """
        plans = plans.filtered(lambda p: p.state == "issued")
        if not plans:
            return self.browse()
        existing = {
            (plan.id, period.id, unit.id)
            for plan, period, unit in self.with_context(active_test=False)._read_group(
                [("plan_id", "in", plans.ids)], ["plan_id", "period_id", "unit_id"]
            )
        }
        vals_list = []
        for plan in plans:
            for period in plan.period_ids:
                for unit in plan.participant_unit_ids:
                    if unit.active and (plan.id, period.id, unit.id) not in existing:
                        vals_list.append(
                            {
                                "plan_id": plan.id,
                                "period_id": period.id,
                                "unit_id": unit.id,
                            }
                        )
        reports = self.browse()
        if vals_list:
            reports = self.with_context(
                **REPORT_CREATE_CONTEXT
            )._danvan_workflow_create(vals_list)
        # new reports get a line per task area and a figure per target;
        # open reports get those of task areas or targets added since
        # (a plan amended after issue)
        self._danvan_insert_lines_and_values(plans)
        reports._schedule_deadline_activities()
        return reports

    def _danvan_insert_lines_and_values(self, plans):
        """Give the open reports of ``plans`` their missing lines (one per
        task area) and figures (one per target): one INSERT ... SELECT each.

        Performance (province benchmark, issue #8): a plan of 9 task areas
        and 18 targets issued to 1,500 units x 2 periods has 81,000 lines
        and figures; creating them with the ORM took over a minute
        (default_get per row, then the flush of the stored related fields).
        These rows hold nothing but their keys and stored related fields
        (filled here from the report and the task), their models have no
        side effect on creation by the workflow; the rows that exist are
        skipped (NOT EXISTS, cheaper than ON CONFLICT's speculative inserts;
        the unique constraints (report, task) and (report, target) stay).
        """
        self.env.flush_all()
        params = {
            "plan_ids": plans.ids,
            "states": list(self._danvan_open_states),
            "uid": self.env.uid,
            "now": self.env.cr.now(),
        }
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO danvan_unit_report_line
                    (report_id, task_id, sequence, unit_id,
                     create_uid, create_date, write_uid, write_date)
                SELECT r.id, t.id, t.sequence, r.unit_id,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM danvan_unit_report r
                  JOIN danvan_plan_task t ON t.plan_id = r.plan_id
                 WHERE r.plan_id = ANY(%(plan_ids)s)
                   AND r.state = ANY(%(states)s) AND r.active
                   AND NOT EXISTS (
                       SELECT 1 FROM danvan_unit_report_line l
                        WHERE l.report_id = r.id AND l.task_id = t.id
                   )
                 ORDER BY r.id, t.sequence, t.id
                """,
                **params,
            )
        )
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO danvan_unit_report_value
                    (report_id, target_id, unit_id,
                     create_uid, create_date, write_uid, write_date)
                SELECT r.id, g.id, r.unit_id,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM danvan_unit_report r
                  JOIN danvan_plan_target g ON g.plan_id = r.plan_id
                 WHERE r.plan_id = ANY(%(plan_ids)s)
                   AND r.state = ANY(%(states)s) AND r.active
                   AND NOT EXISTS (
                       SELECT 1 FROM danvan_unit_report_value v
                        WHERE v.report_id = r.id AND v.target_id = g.id
                   )
                 ORDER BY r.id, g.id
                """,
                **params,
            )
        )
        self.env["danvan.unit.report.line"].invalidate_model()
        self.env["danvan.unit.report.value"].invalidate_model()
        self.invalidate_model(["line_ids", "value_ids"])

    def _danvan_workflow_create(self, vals_list):
        return self.with_context(danvan_workflow=WORKFLOW).create(vals_list)

    def _schedule_deadline_activities(self):
        """A 'Submit the report' to-do for each open report lacking one."""
        activity_type = self.env.ref(
            "danvan_chinh_quyen.mail_activity_type_report", raise_if_not_found=False
        )
        if not activity_type:
            return self.env["mail.activity"]
        open_reports = self.filtered(lambda r: r.state in ("draft", "returned"))
        if not open_reports:
            return self.env["mail.activity"]
        has_activity = {
            res_id
            for (res_id,) in self.env["mail.activity"]
            .sudo()
            ._read_group(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", open_reports.ids),
                    ("activity_type_id", "=", activity_type.id),
                ],
                ["res_id"],
            )
        }
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        for report in open_reports:
            user = report.unit_id._get_responsible_user()
            if report.id in has_activity or not user:
                continue
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_model": self._name,
                    "res_id": report.id,
                    "activity_type_id": activity_type.id,
                    "summary": activity_type.summary or activity_type.name,
                    "date_deadline": report.date_deadline,
                    "user_id": user.id,
                    # automated: activity_unlink() on cancel removes it
                    "automated": True,
                }
            )
        # mail.activity subscribes each responsible user with a few queries
        # per user; collect the subscriptions and insert them in one batch
        batch = _FollowerBatch()
        activities = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True, danvan_follower_batch=batch)
            .create(vals_list)
        )
        self._danvan_add_followers(batch.pairs)
        return activities

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        batch = self.env.context.get("danvan_follower_batch")
        if isinstance(batch, _FollowerBatch) and partner_ids and not subtype_ids:
            batch.pairs += [(rid, pid) for rid in self.ids for pid in partner_ids]
            return True
        return super().message_subscribe(
            partner_ids=partner_ids, subtype_ids=subtype_ids
        )

    def _danvan_add_followers(self, pairs, res_model=None):
        """Make the partners of ``pairs`` (record id, partner id) follow the
        records (reports, or ``res_model``'s) with the default subtypes, in a
        constant number of queries."""
        if not pairs:
            return
        res_model = res_model or self._name
        Followers = self.env["mail.followers"].sudo()
        existing = {
            (f.res_id, f.partner_id.id)
            for f in Followers.search_fetch(
                [
                    ("res_model", "=", res_model),
                    ("res_id", "in", list({r for r, _p in pairs})),
                    ("partner_id", "in", list({p for _r, p in pairs})),
                ],
                ["res_id", "partner_id"],
            )
        }
        subtypes = self.env["mail.message.subtype"].default_subtypes(res_model)[0]
        Followers.create(
            [
                {
                    "res_model": res_model,
                    "res_id": res_id,
                    "partner_id": partner_id,
                    "subtype_ids": [Command.set(subtypes.ids)],
                }
                for res_id, partner_id in dict.fromkeys(pairs)
                if (res_id, partner_id) not in existing
            ]
        )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if any(r.state != "draft" or r.date_submitted for r in self):
            raise UserError(
                self.env._(
                    "A report that was submitted once cannot be deleted; it stays "
                    "as the record of what the unit sent."
                )
            )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def _check_report_state(self, allowed):
        for report in self:
            if report.state not in allowed:
                raise UserError(
                    self.env._(
                        "The report '%(name)s' cannot do this in its current state.",
                        name=report.display_name,
                    )
                )

    def _check_officer(self):
        if not self._danvan_is_officer():
            raise UserError(
                self.env._("Only department officers can review unit reports.")
            )

    def action_submit(self):
        self._check_report_state(("draft", "returned"))
        # the unit rules decide who may submit: writing checks them
        self.check_access("write")
        for report in self:
            if report.plan_id.state != "issued":
                raise UserError(
                    self.env._(
                        "The plan of the report '%(name)s' is not open for reporting.",
                        name=report.display_name,
                    )
                )
        now = fields.Datetime.now()
        first = self.filtered(lambda r: not r.date_first_submitted)
        self._danvan_workflow_write(
            {
                "state": "submitted",
                "date_submitted": now,
                "submitted_by_id": self.env.uid,
            }
        )
        first._danvan_workflow_write({"date_first_submitted": now})
        self._close_deadline_activities()
        self._notify_submitted()
        return True

    def action_return(self):
        self._check_officer()
        self._check_report_state(("submitted",))
        for report in self:
            if not (report.review_note or "").strip():
                raise UserError(
                    self.env._(
                        "Write a review note telling the unit what to fix before "
                        "returning the report '%(name)s'.",
                        name=report.display_name,
                    )
                )
        self._danvan_workflow_write(
            {
                "state": "returned",
                "reviewer_id": self.env.uid,
                "date_reviewed": fields.Datetime.now(),
            }
        )
        self._schedule_deadline_activities()
        self._notify_reviewed("danvan_chinh_quyen.mail_template_unit_report_returned")
        return True

    def action_accept(self):
        self._check_officer()
        self._check_report_state(("submitted",))
        self._danvan_workflow_write(
            {
                "state": "accepted",
                "reviewer_id": self.env.uid,
                "date_reviewed": fields.Datetime.now(),
            }
        )
        self._notify_reviewed("danvan_chinh_quyen.mail_template_unit_report_accepted")
        return True

    def _close_deadline_activities(self):
        activity_type = self.env.ref(
            "danvan_chinh_quyen.mail_activity_type_report", raise_if_not_found=False
        )
        if activity_type:
            activities = (
                self.env["mail.activity"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", self._name),
                        ("res_id", "in", self.ids),
                        ("activity_type_id", "=", activity_type.id),
                    ]
                )
            )
            activities.action_feedback(feedback=self.env._("Report submitted."))

    def _notify_submitted(self):
        """Tell the monitoring unit's followers that a report came in."""
        template = self.env.ref(
            "danvan_chinh_quyen.mail_template_unit_report_submitted",
            raise_if_not_found=False,
        )
        for report in self:
            partners = report.sudo().plan_id.monitoring_unit_id.message_partner_ids
            if template and partners:
                report.message_post_with_source(
                    template,
                    partner_ids=partners.ids,
                    subtype_xmlid="mail.mt_comment",
                )

    def _notify_reviewed(self, template_xmlid):
        """Tell the unit (head, staff, or its address) about the review."""
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        who = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("danvan_chinh_quyen.notify_who", "both")
        )
        for report in self:
            partners = report.sudo().unit_id._get_notify_partners(who)
            if template and partners:
                report.message_post_with_source(
                    template,
                    partner_ids=partners.ids,
                    subtype_xmlid="mail.mt_comment",
                )

    def action_open_form(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
        }

    def _get_target_values(self):
        """{target: value} for this report's figures."""
        self.ensure_one()
        return {v.target_id: v.value for v in self.value_ids}

    @api.model
    def _cron_mark_late(self):
        """Refresh the stored 'late' flag of open reports past their deadline."""
        today = today_vn(self.env)
        reports = self.search(
            [
                ("state", "in", ("draft", "returned")),
                ("is_late", "=", False),
                ("date_deadline", "<", today),
                ("date_submitted", "=", False),
            ]
        )
        reports._compute_is_late()
        return reports

    def _check_lines_editable(self):
        """Lines and figures follow their report's lock and access."""
        if self.env.su or self.env.context.get("danvan_workflow") is WORKFLOW:
            return
        self.check_access("write")
        # Lines and figures are rows of their own: lock the reports' rows so
        # that a submission running at the same time either waits for this
        # transaction or makes it retry (and then see the new state).
        self._danvan_lock_rows()
        locked = self.filtered(lambda r: r.state not in r._danvan_open_states)
        if locked:
            raise UserError(
                self.env._(
                    "The report '%(name)s' was submitted: its content can no "
                    "longer be changed.",
                    name=locked[0].display_name,
                )
            )
