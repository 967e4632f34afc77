"""The access matrix of docs/access-matrix.md, proven cell by cell.

Four roles: the staff of a school (``staff``), the head of the education
office above it (``head``), a Department officer and a manager. Every cell
runs in a savepoint that is rolled back afterwards, so the cells do not
depend on each other. An allowed cell must succeed (and flush: constraints
and record rules run); a refused cell must raise the expected error and
leave every table of the addon, the attachments, messages, followers,
activities and queued mails exactly as they were.
"""

import base64
from contextlib import contextmanager

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL, file_open, mute_logger

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import GROUP_OFFICER, DanvanCase

OK = None  # the cell is allowed
SEED = "danvan_chinh_quyen/tests/data/ke-hoach-dan-van-chinh-quyen-2022.txt"
ROLES = ("staff", "head", "officer", "manager")
# tables that a refused call must leave as they were (besides danvan_*)
WATCHED_TABLES = (
    "ir_attachment",
    "mail_message",
    "mail_followers",
    "mail_activity",
    "mail_mail",
    "mail_notification",
    "res_users",
)


def table_fingerprint(env):
    """{table: md5 of its rows}: the addon's tables and the watched ones."""
    env.flush_all()
    tables = [
        row[0]
        for row in env.execute_query(
            SQL("SELECT tablename FROM pg_tables WHERE tablename LIKE 'danvan%%'")
        )
    ] + list(WATCHED_TABLES)
    parts = SQL(" UNION ALL ").join(
        SQL(
            "SELECT %s, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
            "FROM %s t",
            table,
            SQL.identifier(table),
        )
        for table in sorted(tables)
    )
    return dict(env.execute_query(parts))


def expect(staff=OK, head=OK, officer=OK, manager=OK):
    return {"staff": staff, "head": head, "officer": officer, "manager": manager}


