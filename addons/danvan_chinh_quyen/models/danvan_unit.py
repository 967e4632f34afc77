from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError


class DanvanUnit(models.Model):
    """An organisational unit: the Department, its divisions, education
    offices, schools... They form a tree of any depth."""

    _name = "danvan.unit"
    _description = "Organisational Unit"
    _inherit = ["mail.thread"]
    _parent_name = "parent_id"
    _parent_store = True
    _rec_name = "name"
    _rec_names_search = ["name", "code"]
    _order = "complete_name"

    name = fields.Char(required=True, tracking=True, translate=False)
    code = fields.Char(required=True, tracking=True)
    complete_name = fields.Char(
        compute="_compute_complete_name", store=True, recursive=True
    )
    type_id = fields.Many2one(
        "danvan.unit.type", string="Unit Type", tracking=True, ondelete="restrict"
    )
    parent_id = fields.Many2one(
        "danvan.unit",
        string="Parent Unit",
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    # Index: `child_of` (the unit rules of a head, the participants of a
    # plan) becomes `parent_path LIKE '1/5/%'`, a range scan of this btree.
    # That needs the database's "C" collation, which Odoo gives the databases
    # it creates (template0, LC_COLLATE 'C'); see docs/scaling.md.
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("danvan.unit", "parent_id", string="Sub-units")
    email = fields.Char(tracking=True)
    phone = fields.Char()
    partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        ondelete="restrict",
        help="Partner used to send mail to the unit. Created from the unit's "
        "name and e-mail when left empty.",
    )
    head_user_id = fields.Many2one(
        "res.users",
        string="Head of Unit",
        tracking=True,
        ondelete="set null",
        help="The head sees and edits the records of the unit and of all its "
        "sub-units.",
    )
    user_ids = fields.One2many("res.users", "danvan_unit_id", string="Staff")
    user_count = fields.Integer(string="Staff Count", compute="_compute_counts")
    child_count = fields.Integer(string="Sub-unit Count", compute="_compute_counts")
    governing_body = fields.Char(
        help="Governing body printed above the unit's name on its documents "
        "(cơ quan chủ quản), e.g. UBND TỈNH HÒA BÌNH. Defaults to the parent "
        "unit's name.",
    )
    print_name = fields.Char(
        string="Printed Name",
        help="Name printed in the header of the unit's documents; defaults "
        "to the name in capitals.",
    )
    plan_symbol = fields.Char(
        help="Symbol printed after the number of the plans this unit issues, "
        "e.g. KH-SGD&ĐT gives 12/KH-SGD&ĐT.",
    )
    plan_sequence_id = fields.Many2one(
        "ir.sequence",
        string="Plan Numbering",
        copy=False,
        readonly=True,
        help="Numbering of the plans issued by this unit; it restarts every year.",
    )
    active = fields.Boolean(default=True, tracking=True)
    note = fields.Text()

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code of a unit must be unique."),
    ]

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for unit in self:
            if unit.parent_id:
                unit.complete_name = f"{unit.parent_id.complete_name} / {unit.name}"
            else:
                unit.complete_name = unit.name

    def _compute_counts(self):
        users = dict(
            self.env["res.users"]._read_group(
                [("danvan_unit_id", "in", self.ids)], ["danvan_unit_id"], ["__count"]
            )
        )
        children = dict(
            self._read_group(
                [("parent_id", "in", self.ids)], ["parent_id"], ["__count"]
            )
        )
        for unit in self:
            unit.user_count = users.get(unit, 0)
            unit.child_count = children.get(unit, 0)

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(
                self.env._("A unit cannot be its own parent or sub-unit.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("code"):
                vals["code"] = vals["code"].strip()
        units = super().create(vals_list)
        units._ensure_partner()
        self.env.registry.clear_cache()  # record rules depend on the tree
        return units

    def write(self, vals):
        if vals.get("code"):
            vals["code"] = vals["code"].strip()
        if vals.get("parent_id") and self.with_context(active_test=False).search_count(
            [("id", "=", vals["parent_id"]), ("id", "child_of", self.ids)]
        ):
            # before the ORM's own "Recursion Detected." on parent_path
            raise ValidationError(
                self.env._("A unit cannot be its own parent or sub-unit.")
            )
        res = super().write(vals)
        if {"parent_id", "head_user_id", "active"} & set(vals):
            # record rules read the tree and the heads: drop cached domains
            self.env.registry.clear_cache()
        if {"name", "email"} & set(vals):
            self._sync_partner()
        return res

    def _ensure_partner(self):
        """Give every unit a partner, so mail can reach it."""
        missing = self.filtered(lambda u: not u.partner_id)
        if not missing:
            return
        partners = (
            self.env["res.partner"]
            .sudo()
            .create(
                [
                    {"name": unit.name, "email": unit.email, "is_company": True}
                    for unit in missing
                ]
            )
        )
        for unit, partner in zip(missing, partners, strict=True):
            unit.partner_id = partner

    def _sync_partner(self):
        for unit in self.filtered("partner_id"):
            unit.partner_id.sudo().write({"name": unit.name, "email": unit.email})
        self._ensure_partner()

    def _get_print_name(self):
        self.ensure_one()
        return self.print_name or (self.name or "").upper()

    def _get_governing_body(self):
        self.ensure_one()
        if self.governing_body:
            return self.governing_body
        return self.parent_id._get_print_name() if self.parent_id else False

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        """Only managers choose who follows a unit, except one's own units.

        The followers of the monitoring unit receive every unit's
        submissions, and units are readable by everybody: without this,
        any unit's staff could follow the Office and read the others'.
        """
        if not (self.env.su or self.has_access("write")):
            own = set(self.env.user._danvan_visible_unit_ids())
            if any(unit.id not in own for unit in self):
                raise AccessError(
                    self.env._(
                        "Only managers can make people follow another unit "
                        "than their own."
                    )
                )
        # performance (issue #8): the to-dos the deadline job gives to
        # hundreds of units subscribe their people in one batch
        from .danvan_unit_report import _FollowerBatch

        batch = self.env.context.get("danvan_follower_batch")
        if isinstance(batch, _FollowerBatch) and partner_ids and not subtype_ids:
            batch.pairs += [(rid, pid) for rid in self.ids for pid in partner_ids]
            return True
        return super().message_subscribe(
            partner_ids=partner_ids, subtype_ids=subtype_ids
        )

    def _get_notify_partners(self, who="head"):
        """Partners to e-mail for these units.

        :param who: 'head', 'staff' or 'both'; the unit's own address is
            always used when the chosen people are missing.
        """
        partners = self.env["res.partner"]
        for unit in self:
            people = self.env["res.partner"]
            if who in ("head", "both") and unit.head_user_id:
                people |= unit.head_user_id.partner_id
            if who in ("staff", "both"):
                people |= unit.user_ids.partner_id
            if not people and unit.partner_id.email:
                people = unit.partner_id
            partners |= people
        return partners.filtered("email")

    def _get_responsible_user(self):
        """User who gets the unit's to-do activities: the head, else a staff."""
        self.ensure_one()
        return self.head_user_id or self.user_ids[:1]

    def action_view_children(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sub-units"),
            "res_model": "danvan.unit",
            "view_mode": "list,form",
            "domain": [("parent_id", "=", self.id)],
            "context": {"default_parent_id": self.id},
        }

    def action_view_users(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Staff"),
            "res_model": "res.users",
            "view_mode": "list,form",
            "domain": [("danvan_unit_id", "=", self.id)],
            "context": {"default_danvan_unit_id": self.id},
        }
