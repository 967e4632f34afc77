import math
import re
from collections import Counter
from datetime import date

import psycopg2
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import DanvanCase, count_queries

# a batched write: INSERT INTO "table" ... or UPDATE "table" SET ... FROM (VALUES ...)
BATCH_RE = re.compile(
    r'^\s*INSERT\s+INTO\s+"?(?P<insert>\w+)"?'
    r'|^\s*UPDATE\s+"?(?P<update>\w+)"?\s+SET\s.*FROM\s*\(\s*VALUES',
    re.IGNORECASE | re.DOTALL,
)


@tagged("post_install", "-at_install")
class TestDanvanUnitReportGeneration(DanvanCase):
    def test_generation_counts(self):
        plan = self._issue(self._make_plan())
        reports = plan.report_ids
        # 6 units x 2 periods
        self.assertEqual(len(reports), 12)
        self.assertEqual(reports.unit_id, self.participants)
        self.assertEqual(reports.period_id, plan.period_ids)
        for period in plan.period_ids:
            self.assertEqual(
                Counter(
                    reports.filtered(lambda r, p=period: r.period_id == p).unit_id.ids
                ),
                Counter(self.participants.ids),
            )
        for report in reports:
            self.assertEqual(report.state, "draft")
            self.assertEqual(report.date_deadline, report.period_id.date_deadline)
            self.assertEqual(report.year, 2025)
            self.assertFalse(report.date_submitted)
            # one line per task area, one figure per target
            self.assertEqual(report.line_ids.task_id, plan.task_ids)
            self.assertEqual(len(report.line_ids), 2)
            self.assertEqual(report.value_ids.target_id, plan.target_ids)
            self.assertEqual(len(report.value_ids), 3)
            self.assertEqual(report.line_ids.unit_id, report.unit_id)
        report = self._report(plan, self.school_a1)
        self.assertEqual(report.name, "6 tháng đầu năm (2025) - Trường A1")
        self.assertEqual(report.date_deadline, date(2025, 5, 10))
        self.assertEqual(
            sorted(report.value_ids.mapped("measure")), ["boolean", "count", "percent"]
        )
        # the to-do of each unit goes to its head, else to a staff member
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "danvan.unit.report"), ("res_id", "in", reports.ids)]
        )
        by_report = {a.res_id: a for a in activities}
        self.assertEqual(by_report[report.id].user_id, self.staff_a)
        self.assertEqual(by_report[report.id].date_deadline, date(2025, 5, 10))
        self.assertEqual(
            by_report[self._report(plan, self.pgd1).id].user_id, self.head1
        )
        self.assertEqual(
            by_report[self._report(plan, self.school_b1).id].user_id, self.staff_b
        )
        # a unit with nobody gets no to-do
        self.assertNotIn(self._report(plan, self.school_b2).id, by_report)
        self.assertNotIn(self._report(plan, self.school_a2).id, by_report)
        self.assertEqual(
            len(activities), 6, "pgd1, school A1 and school B1, two periods"
        )
        self.assertEqual(plan.report_count, 12)
        self.assertEqual(plan.period_ids[0].report_count, 6)

    def test_generation_idempotent(self):
        plan = self._issue(self._make_plan())
        self.assertEqual(len(plan.report_ids), 12)
        action = plan.with_user(self.officer).action_generate_reports()
        self.assertActionResult(action)
        self.assertIn("0 unit report(s) created", action["params"]["message"])
        self.assertEqual(action["params"]["type"], "info")
        self.assertEqual(
            self.env["danvan.unit.report"].search_count([("plan_id", "=", plan.id)]), 12
        )
        # a unit added: its two reports only
        plan.with_user(self.officer).write(
            {"participant_unit_ids": [Command.link(self.office.id)]}
        )
        action = plan.with_user(self.officer).action_generate_reports()
        self.assertIn("2 unit report(s) created", action["params"]["message"])
        self.assertEqual(action["params"]["type"], "success")
        plan.invalidate_recordset(["report_ids"])
        self.assertEqual(len(plan.report_ids), 14)
        office_reports = plan.report_ids.filtered(lambda r: r.unit_id == self.office)
        self.assertEqual(office_reports.period_id, plan.period_ids)
        self.assertEqual(len(office_reports.line_ids), 4)
        # a period added (through an amendment): one report per unit
        plan.with_user(self.manager)._open_for_amendment("Thêm kỳ báo cáo quý III")
        period = (
            self.env["danvan.report.period"]
            .with_user(self.manager)
            .create(
                {
                    "plan_id": plan.id,
                    "name": "Quý III",
                    "date_from": date(2025, 7, 1),
                    "date_to": date(2025, 9, 30),
                    "date_deadline": date(2025, 10, 5),
                }
            )
        )
        plan.with_user(self.manager).action_lock()
        plan.with_user(self.officer).action_generate_reports()
        plan.invalidate_recordset(["report_ids"])
        self.assertEqual(len(plan.report_ids), 21)
        new_reports = plan.report_ids.filtered(lambda r: r.period_id == period)
        self.assertEqual(new_reports.unit_id, self.participants | self.office)
        self.assertEqual(len(new_reports), 7)
        # a task area with a target added by amendment: open reports get
        # the new line and figure, submitted ones are left as sent
        sent = self._report(plan, self.school_a1)
        sent.with_user(self.staff_a).action_submit()
        plan.with_user(self.manager)._open_for_amendment("Bổ sung nhiệm vụ")
        task = (
            self.env["danvan.plan.task"]
            .with_user(self.manager)
            .create(
                {
                    "plan_id": plan.id,
                    "code": "II.9",
                    "name": "Nhiệm vụ bổ sung",
                    "target_ids": [
                        Command.create({"name": "Tỷ lệ", "measure": "percent"})
                    ],
                }
            )
        )
        plan.with_user(self.manager).action_lock()
        plan.with_user(self.officer).action_generate_reports()
        open_reports = plan.report_ids.filtered(lambda r: r.state == "draft")
        self.assertEqual(
            len(open_reports.line_ids.filtered(lambda line: line.task_id == task)),
            len(open_reports),
        )
        self.assertEqual(
            len(open_reports.value_ids.filtered(lambda v: v.target_id.task_id == task)),
            len(open_reports),
        )
        self.assertNotIn(task, sent.line_ids.task_id)
        # and again nothing
        action = plan.with_user(self.officer).action_generate_reports()
        self.assertIn("0 unit report(s) created", action["params"]["message"])
        grouped = self.env["danvan.unit.report"]._read_group(
            [("plan_id", "=", plan.id)], ["period_id", "unit_id"], ["__count"]
        )
        self.assertEqual({count for _period, _unit, count in grouped}, {1})

    def test_generation_who_and_when(self):
        draft = self._make_plan()
        with self.assertRefused(UserError, "cannot be used to generate reports"):
            draft.with_user(self.officer).action_generate_reports()
        plan = self._issue(self._make_plan())
        with self.assertRaises(AccessError):
            plan.with_user(self.staff_a).action_generate_reports()

    def test_db_unique_plan_period_unit(self):
        plan = self._issue(self._make_plan())
        existing = self._report(plan, self.school_a1)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError) as catcher,
            self.cr.savepoint(),
        ):
            self.env["danvan.unit.report"].sudo().create(
                {
                    "plan_id": plan.id,
                    "period_id": existing.period_id.id,
                    "unit_id": self.school_a1.id,
                }
            )
        self.assertEqual(
            catcher.exception.diag.constraint_name,
            "danvan_unit_report_plan_period_unit_uniq",
        )
        # the same unit and plan in the other period is another report
        self.assertEqual(
            self.env["danvan.unit.report"].search_count(
                [("plan_id", "=", plan.id), ("unit_id", "=", self.school_a1.id)]
            ),
            2,
        )


