"""Query counts that do not grow with the province (issue #8).

Apart from INSERT statements (Odoo writes at most 100 rows per INSERT) and
the batched ``UPDATE ... FROM (VALUES ...)`` of a flush, the number of
queries is the same for a world of 10 units and one of 200 units.

Already guarded elsewhere: the generation of the reports
(``TestDanvanUnitReportQueries``), the consolidation data, web view and XLSX
(``TestConsolidationQueryCount``) and a whole run of the deadline job in one
batch (``TestDeadlineQueryCount``). Here: the deadline job batch by batch
(what one call of the scheduled action costs), the printed consolidation,
the report list of a unit user and of a head (record rules applied), the
pivot and the dashboards.
"""

import logging
import re
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import GROUP_USER, DanvanCase, count_queries

_logger = logging.getLogger(__name__)

# INSERTs, and the UPDATE ... FROM (VALUES ...) Odoo flushes by 100 rows
BATCHED_RE = re.compile(
    r"^\s*INSERT\s+INTO\s|^\s*UPDATE\s+\"?\w+\"?\s+(AS\s+\w+\s+)?SET\s.*FROM\s*\(\s*VALUES",
    re.IGNORECASE | re.DOTALL,
)
LIST_FIELDS = [
    "plan_id",
    "period_id",
    "unit_id",
    "unit_type_id",
    "date_deadline",
    "date_submitted",
    "is_late",
    "activity_ids",
    "state",
]


def _shape(queries):
    """Readable summary of the statements, for the failure messages."""
    return "\n".join(" ".join(q.split())[:160] for q in queries)