@tagged("post_install", "-at_install", "danvan_access")
class TestAccessMatrix(DanvanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            "staff": cls.staff_a,
            "head": cls.head1,
            "officer": cls.officer,
            "manager": cls.manager,
        }
        cls.spare_unit = cls.env["danvan.unit"].create(
            {"name": "Trường dự phòng", "code": "T-SPARE", "parent_id": cls.pgd2.id}
        )
        cls.plan = cls._issue(cls._make_plan())
        cls.draft_plan = cls._make_plan(year=2026)
        cls.mid, cls.year_end = cls.plan.period_ids.sorted("date_deadline")
        # the superuser is not held by the content lock of the issued plan
        cls.basis_issued, cls.basis_draft = cls.env["danvan.plan.basis"].create(
            [
                {"plan_id": cls.plan.id, "number": "05/KH-UBND"},
                {"plan_id": cls.draft_plan.id, "number": "06/KH-UBND"},
            ]
        )
        # reports: A1 (the staff's school), A2 (a sibling school under the
        # head's office), B1 (another office's school)
        cls.rep_a1 = cls._report(cls.plan, cls.school_a1)
        cls.rep_a2 = cls._report(cls.plan, cls.school_a2)
        cls.rep_b1 = cls._report(cls.plan, cls.school_b1)
        cls.rep_a1_sub = cls._report(cls.plan, cls.school_a1, cls.year_end)
        cls.rep_b1_sub = cls._report(cls.plan, cls.school_b1, cls.year_end)
        cls.rep_a1_sub.with_user(cls.staff_a).action_submit()
        cls.rep_b1_sub.with_user(cls.staff_b).action_submit()
        cls.rep_b1_sub.review_note = "Bổ sung minh chứng"

        Registration = cls.env["danvan.model.registration"]
        cls.field = cls.env.ref("danvan_chinh_quyen.model_field_economy")

        def registration(user, name, register=False):
            reg = Registration.with_user(user).create(
                {
                    "name": name,
                    "plan_id": cls.plan.id,
                    "field_id": cls.field.id,
                    "member_name": f"Tập thể {name}",
                }
            )
            if register:
                reg.action_register()
            return reg.with_env(cls.env)

        cls.reg_a1 = registration(cls.staff_a, "Mô hình A1")
        cls.reg_b1 = registration(cls.staff_b, "Mô hình B1")
        cls.reg_a1_reg = registration(cls.staff_a, "Mô hình A1 đã đăng ký", True)
        cls.reg_b1_reg = registration(cls.staff_b, "Mô hình B1 đã đăng ký", True)
        cls.reg_b1_reg.write({"review_note": "Chưa rõ", "rating": "good"})

        Attachment = cls.env["ir.attachment"]

        def attach(record, name):
            att = Attachment.create(
                {
                    "name": name,
                    "raw": f"content of {name}".encode(),
                    "res_model": record._name,
                    "res_id": record.id,
                }
            )
            record.attachment_ids = [Command.link(att.id)]
            return att

        # attachments are linked before the reports are locked (the superuser
        # writes; the lock itself is one of the cells)
        cls.att_a1 = attach(cls.rep_a1, "a1.pdf")
        cls.att_a1_sub = attach(cls.rep_a1_sub, "a1-submitted.pdf")
        cls.att_b1 = attach(cls.rep_b1, "b1.pdf")
        cls.att_b1_sub = attach(cls.rep_b1_sub, "b1-submitted.pdf")
        cls.msg_b1 = cls.rep_b1_sub.message_post(
            body="Ghi chú nội bộ của B1", message_type="comment"
        )
        # an e-mail the deadline job rendered on unit B1 (shared record)
        cls.mail_b1 = cls.env["mail.mail"].create(
            {
                "subject": "Nhắc B1 đăng ký mô hình",
                "body_html": "<p>B1 chưa đăng ký</p>",
                "model": "danvan.unit",
                "res_id": cls.school_b1.id,
                "message_type": "email_outgoing",
                "email_to": "b1@test.example.com",
            }
        )
        cls.mail_a1 = cls.env["mail.mail"].create(
            {
                "subject": "Nhắc A1 đăng ký mô hình",
                "body_html": "<p>A1 chưa đăng ký</p>",
                "model": "danvan.unit",
                "res_id": cls.school_a1.id,
                "message_type": "email_outgoing",
                "email_to": "a1@test.example.com",
            }
        )
        cls.digest = cls.env["mail.mail"].create(
            {
                "subject": "Tổng hợp đơn vị chậm",
                "body_html": "<p>B1 chậm</p>",
                "model": "danvan.report.period",
                "res_id": cls.mid.id,
                "message_type": "email_outgoing",
                "email_to": "vp@test.example.com",
            }
        )
        activity_type = cls.env.ref("mail.mail_activity_data_todo")
        cls.activity_b1 = cls.env["mail.activity"].create(
            {
                "res_model_id": cls.env["ir.model"]._get_id("danvan.unit"),
                "res_id": cls.school_b1.id,
                "activity_type_id": activity_type.id,
                "summary": "Đăng ký mô hình (B1)",
                "user_id": cls.staff_b.id,
            }
        )
        cls.log = cls.env["danvan.reminder.log"].create(
            {
                "res_model": "danvan.unit.report",
                "res_id": cls.rep_b1.id,
                "kind": "before_7",
                "deadline": cls.mid.date_deadline,
                "unit_id": cls.school_b1.id,
            }
        )
        cls.env.flush_all()

    # ------------------------------------------------------------------
    # Machinery
    # ------------------------------------------------------------------

    def _fingerprint(self):
        return table_fingerprint(self.env)

    @contextmanager
    def _undone(self):
        savepoint = self.env.cr.savepoint()
        try:
            yield
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()

    def check(self, label, op, expected):
        """Run ``op(user)`` for each role; ``expected[role]`` is OK or the
        exception class (or tuple of classes) it must raise."""
        for role in ROLES:
            user = self.users[role]
            outcome = expected[role]
            with self.subTest(cell=label, role=role), self._undone():
                if outcome is OK:
                    op(user)
                    self.env.flush_all()
                    continue
                before = self._fingerprint()
                # a refusal by PostgreSQL (a unique index) is no error to log
                with self.assertRaises(outcome) as caught, mute_logger("odoo.sql_db"):
                    op(user)
                    self.env.flush_all()
                self.assertTrue(str(caught.exception).strip(), "an empty error message")
                after = self._fingerprint()
                changed = sorted(t for t in before if before[t] != after.get(t))
                self.assertFalse(changed, f"a refused call changed {changed}")

    def as_(self, user, record):
        return record.with_user(user).with_context(**self.env.context)

    # ------------------------------------------------------------------
    # Organisational units and configuration
    # ------------------------------------------------------------------

    def test_units(self):
        Unit = self.env["danvan.unit"]
        self.check(
            "unit: read any unit's name, tree and staff",
            lambda u: self.assertEqual(
                self.as_(u, self.school_b1).read(["name", "parent_id", "user_ids"])[0][
                    "user_ids"
                ],
                self.staff_b.ids,
            ),
            expect(),
        )
        self.check(
            "unit: name_search finds other units",
            lambda u: self.assertIn(
                self.school_b1.id,
                [i for i, _n in Unit.with_user(u).name_search("Trường B1")],
            ),
            expect(),
        )
        self.check(
            "unit: create",
            lambda u: Unit.with_user(u).create({"name": "Mới", "code": "T-NEW"}),
            expect(AccessError, AccessError, AccessError, OK),
        )
        self.check(
            "unit: write another unit",
            lambda u: self.as_(u, self.school_b1).write({"email": "x@example.com"}),
            expect(AccessError, AccessError, AccessError, OK),
        )
        self.check(
            "unit: write own unit",
            lambda u: self.as_(u, u.danvan_unit_id).write({"phone": "0123"}),
            expect(AccessError, AccessError, AccessError, OK),
        )
        self.check(
            "unit: delete an unused unit",
            lambda u: self.as_(u, self.spare_unit).unlink(),
            expect(AccessError, AccessError, AccessError, OK),
        )
        self.check(
            "unit: archive",
            lambda u: self.as_(u, self.spare_unit).action_archive(),
            expect(AccessError, AccessError, AccessError, OK),
        )
        for model, vals in (
            ("danvan.unit.type", {"name": "Loại mới", "code": "T_NEW"}),
            ("danvan.model.field", {"name": "Lĩnh vực mới", "code": "t_new"}),
        ):
            record = self.env[model].search([], limit=1)
            self.check(
                f"{model}: read",
                lambda u, r=record: self.as_(u, r).read(["name"]),
                expect(),
            )
            self.check(
                f"{model}: create",
                lambda u, m=model, v=vals: self.env[m].with_user(u).create(v),
                expect(AccessError, AccessError, AccessError, OK),
            )
            self.check(
                f"{model}: write",
                lambda u, r=record: self.as_(u, r).write({"name": "Đổi tên"}),
                expect(AccessError, AccessError, AccessError, OK),
            )

    def test_users_and_follow_units(self):
        office = self.office
        self.check(
            "res.users: names of another unit's staff",
            lambda u: self.as_(u, self.staff_b).read(["name", "danvan_unit_id"]),
            expect(),
        )
        self.check(
            "res.users: change one's own unit",
            lambda u: self.as_(u, u).write({"danvan_unit_id": self.school_b1.id}),
            expect(AccessError, AccessError, AccessError, AccessError),
        )
        self.check(
            "unit: follow the monitoring unit (receives every submission)",
            lambda u: self.as_(u, office).message_subscribe(
                partner_ids=u.partner_id.ids
            ),
            # the officer works in the Office: it is their own unit
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "unit: follow one's own unit",
            lambda u: self.as_(u, u.danvan_unit_id).message_subscribe(
                partner_ids=u.partner_id.ids
            ),
            expect(),
        )

    # ------------------------------------------------------------------
    # Plans and their parts
    # ------------------------------------------------------------------

    def test_plans(self):
        Plan = self.env["danvan.plan"]
        plan, draft = self.plan, self.draft_plan
        self.check(
            "plan: read an issued plan",
            lambda u: self.as_(u, plan).read(["name", "number", "task_ids"]),
            expect(),
        )
        self.check(
            "plan: read a draft plan",
            lambda u: self.as_(u, draft).read(["name"]),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "plan: search lists drafts only for the Department",
            lambda u: self.assertEqual(
                bool(Plan.with_user(u).search([("id", "=", draft.id)])),
                u.has_group(GROUP_OFFICER),
            ),
            expect(),
        )
        self.check(
            "plan: create",
            lambda u: Plan.with_user(u).create(
                {"name": "KH mới", "year": 2025, "issuing_unit_id": self.dept.id}
            ),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "plan: write a draft",
            lambda u: self.as_(u, draft).write({"place": "Hòa Bình"}),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "plan: write an issued plan's content",
            lambda u: self.as_(u, plan).write({"purpose": "<p>Sửa</p>"}),
            expect(UserError, UserError, UserError, UserError),
        )
        self.check(
            "plan: write the state",
            lambda u: self.as_(u, draft).write({"state": "issued"}),
            expect(UserError, UserError, UserError, UserError),
        )
        self.check(
            "plan: delete a draft",
            lambda u: self.as_(u, draft).unlink(),
            expect(AccessError, AccessError, AccessError, OK),
        )
        self.check(
            "plan: delete an issued plan",
            lambda u: self.as_(u, plan).unlink(),
            expect(AccessError, AccessError, AccessError, UserError),
        )
        self.check(
            "plan: archive an issued plan",
            lambda u: self.as_(u, plan).action_archive(),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "plan: submit for approval",
            lambda u: self.as_(u, draft).action_submit(),
            expect(AccessError, AccessError, OK, OK),
        )

        def issue(u):
            draft.action_submit()
            self.as_(u, draft).action_issue()

        self.check(
            "plan: issue",
            issue,
            expect(AccessError, AccessError, AccessError, OK),
        )
        self.check(
            "plan: close",
            lambda u: self.as_(u, plan).action_close(),
            expect(AccessError, AccessError, AccessError, OK),
        )
        self.check(
            "plan: cancel an issued plan",
            lambda u: self.as_(u, plan).action_cancel(),
            expect(AccessError, AccessError, AccessError, OK),
        )
        self.check(
            "plan: cancel a draft",
            lambda u: self.as_(u, draft).action_cancel(),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "plan: generate missing reports",
            lambda u: self.as_(u, plan).action_generate_reports(),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "plan: copy to next year",
            lambda u: self.as_(u, plan).action_copy_next_year(),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "plan: open for amendment",
            lambda u: self.as_(u, plan)._open_for_amendment("Sai số liệu"),
            expect(AccessError, AccessError, AccessError, OK),
        )
        with file_open(SEED) as handle:
            seed = handle.read()
        self.check(
            "plan: import from its document (wizard)",
            lambda u: (
                self.env["danvan.plan.import"]
                .with_user(u)
                .create({"text": seed})
                .action_import()
            ),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "plan: amendment wizard",
            lambda u: (
                self.env["danvan.plan.amend"]
                .with_user(u)
                .create({"plan_id": plan.id, "reason": "Sai"})
            ),
            expect(AccessError, AccessError, AccessError, OK),
        )

    def test_plan_parts(self):
        plan, draft = self.plan, self.draft_plan
        parts = {
            "danvan.plan.task": (
                plan.task_ids[:1],
                draft.task_ids[:1],
                {"plan_id": draft.id, "name": "Nhiệm vụ mới"},
                {"name": "Đổi tên"},
            ),
            "danvan.plan.target": (
                plan.target_ids[:1],
                draft.target_ids[:1],
                {"task_id": draft.task_ids[:1].id, "name": "Chỉ tiêu mới"},
                {"target_value": 90},
            ),
            "danvan.report.period": (
                plan.period_ids[:1],
                draft.period_ids[:1],
                {
                    "plan_id": draft.id,
                    "name": "Quý III",
                    "date_from": "2026-07-01",
                    "date_to": "2026-09-30",
                    "date_deadline": "2026-10-05",
                },
                {"name": "Đổi tên"},
            ),
            "danvan.plan.basis": (
                self.basis_issued,
                self.basis_draft,
                {"plan_id": draft.id, "number": "01/KH-UBND"},
                {"title": "Đổi"},
            ),
        }
        for model, (issued_rec, draft_rec, create_vals, write_vals) in parts.items():
            if issued_rec:
                self.check(
                    f"{model}: read (issued plan)",
                    lambda u, r=issued_rec: self.as_(u, r).read(["display_name"]),
                    expect(),
                )
                self.check(
                    f"{model}: write (issued plan, locked)",
                    lambda u, r=issued_rec, v=write_vals: self.as_(u, r).write(v),
                    # unit staff hit the content lock before the access rights
                    expect(UserError, UserError, UserError, UserError),
                )
            self.check(
                f"{model}: read (draft plan)",
                lambda u, r=draft_rec: self.as_(u, r).read(["display_name"]),
                expect(AccessError, AccessError, OK, OK),
            )
            self.check(
                f"{model}: create (draft plan)",
                lambda u, m=model, v=create_vals: self.env[m].with_user(u).create(v),
                expect(AccessError, AccessError, OK, OK),
            )
            self.check(
                f"{model}: write (draft plan)",
                lambda u, r=draft_rec, v=write_vals: self.as_(u, r).write(v),
                expect(AccessError, AccessError, OK, OK),
            )
            self.check(
                f"{model}: delete (draft plan)",
                lambda u, r=draft_rec: self.as_(u, r).unlink(),
                expect(AccessError, AccessError, OK, OK),
            )

    # ------------------------------------------------------------------
    # Unit reports
    # ------------------------------------------------------------------

    def test_report_read(self):
        Report = self.env["danvan.unit.report"]
        self.check(
            "report: read own unit's",
            lambda u: self.as_(u, self.rep_a1).read(["name", "state", "line_ids"]),
            # the manager and the officer read everything
            expect(),
        )
        self.check(
            "report: read a sub-unit's",
            lambda u: self.as_(u, self.rep_a2).read(["name"]),
            expect(AccessError, OK, OK, OK),
        )
        self.check(
            "report: read another unit's",
            lambda u: self.as_(u, self.rep_b1).read(["name"]),
            expect(AccessError, AccessError, OK, OK),
        )
        visible = {
            "staff": self.school_a1,
            "head": self.pgd1 | self.school_a1 | self.school_a2,
        }
        self.check(
            "report: search sees own (and sub-units') only",
            lambda u: self.assertEqual(
                Report.with_user(u).search([("plan_id", "=", self.plan.id)]).unit_id,
                visible.get(self._role(u), self.participants),
            ),
            expect(),
        )
        self.check(
            "report: read_group groups own units only",
            lambda u: self.assertEqual(
                {
                    g["unit_id"][0]
                    for g in Report.with_user(u).read_group(
                        [("plan_id", "=", self.plan.id)], ["unit_id"], ["unit_id"]
                    )
                },
                set(visible.get(self._role(u), self.participants).ids),
            ),
            expect(),
        )

        def export(u):
            u.groups_id = [Command.link(self.env.ref("base.group_allow_export").id)]
            return self.as_(u, self.rep_b1).export_data(["name", "review_note"])

        self.check(
            "report: export another unit's",
            export,
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "report: related field through a line (report_id.review_note)",
            lambda u: self.as_(u, self.rep_b1_sub.line_ids[:1]).read(["report_id"]),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "report: plan.report_ids and counts show own reports only",
            lambda u: (
                self.assertEqual(
                    len(self.as_(u, self.plan).report_ids),
                    self.as_(u, self.plan).report_count,
                )
                or self.assertEqual(
                    self.as_(u, self.plan).report_ids.unit_id,
                    visible.get(self._role(u), self.participants),
                )
            ),
            expect(),
        )
        self.check(
            "period: report and submitted counts (sudo-free) show own only",
            lambda u: self.assertEqual(
                (
                    self.as_(u, self.year_end).report_count,
                    self.as_(u, self.year_end).submitted_count,
                ),
                {"staff": (1, 1), "head": (3, 1)}.get(self._role(u), (6, 2)),
            ),
            expect(),
        )

    def _role(self, user):
        return next(role for role, u in self.users.items() if u == user)

    def test_report_write(self):
        Report = self.env["danvan.unit.report"]
        self.check(
            "report: create",
            lambda u: Report.with_user(u).create(
                {
                    "plan_id": self.plan.id,
                    "period_id": self.mid.id,
                    "unit_id": self.spare_unit.id,
                }
            ),
            # officers reach the workflow-only fields; reports come from the plan
            expect(AccessError, AccessError, UserError, UserError),
        )
        self.check(
            "report: write own draft's content",
            lambda u: self.as_(u, self.rep_a1).write(
                {"general_assessment": "<p>Tốt</p>"}
            ),
            expect(),
        )
        self.check(
            "report: write a sub-unit's draft",
            lambda u: self.as_(u, self.rep_a2).write(
                {"general_assessment": "<p>Tốt</p>"}
            ),
            expect(AccessError, OK, OK, OK),
        )
        self.check(
            "report: write another unit's draft",
            lambda u: self.as_(u, self.rep_b1).write(
                {"general_assessment": "<p>x</p>"}
            ),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "report: write own submitted report's content",
            lambda u: self.as_(u, self.rep_a1_sub).write(
                {"general_proposal": "<p>x</p>"}
            ),
            expect(UserError, UserError, UserError, UserError),
        )
        self.check(
            "report: remove the evidence of a submitted report",
            lambda u: self.as_(u, self.rep_a1_sub).write(
                {"attachment_ids": [Command.unlink(self.att_a1_sub.id)]}
            ),
            expect(UserError, UserError, UserError, UserError),
        )
        self.check(
            "report: write the review note",
            lambda u: self.as_(u, self.rep_a1_sub).write({"review_note": "Được"}),
            expect(AccessError, AccessError, OK, OK),
        )
        for field, value in (
            ("state", "accepted"),
            ("date_submitted", "2025-01-01 00:00:00"),
            ("submitted_by_id", 1),
            ("is_late", True),
            ("plan_id", 1),
        ):
            self.check(
                f"report: write workflow field {field}",
                lambda u, f=field, v=value: self.as_(u, self.rep_a1).write({f: v}),
                expect(UserError, UserError, UserError, UserError),
            )
        self.check(
            "report: move to another unit",
            lambda u: self.as_(u, self.rep_a1).write({"unit_id": self.spare_unit.id}),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "report: archive a submitted report",
            lambda u: self.as_(u, self.rep_a1_sub).action_archive(),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "report: delete a draft never submitted",
            lambda u: self.as_(u, self.rep_a1).unlink(),
            expect(AccessError, AccessError, AccessError, OK),
        )
        self.check(
            "report: delete a submitted report",
            lambda u: self.as_(u, self.rep_a1_sub).unlink(),
            expect(AccessError, AccessError, AccessError, UserError),
        )

    def test_report_lines(self):
        line_a1 = self.rep_a1.line_ids[:1]
        line_a1_sub = self.rep_a1_sub.line_ids[:1]
        line_b1 = self.rep_b1.line_ids[:1]
        value_a1 = self.rep_a1.value_ids.filtered(lambda v: v.measure == "percent")
        value_b1 = self.rep_b1.value_ids.filtered(lambda v: v.measure == "percent")
        self.check(
            "line: read another unit's",
            lambda u: self.as_(u, line_b1).read(["result"]),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "line: write own open report's",
            lambda u: self.as_(u, line_a1).write({"result": "Đạt"}),
            expect(),
        )
        self.check(
            "line: write own submitted report's",
            lambda u: self.as_(u, line_a1_sub).write({"result": "Sửa sau khi gửi"}),
            expect(UserError, UserError, UserError, UserError),
        )
        self.check(
            "line: write another unit's",
            lambda u: self.as_(u, line_b1).write({"result": "x"}),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "line: create",
            lambda u: (
                self.env["danvan.unit.report.line"]
                .with_user(u)
                .create(
                    {
                        "report_id": self.rep_a1.id,
                        "task_id": self.draft_plan.task_ids[0].id,
                    }
                )
            ),
            # one line per task already exists: the officer hits the constraint
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "line: delete",
            lambda u: self.as_(u, line_a1).unlink(),
            expect(AccessError, AccessError, AccessError, OK),
        )
        self.check(
            "figure: write own open report's",
            lambda u: self.as_(u, value_a1).write({"value": 80}),
            expect(),
        )
        self.check(
            "figure: write another unit's",
            lambda u: self.as_(u, value_b1).write({"value": 80}),
            expect(AccessError, AccessError, OK, OK),
        )

    def test_report_workflow(self):
        self.check(
            "report: submit own",
            lambda u: self.as_(u, self.rep_a1).action_submit(),
            expect(),
        )
        self.check(
            "report: submit a sub-unit's",
            lambda u: self.as_(u, self.rep_a2).action_submit(),
            expect(AccessError, OK, OK, OK),
        )
        self.check(
            "report: submit another unit's",
            lambda u: self.as_(u, self.rep_b1).action_submit(),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "report: submit twice",
            lambda u: self.as_(u, self.rep_a1_sub).action_submit(),
            expect(UserError, UserError, UserError, UserError),
        )
        self.check(
            "report: accept",
            lambda u: self.as_(u, self.rep_a1_sub).action_accept(),
            expect(UserError, UserError, OK, OK),
        )
        self.check(
            "report: return with a note",
            lambda u: self.as_(u, self.rep_b1_sub).action_return(),
            expect(UserError, UserError, OK, OK),
        )
        self.check(
            "report: return without a note",
            lambda u: self.as_(u, self.rep_a1_sub).action_return(),
            expect(UserError, UserError, UserError, UserError),
        )
        self.check(
            "report: accept a draft",
            lambda u: self.as_(u, self.rep_a1).action_accept(),
            expect(UserError, UserError, UserError, UserError),
        )

    # ------------------------------------------------------------------
    # Registrations
    # ------------------------------------------------------------------

    def test_registrations(self):
        Registration = self.env["danvan.model.registration"]

        def create_for(unit):
            return lambda u: Registration.with_user(u).create(
                {"name": "Mô hình mới", "plan_id": self.plan.id, "unit_id": unit.id}
            )

        self.check(
            "registration: create for own unit", create_for(self.school_a1), expect()
        )
        self.check(
            "registration: create for a sub-unit",
            create_for(self.school_a2),
            expect(AccessError, OK, OK, OK),
        )
        self.check(
            "registration: create for another unit",
            create_for(self.school_b1),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "registration: a unique name of another unit is no oracle",
            lambda u: Registration.with_user(u).create(
                {
                    "name": self.reg_b1.name,
                    "plan_id": self.plan.id,
                    "unit_id": self.school_b1.id,
                }
            ),
            # officers hit the unique constraint (a ValidationError over RPC),
            # units only learn "not yours"
            expect(AccessError, AccessError, IntegrityError, IntegrityError),
        )
        self.check(
            "registration: read another unit's",
            lambda u: self.as_(u, self.reg_b1).read(["name", "content"]),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "registration: write own draft",
            lambda u: self.as_(u, self.reg_a1).write({"goal": "<p>Mục tiêu</p>"}),
            expect(),
        )
        self.check(
            "registration: write another unit's draft",
            lambda u: self.as_(u, self.reg_b1).write({"goal": "<p>x</p>"}),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "registration: write a registered model's content",
            lambda u: self.as_(u, self.reg_a1_reg).write({"goal": "<p>x</p>"}),
            expect(UserError, UserError, UserError, UserError),
        )
        self.check(
            "registration: rate it",
            lambda u: self.as_(u, self.reg_a1_reg).write({"rating": "excellent"}),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "registration: archive",
            lambda u: self.as_(u, self.reg_a1_reg).action_archive(),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "registration: delete own draft",
            lambda u: self.as_(u, self.reg_a1).unlink(),
            expect(),
        )
        self.check(
            "registration: delete another unit's draft",
            lambda u: self.as_(u, self.reg_b1).unlink(),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "registration: delete a registered model",
            lambda u: self.as_(u, self.reg_a1_reg).unlink(),
            expect(UserError, UserError, UserError, UserError),
        )
        self.check(
            "registration: register own",
            lambda u: self.as_(u, self.reg_a1).action_register(),
            expect(),
        )
        self.check(
            "registration: register another unit's",
            lambda u: self.as_(u, self.reg_b1).action_register(),
            expect(AccessError, AccessError, OK, OK),
        )
        for action in ("action_approve", "action_reject"):
            self.check(
                f"registration: {action}",
                lambda u, a=action: getattr(self.as_(u, self.reg_a1_reg), a)(),
                expect(UserError, UserError, OK, OK),
            )
        self.check(
            "registration: action_return (with a note)",
            lambda u: self.as_(u, self.reg_b1_reg).action_return(),
            expect(UserError, UserError, OK, OK),
        )

        def evaluate(u):
            self.reg_b1_reg.action_approve()
            self.reg_b1_reg.evaluation_note = "Hiệu quả"
            self.as_(u, self.reg_b1_reg).action_evaluate()

        self.check(
            "registration: evaluate",
            evaluate,
            expect(UserError, UserError, OK, OK),
        )

        def recognise(u):
            self.reg_b1_reg.action_approve()
            self.reg_b1_reg.evaluation_note = "Hiệu quả"
            self.reg_b1_reg.action_evaluate()
            self.as_(u, self.reg_b1_reg).action_recognise()

        self.check(
            "registration: recognise",
            recognise,
            expect(UserError, UserError, UserError, OK),
        )

    # ------------------------------------------------------------------
    # Attachments, messages, activities, followers
    # ------------------------------------------------------------------

    def test_attachments(self):
        Attachment = self.env["ir.attachment"]
        self.check(
            "attachment: read another unit's report's file",
            lambda u: self.as_(u, self.att_b1).read(["name", "datas"]),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "attachment: search finds no other unit's file",
            lambda u: self.assertEqual(
                bool(
                    Attachment.with_user(u).search(
                        [
                            ("res_model", "=", "danvan.unit.report"),
                            ("id", "=", self.att_b1.id),
                        ]
                    )
                ),
                u.has_group(GROUP_OFFICER),
            ),
            expect(),
        )
        self.check(
            "attachment: through the report's evidence field",
            lambda u: self.as_(u, self.rep_b1).read(["attachment_ids"]),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "attachment: add a file to another unit's report",
            lambda u: Attachment.with_user(u).create(
                {
                    "name": "x.txt",
                    "raw": b"x",
                    "res_model": "danvan.unit.report",
                    "res_id": self.rep_b1.id,
                }
            ),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "attachment: delete own open report's file",
            lambda u: self.as_(u, self.att_a1).unlink(),
            expect(),
        )
        self.check(
            "attachment: delete own submitted report's file",
            lambda u: self.as_(u, self.att_a1_sub).unlink(),
            expect(UserError, UserError, UserError, UserError),
        )
        self.check(
            "attachment: replace own submitted report's file",
            lambda u: self.as_(u, self.att_a1_sub).write(
                {"datas": base64.b64encode(b"forged")}
            ),
            expect(UserError, UserError, UserError, UserError),
        )
        self.check(
            "attachment: move a submitted report's file elsewhere",
            lambda u: self.as_(u, self.att_a1_sub).write({"res_id": self.rep_a1.id}),
            expect(UserError, UserError, UserError, UserError),
        )
        self.check(
            "attachment: add a file to own submitted report (chatter)",
            lambda u: Attachment.with_user(u).create(
                {
                    "name": "bổ sung.txt",
                    "raw": b"x",
                    "res_model": "danvan.unit.report",
                    "res_id": self.rep_a1_sub.id,
                }
            ),
            expect(),
        )
        self.check(
            "attachment: delete another unit's file",
            lambda u: self.as_(u, self.att_b1).unlink(),
            expect(AccessError, AccessError, OK, OK),
        )

    def test_messages(self):
        Message = self.env["mail.message"]
        self.check(
            "message: read a note on another unit's report",
            lambda u: self.as_(u, self.msg_b1).read(["body"]),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "message: search another unit's report's messages",
            lambda u: self.assertEqual(
                bool(
                    Message.with_user(u).search(
                        [
                            ("model", "=", "danvan.unit.report"),
                            ("res_id", "=", self.rep_b1_sub.id),
                        ]
                    )
                ),
                u.has_group(GROUP_OFFICER),
            ),
            expect(),
        )
        self.check(
            "message: post on another unit's report",
            lambda u: self.as_(u, self.rep_b1_sub).message_post(body="Xin chào"),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "message: follow another unit's report",
            lambda u: self.assertEqual(
                self.as_(u, self.rep_b1_sub).message_subscribe(
                    partner_ids=u.partner_id.ids
                ),
                u.has_group(GROUP_OFFICER),
            ),
            expect(),
        )
        self.check(
            "message: an e-mail sent to another unit (rendered on the unit)",
            lambda u: self.as_(u, self.mail_b1.mail_message_id).read(["body"]),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "message: an e-mail sent to one's own unit",
            lambda u: (
                self.as_(u, self.mail_a1.mail_message_id).read(["body"])
                if u.danvan_unit_id == self.school_a1
                else None
            ),
            expect(),
        )
        self.check(
            "message: the Department's digest on a period",
            lambda u: self.as_(u, self.digest.mail_message_id).read(["body"]),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "message: search e-mails on shared records",
            lambda u: self.assertEqual(
                Message.with_user(u)
                .search(
                    [
                        ("message_type", "=", "email_outgoing"),
                        "|",
                        "&",
                        ("model", "=", "danvan.unit"),
                        ("res_id", "in", (self.school_a1 | self.school_b1).ids),
                        "&",
                        ("model", "=", "danvan.report.period"),
                        ("res_id", "=", self.mid.id),
                    ]
                )
                .ids,
                (self.digest | self.mail_a1 | self.mail_b1)
                .mail_message_id.sorted("id", reverse=True)
                .ids
                if u.has_group(GROUP_OFFICER)
                else (
                    self.mail_a1.mail_message_id.ids if self._role(u) == "staff" else []
                ),
            ),
            expect(),
        )
        self.check(
            "mail.mail: read queued mails",
            lambda u: self.as_(u, self.mail_b1).read(["subject"]),
            expect(AccessError, AccessError, AccessError, AccessError),
        )
        self.check(
            "activity: another unit's to-do on its unit",
            lambda u: self.as_(u, self.activity_b1).read(["summary"]),
            # Odoo: the assignee, or who may post on the unit (managers)
            expect(AccessError, AccessError, AccessError, OK),
        )
        self.check(
            "followers: who follows another unit's report (no content)",
            lambda u: self.assertFalse(
                set(
                    self.env["mail.followers"]
                    .with_user(u)
                    .search_read([("res_model", "=", "danvan.unit.report")], limit=1)[0]
                )
                & {"body", "review_note", "general_assessment"}
            ),
            expect(),
        )

    # ------------------------------------------------------------------
    # Deadline log, consolidation, printing, dashboard
    # ------------------------------------------------------------------

    def test_reminder_log(self):
        Log = self.env["danvan.reminder.log"]
        self.check(
            "reminder log: read",
            lambda u: self.as_(u, self.log).read(["kind"]),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "reminder log: create",
            lambda u: Log.with_user(u).create(
                {
                    "res_model": "danvan.unit.report",
                    "res_id": self.rep_a1.id,
                    "kind": "overdue",
                    "deadline": "2025-05-10",
                    "unit_id": self.school_a1.id,
                }
            ),
            expect(AccessError, AccessError, AccessError, AccessError),
        )
        self.check(
            "reminder log: delete (would send again)",
            lambda u: self.as_(u, self.log).unlink(),
            expect(AccessError, AccessError, AccessError, AccessError),
        )

    def test_consolidation_and_printing(self):
        Report = self.env["ir.actions.report"]
        period = self.mid
        self.check(
            "consolidation: the HTML field",
            lambda u: self.as_(u, period).read(["consolidation_html"]),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "consolidation: the XLSX workbook",
            lambda u: self.as_(u, period)._get_consolidation_xlsx(),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "consolidation: the printed report",
            lambda u: Report.with_user(u)._render_qweb_html(
                "danvan_chinh_quyen.action_report_consolidated", period.ids
            ),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "print: own unit report",
            lambda u: Report.with_user(u)._render_qweb_html(
                "danvan_chinh_quyen.action_report_unit_report", self.rep_a1.ids
            ),
            expect(),
        )
        self.check(
            "print: another unit's report",
            lambda u: Report.with_user(u)._render_qweb_html(
                "danvan_chinh_quyen.action_report_unit_report", self.rep_b1.ids
            ),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "print: another unit's registrations",
            lambda u: Report.with_user(u)._render_qweb_html(
                "danvan_chinh_quyen.action_report_registrations", self.reg_b1.ids
            ),
            expect(AccessError, AccessError, OK, OK),
        )
        self.check(
            "print: a draft plan",
            lambda u: Report.with_user(u)._render_qweb_html(
                "danvan_chinh_quyen.action_report_plan", self.draft_plan.ids
            ),
            expect(AccessError, AccessError, OK, OK),
        )

    def test_dashboard(self):
        def dashboard(u):
            data = self.env["danvan.dashboard"].with_user(u).get_dashboard_data()
            units = (
                self.env["danvan.unit.report"]
                .browse([r["id"] for r in data["my_reports"]])
                .unit_id
            )
            allowed = self.env["danvan.unit"].browse(u._danvan_visible_unit_ids())
            self.assertLessEqual(units, allowed)
            self.assertEqual("periods" in data, u.has_group(GROUP_OFFICER))

        self.check("dashboard: own unit's work only", dashboard, expect())


