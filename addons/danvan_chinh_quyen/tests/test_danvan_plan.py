from datetime import date

import psycopg2
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import _as_validation_error
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import DanvanCase


@tagged("post_install", "-at_install")
class TestDanvanPlanRules(DanvanCase):
    """Every rule of a plan, with its message."""

    def test_period_end_after_start(self):
        plan = self._make_plan()
        Period = self.env["danvan.report.period"].with_user(self.officer)
        for date_to in (date(2025, 3, 1), date(2025, 2, 28)):
            with self.subTest(date_to=date_to):
                with self.assertRefused(ValidationError, "must end after it starts"):
                    Period.create(
                        {
                            "plan_id": plan.id,
                            "name": "Quý I",
                            "date_from": date(2025, 3, 1),
                            "date_to": date_to,
                            "date_deadline": date(2025, 4, 5),
                        }
                    )
        with self.assertRefused(
            ValidationError, "cannot be before the end of its data"
        ):
            Period.create(
                {
                    "plan_id": plan.id,
                    "name": "Quý I",
                    "date_from": date(2025, 1, 1),
                    "date_to": date(2025, 3, 31),
                    "date_deadline": date(2025, 3, 30),
                }
            )
        period = Period.create(
            {
                "plan_id": plan.id,
                "name": "Quý I",
                "date_from": date(2025, 1, 1),
                "date_to": date(2025, 3, 31),
                "date_deadline": date(2025, 3, 31),
            }
        )
        self.assertEqual(period.display_name, "Quý I (2025)")
        with self.assertRefused(ValidationError, "must end after it starts"):
            period.write({"date_to": date(2024, 12, 31)})

    def test_deadlines_inside_plan_year(self):
        plan = self._make_plan()
        with self.assertRefused(ValidationError, r"must lie inside the plan year 2025"):
            plan.with_user(self.officer).registration_deadline = date(2026, 1, 5)
        with self.assertRefused(
            ValidationError, r"Cả năm.*must lie inside the plan year"
        ):
            plan.period_ids.filtered(lambda p: p.name == "Cả năm").with_user(
                self.officer
            ).write({"date_deadline": date(2026, 1, 10)})
        with self.assertRefused(
            ValidationError, r"task 'Công tác chỉ đạo' \(31/12/2024\) must lie inside"
        ):
            plan.task_ids[0].with_user(self.officer).date_deadline = date(2024, 12, 31)
        # changing the year of a plan whose deadlines are in 2025
        with self.assertRefused(ValidationError, "must lie inside the plan year 2026"):
            plan.with_user(self.officer).year = 2026
        with self.assertRefused(ValidationError, "is not a valid plan year"):
            self._make_plan(
                year=1900, periods=[], registration_deadline=False, date_issued=False
            )
        self.assertEqual(plan.registration_deadline, date(2025, 3, 15))

    def test_deadlines_not_before_issue_date(self):
        plan = self._make_plan(date_issued=date(2025, 2, 1))
        with self.assertRefused(
            ValidationError,
            r"registration deadline \(20/01/2025\) cannot be before the issue "
            r"date of the plan \(01/02/2025\)",
        ):
            plan.with_user(self.officer).registration_deadline = date(2025, 1, 20)
        with self.assertRefused(ValidationError, "cannot be before the issue date"):
            plan.with_user(self.officer).date_issued = date(2025, 5, 20)
        with self.assertRefused(ValidationError, "cannot be before the issue date"):
            plan.task_ids[1].with_user(self.officer).date_deadline = date(2025, 1, 31)
        plan.task_ids[1].with_user(self.officer).date_deadline = date(2025, 2, 1)
        self.assertEqual(plan.task_ids[1].date_deadline, date(2025, 2, 1))
        # issued today (no date yet): the deadlines must not be in the past
        late_plan = self._make_plan(date_issued=False)
        late_plan.with_user(self.officer).action_submit()
        with (
            freeze_time("2025-06-01 03:00:00"),
            self.assertRefused(ValidationError, "cannot be before the issue date"),
        ):
            late_plan.with_user(self.manager).action_issue()
        self.assertEqual(late_plan.state, "to_approve")
        self.assertFalse(late_plan.number)

    def test_unique_number_per_unit_and_year(self):
        self._make_plan(number="7/KH-TSGD")
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError) as catcher,
            self.cr.savepoint(),
        ):
            self._make_plan(number="7/KH-TSGD")
        self.assertEqual(
            catcher.exception.diag.constraint_name, "danvan_plan_number_unique"
        )
        self.assertIn(
            "Another plan of this issuing unit already has this number in this year.",
            str(_as_validation_error(self.env, catcher.exception)),
        )
        # another year, or another issuing unit: allowed
        self._make_plan(year=2026, number="7/KH-TSGD")
        self._make_plan(
            number="7/KH-TSGD",
            issuing_unit_id=self.pgd1.id,
            units=self.school_a1 | self.school_a2,
        )
        self.assertEqual(
            self.env["danvan.plan"].search_count([("number", "=", "7/KH-TSGD")]), 3
        )

    def test_target_values_by_measure(self):
        plan = self._make_plan()
        task = plan.task_ids[0]
        Target = self.env["danvan.plan.target"].with_user(self.officer)
        refused = [
            ("percent", 100.5, "is a percentage: its value must be between 0 and 100"),
            ("percent", -1, "is a percentage"),
            ("count", -1, "is a count: it cannot be negative"),
            ("boolean", 0.5, "is a yes/no target: its value is 0"),
            ("boolean", 2, "is a yes/no target"),
        ]
        for measure, value, message in refused:
            with self.subTest(measure=measure, value=value):
                with self.assertRefused(ValidationError, message):
                    Target.create(
                        {
                            "task_id": task.id,
                            "name": "Chỉ tiêu",
                            "measure": measure,
                            "target_value": value,
                        }
                    )
        for measure, value in (
            ("percent", 0),
            ("percent", 100),
            ("count", 0),
            ("count", 12),
            ("boolean", 0),
            ("boolean", 1),
        ):
            target = Target.create(
                {
                    "task_id": task.id,
                    "name": f"{measure} {value}",
                    "measure": measure,
                    "target_value": value,
                }
            )
            self.assertEqual(target.target_value, value)
            self.assertEqual(target.plan_id, plan)
        target = plan.target_ids.filtered(lambda t: t.measure == "count")
        with self.assertRefused(ValidationError, "is a percentage"):
            target.with_user(self.officer).write(
                {"measure": "percent", "target_value": 150}
            )
        with self.assertRefused(ValidationError, "is a yes/no target"):
            target.with_user(self.officer).write({"measure": "boolean"})


