import psycopg2

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.service.model import _as_validation_error
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import DanvanCase


@tagged("post_install", "-at_install")
class TestDanvanUnit(DanvanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls._issue(cls._make_plan())
        cls.Report = cls.env["danvan.unit.report"]

    # ------------------------------------------------------------------
    # The tree
    # ------------------------------------------------------------------

    def test_tree_paths_and_names(self):
        self.assertEqual(self.school_a1.parent_id, self.pgd1)
        self.assertEqual(self.pgd1.child_ids, self.school_a1 | self.school_a2)
        self.assertEqual(
            self.school_a1.complete_name, "Sở Test / Phòng GD&ĐT Một / Trường A1"
        )
        self.assertTrue(self.school_a1.parent_path.startswith(self.dept.parent_path))
        self.assertEqual(self.pgd1.child_count, 2)
        # renaming a parent renames the complete names below it
        self.pgd1.with_user(self.manager).name = "Phòng GD&ĐT Số Một"
        self.assertEqual(
            self.school_a2.complete_name, "Sở Test / Phòng GD&ĐT Số Một / Trường A2"
        )
        children = self.env["danvan.unit"].search([("id", "child_of", self.pgd1.id)])
        self.assertEqual(children, self.pgd1 | self.school_a1 | self.school_a2)

    def test_no_cycles(self):
        with self.assertRefused(ValidationError, "own parent or sub-unit"):
            self.dept.with_user(self.manager).parent_id = self.school_a1
        with self.assertRefused(ValidationError, "own parent or sub-unit"):
            self.pgd1.with_user(self.manager).parent_id = self.pgd1
        self.assertFalse(self.dept.parent_id)
        # moving a school under the other office is allowed
        self.school_a2.with_user(self.manager).parent_id = self.pgd2
        self.assertEqual(
            self.pgd2.child_ids, self.school_a2 | self.school_b1 | self.school_b2
        )

    def test_unique_code_clear_error(self):
        Unit = self.env["danvan.unit"].with_user(self.manager)
        for code in ("T-A1", "  T-A1  "):
            with (
                self.subTest(code=code),
                mute_logger("odoo.sql_db"),
                self.assertRaises(psycopg2.IntegrityError) as catcher,
                self.cr.savepoint(),
            ):
                Unit.create(
                    {"name": "Trường trùng mã", "code": code, "parent_id": self.pgd1.id}
                )
            # what the user sees (the RPC layer turns it into this message)
            error = _as_validation_error(self.env, catcher.exception)
            self.assertIsInstance(error, ValidationError)
            self.assertIn("The code of a unit must be unique.", str(error))
        unit = Unit.create(
            {"name": "Trường mới", "code": " T-NEW ", "parent_id": self.pgd1.id}
        )
        self.assertEqual(
            unit.code, "T-NEW", "codes are stored without surrounding spaces"
        )
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError),
            self.cr.savepoint(),
        ):
            unit.write({"code": "T-B2 "})

    def test_archiving_keeps_history(self):
        report = self._report(self.plan, self.school_a1)
        self.assertTrue(report)
        self.school_a1.with_user(self.manager).action_archive()
        self.assertFalse(self.school_a1.active)
        self.assertNotIn(
            self.school_a1,
            self.env["danvan.unit"].search([("parent_id", "=", self.pgd1.id)]),
        )
        # the reports of the archived unit are still there and readable
        officer_reports = self.Report.with_user(self.officer).search(
            [("unit_id", "=", self.school_a1.id)]
        )
        self.assertEqual(len(officer_reports), 2)
        self.assertEqual(officer_reports[0].unit_id.name, "Trường A1")
        self.assertEqual(
            report.with_user(self.officer).read(["name"])[0]["name"],
            "6 tháng đầu năm (2025) - Trường A1",
        )
        # its staff and the head of its office still see them
        self.assertEqual(
            self.Report.with_user(self.staff_a).search([]).unit_id, self.school_a1
        )
        head_units = self.Report.with_user(self.head1).search([]).unit_id
        self.assertIn(self.school_a1, head_units)
        # no new report is generated for the archived unit
        self.assertEqual(len(self.Report.search([("plan_id", "=", self.plan.id)])), 12)
        self.plan.with_user(self.officer).action_generate_reports()
        self.assertEqual(len(self.Report.search([("plan_id", "=", self.plan.id)])), 12)
        # and it can come back
        self.school_a1.with_user(self.manager).action_unarchive()
        self.assertTrue(self.school_a1.active)

    def test_head_sees_sub_units_child_of(self):
        # a unit two levels below the head's office
        class_unit = self.env["danvan.unit"].create(
            {
                "name": "Điểm trường A1-1",
                "code": "T-A1-1",
                "parent_id": self.school_a1.id,
            }
        )
        self.plan.with_user(self.manager).write(
            {"participant_unit_ids": [Command.link(class_unit.id)]}
        )
        self.plan.with_user(self.officer).action_generate_reports()
        seen = self.Report.with_user(self.head1).search(
            [("plan_id", "=", self.plan.id)]
        )
        self.assertEqual(
            seen.unit_id, self.pgd1 | self.school_a1 | self.school_a2 | class_unit
        )
        self.assertEqual(len(seen), 8)
        # the staff of school A1 sees its own unit only, not the sub-unit
        seen = self.Report.with_user(self.staff_a).search(
            [("plan_id", "=", self.plan.id)]
        )
        self.assertEqual(seen.unit_id, self.school_a1)

    # ------------------------------------------------------------------
    # Who may change units
    # ------------------------------------------------------------------

    def test_manager_creates_and_writes_units(self):
        unit = (
            self.env["danvan.unit"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Trường A3",
                    "code": "T-A3",
                    "parent_id": self.pgd1.id,
                    "email": "a3@test.example.com",
                }
            )
        )
        self.assertEqual(unit.parent_id, self.pgd1)
        self.assertTrue(unit.partner_id, "every unit gets a partner for mail")
        self.assertEqual(unit.partner_id.email, "a3@test.example.com")
        unit.with_user(self.manager).write(
            {"name": "Trường A3 mới", "email": "a3n@test.example.com"}
        )
        self.assertEqual(unit.partner_id.name, "Trường A3 mới")
        self.assertEqual(unit.partner_id.email, "a3n@test.example.com")
        self.school_b2.with_user(self.manager).head_user_id = self.staff_b
        self.assertEqual(self.school_b2.head_user_id, self.staff_b)

    def test_officer_and_staff_cannot_change_units(self):
        for user in (self.officer, self.staff_a, self.head1):
            Unit = self.env["danvan.unit"].with_user(user)
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    Unit.create({"name": "Trường lạ", "code": f"X-{user.id}"})
                with self.assertRaises(AccessError):
                    self.school_b1.with_user(user).write({"name": "Đổi tên"})
                with self.assertRaises(AccessError):
                    self.school_a1.with_user(user).write({"head_user_id": user.id})
                with self.assertRaises(AccessError):
                    self.school_b2.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    self.env["danvan.unit.type"].with_user(user).create(
                        {"name": "Loại lạ", "code": f"X-{user.id}"}
                    )
        self.assertEqual(self.school_b1.name, "Trường B1")
        self.assertFalse(self.school_a1.head_user_id)

    def test_names_readable_by_every_app_user(self):
        all_units = self.env["danvan.unit"].search([("code", "=like", "T-%")])
        self.assertEqual(len(all_units), 8)
        for user in (
            self.staff_a,
            self.staff_b,
            self.head1,
            self.officer,
            self.manager,
        ):
            with self.subTest(user=user.login):
                seen = (
                    self.env["danvan.unit"]
                    .with_user(user)
                    .search([("code", "=like", "T-%")])
                )
                self.assertEqual(seen, all_units)
                names = {
                    r["code"]: r["name"]
                    for r in seen.read(["name", "code", "parent_id"])
                }
                self.assertEqual(names["T-B2"], "Trường B2")
                self.assertEqual(
                    self.school_b2.with_user(user).parent_id.display_name,
                    "Phòng GD&ĐT Hai",
                )
                self.assertEqual(
                    self.school_a1.with_user(user).type_id.name, "Test School"
                )

    # ------------------------------------------------------------------
    # Users and units
    # ------------------------------------------------------------------

    def test_user_unit_inverse_of_user_ids(self):
        self.assertEqual(self.school_a1.user_ids, self.staff_a)
        self.assertEqual(self.school_a1.user_count, 1)
        self.assertEqual(self.staff_a.danvan_unit_id, self.school_a1)
        # from the unit side (assigning people is the administrator's job)
        self.school_a2.write({"user_ids": [Command.link(self.staff_a.id)]})
        self.assertEqual(self.staff_a.danvan_unit_id, self.school_a2)
        self.assertFalse(self.school_a1.user_ids)
        self.assertEqual(self.school_a2.user_ids, self.staff_a)
        # from the user side
        self.staff_a.danvan_unit_id = self.school_b2
        self.assertEqual(self.school_b2.user_ids, self.staff_a)
        self.assertFalse(self.school_a2.user_ids)
        self.assertEqual(self.head1.danvan_head_unit_ids, self.pgd1)

    def test_user_moved_sees_other_unit_at_once(self):
        Report = self.Report.with_user(self.staff_a)
        self.assertEqual(Report.search([]).unit_id, self.school_a1)
        report_b = self._report(self.plan, self.school_b1)
        with self.assertRaises(AccessError):
            report_b.with_user(self.staff_a).read(["name"])
        # the administrator moves the user to school B1 (rules are cached per user)
        self.staff_a.write({"danvan_unit_id": self.school_b1.id})
        self.assertEqual(Report.search([]).unit_id, self.school_b1)
        self.assertEqual(
            report_b.with_user(self.staff_a).read(["unit_id"])[0]["unit_id"][0],
            self.school_b1.id,
        )
        with self.assertRaises(AccessError):
            self._report(self.plan, self.school_a1).with_user(self.staff_a).read(
                ["name"]
            )

    def test_head_change_refreshes_rules(self):
        Report = self.Report.with_user(self.head1)
        self.assertEqual(
            Report.search([]).unit_id, self.pgd1 | self.school_a1 | self.school_a2
        )
        self.pgd2.with_user(self.manager).head_user_id = self.head1
        self.assertEqual(
            Report.search([]).unit_id,
            self.pgd1
            | self.school_a1
            | self.school_a2
            | self.pgd2
            | self.school_b1
            | self.school_b2,
        )
        self.pgd1.with_user(self.manager).head_user_id = False
        self.assertEqual(
            Report.search([]).unit_id,
            self.pgd1 | self.pgd2 | self.school_b1 | self.school_b2,
        )
        # a unit moved under the headed office comes into sight
        self.school_a2.with_user(self.manager).parent_id = self.pgd2
        self.assertIn(self.school_a2, Report.search([]).unit_id)
