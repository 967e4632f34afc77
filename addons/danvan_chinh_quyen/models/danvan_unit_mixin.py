from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

# Workflow methods write protected fields (state, dates of submission...)
# under this context value. It is a Python object, so it can never come
# from an RPC call's JSON context: clients must go through the action_*
# methods, which check who may do what.
WORKFLOW = object()


class DanvanUnitMixin(models.AbstractModel):
    """A record that belongs to one organisational unit.

    Inheriting it gives a model:

    * ``unit_id`` (required, indexed), defaulting to the user's unit;
    * the isolation contract: record rules ``<model>_rule_unit_user``
      (the user's unit, and its sub-units for a head) and
      ``<model>_rule_officer`` (everything), declared per model in
      ``security/<model>_security.xml`` on the domain returned by
      :meth:`_danvan_unit_rule_domain`;
    * a content lock: outside ``_danvan_open_states`` only the fields of
      :meth:`_danvan_free_fields` can be written, and workflow fields only
      through :meth:`_danvan_workflow_write`;
    * unit changes reserved to officers.
    """

    _name = "danvan.unit.mixin"
    _description = "Record owned by a unit"

    _danvan_open_states = ("draft",)
    # fields only officers (reviewers) may write, in any state
    _danvan_review_fields = ()
    # fields written only by the workflow methods
    _danvan_workflow_fields = ("state",)
    # workflow fields a new record may nevertheless be created with
    _danvan_create_fields = ()

    # Index: the unit rules filter every search of a unit user on it
    # (unit_id = my unit, or unit_id in the sub-units of a head)
    unit_id = fields.Many2one(
        "danvan.unit",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        default=lambda self: self._default_unit_id(),
    )
    # Index: the lists and pivots filter and group by unit type
    unit_type_id = fields.Many2one(
        related="unit_id.type_id", string="Unit Type", store=True, index=True
    )

    def _default_unit_id(self):
        return self.env.user.danvan_unit_id

    @api.model
    def _danvan_unit_rule_domain(self):
        """The domain the unit-user record rules apply (documentation and
        Python-side filtering; the XML rules use the same expression)."""
        user = self.env.user
        return [
            "|",
            ("unit_id", "=", user.danvan_unit_id.id),
            ("unit_id", "child_of", user.danvan_head_unit_ids.ids),
        ]

    def _danvan_free_fields(self):
        """Fields anybody with write access may change in any state."""
        return {
            "message_follower_ids",
            "message_ids",
            "activity_ids",
            "message_main_attachment_id",
            "activity_user_id",
            "activity_type_id",
            "activity_date_deadline",
            "activity_summary",
            "active",
        }

    def _danvan_is_officer(self):
        return self.env.su or self.env.user.has_group(
            "danvan_chinh_quyen.group_danvan_officer"
        )

    def _danvan_workflow_write(self, vals):
        """Write workflow fields (caller has checked the transition)."""
        return self.with_context(danvan_workflow=WORKFLOW).write(vals)

    def _danvan_lock_rows(self):
        """Lock these records' rows until the end of the transaction.

        ``FOR NO KEY UPDATE`` is what an UPDATE of the row takes: a
        concurrent workflow transition waits for this transaction, and under
        Odoo's REPEATABLE READ a row changed by a transaction that committed
        in between raises a serialization failure, which Odoo retries (the
        retry then sees the new state).
        """
        ids = [i for i in self.ids if isinstance(i, int)]
        if ids:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id = ANY(%s) FOR NO KEY UPDATE",
                    SQL.identifier(self._table),
                    ids,
                )
            )

    def _danvan_check_write(self, vals):
        if self.env.su or self.env.context.get("danvan_workflow") is WORKFLOW:
            return
        fnames = set(vals)
        workflow = fnames & set(self._danvan_workflow_fields)
        if workflow:
            raise UserError(
                self.env._(
                    "The fields %(fields)s change only through the buttons "
                    "of the form (submit, return, accept...).",
                    fields=", ".join(sorted(workflow)),
                )
            )
        if "active" in fnames and not self._danvan_is_officer():
            # archiving hides a record from the follow-up and the
            # consolidation: a unit must not withdraw what it sent
            raise AccessError(
                self.env._("Only department officers may archive or restore a record.")
            )
        review = fnames & set(self._danvan_review_fields)
        if (review or "unit_id" in fnames) and not self._danvan_is_officer():
            raise AccessError(
                self.env._(
                    "Only department officers may change the unit or the "
                    "review of a record."
                )
            )
        content = fnames - self._danvan_free_fields() - set(self._danvan_review_fields)
        if content:
            locked = self.filtered(lambda r: r.state not in r._danvan_open_states)
            if locked:
                raise UserError(
                    self.env._(
                        "%(record)s can no longer be changed in its current "
                        "state (%(state)s).",
                        record=locked[0].display_name,
                        state=dict(
                            locked._fields["state"]._description_selection(self.env)
                        ).get(locked[0].state),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not (self.env.su or self.env.context.get("danvan_workflow") is WORKFLOW):
            self._danvan_check_create_units(vals_list)
            for vals in vals_list:
                workflow = set(vals) & set(self._danvan_workflow_fields)
                workflow -= set(self._danvan_create_fields)
                workflow -= {
                    f
                    for f in workflow
                    if vals[f] == self._danvan_initial_values().get(f)
                }
                if workflow:
                    raise UserError(
                        self.env._(
                            "A new record cannot be created with %(fields)s set: "
                            "use the buttons of the form.",
                            fields=", ".join(sorted(workflow)),
                        )
                    )
                if any(vals.get(f) for f in self._danvan_review_fields):
                    raise AccessError(self.env._("A new record cannot carry a review."))
        return super().create(vals_list)

    def _danvan_check_create_units(self, vals_list):
        """Unit staff create records for their own units only.

        Checked before inserting: the record rules are only checked after
        the insert and the constraints, so a unique constraint could tell
        a unit what another unit registered.
        """
        if self._danvan_is_officer():
            return
        allowed = set(self.env.user._danvan_visible_unit_ids())
        for vals in vals_list:
            unit = vals.get("unit_id")
            if isinstance(unit, models.BaseModel):
                unit = unit.id
            if unit and not (isinstance(unit, int) and unit in allowed):
                raise AccessError(
                    self.env._("You can only create records for your own unit.")
                )

    def _danvan_initial_values(self):
        """Values the workflow fields may carry on creation."""
        return {"state": "draft"}

    def write(self, vals):
        self._danvan_check_write(vals)
        return super().write(vals)