@tagged("post_install", "-at_install")
class TestDanvanUnitReportQueries(DanvanCase):
    """Generation costs the same number of queries for 5 and for 50 units,
    apart from the batched writes: Odoo inserts at most 100 rows per INSERT
    and flushes stored computed values in UPDATE ... FROM (VALUES ...) of at
    most 100 rows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        sizes = {"warm": 3, "small": 5, "large": 50}
        group = cls.env.ref("danvan_chinh_quyen.group_danvan_unit_user")
        cls.unit_sets = {}
        for key, size in sizes.items():
            # every unit has its own head, as in real life: the to-dos go to
            # 50 different people
            heads = cls.env["res.users"].create(
                [
                    {
                        "name": f"Hiệu trưởng {key} {i}",
                        "login": f"t_head_{key}_{i}",
                        "email": f"head.{key}.{i}@test.example.com",
                        "groups_id": [Command.set([group.id])],
                    }
                    for i in range(size)
                ]
            )
            cls.unit_sets[key] = cls.env["danvan.unit"].create(
                [
                    {
                        "name": f"Trường {key} {i}",
                        "code": f"T-Q-{key}-{i}",
                        "parent_id": cls.pgd2.id,
                        "type_id": cls.type_school.id,
                        "head_user_id": head.id,
                    }
                    for i, head in enumerate(heads)
                ]
            )
        cls.plans = {}
        for key in sizes:
            # issued without participants: nothing is generated yet
            plan = cls._make_plan(name=f"Kế hoạch {key}", units=cls.env["danvan.unit"])
            cls._issue(plan)
            cls.plans[key] = plan

    def _generate(self, key):
        plan = self.plans[key]
        plan.with_user(self.officer).write(
            {"participant_unit_ids": [Command.set(self.unit_sets[key].ids)]}
        )
        self.env.flush_all()
        self.env.invalidate_all()
        with count_queries() as queries:
            plan.with_user(self.officer).action_generate_reports()
            self.env.flush_all()
        batched = Counter()
        others = []
        for query in queries:
            match = BATCH_RE.match(query)
            if match:
                kind = "INSERT" if match.group("insert") else "UPDATE"
                batched[(kind, match.group("insert") or match.group("update"))] += 1
            else:
                others.append(query)
        return plan, batched, others

    def test_generation_query_count(self):
        self._generate("warm")
        plan_small, batched_small, others_small = self._generate("small")
        plan_large, batched_large, others_large = self._generate("large")
        self.assertEqual(len(plan_small.report_ids), 10)
        self.assertEqual(len(plan_large.report_ids), 100)

        def shape(queries):
            return Counter(
                re.sub(r"(%s, )+%s", "%s...", " ".join(q.split()))[:300]
                for q in queries
            )

        self.assertEqual(
            len(others_small),
            len(others_large),
            f"queries differ: {len(others_small)} for 5 units, "
            f"{len(others_large)} for 50 units; only for 50:\n"
            + "\n".join(
                f"{n} x {q}"
                for q, n in (shape(others_large) - shape(others_small)).items()
            )
            + "\nonly for 5:\n"
            + "\n".join(
                f"{n} x {q}"
                for q, n in (shape(others_small) - shape(others_large)).items()
            ),
        )
        for plan, batched in ((plan_small, batched_small), (plan_large, batched_large)):
            reports = plan.report_ids
            rows = {
                "danvan_unit_report": len(reports),
                "danvan_unit_report_line": len(reports.line_ids),
                "danvan_unit_report_value": len(reports.value_ids),
                "mail_activity": len(reports.activity_ids),
                "mail_followers": len(reports.message_follower_ids),
            }
            self.assertEqual(
                rows["mail_activity"], len(reports), "one to-do per report"
            )
            self.assertEqual(
                reports.message_partner_ids,
                plan.participant_unit_ids.head_user_id.partner_id,
                "each head follows its unit's reports",
            )
            for table, count in rows.items():
                # lines and figures: one INSERT ... SELECT each, whatever
                # the number of rows (_danvan_insert_lines_and_values)
                one_statement = table in (
                    "danvan_unit_report_line",
                    "danvan_unit_report_value",
                )
                self.assertEqual(
                    batched[("INSERT", table)],
                    1 if one_statement else math.ceil(count / 100),
                    f"INSERTs into {table}",
                )
            for (kind, table), count in batched.items():
                self.assertLessEqual(
                    count,
                    math.ceil(rows.get(table, 100) / 100) * 2,
                    f"{kind} on {table} is batched, not per record: {batched}",
                )
            self.assertLessEqual(sum(batched.values()), 25, f"not batched: {batched}")
        self.assertEqual(len(plan_large.report_ids.line_ids), 200)
        self.assertEqual(batched_large[("INSERT", "danvan_unit_report_line")], 1)
        self.assertEqual(batched_large[("INSERT", "danvan_unit_report_value")], 1)


@tagged("post_install", "-at_install")
class TestDanvanUnitReportWorkflow(DanvanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls._issue(cls._make_plan())
        cls.report_a = cls._report(cls.plan, cls.school_a1)
        cls.report_a2 = cls._report(cls.plan, cls.school_a2)
        cls.report_b = cls._report(cls.plan, cls.school_b1)

    def _activities(self, report):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", report._name),
                ("res_id", "=", report.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("danvan_chinh_quyen.mail_activity_type_report").id,
                ),
            ]
        )

    @freeze_time("2025-05-02 03:00:00")
    def test_staff_submits_own(self):
        report = self.report_a.with_user(self.staff_a)
        self.assertEqual(len(self._activities(self.report_a)), 1)
        report.write({"general_assessment": "<p>Hoàn thành tốt</p>"})
        report.line_ids[0].write(
            {"result": "Đã triển khai", "difficulty": "Thiếu kinh phí"}
        )
        report.value_ids.filtered(lambda v: v.measure == "percent").value = 95
        self.assertIs(report.action_submit(), True)
        self.assertEqual(self.report_a.state, "submitted")
        self.assertEqual(self.report_a.submitted_by_id, self.staff_a)
        self.assertEqual(str(self.report_a.date_submitted), "2025-05-02 03:00:00")
        self.assertFalse(self.report_a.is_late)
        self.assertEqual(self.report_a.status_label, "on_time")
        self.assertFalse(self._activities(self.report_a), "the to-do is done")
        with self.assertRefused(UserError, "cannot do this in its current state"):
            report.action_submit()

    def test_staff_cannot_submit_other_unit(self):
        for user, report in (
            (self.staff_a, self.report_b),
            (self.staff_b, self.report_a),
            (self.staff_a, self.report_a2),
            (self.head1, self.report_b),
        ):
            with self.subTest(user=user.login, unit=report.unit_id.code):
                with self.assertRefused(AccessError):
                    report.with_user(user).action_submit()
        self.assertEqual(self.report_a.state, "draft")
        self.assertEqual(self.report_b.state, "draft")
        # the head of the office submits for a school under it
        self.report_a2.with_user(self.head1).action_submit()
        self.assertEqual(self.report_a2.state, "submitted")
        self.assertEqual(self.report_a2.submitted_by_id, self.head1)

    def test_return_needs_note_and_resubmit(self):
        self.report_a.with_user(self.staff_a).action_submit()
        with self.assertRefused(UserError, "Write a review note"):
            self.report_a.with_user(self.officer).action_return()
        self.assertEqual(self.report_a.state, "submitted")
        self.report_a.with_user(self.officer).review_note = "   "
        with self.assertRefused(UserError, "Write a review note"):
            self.report_a.with_user(self.officer).action_return()
        self.report_a.with_user(self.officer).review_note = "Bổ sung số liệu chỉ tiêu"
        with self.assertRefused(UserError, "Only department officers"):
            self.report_a.with_user(self.staff_a).action_return()
        with self.assertRefused(UserError, "Only department officers"):
            self.report_a.with_user(self.head1).action_return()
        self.assertTrue(self.report_a.with_user(self.officer).action_return())
        self.assertEqual(self.report_a.state, "returned")
        self.assertEqual(self.report_a.reviewer_id, self.officer)
        self.assertEqual(self.report_a.status_label, "returned")
        self.assertEqual(
            len(self._activities(self.report_a)), 1, "a new to-do for the unit"
        )
        # the unit corrects and sends again
        report = self.report_a.with_user(self.staff_a)
        report.write({"general_proposal": "<p>Đề xuất</p>"})
        report.line_ids[1].result = "Đã bổ sung"
        report.value_ids.filtered(lambda v: v.measure == "count").value = 5
        report.action_submit()
        self.assertEqual(self.report_a.state, "submitted")
        self.assertEqual(self.report_a.line_ids[1].result, "Đã bổ sung")
        self.assertEqual(self.report_a.submitted_by_id, self.staff_a)
        # a draft report cannot be returned
        self.report_b.with_user(self.officer).review_note = "Chưa gửi"
        with self.assertRefused(UserError, "cannot do this in its current state"):
            self.report_b.with_user(self.officer).action_return()
        self.assertEqual(self.report_b.state, "draft")

    def test_accept(self):
        with self.assertRefused(UserError, "cannot do this in its current state"):
            self.report_a.with_user(self.officer).action_accept()
        self.report_a.with_user(self.staff_a).action_submit()
        for user in (self.staff_a, self.head1):
            with (
                self.subTest(user=user.login),
                self.assertRefused(UserError, "Only department"),
            ):
                self.report_a.with_user(user).action_accept()
        self.assertEqual(self.report_a.state, "submitted")
        self.assertTrue(self.report_a.with_user(self.officer).action_accept())
        self.assertEqual(self.report_a.state, "accepted")
        self.assertEqual(self.report_a.reviewer_id, self.officer)
        self.assertEqual(self.report_a.status_label, "accepted")
        self.assertTrue(self.report_a.date_reviewed)
        for action in ("action_accept", "action_return", "action_submit"):
            with self.subTest(action=action), self.assertRefused(UserError):
                getattr(self.report_a.with_user(self.officer), action)()
        self.assertEqual(self.report_a.state, "accepted")

    def test_nobody_edits_after_submit(self):
        self.report_a.with_user(self.staff_a).action_submit()
        for state in ("submitted", "accepted"):
            for user in (self.staff_a, self.officer, self.manager):
                report = self.report_a.with_user(user)
                with self.subTest(state=state, user=user.login):
                    with self.assertRefused(UserError, "can no longer be changed"):
                        report.write({"general_assessment": "<p>Sửa</p>"})
                    with self.assertRefused(UserError, "can no longer be changed"):
                        report.line_ids[0].write({"result": "Sửa kết quả"})
                    with self.assertRefused(UserError, "can no longer be changed"):
                        report.value_ids[0].write({"value": 1})
                    with self.assertRefused(UserError, "can no longer be changed"):
                        report.write(
                            {
                                "line_ids": [
                                    Command.update(
                                        report.line_ids[0].id, {"proposal": "x"}
                                    )
                                ]
                            }
                        )
                    # staff and officers have no unlink right on lines at all
                    with self.assertRefused(UserError):
                        report.line_ids[0].unlink()
            if state == "submitted":
                self.report_a.with_user(self.officer).action_accept()
        self.assertFalse(self.report_a.general_assessment)
        self.assertFalse(self.report_a.line_ids[0].result)
        self.assertEqual(len(self.report_a.line_ids), 2)
        self.assertEqual(self.report_a.value_ids.mapped("value"), [0, 0, 0])

    def test_staff_cannot_touch_other_units_lines(self):
        with self.assertRefused(AccessError):
            self.report_b.line_ids[0].with_user(self.staff_a).write({"result": "x"})
        with self.assertRefused(AccessError):
            self.report_b.value_ids[0].with_user(self.staff_a).write({"value": 1})
        self.assertFalse(
            self.env["danvan.unit.report.line"]
            .with_user(self.staff_a)
            .search([("report_id", "=", self.report_b.id)])
        )
        self.assertEqual(
            self.env["danvan.unit.report.line"]
            .with_user(self.staff_a)
            .search([("report_id.plan_id", "=", self.plan.id)])
            .unit_id,
            self.school_a1,
        )
        self.assertFalse(self.report_b.line_ids[0].result)

    def test_no_delete_once_submitted(self):
        with self.assertRefused(AccessError):
            self.report_a.with_user(self.staff_a).unlink()
        with self.assertRefused(AccessError):
            self.report_a.with_user(self.officer).unlink()
        self.report_a.with_user(self.staff_a).action_submit()
        with self.assertRefused(UserError, "submitted once cannot be deleted"):
            self.report_a.with_user(self.manager).unlink()
        self.report_a.with_user(self.officer).review_note = "Sửa lại"
        self.report_a.with_user(self.officer).action_return()
        with self.assertRefused(UserError, "submitted once cannot be deleted"):
            self.report_a.with_user(self.manager).unlink()
        self.assertTrue(self.report_a.exists())
        # a report never sent may be removed by a manager
        self.report_b.with_user(self.manager).unlink()
        self.assertFalse(self.report_b.exists())

    def test_submit_needs_issued_plan(self):
        self.plan.with_user(self.manager).action_close()
        with self.assertRefused(UserError, "not open for reporting"):
            self.report_a.with_user(self.staff_a).action_submit()
        self.assertEqual(self.report_a.state, "draft")


@tagged("post_install", "-at_install")
class TestDanvanUnitReportLate(DanvanCase):
    """Deadline day 10/05/2025 in Asia/Ho_Chi_Minh (UTC+7)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2025-01-10 03:00:00"):
            cls.plan = cls._issue(cls._make_plan())
            cls.env.flush_all()  # stored 'late' flags computed on 10/01
        cls.report_a = cls._report(cls.plan, cls.school_a1)
        cls.report_b = cls._report(cls.plan, cls.school_b1)
        cls.staff_a.tz = "UTC"  # the user's own timezone plays no part

    def _submit_at(self, when, report=None):
        report = report or self.report_a
        with freeze_time(when):
            report.with_user(
                self.staff_a if report == self.report_a else self.staff_b
            ).action_submit()
        return report

    def test_deadline_day_on_time(self):
        report = self._submit_at("2025-05-10 02:00:00")
        self.assertEqual(report.date_deadline, date(2025, 5, 10))
        self.assertFalse(report.is_late)
        self.assertEqual(report.status_label, "on_time")

    def test_next_day_late(self):
        report = self._submit_at("2025-05-11 02:00:00")
        self.assertTrue(report.is_late)
        self.assertEqual(report.status_label, "late")

    def test_2330_vietnam_on_deadline_day_on_time(self):
        # 16:30 UTC = 23:30 in Hà Nội on 10/05
        report = self._submit_at("2025-05-10 16:30:00")
        self.assertEqual(str(report.date_submitted), "2025-05-10 16:30:00")
        self.assertFalse(report.is_late)

    def test_0010_vietnam_next_day_late(self):
        # 17:10 UTC on 10/05 = 00:10 in Hà Nội on 11/05
        report = self._submit_at("2025-05-10 17:10:00")
        self.assertTrue(report.is_late)
        self.assertEqual(report.status_label, "late")

    def test_resubmission_after_return_keeps_first_date(self):
        """A report sent on time, returned and sent again after the
        deadline stays on time: the review does not make the unit late."""
        report = self._submit_at("2025-05-09 02:00:00")
        report.with_user(self.officer).write({"review_note": "Bổ sung số liệu"})
        with freeze_time("2025-05-12 02:00:00"):
            report.with_user(self.officer).action_return()
        report = self._submit_at("2025-05-13 02:00:00")
        self.assertEqual(str(report.date_submitted), "2025-05-13 02:00:00")
        self.assertEqual(str(report.date_first_submitted), "2025-05-09 02:00:00")
        self.assertFalse(report.is_late)
        self.assertEqual(report.status_label, "on_time")

    def test_missing_reports_marked_late(self):
        Report = self.env["danvan.unit.report"]
        with freeze_time("2025-05-10 16:30:00"):
            Report._cron_mark_late()
            self.assertFalse(self.report_a.is_late)
            self.assertEqual(self.report_a.status_label, "open")
        with freeze_time("2025-05-10 17:10:00"):
            marked = Report._cron_mark_late()
            self.assertIn(self.report_a, marked)
            self.assertTrue(self.report_a.is_late)
            self.assertEqual(self.report_a.status_label, "missing")
            # the year-end reports are not due yet
            year_end = self._report(self.plan, self.school_a1, self.plan.period_ids[1])
            self.assertFalse(year_end.is_late)
            self.assertEqual(year_end.status_label, "open")
        # a late submission stays late
        self._submit_at("2025-05-12 01:00:00")
        self.assertTrue(self.report_a.is_late)
        self.assertEqual(self.report_a.status_label, "late")


