from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

# attachment fields anybody with access may still change on a locked record
FREE_ATTACHMENT_FIELDS = {"access_token"}


class IrAttachment(models.Model):
    """The files of a submitted report or a registered model stay with it.

    Odoo lets whoever may write a document change or delete its
    attachments; the content lock of ``danvan.unit.mixin`` only covers the
    record's own fields. Here the attachments of a record outside its open
    states (by ``res_model``/``res_id`` or through one of its many2many
    fields to ``ir.attachment``) can no longer be changed nor deleted,
    except by the superuser. New files can still be added (chatter).
    """

    _inherit = "ir.attachment"

    def _danvan_locked_records(self):
        """The locked unit records these attachments belong to."""
        ids = [i for i in self.ids if isinstance(i, int)]
        if not ids:
            return []
        locked = []
        model_names = [
            name
            for name in self.env.registry.descendants(["danvan.unit.mixin"], "_inherit")
            if not self.env[name]._abstract
        ]
        if not model_names:
            return locked
        rows = self.env.execute_query(
            SQL(
                "SELECT res_model, res_id FROM ir_attachment "
                "WHERE id = ANY(%s) AND res_model = ANY(%s) AND res_id IS NOT NULL",
                ids,
                model_names,
            )
        )
        res_ids = {name: set() for name in model_names}
        for res_model, res_id in rows:
            res_ids[res_model].add(res_id)
        for name in model_names:
            Model = self.env[name]
            for field in Model._fields.values():
                if field.type == "many2many" and field.comodel_name == "ir.attachment":
                    rows = self.env.execute_query(
                        SQL(
                            "SELECT %s FROM %s WHERE %s = ANY(%s)",
                            SQL.identifier(field.column1),
                            SQL.identifier(field.relation),
                            SQL.identifier(field.column2),
                            ids,
                        )
                    )
                    res_ids[name].update(row[0] for row in rows)
            records = (
                Model.sudo()
                .with_context(active_test=False)
                .browse(res_ids[name])
                .exists()
            )
            locked += records.filtered(lambda r: r.state not in r._danvan_open_states)
        return locked

    def _danvan_check_locked(self):
        if self.env.su:
            return
        locked = self._danvan_locked_records()
        if locked:
            raise UserError(
                self.env._(
                    "The files of %(record)s cannot be changed or deleted any "
                    "more: it was submitted. Add a new file instead.",
                    record=locked[0].display_name,
                )
            )

    def write(self, vals):
        if set(vals) - FREE_ATTACHMENT_FIELDS and not self.env.su:
            self.check("write", values=vals)
            self._danvan_check_locked()
        return super().write(vals)

    def unlink(self):
        if self and not self.env.su:
            self.check("unlink")
            self._danvan_check_locked()
        return super().unlink()