@tagged("post_install", "-at_install")
class TestDanvanPlanWorkflow(DanvanCase):
    """Each state change and who may do it."""

    def test_full_lifecycle(self):
        plan = self._make_plan()
        self.assertEqual(plan.state, "draft")
        self.assertActionResult(plan.with_user(self.officer).action_submit())
        self.assertEqual(plan.state, "to_approve")
        self.assertActionResult(plan.with_user(self.manager).action_issue())
        self.assertEqual(plan.state, "issued")
        self.assertEqual(plan.number, "1/KH-TSGD")
        self.assertEqual(
            plan.date_issued, date(2025, 1, 10), "a date already set is kept"
        )
        self.assertEqual(plan.report_count, 12)
        self.assertActionResult(plan.with_user(self.manager).action_close())
        self.assertEqual(plan.state, "closed")
        with self.assertRaises(UserError):
            plan.with_user(self.manager).action_cancel()
        with self.assertRaises(UserError):
            plan.with_user(self.manager).action_reset_draft()
        self.assertEqual(plan.state, "closed")

    def test_submit(self):
        plan = self._make_plan()
        with self.assertRaises(AccessError):
            plan.with_user(self.staff_a).action_submit()
        self.assertEqual(plan.state, "draft")
        plan.with_user(self.officer).action_submit()
        self.assertEqual(plan.state, "to_approve")
        with self.assertRefused(UserError, "cannot be submitted for approval"):
            plan.with_user(self.officer).action_submit()
        empty = self._make_plan(tasks=[], targets=[])
        with self.assertRefused(UserError, "has no task area yet"):
            empty.with_user(self.officer).action_submit()
        self.assertEqual(empty.state, "draft")

    @freeze_time("2025-01-20 02:00:00")
    def test_issue_only_manager(self):
        plan = self._make_plan(date_issued=False)
        plan.with_user(self.officer).action_submit()
        with self.assertRefused(AccessError, "Only a manager"):
            plan.with_user(self.officer).action_issue()
        with self.assertRaises(AccessError):
            plan.with_user(self.staff_a).action_issue()
        self.assertEqual(plan.state, "to_approve")
        self.assertFalse(plan.number)
        self.assertFalse(plan.report_ids)
        plan.with_user(self.manager).action_issue()
        self.assertEqual(plan.state, "issued")
        self.assertEqual(plan.date_issued, date(2025, 1, 20))
        self.assertEqual(plan.number, "1/KH-TSGD")
        # a draft cannot be issued without going through approval
        draft = self._make_plan()
        with self.assertRefused(UserError, "cannot be issued"):
            draft.with_user(self.manager).action_issue()
        # nobody forges the state, the number or the date
        with self.assertRefused(UserError, "changes only through its buttons"):
            draft.with_user(self.manager).write({"state": "issued"})
        with self.assertRaises(AccessError):
            plan.with_user(self.officer).write({"number": "99/KH-TSGD"})
        self.assertEqual(plan.number, "1/KH-TSGD")

    @freeze_time("2025-01-20 02:00:00")
    def test_issue_uses_vietnam_date(self):
        # 18:00 UTC on 19 January is already 20 January in Vietnam
        plan = self._make_plan(date_issued=False)
        plan.with_user(self.officer).action_submit()
        with freeze_time("2025-01-19 18:00:00"):
            plan.with_user(self.manager).action_issue()
        self.assertEqual(plan.date_issued, date(2025, 1, 20))

    def test_close(self):
        plan = self._issue(self._make_plan())
        with self.assertRaises(AccessError):
            plan.with_user(self.officer).action_close()
        self.assertEqual(plan.state, "issued")
        plan.with_user(self.manager).action_close()
        self.assertEqual(plan.state, "closed")
        draft = self._make_plan()
        with self.assertRefused(UserError, "cannot be closed"):
            draft.with_user(self.manager).action_close()

    def test_cancel_and_reset(self):
        draft = self._make_plan()
        self.assertActionResult(draft.with_user(self.officer).action_cancel())
        self.assertEqual(draft.state, "cancelled")
        self.assertActionResult(draft.with_user(self.officer).action_reset_draft())
        self.assertEqual(draft.state, "draft")
        with self.assertRefused(UserError, "cannot be reset to draft"):
            draft.with_user(self.officer).action_reset_draft()
        draft.with_user(self.officer).action_submit()
        draft.with_user(self.officer).action_reset_draft()
        self.assertEqual(draft.state, "draft")
        with self.assertRaises(AccessError):
            draft.with_user(self.staff_a).action_cancel()
        # an issued plan: only a manager cancels it, and it stays cancelled
        issued = self._issue(self._make_plan(number=False))
        with self.assertRaises(AccessError):
            issued.with_user(self.officer).action_cancel()
        self.assertEqual(issued.state, "issued")
        issued.with_user(self.manager).action_cancel()
        self.assertEqual(issued.state, "cancelled")
        self.assertFalse(
            self.env["mail.activity"].search(
                [
                    ("res_model", "=", "danvan.unit.report"),
                    ("res_id", "in", issued.report_ids.ids),
                ]
            ),
            "cancelling removes the units' to-dos",
        )
        with self.assertRefused(UserError, "copy it to make a new draft"):
            issued.with_user(self.manager).action_reset_draft()
        self.assertEqual(issued.state, "cancelled")

    def test_unit_reports_follow_issue(self):
        plan = self._make_plan()
        self.assertFalse(plan.report_ids)
        self._issue(plan)
        self.assertEqual(len(plan.report_ids), 12)
        with self.assertRefused(UserError, "cannot be deleted"):
            plan.unlink()
        draft = self._make_plan()
        draft.with_user(self.manager).unlink()
        self.assertFalse(draft.exists())

    def test_issued_once_never_deleted(self):
        """A plan issued with no participant (so no report), cancelled,
        reset to draft and stripped of its number still cannot be deleted."""
        plan = self._issue(self._make_plan(units=self.env["danvan.unit"]))
        self.assertTrue(plan.was_issued)
        self.assertFalse(plan.report_ids)
        plan.with_user(self.manager).action_cancel()
        plan.with_user(self.manager).action_reset_draft()
        plan.with_user(self.manager).write({"number": False})
        with self.assertRefused(UserError, "cannot be deleted"):
            plan.with_user(self.manager).unlink()
        self.assertTrue(plan.exists())
        with self.assertRefused(UserError, "through its buttons"):
            plan.with_user(self.manager).write({"was_issued": False})
        self.assertTrue(plan.was_issued)


