import re
from datetime import date

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, html2plaintext

from ..tools.vn_date import format_date_short, today_vn
from .danvan_unit_mixin import WORKFLOW

# "năm 2021" in the text of a 2022 plan is a leftover from last year's plan.
# "đến năm 2035" / "từ năm ..." are horizons and starting points, not the
# plan's year, and are not flagged.
YEAR_MENTION = re.compile(r"(?<![Đđ]ến )(?<![Tt]ừ )\b[Nn]ăm\s+((?:19|20)\d{2})\b")

# fields a manager may always change, even on an issued plan
PLAN_FREE_FIELDS = {
    "state",
    "number",
    "date_issued",
    "is_amendable",
    "active",
    "import_notes",
    "participant_unit_ids",
    "message_follower_ids",
    "message_ids",
    "activity_ids",
    "message_main_attachment_id",
    "activity_user_id",
    "activity_type_id",
    "activity_date_deadline",
    "activity_summary",
}


def plain_text(html):
    """html2plaintext that accepts any value a form may send before saving.

    Unsaved (not yet sanitized) values such as an HTML comment alone or a
    control character parse to no document at all, on which lxml fails.
    """
    try:
        return html2plaintext(html or "")
    except (AttributeError, ValueError):
        return ""


class DanvanPlan(models.Model):
    """A plan (Kế hoạch): the official document and what it sets in motion."""

    _name = "danvan.plan"
    _description = "Mass Mobilization Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "year desc, date_issued desc, id desc"

    # Header and identification
    name = fields.Char(string="Title", required=True, tracking=1)
    number = fields.Char(
        string="Number and Symbol",
        copy=False,
        readonly=True,
        tracking=2,
        help="Assigned when the plan is issued, e.g. 12/KH-SGD&ĐT.",
    )
    doc_type = fields.Char(string="Document Type", default="KẾ HOẠCH")
    governing_body = fields.Char(compute="_compute_bodies", store=True, readonly=False)
    issuing_body = fields.Char(compute="_compute_bodies", store=True, readonly=False)
    issuing_unit_id = fields.Many2one(
        "danvan.unit",
        required=True,
        ondelete="restrict",
        index=True,
        tracking=True,
        default=lambda self: self._default_issuing_unit_id(),
    )
    place = fields.Char(help="Place printed before the date, e.g. Hòa Bình.")
    date_issued = fields.Date(string="Issue Date", copy=False, tracking=3)
    year = fields.Integer(
        required=True,
        index=True,
        default=lambda self: today_vn(self.env).year,
        tracking=True,
    )
    # Body
    basis_ids = fields.One2many(
        "danvan.plan.basis", "plan_id", string="Basis Documents", copy=True
    )
    introduction = fields.Html(
        help="The opening paragraph, after the basis documents.", sanitize=True
    )
    purpose = fields.Html(sanitize=True)
    requirement = fields.Html(sanitize=True)
    implementation = fields.Html(sanitize=True)
    task_ids = fields.One2many(
        "danvan.plan.task", "plan_id", string="Task Areas", copy=True
    )
    target_ids = fields.One2many("danvan.plan.target", "plan_id", string="Targets")
    period_ids = fields.One2many(
        "danvan.report.period", "plan_id", string="Reporting Periods", copy=True
    )
    registration_deadline = fields.Date(
        help="Deadline for 'Dân vận khéo' model registrations.", tracking=True
    )
    # Units
    participant_unit_ids = fields.Many2many(
        "danvan.unit",
        "danvan_plan_participant_rel",
        "plan_id",
        "unit_id",
        string="Participant Units",
        compute="_compute_participant_unit_ids",
        store=True,
        readonly=False,
        help="Units that carry out the plan and report on it. By default "
        "every active unit under the issuing unit.",
    )
    participant_count = fields.Integer(compute="_compute_counts")
    monitoring_unit_id = fields.Many2one(
        "danvan.unit",
        ondelete="restrict",
        help="Standing body that monitors and urges the implementation "
        "(e.g. the Department Office). Its people receive the digests.",
    )
    recipient_unit_ids = fields.Many2many(
        "danvan.unit",
        "danvan_plan_recipient_rel",
        "plan_id",
        "unit_id",
        string="Recipient Units",
    )
    recipient_note = fields.Text(
        string="Other Recipients",
        help="One recipient per line, printed under 'Nơi nhận', e.g. 'Lưu: VT, VP'.",
    )
    # Signature
    signer_id = fields.Many2one("res.users", ondelete="restrict")
    signing_capacity = fields.Char(help="e.g. KT. GIÁM ĐỐC")
    signer_title = fields.Char(help="e.g. PHÓ GIÁM ĐỐC")
    signer_name = fields.Char(
        compute="_compute_signer_name", store=True, readonly=False
    )
    # Workflow
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("to_approve", "To Approve"),
            ("issued", "Issued"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    was_issued = fields.Boolean(
        string="Issued Once",
        copy=False,
        readonly=True,
        help="Set when the plan is issued and never cleared: a plan that was "
        "issued once cannot be deleted, even after a cancellation.",
    )
    is_amendable = fields.Boolean(
        string="Open for Amendment",
        copy=False,
        tracking=True,
        help="A manager opened the issued plan for changes (with a reason "
        "recorded in the chatter).",
    )
    active = fields.Boolean(default=True)
    consistency_warnings = fields.Text(compute="_compute_consistency_warnings")
    has_warnings = fields.Boolean(compute="_compute_consistency_warnings")
    import_notes = fields.Text(
        help="What an import from a document could not place in the plan's fields."
    )
    # Results
    report_ids = fields.One2many("danvan.unit.report", "plan_id", string="Unit Reports")
    registration_ids = fields.One2many(
        "danvan.model.registration", "plan_id", string="Registrations"
    )
    report_count = fields.Integer(compute="_compute_counts")
    registration_count = fields.Integer(compute="_compute_counts")
    task_count = fields.Integer(compute="_compute_counts")

    _sql_constraints = [
        (
            "number_unique",
            "unique(issuing_unit_id, year, number)",
            "Another plan of this issuing unit already has this number in this year.",
        ),
    ]

    # ------------------------------------------------------------------
    # Defaults and computes
    # ------------------------------------------------------------------

    def _default_issuing_unit_id(self):
        unit = self.env.user.danvan_unit_id
        # plans are issued by the top of the tree the user belongs to
        while unit.parent_id:
            unit = unit.parent_id
        return unit or self.env["danvan.unit"].search(
            [("parent_id", "=", False)], limit=1
        )

    @api.depends("issuing_unit_id")
    def _compute_bodies(self):
        for plan in self:
            unit = plan.issuing_unit_id
            # typed values stay when there is no unit to take them from
            plan.issuing_body = unit._get_print_name() if unit else plan.issuing_body
            plan.governing_body = (
                unit._get_governing_body() if unit else plan.governing_body
            )

    @api.depends("issuing_unit_id")
    def _compute_participant_unit_ids(self):
        # runs only when the issuing unit changes, which the content lock
        # allows before issue only; it must assign in every case (a stored
        # compute pending at flush time would otherwise be emptied)
        for plan in self:
            if not plan.issuing_unit_id:
                plan.participant_unit_ids = False
                continue
            plan.participant_unit_ids = self.env["danvan.unit"].search(
                [
                    ("id", "child_of", plan.issuing_unit_id.id),
                    ("id", "!=", plan.issuing_unit_id.id),
                    "|",
                    ("type_id", "=", False),
                    ("type_id.participates_by_default", "=", True),
                ]
            )

    @api.depends("signer_id")
    def _compute_signer_name(self):
        for plan in self:
            plan.signer_name = plan.signer_id.name or plan.signer_name

    def _compute_counts(self):
        reports = dict(
            self.env["danvan.unit.report"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        registrations = dict(
            self.env["danvan.model.registration"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.report_count = reports.get(plan, 0)
            plan.registration_count = registrations.get(plan, 0)
            plan.task_count = len(plan.task_ids)
            plan.participant_count = len(plan.participant_unit_ids)

    @api.depends(
        "year",
        "name",
        "introduction",
        "purpose",
        "requirement",
        "implementation",
        "date_issued",
        "registration_deadline",
        "task_ids.name",
        "task_ids.description",
        "task_ids.date_deadline",
        "task_ids.code",
        "period_ids.date_deadline",
        "basis_ids.date",
        "signer_name",
        "participant_unit_ids",
    )
    def _compute_consistency_warnings(self):
        for plan in self:
            warnings = plan._get_consistency_warnings()
            plan.consistency_warnings = "\n".join(warnings) or False
            plan.has_warnings = bool(warnings)

    def _get_text_parts(self):
        """(label, plain text) of every free text of the plan."""
        self.ensure_one()
        parts = [
            (self.env._("Title"), self.name or ""),
            (self.env._("Introduction"), plain_text(self.introduction or "")),
            (self.env._("Purpose"), plain_text(self.purpose or "")),
            (self.env._("Requirements"), plain_text(self.requirement or "")),
        ]
        for task in self.task_ids:
            label = self.env._("Task %(code)s", code=task.code or task.sequence)
            parts.append((label, task.name or ""))
            parts.append((label, plain_text(task.description or "")))
        parts.append(
            (self.env._("Implementation"), plain_text(self.implementation or ""))
        )
        return parts

    def _get_consistency_warnings(self):
        """Inconsistencies worth a look; they never block anything."""
        self.ensure_one()
        warnings = []
        if self.year:
            for label, text in self._get_text_parts():
                for match in YEAR_MENTION.finditer(text):
                    if int(match.group(1)) != self.year:
                        start = max(0, match.start() - 40)
                        excerpt = " ".join(text[start : match.end()].split())
                        warnings.append(
                            self.env._(
                                "%(part)s mentions the year %(year)s in a "
                                '%(plan_year)s plan: "…%(excerpt)s"',
                                part=label,
                                year=match.group(1),
                                plan_year=self.year,
                                excerpt=excerpt,
                            )
                        )
        deadlines = [(self.env._("Registration deadline"), self.registration_deadline)]
        deadlines += [
            (self.env._("Deadline of %(period)s", period=p.name), p.date_deadline)
            for p in self.period_ids
        ]
        deadlines += [
            (
                self.env._("Deadline of task %(task)s", task=t.code or t.name),
                t.date_deadline,
            )
            for t in self.task_ids
        ]
        for label, deadline in deadlines:
            if not deadline:
                continue
            if self.year and deadline.year != self.year:
                warnings.append(
                    self.env._(
                        "%(label)s (%(date)s) is outside the plan year %(year)s.",
                        label=label,
                        date=format_date_short(deadline),
                        year=self.year,
                    )
                )
            if self.date_issued and deadline < self.date_issued:
                warnings.append(
                    self.env._(
                        "%(label)s (%(date)s) is before the issue date (%(issued)s).",
                        label=label,
                        date=format_date_short(deadline),
                        issued=format_date_short(self.date_issued),
                    )
                )
        for basis in self.basis_ids:
            if basis.date and self.date_issued and basis.date > self.date_issued:
                warnings.append(
                    self.env._(
                        "The basis document %(doc)s is dated after the plan.",
                        doc=basis.number or basis.title,
                    )
                )
        codes = [t.code for t in self.task_ids if t.code]
        for code in sorted({c for c in codes if codes.count(c) > 1}):
            warnings.append(
                self.env._("Two task areas have the code %(code)s.", code=code)
            )
        if not self.signer_name:
            warnings.append(
                self.env._("No signer: the printed plan has no signature block.")
            )
        if not self.period_ids:
            warnings.append(
                self.env._("No reporting period: units will not be asked to report.")
            )
        if not self.participant_unit_ids:
            warnings.append(
                self.env._("No participant unit: nobody will report on this plan.")
            )
        if self.registration_deadline is False and any(
            "dân vận khéo" in (t.name or "").lower() for t in self.task_ids
        ):
            warnings.append(
                self.env._(
                    "A task area is about 'Dân vận khéo' models but the plan "
                    "has no registration deadline."
                )
            )
        return warnings

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("year")
    def _check_year(self):
        for plan in self:
            if not 1945 <= plan.year <= 2200:
                raise ValidationError(
                    self.env._(
                        "The year %(year)s is not a valid plan year.", year=plan.year
                    )
                )

    @api.constrains("year", "date_issued", "registration_deadline")
    def _check_plan_deadlines(self):
        self._check_deadlines()

    def _check_deadlines(self):
        """Deadlines lie inside the plan year and not before the issue date."""
        for plan in self:
            checks = [
                (self.env._("The registration deadline"), plan.registration_deadline)
            ]
            checks += [
                (
                    self.env._("The deadline of the period '%(name)s'", name=p.name),
                    p.date_deadline,
                )
                for p in plan.period_ids
            ]
            checks += [
                (
                    self.env._("The deadline of the task '%(name)s'", name=t.name),
                    t.date_deadline,
                )
                for t in plan.task_ids
            ]
            for label, deadline in checks:
                if not deadline:
                    continue
                if deadline.year != plan.year:
                    raise ValidationError(
                        self.env._(
                            "%(label)s (%(date)s) must lie inside the plan year "
                            "%(year)s.",
                            label=label,
                            date=format_date_short(deadline),
                            year=plan.year,
                        )
                    )
                if plan.date_issued and deadline < plan.date_issued:
                    raise ValidationError(
                        self.env._(
                            "%(label)s (%(date)s) cannot be before the issue "
                            "date of the plan (%(issued)s).",
                            label=label,
                            date=format_date_short(deadline),
                            issued=format_date_short(plan.date_issued),
                        )
                    )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def _check_content_editable(self):
        """Refuse changes to an issued plan unless a manager opened it."""
        if self.env.su:
            return
        # Tasks, targets, periods and basis documents are rows of their own:
        # touching the plan's row serializes their changes with an issue
        # running at the same time (PostgreSQL makes one of the two
        # transactions fail, Odoo retries it and it sees the other's result).
        ids = [i for i in self.ids if isinstance(i, int)]
        if ids:
            self.env.cr.execute(
                SQL(
                    "UPDATE danvan_plan SET write_date = write_date WHERE id = ANY(%s)",
                    ids,
                )
            )
        for plan in self:
            if plan.state in ("draft", "to_approve"):
                continue
            if plan.is_amendable and self._is_manager():
                continue
            raise UserError(
                self.env._(
                    "The plan '%(name)s' is %(state)s: its content is locked. "
                    "A manager can open it for amendment, giving a reason.",
                    name=plan.name,
                    state=dict(self._fields["state"]._description_selection(self.env))[
                        plan.state
                    ],
                )
            )

    def _is_manager(self):
        return self.env.su or self.env.user.has_group(
            "danvan_chinh_quyen.group_danvan_manager"
        )

    def _check_manager(self):
        if not self._is_manager():
            raise AccessError(
                self.env._("Only a manager of the Dân vận app can do this.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        # the workflow fields cannot be forged by creating a plan over RPC
        if not (self.env.su or self.env.context.get("danvan_workflow") is WORKFLOW):
            for vals in vals_list:
                if vals.get("state", "draft") != "draft":
                    raise UserError(
                        self.env._(
                            "A new plan starts as a draft: it is issued through "
                            "its buttons."
                        )
                    )
                if vals.get("is_amendable"):
                    self._check_manager()
                if vals.get("was_issued"):
                    raise UserError(
                        self.env._(
                            "A new plan starts as a draft: it is issued through "
                            "its buttons."
                        )
                    )
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - PLAN_FREE_FIELDS:
            self._check_content_editable()
        if {"state", "was_issued"} & set(vals) and (
            self.env.context.get("danvan_workflow") is not WORKFLOW
        ):
            raise UserError(
                self.env._("The status of a plan changes only through its buttons.")
            )
        if {"number", "date_issued", "is_amendable"} & set(vals) and (
            self.env.context.get("danvan_workflow") is not WORKFLOW
        ):
            if any(p.state != "draft" for p in self) or "is_amendable" in vals:
                self._check_manager()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_issued(self):
        for plan in self:
            if (
                plan.state != "draft"
                or plan.was_issued
                or plan.number
                or plan.report_ids
            ):
                raise UserError(
                    self.env._(
                        "The plan '%(name)s' was issued or submitted: it cannot be "
                        "deleted. Cancel or archive it instead.",
                        name=plan.name,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _workflow_write(self, vals):
        return self.with_context(danvan_workflow=WORKFLOW).write(vals)

    def _check_state(self, allowed, action):
        for plan in self:
            if plan.state not in allowed:
                raise UserError(
                    self.env._(
                        "The plan '%(name)s' cannot be %(action)s in its "
                        "current state.",
                        name=plan.name,
                        action=action,
                    )
                )

    def action_submit(self):
        self._check_state(("draft",), self.env._("submitted for approval"))
        for plan in self:
            if not plan.task_ids:
                raise UserError(
                    self.env._(
                        "The plan '%(name)s' has no task area yet.", name=plan.name
                    )
                )
        self._workflow_write({"state": "to_approve"})
        return True

    def action_issue(self):
        self._check_manager()
        self._check_state(("to_approve",), self.env._("issued"))
        today = today_vn(self.env)
        for plan in self:
            vals = {"state": "issued", "is_amendable": False, "was_issued": True}
            if not plan.date_issued:
                vals["date_issued"] = today
            if not plan.number:
                vals["number"] = plan._next_number()
            plan._workflow_write(vals)
        self._check_deadlines()
        self._on_issue()
        return True

    def _on_issue(self):
        """Hook run after issuing: create what the plan sets in motion."""
        self._generate_unit_reports()

    def _generate_unit_reports(self):
        """Create the missing unit reports; return them."""
        return self.env["danvan.unit.report"]._create_for_plans(self)

    def action_generate_reports(self):
        if not (
            self.env.su
            or self.env.user.has_group("danvan_chinh_quyen.group_danvan_officer")
        ):
            raise AccessError(
                self.env._("Only department officers can generate unit reports.")
            )
        self._check_state(("issued",), self.env._("used to generate reports"))
        created = self._generate_unit_reports()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success" if created else "info",
                "message": self.env._(
                    "%(count)s unit report(s) created.", count=len(created)
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_close(self):
        self._check_manager()
        self._check_state(("issued",), self.env._("closed"))
        self._workflow_write({"state": "closed", "is_amendable": False})
        return True

    def action_cancel(self):
        self._check_state(("draft", "to_approve", "issued"), self.env._("cancelled"))
        if any(p.state == "issued" for p in self):
            self._check_manager()
        self._workflow_write({"state": "cancelled", "is_amendable": False})
        self.report_ids.activity_unlink(
            ["danvan_chinh_quyen.mail_activity_type_report"]
        )
        return True

    def action_reset_draft(self):
        self._check_state(("to_approve", "cancelled"), self.env._("reset to draft"))
        for plan in self:
            if plan.state == "cancelled" and plan.report_ids:
                raise UserError(
                    self.env._(
                        "The plan '%(name)s' was issued and has unit reports: "
                        "copy it to make a new draft instead.",
                        name=plan.name,
                    )
                )
        self._workflow_write({"state": "draft"})
        return True

    def action_open_amend(self):
        """Open the wizard asking the reason to amend an issued plan."""
        self.ensure_one()
        self._check_manager()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Amend an Issued Plan"),
            "res_model": "danvan.plan.amend",
            "view_mode": "form",
            "target": "new",
            "context": {"default_plan_id": self.id},
        }

    def _open_for_amendment(self, reason):
        self._check_manager()
        self._check_state(("issued", "closed"), self.env._("amended"))
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for the amendment."))
        for plan in self:
            plan._workflow_write({"is_amendable": True})
            plan.message_post(
                body=Markup("<p>%s</p><p>%s</p>")
                % (self.env._("Opened for amendment. Reason:"), reason.strip()),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_lock(self):
        self._check_manager()
        self._workflow_write({"is_amendable": False})
        self.message_post(
            body=self.env._("Amendment finished: the plan is locked again.")
        )
        return True

    # ------------------------------------------------------------------
    # Numbering
    # ------------------------------------------------------------------

    def _next_number(self):
        """Next ``N/SYMBOL`` of the issuing unit, restarting every year."""
        self.ensure_one()
        unit = self.issuing_unit_id.sudo()
        if not unit.plan_sequence_id:
            unit.plan_sequence_id = (
                self.env["ir.sequence"]
                .sudo()
                .create(
                    {
                        "name": self.env._("Plans of %(unit)s", unit=unit.name),
                        "code": f"danvan.plan.unit.{unit.id}",
                        "implementation": "no_gap",
                        "use_date_range": True,
                        "padding": 1,
                        "number_next": 1,
                    }
                )
            )
        seq_date = date(self.year, 1, 1)
        symbol = unit.plan_symbol or f"KH-{unit.code}"
        for _attempt in range(1000):
            sequence = unit.plan_sequence_id.with_context(ir_sequence_date=seq_date)
            number = f"{sequence.next_by_id(sequence_date=seq_date)}/{symbol}"
            # an imported plan may already carry a number of the series
            if not self.search_count(
                [
                    ("issuing_unit_id", "=", unit.id),
                    ("year", "=", self.year),
                    ("number", "=", number),
                ]
            ):
                return number
        raise UserError(self.env._("No free plan number could be found."))

    # ------------------------------------------------------------------
    # Copy to next year
    # ------------------------------------------------------------------

    def _shift_year_text(self, text, old, new):
        if not text:
            return text
        return re.sub(rf"(?<!\d){old}(?!\d)", str(new), text)

    def action_copy_next_year(self):
        self.ensure_one()
        if not self.env.user.has_group("danvan_chinh_quyen.group_danvan_officer"):
            raise AccessError(self.env._("Only department officers can copy plans."))
        old, new = self.year, self.year + 1

        def shift(value):
            return value and value + relativedelta(years=1)

        def text(value):
            return self._shift_year_text(value, old, new)

        default = {
            "name": text(self.name),
            "year": new,
            "introduction": text(self.introduction),
            "purpose": text(self.purpose),
            "requirement": text(self.requirement),
            "implementation": text(self.implementation),
            "registration_deadline": shift(self.registration_deadline),
            "participant_unit_ids": [(6, 0, self.participant_unit_ids.ids)],
            "recipient_unit_ids": [(6, 0, self.recipient_unit_ids.ids)],
            "task_ids": [
                (
                    0,
                    0,
                    {
                        "sequence": t.sequence,
                        "code": t.code,
                        "name": text(t.name),
                        "description": text(t.description),
                        "lead_unit_id": t.lead_unit_id.id,
                        "cooperating_unit_ids": [(6, 0, t.cooperating_unit_ids.ids)],
                        "date_deadline": shift(t.date_deadline),
                        "target_ids": [
                            (
                                0,
                                0,
                                {
                                    "sequence": g.sequence,
                                    "name": text(g.name),
                                    "measure": g.measure,
                                    "target_value": g.target_value,
                                },
                            )
                            for g in t.target_ids
                        ],
                    },
                )
                for t in self.task_ids
            ],
            "period_ids": [
                (
                    0,
                    0,
                    {
                        "name": text(p.name),
                        "date_from": shift(p.date_from),
                        "date_to": shift(p.date_to),
                        "date_deadline": shift(p.date_deadline),
                    },
                )
                for p in self.period_ids
            ],
            "basis_ids": [
                (
                    0,
                    0,
                    {
                        "sequence": b.sequence,
                        "number": b.number,
                        "date": b.date,
                        "issuer": b.issuer,
                        "title": b.title,
                        "plan_ref_id": b.plan_ref_id.id,
                    },
                )
                for b in self.basis_ids
            ],
        }
        new_plan = self.copy(default)
        new_plan.message_post(
            body=self.env._(
                "Copied from the %(year)s plan %(name)s.",
                year=old,
                name=self.display_name,
            )
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "danvan.plan",
            "res_id": new_plan.id,
            "view_mode": "form",
            "target": "current",
        }

    def _compute_display_name(self):
        for plan in self:
            if plan.number:
                plan.display_name = f"{plan.number} {plan.name}"
            else:
                plan.display_name = plan.name or ""

    # ------------------------------------------------------------------
    # Smart buttons
    # ------------------------------------------------------------------

    def action_view_reports(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "danvan_chinh_quyen.danvan_unit_report_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id}
        return action

    def action_view_registrations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "danvan_chinh_quyen.danvan_model_registration_action"
        )
        action["domain"] = [("plan_id", "=", self.id)]
        action["context"] = {"default_plan_id": self.id}
        return action

    def _get_recipient_lines(self):
        """Lines printed under 'Nơi nhận'."""
        self.ensure_one()
        lines = self.recipient_unit_ids.mapped("name")
        lines += [
            line.strip(" -;")
            for line in (self.recipient_note or "").splitlines()
            if line.strip(" -;")
        ]
        return lines
