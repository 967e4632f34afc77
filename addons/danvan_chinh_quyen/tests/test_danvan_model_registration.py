from datetime import date

import psycopg2
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import _as_validation_error
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import DanvanCase


class DanvanRegistrationCase(DanvanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls._issue(cls._make_plan())  # registration deadline 15/03/2025
        cls.field = cls.env.ref("danvan_chinh_quyen.model_field_culture_society")
        cls.Registration = cls.env["danvan.model.registration"]

    @classmethod
    def _new(cls, user=None, **vals):
        values = {
            "name": "Dân vận khéo trong vận động học sinh ra lớp",
            "plan_id": cls.plan.id,
            "kind": "collective",
            "member_name": "Tổ chủ nhiệm khối 5",
            "field_id": cls.field.id,
            "content": "<p>Vận động học sinh người dân tộc thiểu số ra lớp</p>",
        }
        values.update(vals)
        reg = cls.Registration.with_user(user or cls.staff_a).create(values)
        return reg.with_env(cls.env)


@tagged("post_install", "-at_install")
class TestDanvanRegistrationWorkflow(DanvanRegistrationCase):
    @freeze_time("2025-03-01 03:00:00")
    def test_staff_registers_own(self):
        reg = self._new()
        self.assertEqual(reg.state, "draft")
        self.assertEqual(reg.unit_id, self.school_a1)
        self.assertEqual(reg.year, 2025)
        self.assertEqual(reg.responsible_id, self.staff_a)
        self.assertIs(reg.with_user(self.staff_a).action_register(), True)
        self.assertEqual(reg.state, "registered")
        self.assertEqual(str(reg.date_registered), "2025-03-01 03:00:00")
        self.assertFalse(reg.is_late)
        with self.assertRefused(UserError, "cannot do this in its current state"):
            reg.with_user(self.staff_a).action_register()

    def test_staff_cannot_register_other_unit(self):
        reg_b = self._new(user=self.staff_b)
        with self.assertRefused(AccessError):
            reg_b.with_user(self.staff_a).action_register()
        self.assertEqual(reg_b.state, "draft")
        reg_b.with_user(self.staff_b).action_register()
        self.assertEqual(reg_b.state, "registered")

    def test_register_needs_field_member_and_issued_plan(self):
        reg = self._new(field_id=False)
        with self.assertRefused(
            UserError, "Give the field and the collective or person"
        ):
            reg.with_user(self.staff_a).action_register()
        reg.with_user(self.staff_a).write(
            {"field_id": self.field.id, "member_name": False}
        )
        with self.assertRefused(
            UserError, "Give the field and the collective or person"
        ):
            reg.with_user(self.staff_a).action_register()
        reg.with_user(self.staff_a).member_name = "Nguyễn Văn An"
        self.plan.with_user(self.manager).action_close()
        with self.assertRefused(UserError, "not open for registrations"):
            reg.with_user(self.staff_a).action_register()
        self.assertEqual(reg.state, "draft")

    def test_officer_approves(self):
        reg = self._new()
        with self.assertRefused(UserError, "cannot do this in its current state"):
            reg.with_user(self.officer).action_approve()
        reg.with_user(self.staff_a).action_register()
        for user in (self.staff_a, self.head1):
            with self.subTest(user=user.login):
                with self.assertRefused(
                    UserError, "Only department officers can approve"
                ):
                    reg.with_user(user).action_approve()
        self.assertEqual(reg.state, "registered")
        self.assertTrue(reg.with_user(self.officer).action_approve())
        self.assertEqual(reg.state, "approved")
        self.assertEqual(reg.reviewer_id, self.officer)

    def test_return_needs_note_then_register_again(self):
        reg = self._new()
        reg.with_user(self.staff_a).action_register()
        with self.assertRefused(UserError, "Write a review note"):
            reg.with_user(self.officer).action_return()
        self.assertEqual(reg.state, "registered")
        reg.with_user(self.officer).review_note = "Nêu rõ kết quả dự kiến"
        with self.assertRefused(UserError, "Only department officers can return"):
            reg.with_user(self.staff_a).action_return()
        self.assertTrue(reg.with_user(self.officer).action_return())
        self.assertEqual(reg.state, "returned")
        # the unit edits and registers again
        reg.with_user(self.staff_a).write(
            {"expected_result": "<p>100% học sinh ra lớp</p>"}
        )
        self.assertIn("100% học sinh ra lớp", reg.expected_result)
        reg.with_user(self.staff_a).action_register()
        self.assertEqual(reg.state, "registered")

    def test_officer_rejects(self):
        reg = self._new()
        reg.with_user(self.staff_a).action_register()
        with self.assertRefused(UserError, "Only department officers can reject"):
            reg.with_user(self.staff_a).action_reject()
        self.assertTrue(reg.with_user(self.officer).action_reject())
        self.assertEqual(reg.state, "rejected")
        with self.assertRefused(UserError, "can no longer be changed"):
            reg.with_user(self.staff_a).write({"goal": "<p>Sửa</p>"})
        for action in ("action_register", "action_approve", "action_evaluate"):
            with self.subTest(action=action), self.assertRefused(UserError):
                getattr(reg.with_user(self.officer), action)()
        self.assertEqual(reg.state, "rejected")

    def test_evaluate_needs_rating_and_note(self):
        reg = self._new()
        reg.with_user(self.staff_a).action_register()
        with self.assertRefused(UserError, "cannot do this in its current state"):
            reg.with_user(self.officer).action_evaluate()
        reg.with_user(self.officer).action_approve()
        with self.assertRefused(UserError, "Give a rating and an evaluation note"):
            reg.with_user(self.officer).action_evaluate()
        reg.with_user(self.officer).rating = "good"
        with self.assertRefused(UserError, "Give a rating and an evaluation note"):
            reg.with_user(self.officer).action_evaluate()
        reg.with_user(self.officer).write(
            {"rating": False, "evaluation_note": "Hiệu quả"}
        )
        with self.assertRefused(UserError, "Give a rating and an evaluation note"):
            reg.with_user(self.officer).action_evaluate()
        reg.with_user(self.officer).rating = "excellent"
        with self.assertRefused(UserError, "Only department officers can evaluate"):
            reg.with_user(self.staff_a).action_evaluate()
        self.assertEqual(reg.state, "approved")
        self.assertTrue(reg.with_user(self.officer).action_evaluate())
        self.assertEqual(reg.state, "evaluated")
        self.assertEqual(reg.rating, "excellent")

    @freeze_time("2025-12-20 18:00:00")
    def test_manager_recognises(self):
        reg = self._new()
        reg.with_user(self.staff_a).action_register()
        reg.with_user(self.officer).action_approve()
        reg.with_user(self.officer).write(
            {"rating": "excellent", "evaluation_note": "Lan tỏa"}
        )
        with self.assertRefused(UserError, "cannot do this in its current state"):
            reg.with_user(self.manager).action_recognise()
        reg.with_user(self.officer).action_evaluate()
        self.assertFalse(reg.is_exemplary)
        with self.assertRefused(UserError, "Only managers can recognise"):
            reg.with_user(self.officer).action_recognise()
        with self.assertRefused(UserError, "Only managers can recognise"):
            reg.with_user(self.staff_a).action_recognise()
        self.assertEqual(reg.state, "evaluated")
        self.assertTrue(reg.with_user(self.manager).action_recognise())
        self.assertEqual(reg.state, "recognised")
        self.assertTrue(reg.is_exemplary)
        # 18:00 UTC on 20/12 is 21/12 in Vietnam
        self.assertEqual(reg.date_recognised, date(2025, 12, 21))
        self.assertIn(reg, self.Registration.search([("is_exemplary", "=", True)]))

    def test_not_achieved_not_recognised(self):
        reg = self._new()
        reg.with_user(self.staff_a).action_register()
        reg.with_user(self.officer).action_approve()
        reg.with_user(self.officer).write(
            {"rating": "not_achieved", "evaluation_note": "Chưa"}
        )
        reg.with_user(self.officer).action_evaluate()
        with self.assertRefused(UserError, "not achieved"):
            reg.with_user(self.manager).action_recognise()
        self.assertEqual(reg.state, "evaluated")
        self.assertFalse(reg.is_exemplary)

    def test_staff_edits_only_draft_or_returned(self):
        reg = self._new()
        reg.with_user(self.staff_a).write({"goal": "<p>Mục tiêu</p>"})
        reg.with_user(self.staff_a).action_register()
        with self.assertRefused(UserError, "can no longer be changed"):
            reg.with_user(self.staff_a).write({"goal": "<p>Mục tiêu mới</p>"})
        with self.assertRefused(UserError, "can no longer be changed"):
            reg.with_user(self.staff_a).write({"name": "Tên mới"})
        reg.with_user(self.officer).action_approve()
        with self.assertRefused(UserError, "can no longer be changed"):
            reg.with_user(self.staff_a).write({"member_name": "Người khác"})
        self.assertEqual(str(reg.goal), "<p>Mục tiêu</p>")
        self.assertEqual(reg.member_name, "Tổ chủ nhiệm khối 5")

    def test_delete(self):
        draft = self._new(name="Mô hình nháp")
        draft.with_user(self.staff_a).unlink()
        self.assertFalse(draft.exists())
        reg = self._new()
        reg.with_user(self.staff_a).action_register()
        with self.assertRefused(UserError, "registered once cannot be deleted"):
            reg.with_user(self.manager).unlink()
        reg.with_user(self.officer).action_approve()
        reg.with_user(self.officer).write({"rating": "good", "evaluation_note": "Tốt"})
        reg.with_user(self.officer).action_evaluate()
        reg.with_user(self.manager).action_recognise()
        for user in (self.staff_a, self.officer, self.manager):
            with self.subTest(user=user.login):
                with self.assertRefused(UserError, "cannot be deleted"):
                    reg.with_user(user).unlink()
        self.assertTrue(reg.exists())
        self.assertEqual(reg.state, "recognised")


@tagged("post_install", "-at_install")
class TestDanvanRegistrationLate(DanvanRegistrationCase):
    """Registration deadline 15/03/2025, Asia/Ho_Chi_Minh."""

    def _register_at(self, when):
        reg = self._new()
        with freeze_time(when):
            reg.with_user(self.staff_a).action_register()
        return reg

    def test_deadline_day_on_time(self):
        self.assertEqual(self.plan.registration_deadline, date(2025, 3, 15))
        self.assertFalse(self._register_at("2025-03-15 02:00:00").is_late)

    def test_2330_vietnam_on_time(self):
        reg = self._register_at("2025-03-15 16:30:00")  # 23:30 in Vietnam
        self.assertEqual(str(reg.date_registered), "2025-03-15 16:30:00")
        self.assertFalse(reg.is_late)

    def test_0010_vietnam_next_day_late(self):
        reg = self._register_at("2025-03-15 17:10:00")  # 00:10 on 16/03 in Vietnam
        self.assertTrue(reg.is_late)
        self.assertEqual(
            reg.state, "registered", "a late registration is still accepted"
        )
        self.assertIn(reg, self.Registration.search([("is_late", "=", True)]))

    def test_deadline_moved_recomputes(self):
        reg = self._register_at("2025-03-20 03:00:00")
        self.assertTrue(reg.is_late)
        self.plan.with_user(self.manager)._open_for_amendment("Gia hạn đăng ký")
        self.plan.with_user(self.manager).registration_deadline = date(2025, 3, 31)
        self.assertFalse(reg.is_late)


@tagged("post_install", "-at_install")
class TestDanvanRegistrationUnique(DanvanRegistrationCase):
    def _assert_duplicate(self, **vals):
        """Refused, by the Python rule or by the database constraint (whose
        error the RPC layer turns into its message)."""
        with mute_logger("odoo.sql_db"), self.assertRaises(Exception) as catcher:
            self._new(**vals)
            self.env.flush_all()
        error = catcher.exception
        if isinstance(error, psycopg2.IntegrityError):
            error = _as_validation_error(self.env, error)
        self.assertIsInstance(error, ValidationError)
        self.assertRegex(str(error), "already registered (the|a) model")

    def test_same_name_same_unit_year_refused(self):
        self._new(name="Mô hình dân vận khéo")
        for name in (
            "Mô hình dân vận khéo",
            "  Mô hình   dân vận khéo ",
            "MÔ HÌNH DÂN VẬN KHÉO",
            "mô hình dân vận khéo",
        ):
            with self.subTest(name=name):
                self._assert_duplicate(name=name)
        self.assertEqual(
            self.Registration.search_count([("unit_id", "=", self.school_a1.id)]), 1
        )
        # renaming another model to the same name is refused too
        other = self._new(name="Mô hình khác")
        with self.assertRefused(ValidationError, "already registered the model"):
            other.with_user(self.staff_a).name = "mô hình  dân vận khéo"
        self.assertEqual(other.name, "Mô hình khác")

    def test_archived_model_keeps_its_name(self):
        reg = self._new(name="Mô hình cũ")
        reg.with_user(self.officer).action_archive()
        self.assertFalse(reg.active)
        self._assert_duplicate(name="MÔ HÌNH CŨ")
        self._assert_duplicate(name="Mô hình cũ")

    def test_names_are_normalised(self):
        reg = self._new(name="  Mô hình   xanh\tsạch  ")
        self.assertEqual(reg.name, "Mô hình xanh sạch")

    def test_other_unit_or_year_allowed(self):
        first = self._new(name="Mô hình dân vận khéo")
        other_unit = self._new(user=self.staff_b, name="Mô hình dân vận khéo")
        self.assertEqual(other_unit.unit_id, self.school_b1)
        plan_2026 = self._issue(self._make_plan(year=2026))
        other_year = self._new(name="Mô hình dân vận khéo", plan_id=plan_2026.id)
        self.assertEqual(other_year.year, 2026)
        self.assertEqual(first.year, 2025)
        # a second plan of the same year counts as the same year
        second_plan = self._issue(self._make_plan(name="Kế hoạch bổ sung 2025"))
        self._assert_duplicate(name="mô hình dân vận khéo", plan_id=second_plan.id)

    def test_wildcards_are_plain_characters(self):
        """'%' and '_' in a name are characters, not patterns."""
        self._new(name="Mô hình 1000 học sinhXA")
        other = self._new(name="Mô hình 100% học sinh_A")
        self.assertEqual(other.name, "Mô hình 100% học sinh_A")
        self._new(name="Mô hình X")
        self._new(name="Mô hình _")
        self.assertEqual(
            self.Registration.search_count([("unit_id", "=", self.school_a1.id)]), 4
        )

    def test_db_constraint(self):
        self._new(name="Mô hình dân vận khéo")
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError),
            self.cr.savepoint(),
        ):
            self.Registration.sudo().with_context(active_test=False).create(
                {
                    "name": "Mô hình dân vận khéo",
                    "plan_id": self.plan.id,
                    "unit_id": self.school_a1.id,
                }
            )
