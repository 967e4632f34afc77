from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

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

    unit_id = fields.Many2one(
        "danvan.unit",
        string="Unit",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        default=lambda self: self._default_unit_id(),
    )
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
            for vals in vals_list:
                workflow = set(vals) & set(self._danvan_workflow_fields)
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
                if (
                    vals.get("review_note")
                    and "review_note" in self._danvan_review_fields
                ):
                    raise AccessError(self.env._("A new record cannot carry a review."))
        return super().create(vals_list)

    def _danvan_initial_values(self):
        """Values the workflow fields may carry on creation."""
        return {"state": "draft"}

    def write(self, vals):
        self._danvan_check_write(vals)
        return super().write(vals)