@tagged("post_install", "-at_install", "danvan_access")
class TestNotificationRecipients(DanvanCase):
    """Mail of the workflow reaches the right unit and nobody else."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # mail on: this class is about what is sent
        cls.env = cls.env(context={})
        cls.plan = cls._issue(cls._make_plan())
        cls.rep_a1 = cls._report(cls.plan, cls.school_a1)
        cls.rep_b1 = cls._report(cls.plan, cls.school_b1)
        cls.officer2 = mail_new_test_user(
            cls.env,
            login="t_danvan_officer2",
            groups=f"base.group_user,{GROUP_OFFICER}",
            danvan_unit_id=cls.office.id,
        )
        cls.office.message_subscribe(partner_ids=cls.officer.partner_id.ids)

    def _partners_of(self, record):
        messages = self.env["mail.message"].search(
            [("model", "=", record._name), ("res_id", "=", record.id)]
        )
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", record._name), ("res_id", "=", record.id)])
        )
        notified = (
            self.env["mail.notification"]
            .sudo()
            .search([("mail_message_id", "in", messages.ids)])
        )
        return (
            messages.partner_ids | mails.recipient_ids | notified.res_partner_id,
            messages,
        )

    def test_submit_reaches_the_office_only(self):
        self.rep_a1.with_user(self.staff_a).action_submit()
        partners, _messages = self._partners_of(self.rep_a1)
        self.assertIn(self.officer.partner_id, partners)
        for user in (self.staff_b, self.head1):
            self.assertNotIn(user.partner_id, partners)

    def test_review_reaches_the_unit_only(self):
        self.rep_a1.with_user(self.staff_a).action_submit()
        self.rep_b1.with_user(self.staff_b).action_submit()
        self.rep_b1.with_user(self.officer).write({"review_note": "Thiếu số liệu"})
        self.rep_b1.with_user(self.officer).action_return()
        self.rep_a1.with_user(self.officer).action_accept()
        partners_b, messages_b = self._partners_of(self.rep_b1)
        partners_a, _ = self._partners_of(self.rep_a1)
        self.assertIn(self.staff_b.partner_id, partners_b)
        self.assertNotIn(self.staff_a.partner_id, partners_b)
        self.assertNotIn(self.head1.partner_id, partners_b)
        self.assertIn(self.staff_a.partner_id, partners_a)
        self.assertNotIn(self.staff_b.partner_id, partners_a)
        # the return note went to B1 and stays readable by B1 only
        note = messages_b.filtered(lambda m: "Thiếu số liệu" in (m.body or ""))
        self.assertTrue(note)
        with self.assertRaises(AccessError):
            note.with_user(self.staff_a).read(["body"])
        note.with_user(self.staff_b).read(["body"])
