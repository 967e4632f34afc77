from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.vn_date import to_vn_date, today_vn
from .danvan_unit_mixin import WORKFLOW

REPORT_CREATE_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "mail_activity_quick_update": True,
}


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
        "submitted_by_id",
        "reviewer_id",
        "date_reviewed",
        "is_late",
        "plan_id",
        "period_id",
    )

    plan_id = fields.Many2one(
        "danvan.plan", required=True, ondelete="restrict", index=True, readonly=True
    )
    period_id = fields.Many2one(
        "danvan.report.period",
        string="Period",
        required=True,
        ondelete="restrict",
        index=True,
        readonly=True,
    )
    year = fields.Integer(related="plan_id.year", store=True, index=True)
    name = fields.Char(compute="_compute_name", store=True)
    date_deadline = fields.Date(
        string="Deadline",
        related="period_id.date_deadline",
        store=True,
        index=True,
    )
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
    submitted_by_id = fields.Many2one(
        "res.users", string="Submitted By", readonly=True, copy=False
    )
    is_late = fields.Boolean(
        string="Late",
        compute="_compute_is_late",
        store=True,
        index=True,
        help="Submitted after the deadline, or still not submitted once the "
        "deadline day (Vietnam time) has passed.",
    )
    reviewer_id = fields.Many2one(
        "res.users", string="Reviewer", readonly=True, copy=False
    )
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

    @api.depends("date_deadline", "date_submitted", "state")
    def _compute_is_late(self):
        today = today_vn(self.env)
        for report in self:
            if not report.date_deadline:
                report.is_late = False
            elif report.date_submitted:
                report.is_late = (
                    to_vn_date(self.env, report.date_submitted) > report.date_deadline
                )
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
        if not vals_list:
            return self.browse()
        reports = self.with_context(**REPORT_CREATE_CONTEXT)._danvan_workflow_create(
            vals_list
        )
        line_vals, value_vals = [], []
        for report in reports:
            plan = report.plan_id
            line_vals += [
                {"report_id": report.id, "task_id": t.id} for t in plan.task_ids
            ]
            value_vals += [
                {"report_id": report.id, "target_id": g.id} for g in plan.target_ids
            ]
        self.env["danvan.unit.report.line"].with_context(
            danvan_workflow=WORKFLOW
        ).create(line_vals)
        self.env["danvan.unit.report.value"].with_context(
            danvan_workflow=WORKFLOW
        ).create(value_vals)
        reports._schedule_deadline_activities()
        return reports

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
                }
            )
        return (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(vals_list)
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
        self._danvan_workflow_write(
            {
                "state": "submitted",
                "date_submitted": fields.Datetime.now(),
                "submitted_by_id": self.env.uid,
            }
        )
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
        locked = self.filtered(lambda r: r.state not in r._danvan_open_states)
        if locked:
            raise UserError(
                self.env._(
                    "The report '%(name)s' was submitted: its content can no "
                    "longer be changed.",
                    name=locked[0].display_name,
                )
            )