class ScalingCase(DanvanCase):
    """Worlds of ``size`` schools under their own Department, with their own
    plan issued on 10/01/2025 (mid-year reports due 10/05/2025); one school
    in two has a staff member, who is its head (so that every batch of the
    deadline job has units with and without people)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # plans of the database (demo data, the common world) are out of the way
        cls.env["danvan.plan"].search([("state", "=", "issued")])._workflow_write(
            {"state": "closed"}
        )
        cls.group_user = cls.env.ref(GROUP_USER)

    @classmethod
    def _world(cls, size, tag, submit_half=False):
        Unit = cls.env["danvan.unit"]
        dept = Unit.create(
            {
                "name": f"Sở {tag}",
                "code": f"S{tag}-SO",
                "type_id": cls.type_dept.id,
                "email": f"so{tag}@scale.example.com",
            }
        )
        office = Unit.create(
            {
                "name": f"Văn phòng {tag}",
                "code": f"S{tag}-VP",
                "type_id": cls.type_division.id,
                "parent_id": dept.id,
                "email": f"vp{tag}@scale.example.com",
            }
        )
        schools = Unit.create(
            [
                {
                    "name": f"Trường {tag} {i:03d}",
                    "code": f"S{tag}-{i:03d}",
                    "type_id": cls.type_school.id,
                    "parent_id": dept.id,
                    "email": f"t{tag}-{i}@scale.example.com",
                }
                for i in range(size)
            ]
        )
        staffed = schools[::2]
        users = (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                [
                    {
                        "name": f"Hiệu trưởng {school.name}",
                        "login": f"s{tag.lower()}_{i}",
                        "email": f"s{tag.lower()}_{i}@scale.example.com",
                        "danvan_unit_id": school.id,
                        "groups_id": [
                            Command.set([cls.env.ref("base.group_user").id]),
                            Command.link(cls.group_user.id),
                        ],
                    }
                    for i, school in enumerate(staffed)
                ]
            )
        )
        for school, user in zip(staffed, users, strict=True):
            school.head_user_id = user
        # the head of the whole Department sees every school's reports
        head = (
            cls.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": f"Giám đốc {tag}",
                    "login": f"s{tag.lower()}_head",
                    "email": f"s{tag.lower()}_head@scale.example.com",
                    "danvan_unit_id": dept.id,
                    "groups_id": [
                        Command.set([cls.env.ref("base.group_user").id]),
                        Command.link(cls.group_user.id),
                    ],
                }
            )
        )
        dept.head_user_id = head
        with freeze_time("2025-01-10 03:00:00"):
            plan = cls._issue(
                cls._make_plan(
                    units=schools,
                    issuing_unit_id=dept.id,
                    monitoring_unit_id=office.id,
                    name=f"Kế hoạch {tag}",
                )
            )
        if submit_half:
            reports = plan.report_ids.filtered(
                lambda r: r.period_id == plan.period_ids.sorted("date_deadline")[0]
            ).sorted("id")
            half = reports[: size // 2]
            half.value_ids.write({"value": 1})
            half.line_ids.write({"result": "Đã thực hiện", "proposal": "Không"})
            with freeze_time("2025-05-09 03:00:00"):
                half.action_submit()
        cls.env.flush_all()
        return {
            "plan": plan,
            "schools": schools,
            "staff": users[0],
            "head": head,
        }

    def _others(self, function):
        """(statements other than batched writes, all statements, result) of
        ``function()`` run from an empty record cache, flushed."""
        self.env.flush_all()
        self.env.invalidate_all()
        with count_queries() as queries:
            result = function()
            self.env.flush_all()
        return [q for q in queries if not BATCHED_RE.match(q)], queries, result

    def assertSameCount(self, label, small, large):
        self.assertEqual(
            len(small),
            len(large),
            f"{label}: {len(small)} queries at 10 units, {len(large)} at 200 "
            f"units.\n10 units:\n{_shape(small)}\n200 units:\n{_shape(large)}",
        )


@tagged("post_install", "-at_install", "danvan_scaling")
class TestScalingDeadlineBatches(ScalingCase):
    """One call of the scheduled action handles one batch: its queries do not
    depend on the number of units nor on what is left for the next calls."""

    def _batches(self, world, batch_size):
        """Run the job of the reminder day (7 days before the mid-year
        deadline) batch by batch; return the queries of each batch."""
        today = date(2025, 5, 3)
        Plan = self.env["danvan.plan"].sudo()
        batches = []
        # mails are only queued (mail.mail): nothing is sent
        with freeze_time("2025-05-02 17:30:00"):
            for _i in range(10):
                others, queries, (done, remaining) = self._others(
                    lambda: Plan._danvan_run_deadlines(today, batch_size)
                )
                batches.append((done, remaining, others, queries))
                if not remaining:
                    break
        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "danvan.unit.report"),
                ("res_id", "in", world["plan"].report_ids.ids),
            ]
        )
        return batches, mails

    def test_batches_do_not_grow(self):
        # warm the caches (templates, parameters, rules) with a first world
        warm = self._world(3, "W")
        self._batches(warm, 2)
        warm["plan"].with_user(self.manager).action_cancel()
        small = self._world(10, "S")
        small_batches, small_mails = self._batches(small, 4)
        small["plan"].with_user(self.manager).action_cancel()
        large = self._world(200, "L")
        large_batches, large_mails = self._batches(large, 80)
        self.assertEqual(
            [(done, remaining) for done, remaining, *_q in small_batches],
            [(4, 6), (4, 2), (2, 0)],
        )
        self.assertEqual(
            [(done, remaining) for done, remaining, *_q in large_batches],
            [(80, 120), (80, 40), (40, 0)],
        )
        self.assertEqual(len(small_mails), 10, "a reminder to each school")
        self.assertEqual(len(large_mails), 200, "a reminder to each school")
        for index, (small_batch, large_batch) in enumerate(
            zip(small_batches, large_batches, strict=True)
        ):
            self.assertSameCount(
                f"batch {index + 1} of the deadline job", small_batch[2], large_batch[2]
            )
        _logger.info(
            "Deadline job per batch (other queries / all): 10 units %s, 200 units %s",
            [(len(b[2]), len(b[3])) for b in small_batches],
            [(len(b[2]), len(b[3])) for b in large_batches],
        )


@tagged("post_install", "-at_install", "danvan_scaling")
class TestScalingReads(ScalingCase):
    """Lists, pivot, dashboards and the printed consolidation: the same
    queries for a province of 10 units as for one of 200."""

    def _profile(self, world):
        plan = world["plan"]
        period = plan.period_ids.sorted("date_deadline")[0]
        officer = self.officer
        staff, head = world["staff"], world["head"]
        Report = self.env["danvan.unit.report"]
        checks = {
            "list, unit staff": lambda: Report.with_user(staff).search_read(
                [], LIST_FIELDS, limit=80
            ),
            # a page smaller than both worlds: the count is a query in both
            "list, head of all the schools": lambda: Report.with_user(
                head
            ).web_search_read(
                [("plan_id", "=", plan.id)],
                {name: {} for name in LIST_FIELDS},
                limit=10,
                count_limit=10001,
            ),
            "pivot unit type x state, officer": lambda: [
                Report.with_user(officer).read_group(
                    [("plan_id", "=", plan.id)], ["__count"], groupby, lazy=False
                )
                for groupby in (
                    [],
                    ["unit_type_id"],
                    ["state"],
                    ["unit_type_id", "state"],
                )
            ],
            "dashboard, officer": lambda: (
                self.env["danvan.dashboard"].with_user(officer).get_dashboard_data()
            ),
            "dashboard, unit staff": lambda: (
                self.env["danvan.dashboard"].with_user(staff).get_dashboard_data()
            ),
            "dashboard, head": lambda: (
                self.env["danvan.dashboard"].with_user(head).get_dashboard_data()
            ),
            "printed consolidation (HTML)": lambda: (
                self.env["ir.actions.report"]
                .with_user(officer)
                ._render_qweb_html(
                    "danvan_chinh_quyen.action_report_consolidated", period.ids
                )
            ),
        }
        result = {}
        with freeze_time("2025-05-20 03:00:00"):
            for label, function in checks.items():
                self._others(function)  # caches of this user and world
                result[label] = self._others(function)[0]
        return result

    def test_reads_do_not_grow(self):
        warm = self._world(3, "W", submit_half=True)
        self._profile(warm)
        small = self._profile(self._world(10, "S", submit_half=True))
        large_world = self._world(200, "L", submit_half=True)
        large = self._profile(large_world)
        for label in small:
            with self.subTest(label):
                self.assertSameCount(label, small[label], large[label])
        # the lists are limited, the head sees every school of the Department
        self.assertEqual(
            len(
                self.env["danvan.unit.report"]
                .with_user(large_world["head"])
                .search([("plan_id", "=", large_world["plan"].id)])
            ),
            400,
        )
        self.assertEqual(
            self.env["danvan.unit.report"]
            .with_user(large_world["staff"])
            .search([])
            .unit_id,
            large_world["staff"].danvan_unit_id,
        )
        # the batched subscriptions of the issue: the person of each to-do
        # follows the report and (registration to-do) the unit
        staff = large_world["staff"]
        self.assertIn(staff.partner_id, staff.danvan_unit_id.message_partner_ids)
        reports = large_world["plan"].report_ids.filtered(
            lambda r: r.unit_id == staff.danvan_unit_id
        )
        self.assertEqual(len(reports), 2)
        for report in reports:
            self.assertIn(staff.partner_id, report.message_partner_ids)
        _logger.info(
            "Read queries at 10 / 200 units: %s",
            {label: (len(small[label]), len(large[label])) for label in small},
        )