@tagged("post_install", "-at_install")
class TestDanvanPlanLock(DanvanCase):
    """An issued plan is locked; a manager opens it with a reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls._issue(cls._make_plan())
        cls.task = cls.plan.task_ids[0]
        cls.period = cls.plan.period_ids[0]
        cls.target = cls.plan.target_ids[0]
        cls.plan.write(
            {
                "basis_ids": [
                    Command.create(
                        {
                            "number": "05/KH-UBND",
                            "date": date(2025, 1, 5),
                            "issuer": "UBND tỉnh Test",
                        }
                    )
                ]
            }
        )

    def _assert_locked(self, user):
        plan = self.plan.with_user(user)
        with self.assertRefused(UserError, "its content is locked"):
            plan.write({"name": "Tên mới"})
        with self.assertRefused(UserError, "its content is locked"):
            plan.write({"purpose": "<p>Mục đích mới</p>"})
        with self.assertRefused(UserError, "its content is locked"):
            self.task.with_user(user).write({"name": "Nhiệm vụ mới"})
        with self.assertRefused(UserError, "its content is locked"):
            self.env["danvan.plan.task"].with_user(user).create(
                {"plan_id": self.plan.id, "name": "Nhiệm vụ thêm"}
            )
        with self.assertRefused(UserError, "its content is locked"):
            plan.write({"task_ids": [Command.create({"name": "Nhiệm vụ thêm"})]})
        with self.assertRefused(UserError, "its content is locked"):
            self.task.with_user(user).unlink()
        with self.assertRefused(UserError, "its content is locked"):
            self.period.with_user(user).write({"name": "Kỳ mới"})
        with self.assertRefused(UserError, "its content is locked"):
            self.env["danvan.report.period"].with_user(user).create(
                {
                    "plan_id": self.plan.id,
                    "name": "Quý III",
                    "date_from": date(2025, 7, 1),
                    "date_to": date(2025, 9, 30),
                    "date_deadline": date(2025, 10, 5),
                }
            )
        with self.assertRefused(UserError, "its content is locked"):
            self.target.with_user(user).write({"target_value": 50})
        with self.assertRefused(UserError, "its content is locked"):
            self.plan.basis_ids.with_user(user).write({"number": "06/KH-UBND"})
        with self.assertRefused(UserError, "its content is locked"):
            self.env["danvan.plan.basis"].with_user(user).create(
                {"plan_id": self.plan.id, "number": "07/KH-UBND"}
            )

    def test_issued_plan_content_locked(self):
        for user in (self.officer, self.manager):
            with self.subTest(user=user.login):
                self._assert_locked(user)
        self.assertEqual(
            self.plan.name, "Kế hoạch công tác dân vận chính quyền năm 2025"
        )
        self.assertEqual(self.task.name, "Công tác chỉ đạo")
        self.assertEqual(self.target.target_value, 100)
        self.assertEqual(self.plan.basis_ids.number, "05/KH-UBND")
        self.assertEqual(len(self.plan.task_ids), 2)
        # participants may still be added (then reports generated)
        self.plan.with_user(self.officer).write(
            {"participant_unit_ids": [Command.link(self.office.id)]}
        )
        self.assertIn(self.office, self.plan.participant_unit_ids)

    def test_amend_wizard(self):
        Amend = self.env["danvan.plan.amend"]
        with self.assertRaises(AccessError):
            self.plan.with_user(self.officer).action_open_amend()
        with self.assertRaises(AccessError):
            Amend.with_user(self.officer).create(
                {"plan_id": self.plan.id, "reason": "Sửa"}
            )
        with self.assertRaises(AccessError):
            self.plan.with_user(self.officer)._open_for_amendment("Sửa")
        action = self.plan.with_user(self.manager).action_open_amend()
        self.assertActionResult(action)
        self.assertEqual(action["res_model"], "danvan.plan.amend")
        self.assertEqual(action["context"]["default_plan_id"], self.plan.id)
        wizard = (
            Amend.with_user(self.manager)
            .with_context(**action["context"])
            .create({"reason": "   "})
        )
        with self.assertRefused(UserError, "Give the reason"):
            wizard.action_confirm()
        self.assertFalse(self.plan.is_amendable)
        wizard = (
            Amend.with_user(self.manager)
            .with_context(**action["context"])
            .create({"reason": "Sửa thời hạn báo cáo theo Công văn 12/UBND"})
        )
        self.assertActionResult(wizard.action_confirm())
        self.assertTrue(self.plan.is_amendable)
        self.assertIn(
            "Sửa thời hạn báo cáo theo Công văn 12/UBND",
            self.plan.message_ids[0].body,
            "the reason is left in the chatter",
        )
        # the manager edits, the officer still cannot
        self.plan.with_user(self.manager).write({"name": "Tên đã sửa"})
        self.task.with_user(self.manager).write({"name": "Nhiệm vụ đã sửa"})
        self.target.with_user(self.manager).write({"target_value": 90})
        self.period.with_user(self.manager).write({"date_deadline": date(2025, 5, 15)})
        self.plan.basis_ids.with_user(self.manager).write({"number": "06/KH-UBND"})
        self.assertEqual(self.plan.name, "Tên đã sửa")
        self.assertEqual(self.task.name, "Nhiệm vụ đã sửa")
        self.assertEqual(self.target.target_value, 90)
        self.assertEqual(self.period.date_deadline, date(2025, 5, 15))
        with self.assertRefused(UserError, "its content is locked"):
            self.plan.with_user(self.officer).write({"name": "Tên của chuyên viên"})
        with self.assertRefused(ValidationError, "cannot be before the issue date"):
            self.plan.with_user(self.manager).write(
                {"registration_deadline": date(2025, 1, 5)}
            )
        # lock again
        with self.assertRaises(AccessError):
            self.plan.with_user(self.officer).action_lock()
        self.assertActionResult(self.plan.with_user(self.manager).action_lock())
        self.assertFalse(self.plan.is_amendable)
        self._assert_locked(self.manager)
        self.assertEqual(self.plan.number, "1/KH-TSGD")
        self.assertEqual(self.plan.state, "issued")

    def test_amend_only_issued_or_closed(self):
        draft = self._make_plan()
        with self.assertRefused(UserError, "cannot be amended"):
            draft.with_user(self.manager)._open_for_amendment("Lý do")
        with self.assertRaises(AccessError):
            self.plan.with_user(self.officer).write({"is_amendable": True})
        self.assertFalse(self.plan.is_amendable)


@tagged("post_install", "-at_install")
class TestDanvanPlanNumbering(DanvanCase):
    def test_consecutive_numbers_per_year(self):
        first = self._issue(self._make_plan())
        second = self._issue(self._make_plan(name="Kế hoạch thứ hai"))
        self.assertEqual(first.number, "1/KH-TSGD")
        self.assertEqual(second.number, "2/KH-TSGD")
        self.assertEqual(second.display_name, "2/KH-TSGD Kế hoạch thứ hai")
        other_year = self._issue(self._make_plan(year=2026))
        self.assertEqual(other_year.number, "1/KH-TSGD")
        third = self._issue(self._make_plan(name="Kế hoạch thứ ba"))
        self.assertEqual(third.number, "3/KH-TSGD")
        next_2026 = self._issue(
            self._make_plan(year=2026, name="Kế hoạch 2026 thứ hai")
        )
        self.assertEqual(next_2026.number, "2/KH-TSGD")

    def test_symbol_per_unit(self):
        self.pgd1.plan_symbol = "KH-PGD1"
        plan = self._issue(
            self._make_plan(
                issuing_unit_id=self.pgd1.id, units=self.school_a1 | self.school_a2
            )
        )
        self.assertEqual(plan.number, "1/KH-PGD1")
        # no symbol: KH- and the unit's code
        plan = self._issue(
            self._make_plan(
                issuing_unit_id=self.pgd2.id, units=self.school_b1 | self.school_b2
            )
        )
        self.assertEqual(plan.number, "1/KH-T-PGD2")
        self.assertEqual(self._issue(self._make_plan()).number, "1/KH-TSGD")

    def test_imported_number_kept(self):
        imported = self._make_plan(number="15/KH-TSGD", date_issued=date(2025, 2, 14))
        self._issue(imported)
        self.assertEqual(imported.number, "15/KH-TSGD")
        self.assertEqual(imported.date_issued, date(2025, 2, 14))
        # an imported plan holding the next number of the series is skipped
        self._make_plan(number="1/KH-TSGD")
        plan = self._issue(self._make_plan(name="Kế hoạch mới"))
        self.assertEqual(plan.number, "2/KH-TSGD")


@tagged("post_install", "-at_install")
class TestDanvanPlanCopy(DanvanCase):
    def test_copy_next_year(self):
        plan = self._make_plan(
            introduction="<p>Sở xây dựng Kế hoạch năm 2025, tiếp nối năm 2024.</p>",
            purpose="<p>Hoàn thành các chỉ tiêu năm 2025.</p>",
        )
        plan.task_ids[0].write(
            {
                "date_deadline": date(2025, 6, 30),
                "description": "<p>Báo cáo trong năm 2025</p>",
                "lead_unit_id": self.office.id,
                "cooperating_unit_ids": [Command.set(self.pgd1.ids)],
            }
        )
        plan.write(
            {
                "basis_ids": [
                    Command.create({"number": "05/KH-UBND", "date": date(2025, 1, 5)})
                ]
            }
        )
        self._issue(plan)
        with self.assertRaises(AccessError):
            plan.with_user(self.staff_a).action_copy_next_year()
        action = plan.with_user(self.officer).action_copy_next_year()
        self.assertActionResult(action)
        self.assertEqual(action["type"], "ir.actions.act_window")
        self.assertEqual(action["res_model"], "danvan.plan")
        new = self.env["danvan.plan"].browse(action["res_id"])
        self.assertTrue(new.exists())
        self.assertNotEqual(new, plan)
        self.assertEqual(new.state, "draft")
        self.assertEqual(new.year, 2026)
        self.assertFalse(new.number)
        self.assertFalse(new.date_issued)
        self.assertEqual(new.name, "Kế hoạch công tác dân vận chính quyền năm 2026")
        self.assertIn("Kế hoạch năm 2026, tiếp nối năm 2024.", new.introduction)
        self.assertIn("chỉ tiêu năm 2026", new.purpose)
        self.assertEqual(new.registration_deadline, date(2026, 3, 15))
        self.assertEqual(new.issuing_unit_id, self.dept)
        self.assertEqual(new.participant_unit_ids, plan.participant_unit_ids)
        self.assertEqual(new.task_ids.mapped("name"), plan.task_ids.mapped("name"))
        self.assertEqual(new.task_ids.mapped("code"), ["II.1", "II.2"])
        new_task = new.task_ids[0]
        self.assertEqual(new_task.date_deadline, date(2026, 6, 30))
        self.assertIn("trong năm 2026", new_task.description)
        self.assertEqual(new_task.lead_unit_id, self.office)
        self.assertEqual(new_task.cooperating_unit_ids, self.pgd1)
        self.assertEqual(len(new.target_ids), 3)
        self.assertEqual(
            sorted(
                new.target_ids.mapped(lambda t: (t.name, t.measure, t.target_value))
            ),
            sorted(
                plan.target_ids.mapped(lambda t: (t.name, t.measure, t.target_value))
            ),
        )
        self.assertFalse(new.target_ids & plan.target_ids)
        self.assertEqual(
            sorted(
                new.period_ids.mapped(
                    lambda p: (p.name, p.date_from, p.date_to, p.date_deadline)
                )
            ),
            [
                (
                    "6 tháng đầu năm",
                    date(2026, 1, 1),
                    date(2026, 4, 30),
                    date(2026, 5, 10),
                ),
                ("Cả năm", date(2026, 1, 1), date(2026, 10, 15), date(2026, 10, 30)),
            ],
        )
        self.assertEqual(new.basis_ids.number, "05/KH-UBND")
        self.assertFalse(new.report_ids)
        # the source plan is untouched
        self.assertEqual(plan.year, 2025)
        self.assertEqual(len(plan.task_ids), 2)
        self.assertEqual(
            plan.period_ids.mapped("date_deadline"),
            [date(2025, 5, 10), date(2025, 10, 30)],
        )
        # the copy goes through the workflow on its own
        new.with_user(self.officer).date_issued = date(2026, 1, 12)
        self._issue(new)
        self.assertEqual(new.number, "1/KH-TSGD")
        self.assertEqual(len(new.report_ids), 12)


@tagged("post_install", "-at_install")
class TestDanvanPlanDemo(DanvanCase):
    def test_demo_plan_year_warning(self):
        """The seed's opening says 'năm 2021' in the 2022 plan (demo data)."""
        plan = self.env.ref("danvan_chinh_quyen.demo_plan_2022")
        self.assertEqual(plan.year, 2022)
        warnings = plan.consistency_warnings or ""
        self.assertTrue(plan.has_warnings)
        self.assertRegex(warnings, r"mentions the year 2021 in a 2022 plan")
        self.assertIn("năm 2021", warnings)
        self.assertNotIn("year 2022 in", warnings)

    def test_warnings_on_own_plan(self):
        plan = self._make_plan(
            introduction="<p>Thực hiện kế hoạch năm 2024 của Sở.</p>"
        )
        self.assertIn(
            "mentions the year 2024 in a 2025 plan", plan.consistency_warnings
        )
        plan.introduction = (
            "<p>Thực hiện kế hoạch năm 2025, định hướng đến năm 2030.</p>"
        )
        self.assertNotIn("mentions the year", plan.consistency_warnings or "")
        plan.signer_name = False
        self.assertIn("No signer", plan.consistency_warnings)


