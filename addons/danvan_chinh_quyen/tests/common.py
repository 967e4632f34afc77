"""A small world of units, people and plans for the addon's tests.

No demo data is used: every class builds its own Department with an Office,
two local education offices and two schools under each, one user per role.

    Sở Test (T-SO, issuing unit, plan symbol KH-TSGD)      manager
    ├── Văn phòng Sở Test (T-VP, monitoring unit)          officer
    ├── Phòng GD&ĐT Một (T-PGD1, head: head1)              head1
    │   ├── Trường A1 (T-A1)                               staff_a
    │   └── Trường A2 (T-A2)
    └── Phòng GD&ĐT Hai (T-PGD2)
        ├── Trường B1 (T-B1)                               staff_b
        └── Trường B2 (T-B2)
"""

import threading
from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.sql_db import Cursor
from odoo.tests import TransactionCase

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT
from odoo.addons.mail.tests.common import mail_new_test_user

GROUP_USER = "danvan_chinh_quyen.group_danvan_unit_user"
GROUP_OFFICER = "danvan_chinh_quyen.group_danvan_officer"
GROUP_MANAGER = "danvan_chinh_quyen.group_danvan_manager"


class DanvanCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        UnitType = cls.env["danvan.unit.type"]
        cls.type_dept = UnitType.create({"name": "Test Department", "code": "T_SO"})
        cls.type_division = UnitType.create(
            {"name": "Test Division", "code": "T_PHONG"}
        )
        cls.type_office = UnitType.create(
            {"name": "Test Local Office", "code": "T_PGD"}
        )
        cls.type_school = UnitType.create({"name": "Test School", "code": "T_TRUONG"})

        Unit = cls.env["danvan.unit"]
        cls.dept = Unit.create(
            {
                "name": "Sở Test",
                "code": "T-SO",
                "type_id": cls.type_dept.id,
                "plan_symbol": "KH-TSGD",
                "governing_body": "UBND TỈNH TEST",
                "email": "so@test.example.com",
            }
        )
        cls.office = Unit.create(
            {
                "name": "Văn phòng Sở Test",
                "code": "T-VP",
                "type_id": cls.type_division.id,
                "parent_id": cls.dept.id,
                "email": "vp@test.example.com",
            }
        )
        cls.pgd1, cls.pgd2 = Unit.create(
            [
                {
                    "name": "Phòng GD&ĐT Một",
                    "code": "T-PGD1",
                    "type_id": cls.type_office.id,
                    "parent_id": cls.dept.id,
                },
                {
                    "name": "Phòng GD&ĐT Hai",
                    "code": "T-PGD2",
                    "type_id": cls.type_office.id,
                    "parent_id": cls.dept.id,
                },
            ]
        )
        cls.school_a1, cls.school_a2, cls.school_b1, cls.school_b2 = Unit.create(
            [
                {
                    "name": name,
                    "code": code,
                    "type_id": cls.type_school.id,
                    "parent_id": parent.id,
                    "email": f"{code.lower()}@test.example.com",
                }
                for name, code, parent in (
                    ("Trường A1", "T-A1", cls.pgd1),
                    ("Trường A2", "T-A2", cls.pgd1),
                    ("Trường B1", "T-B1", cls.pgd2),
                    ("Trường B2", "T-B2", cls.pgd2),
                )
            ]
        )
        cls.schools = cls.school_a1 | cls.school_a2 | cls.school_b1 | cls.school_b2
        # every unit that reports on the test plans by default
        cls.participants = cls.pgd1 | cls.pgd2 | cls.schools

        cls.manager = mail_new_test_user(
            cls.env,
            login="t_danvan_manager",
            name="Test Manager",
            groups=f"base.group_user,{GROUP_MANAGER}",
            danvan_unit_id=cls.dept.id,
        )
        cls.officer = mail_new_test_user(
            cls.env,
            login="t_danvan_officer",
            name="Test Officer",
            groups=f"base.group_user,{GROUP_OFFICER}",
            danvan_unit_id=cls.office.id,
        )
        cls.staff_a = mail_new_test_user(
            cls.env,
            login="t_danvan_staff_a",
            name="Test Staff A1",
            groups=f"base.group_user,{GROUP_USER}",
            danvan_unit_id=cls.school_a1.id,
        )
        cls.staff_b = mail_new_test_user(
            cls.env,
            login="t_danvan_staff_b",
            name="Test Staff B1",
            groups=f"base.group_user,{GROUP_USER}",
            danvan_unit_id=cls.school_b1.id,
        )
        cls.head1 = mail_new_test_user(
            cls.env,
            login="t_danvan_head1",
            name="Test Head PGD1",
            groups=f"base.group_user,{GROUP_USER}",
            danvan_unit_id=cls.pgd1.id,
        )
        cls.pgd1.head_user_id = cls.head1

    # ------------------------------------------------------------------
    # Builders
    # ------------------------------------------------------------------

    @classmethod
    def _period_vals(cls, year):
        return [
            {
                "name": "6 tháng đầu năm",
                "date_from": date(year, 1, 1),
                "date_to": date(year, 4, 30),
                "date_deadline": date(year, 5, 10),
            },
            {
                "name": "Cả năm",
                "date_from": date(year, 1, 1),
                "date_to": date(year, 10, 15),
                "date_deadline": date(year, 10, 30),
            },
        ]

    @classmethod
    def _make_plan(
        cls,
        year=2025,
        units=None,
        periods=None,
        tasks=None,
        targets=None,
        user=None,
        **vals,
    ):
        """A draft plan of the test Department, created by ``user`` (officer).

        :param units: participant units (default: both offices and the schools)
        :param periods: list of period values (default: mid-year, year-end)
        :param tasks: list of task titles or values (default: two tasks)
        :param targets: list of target values; key ``task`` is the index of
            the task (default: one percent, one count, one yes/no target)
        """
        if units is None:
            units = cls.participants
        if periods is None:
            periods = cls._period_vals(year)
        if tasks is None:
            tasks = ["Công tác chỉ đạo", "Cải cách hành chính"]
        if targets is None:
            targets = [
                {
                    "name": "Tỷ lệ trường dạy tiếng Việt",
                    "measure": "percent",
                    "target_value": 100,
                    "task": 0,
                },
                {
                    "name": "Số buổi tuyên truyền",
                    "measure": "count",
                    "target_value": 4,
                    "task": 1,
                },
                {
                    "name": "Có quy chế dân chủ",
                    "measure": "boolean",
                    "target_value": 1,
                    "task": 1,
                },
            ]
        task_vals = []
        for index, task in enumerate(tasks):
            task = dict(task) if isinstance(task, dict) else {"name": task}
            task.setdefault("sequence", index + 1)
            task.setdefault("code", f"II.{index + 1}")
            task["target_ids"] = [
                Command.create({k: v for k, v in target.items() if k != "task"})
                for target in targets
                if target.get("task", 0) == index
            ]
            task_vals.append(Command.create(task))
        values = {
            "name": f"Kế hoạch công tác dân vận chính quyền năm {year}",
            "year": year,
            "issuing_unit_id": cls.dept.id,
            "monitoring_unit_id": cls.office.id,
            "date_issued": date(year, 1, 10),
            "registration_deadline": date(year, 3, 15),
            "participant_unit_ids": [Command.set(units.ids)],
            "period_ids": [Command.create(dict(p)) for p in periods],
            "task_ids": task_vals,
            "signer_id": cls.manager.id,
            "signing_capacity": "KT. GIÁM ĐỐC",
            "signer_title": "PHÓ GIÁM ĐỐC",
        }
        values.update(vals)
        plan = cls.env["danvan.plan"].with_user(user or cls.officer).create(values)
        return plan.with_env(cls.env)

    @classmethod
    def _issue(cls, plan):
        """Submit (officer) and issue (manager) a draft plan."""
        plan.with_user(cls.officer).action_submit()
        plan.with_user(cls.manager).action_issue()
        return plan

    @classmethod
    def _report(cls, plan, unit, period=None):
        period = period or plan.period_ids.sorted("date_deadline")[:1]
        return cls.env["danvan.unit.report"].search(
            [
                ("plan_id", "=", plan.id),
                ("period_id", "=", period.id),
                ("unit_id", "=", unit.id),
            ]
        )

    # ------------------------------------------------------------------
    # Assertions
    # ------------------------------------------------------------------

    @contextmanager
    def assertRefused(self, exception, regex=None):
        """The block raises ``exception`` whose message matches ``regex``;
        like a refused RPC call it leaves nothing behind (Odoo's assertRaises
        rolls a savepoint back)."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        if regex:
            self.assertRegex(str(catcher.exception), regex)

    def assertActionResult(self, result):
        """Every action_* returns True or an action dictionary (RPC safe)."""
        self.assertTrue(
            result is True or (isinstance(result, dict) and result.get("type")),
            f"an action returned {result!r}, not True or an action",
        )


@contextmanager
def count_queries():
    """Record every SQL statement run by any cursor of this thread.

    Yields a list filled with the statements (strings).
    """
    queries = []
    execute = Cursor.execute

    def patched(self, query, params=None, log_exceptions=True):
        code = query.code if hasattr(query, "code") else query
        if threading.current_thread() is current:
            queries.append(code if isinstance(code, str) else code.decode())
        return execute(self, query, params, log_exceptions)

    current = threading.current_thread()
    with patch.object(Cursor, "execute", patched):
        yield queries