@tagged("post_install", "-at_install")
class TestDanvanUnitReportValues(DanvanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls._issue(cls._make_plan())
        cls.report = cls._report(cls.plan, cls.school_a1)

    def _value(self, measure):
        return self.report.value_ids.filtered(lambda v: v.measure == measure).with_user(
            self.staff_a
        )

    def test_values_by_measure(self):
        cases = {
            "percent": (
                [-0.5, 100.01, 150],
                [0, 55.5, 100],
                "is a percentage: enter a value between 0 and 100",
            ),
            "count": ([-1, 2.5], [0, 7, 1200], "is a count: enter a whole number"),
            "boolean": ([0.5, 2, -1], [0, 1], "is a yes/no figure: enter 0 or 1"),
        }
        for measure, (refused, accepted, message) in cases.items():
            value = self._value(measure)
            self.assertEqual(len(value), 1)
            for number in refused:
                with self.subTest(measure=measure, value=number):
                    with self.assertRefused(ValidationError, message):
                        value.write({"value": number})
                        value.flush_recordset()
            for number in accepted:
                with self.subTest(measure=measure, value=number):
                    value.write({"value": number})
                    value.flush_recordset()
                    self.assertEqual(value.value, number)

    def test_values_through_the_report(self):
        value = self._value("percent")
        with self.assertRefused(ValidationError, "is a percentage"):
            self.report.with_user(self.staff_a).write(
                {"value_ids": [Command.update(value.id, {"value": 120})]}
            )
        self.report.with_user(self.staff_a).write(
            {"value_ids": [Command.update(value.id, {"value": 80})]}
        )
        self.assertEqual(value.value, 80)
        self.assertEqual(self.report._get_target_values()[value.target_id], 80)