@tagged("post_install", "-at_install")
class TestDanvanPlanActionResults(DanvanCase):
    """Every action_* returns True or an action dictionary, never None."""

    def test_actions_never_return_none(self):
        plan = self._make_plan()
        check = self.assertActionResult
        check(plan.with_user(self.officer).action_view_reports())
        check(plan.with_user(self.officer).action_view_registrations())
        check(plan.with_user(self.officer).action_submit())
        check(plan.with_user(self.officer).action_reset_draft())
        check(plan.with_user(self.officer).action_submit())
        check(plan.with_user(self.manager).action_issue())
        check(plan.with_user(self.officer).action_generate_reports())
        check(plan.with_user(self.manager).action_open_amend())
        wizard = (
            self.env["danvan.plan.amend"]
            .with_user(self.manager)
            .create({"plan_id": plan.id, "reason": "Cập nhật"})
        )
        check(wizard.action_confirm())
        check(plan.with_user(self.manager).action_lock())
        check(plan.with_user(self.officer).action_copy_next_year())
        check(plan.period_ids[0].with_user(self.officer).action_view_reports())
        check(self.pgd1.with_user(self.manager).action_view_children())
        check(self.pgd1.with_user(self.manager).action_view_users())
        report = self._report(plan, self.school_a1)
        check(report.with_user(self.staff_a).action_open_form())
        check(report.with_user(self.staff_a).action_submit())
        report.with_user(self.officer).review_note = "Bổ sung"
        check(report.with_user(self.officer).action_return())
        check(report.with_user(self.staff_a).action_submit())
        check(report.with_user(self.officer).action_accept())
        Registration = self.env["danvan.model.registration"]
        field = self.env.ref("danvan_chinh_quyen.model_field_economy")
        regs = Registration.with_user(self.staff_a).create(
            [
                {
                    "name": f"Mô hình {i}",
                    "plan_id": plan.id,
                    "field_id": field.id,
                    "member_name": "Tổ công đoàn",
                }
                for i in range(3)
            ]
        )
        check(regs.action_register())
        check(regs[0].with_user(self.officer).action_reject())
        regs[1].with_user(self.officer).review_note = "Làm rõ mục tiêu"
        check(regs[1].with_user(self.officer).action_return())
        check(regs[2].with_user(self.officer).action_approve())
        regs[2].with_user(self.officer).write(
            {"rating": "excellent", "evaluation_note": "Tốt"}
        )
        check(regs[2].with_user(self.officer).action_evaluate())
        check(regs[2].with_user(self.manager).action_recognise())
        check(plan.with_user(self.manager).action_close())
        other = self._make_plan(name="Kế hoạch hủy")
        check(other.with_user(self.officer).action_cancel())
