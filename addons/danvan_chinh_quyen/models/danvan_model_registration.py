import re

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import escape_psql

from ..tools.vn_date import to_vn_date, today_vn

# the name is in a unique index: PostgreSQL refuses index rows over ~2.7 kB
NAME_MAX_LENGTH = 500


def normalize_name(name):
    """Collapse the spaces of a model name (uniqueness is on this form).

    Anything else than a string is left to the ORM (False: a missing name,
    a number: converted to text).
    """
    if not isinstance(name, str):
        return name
    return re.sub(r"\s+", " ", name).strip()


class DanvanModelRegistration(models.Model):
    """A "Dân vận khéo" (skilful mass mobilization) model a unit registers."""

    _name = "danvan.model.registration"
    _description = "'Dân vận khéo' Model Registration"
    _inherit = ["danvan.unit.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "year desc, unit_id, name"
    _danvan_open_states = ("draft", "returned")
    _danvan_review_fields = ("review_note", "rating", "evaluation_note")
    _danvan_workflow_fields = (
        "state",
        "date_registered",
        "is_late",
        "date_recognised",
        "reviewer_id",
        "plan_id",
    )
    # the plan is chosen when the model is created, then fixed
    _danvan_create_fields = ("plan_id",)

    name = fields.Char(string="Model Name", required=True, tracking=True)
    # Indexes (issue #8; 3,000 registrations a year). plan_id: the deadline
    # job's "which units registered" per plan, the plan's smart button; year:
    # the lists by year and the unique (unit_id, year, name) check; state:
    # "to review" counts and the registered states of the deadline job.
    plan_id = fields.Many2one(
        "danvan.plan",
        required=True,
        ondelete="restrict",
        index=True,
        domain="[('state', '=', 'issued')]",
        default=lambda self: self._default_plan_id(),
    )
    year = fields.Integer(related="plan_id.year", store=True, index=True)
    kind = fields.Selection(
        [("collective", "Collective"), ("individual", "Individual")],
        required=True,
        default="collective",
        tracking=True,
    )
    member_name = fields.Char(
        string="Collective / Person",
        help="Name of the collective or of the person who builds the model.",
    )
    member_partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        help="The person or collective as a contact, when one exists.",
    )
    field_id = fields.Many2one("danvan.model.field", ondelete="restrict", index=True)
    content = fields.Html(sanitize=True)
    goal = fields.Html(string="Goals", sanitize=True)
    date_start = fields.Date(string="Start")
    date_end = fields.Date(string="End")
    expected_result = fields.Html(string="Expected Results", sanitize=True)
    responsible_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        index=True,
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "danvan_model_registration_attachment_rel",
        "registration_id",
        "attachment_id",
        string="Documents",
    )
    date_registered = fields.Datetime(readonly=True, copy=False, tracking=True)
    registration_deadline = fields.Date(related="plan_id.registration_deadline")
    is_late = fields.Boolean(
        string="Late",
        compute="_compute_is_late",
        store=True,
        index=True,
        help="Registered after the plan's registration deadline (Vietnam time).",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("registered", "Registered"),
            ("returned", "Returned"),
            ("rejected", "Rejected"),
            ("approved", "Approved"),
            ("evaluated", "Evaluated"),
            ("recognised", "Exemplary"),
        ],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand=True,
    )
    reviewer_id = fields.Many2one("res.users", readonly=True, copy=False)
    review_note = fields.Text(tracking=True)
    rating = fields.Selection(
        [
            ("excellent", "Excellent"),
            ("good", "Good"),
            ("achieved", "Achieved"),
            ("not_achieved", "Not Achieved"),
        ],
        tracking=True,
        copy=False,
    )
    evaluation_note = fields.Text(copy=False)
    date_recognised = fields.Date(readonly=True, copy=False, tracking=True)
    # a registered model is never deleted: officers archive it instead
    active = fields.Boolean(default=True, tracking=True)
    is_exemplary = fields.Boolean(
        compute="_compute_is_exemplary",
        store=True,
        index=True,
        string="Exemplary",
        help="Recognised as an exemplary model (điển hình tiên tiến), on "
        "the publicity list.",
    )

    _sql_constraints = [
        (
            "unit_year_name_uniq",
            "unique(unit_id, year, name)",
            "This unit already registered a model with this name this year.",
        ),
    ]

    def _default_plan_id(self):
        return self.env["danvan.plan"].search(
            [("state", "=", "issued")], order="year desc, id desc", limit=1
        )

    @api.depends("date_registered", "plan_id.registration_deadline")
    def _compute_is_late(self):
        for reg in self:
            deadline = reg.plan_id.registration_deadline
            reg.is_late = bool(
                deadline
                and reg.date_registered
                and to_vn_date(self.env, reg.date_registered) > deadline
            )

    @api.depends("state")
    def _compute_is_exemplary(self):
        for reg in self:
            reg.is_exemplary = reg.state == "recognised"

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for reg in self:
            if reg.date_start and reg.date_end and reg.date_end < reg.date_start:
                raise ValidationError(
                    self.env._(
                        "The model '%(name)s' cannot end before it starts.",
                        name=reg.name,
                    )
                )

    @api.constrains("name", "unit_id", "year")
    def _check_unique_name(self):
        """Same name in another case or spacing counts as the same model."""
        for reg in self:
            # archived models keep their name (the SQL constraint sees them too)
            twins = (
                self.sudo()
                .with_context(active_test=False)
                .search(
                    [
                        ("id", "!=", reg.id),
                        ("unit_id", "=", reg.unit_id.id),
                        ("year", "=", reg.year),
                        ("name", "=ilike", escape_psql(reg.name)),
                    ],
                    limit=1,
                )
            )
            if twins:
                raise ValidationError(
                    self.env._(
                        "The unit %(unit)s already registered the model '%(name)s' "
                        "in %(year)s.",
                        unit=reg.unit_id.name,
                        name=reg.name,
                        year=reg.year,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "name" in vals:
                vals["name"] = self._danvan_clean_name(vals["name"])
        return super().create(vals_list)

    def write(self, vals):
        if "name" in vals:
            vals["name"] = self._danvan_clean_name(vals["name"])
        return super().write(vals)

    def _danvan_clean_name(self, name):
        """The normalized name, refused (before the database) when empty or
        too long for its unique index."""
        name = normalize_name(name)
        if isinstance(name, str) and not name:
            raise ValidationError(self.env._("Give the model a name."))
        if isinstance(name, str) and len(name) > NAME_MAX_LENGTH:
            raise ValidationError(
                self.env._(
                    "The name of a model is limited to %(max)s characters.",
                    max=NAME_MAX_LENGTH,
                )
            )
        return name

    @api.ondelete(at_uninstall=False)
    def _unlink_except_registered(self):
        if any(r.state != "draft" or r.date_registered for r in self):
            raise UserError(
                self.env._(
                    "A model that was registered once cannot be deleted; archive "
                    "it instead."
                )
            )

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------

    def _check_reg_state(self, allowed):
        for reg in self:
            if reg.state not in allowed:
                raise UserError(
                    self.env._(
                        "The model '%(name)s' cannot do this in its current state.",
                        name=reg.name,
                    )
                )

    def _check_group(self, xmlid, message):
        if not (self.env.su or self.env.user.has_group(xmlid)):
            raise UserError(message)

    def action_register(self):
        self._check_reg_state(("draft", "returned"))
        self.check_access("write")
        for reg in self:
            if reg.plan_id.state != "issued":
                raise UserError(
                    self.env._(
                        "The plan of the model '%(name)s' is not open for "
                        "registrations.",
                        name=reg.name,
                    )
                )
            if not reg.field_id or not reg.member_name:
                raise UserError(
                    self.env._(
                        "Give the field and the collective or person of the model "
                        "'%(name)s' before registering it.",
                        name=reg.name,
                    )
                )
        self._danvan_workflow_write(
            {"state": "registered", "date_registered": fields.Datetime.now()}
        )
        self._danvan_notify(
            "danvan_chinh_quyen.mail_template_registration_registered", office=True
        )
        return True

    def action_approve(self):
        self._check_group(
            "danvan_chinh_quyen.group_danvan_officer",
            self.env._("Only department officers can approve models."),
        )
        self._check_reg_state(("registered",))
        self._danvan_workflow_write({"state": "approved", "reviewer_id": self.env.uid})
        self._danvan_notify("danvan_chinh_quyen.mail_template_registration_approved")
        return True

    def action_return(self):
        self._check_group(
            "danvan_chinh_quyen.group_danvan_officer",
            self.env._("Only department officers can return models."),
        )
        self._check_reg_state(("registered",))
        for reg in self:
            if not (reg.review_note or "").strip():
                raise UserError(
                    self.env._(
                        "Write a review note telling the unit what to change in "
                        "'%(name)s' before returning it.",
                        name=reg.name,
                    )
                )
        self._danvan_workflow_write({"state": "returned", "reviewer_id": self.env.uid})
        self._danvan_notify("danvan_chinh_quyen.mail_template_registration_returned")
        return True

    def action_reject(self):
        self._check_group(
            "danvan_chinh_quyen.group_danvan_officer",
            self.env._("Only department officers can reject models."),
        )
        self._check_reg_state(("registered",))
        self._danvan_workflow_write({"state": "rejected", "reviewer_id": self.env.uid})
        return True

    def action_evaluate(self):
        self._check_group(
            "danvan_chinh_quyen.group_danvan_officer",
            self.env._("Only department officers can evaluate models."),
        )
        self._check_reg_state(("approved",))
        for reg in self:
            if not reg.rating or not (reg.evaluation_note or "").strip():
                raise UserError(
                    self.env._(
                        "Give a rating and an evaluation note to the model "
                        "'%(name)s' before evaluating it.",
                        name=reg.name,
                    )
                )
        self._danvan_workflow_write({"state": "evaluated"})
        return True

    def action_recognise(self):
        self._check_group(
            "danvan_chinh_quyen.group_danvan_manager",
            self.env._("Only managers can recognise exemplary models."),
        )
        self._check_reg_state(("evaluated",))
        if any(r.rating == "not_achieved" for r in self):
            raise UserError(
                self.env._("A model rated 'not achieved' cannot be recognised.")
            )
        self._danvan_workflow_write(
            {"state": "recognised", "date_recognised": today_vn(self.env)}
        )
        self._danvan_notify("danvan_chinh_quyen.mail_template_registration_recognised")
        return True

    def _danvan_notify(self, template_xmlid, office=False):
        template = self.env.ref(template_xmlid, raise_if_not_found=False)
        if not template:
            return
        who = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("danvan_chinh_quyen.notify_who", "both")
        )
        for reg in self:
            if office:
                partners = reg.sudo().plan_id.monitoring_unit_id.message_partner_ids
                partners |= reg.sudo().plan_id.monitoring_unit_id._get_notify_partners(
                    who
                )
            else:
                partners = reg.sudo().unit_id._get_notify_partners(who)
            if partners:
                reg.message_post_with_source(
                    template,
                    partner_ids=partners.ids,
                    subtype_xmlid="mail.mt_comment",
                )
