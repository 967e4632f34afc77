"""The main journeys, walked in a real browser (headless Chromium) in Vietnamese.

Each test runs one or more tours of ``static/tests/tours/`` as the user of
the journey, then checks in Python what the tour left in the database: the
tour proves the interface, the assertions prove the data.

Run them alone with::

    odoo-bin ... -u danvan_chinh_quyen --test-enable \\
        --test-tags /danvan_chinh_quyen:TestTours --stop-after-init
"""

from datetime import date, timedelta

from odoo.tests import HttpCase, tagged

from ..tools.vn_date import today_vn
from .common import DanvanCase

# names the tours look for (static/tests/tours/*.js)
PLAN_TITLE = "Kế hoạch kiểm thử công tác dân vận chính quyền"
FIXTURE_PLAN = "Kế hoạch kiểm thử giao diện"
PERIOD_NAME = "Báo cáo kiểm thử 6 tháng"
MODEL_NAME = "Nhà trường gắn kết với cha mẹ học sinh vùng cao"
REVIEW_NOTE = "Đề nghị bổ sung số liệu tỷ lệ cán bộ, giáo viên được quán triệt."
RESULT = "Đã tổ chức hội nghị quán triệt kế hoạch tới 100% cán bộ, giáo viên."

# first page loads build the asset bundles: give the tours time
TOUR_TIMEOUT = 180


@tagged("post_install", "-at_install")
class TestTours(HttpCase, DanvanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a configured deployment has a sender address for the app's mail
        # (Settings > Dân vận chính quyền > E-mails): without one, nor a
        # company address, Odoo refuses to post the review notices
        cls.env["ir.config_parameter"].set_param(
            "danvan_chinh_quyen.mail_from", "Sở Test <so@test.example.com>"
        )
        # the users of the journeys work in Vietnamese
        cls.env["res.lang"]._activate_lang("vi_VN")
        (cls.manager | cls.officer | cls.staff_a | cls.staff_b | cls.head1).write(
            {"lang": "vi_VN", "tz": "Asia/Ho_Chi_Minh"}
        )
        # an issued plan of this year whose period and registrations are open
        today = today_vn(cls.env)
        year = today.year
        year_end = date(year, 12, 31)
        date_to = max(today, date(year, 1, 2))
        cls.plan = cls._make_plan(
            year=year,
            name=f"{FIXTURE_PLAN} năm {year}",
            units=cls.school_a1 | cls.school_b1,
            date_issued=date(year, 1, 1),
            registration_deadline=min(today + timedelta(days=30), year_end),
            periods=[
                {
                    "name": PERIOD_NAME,
                    "date_from": date(year, 1, 1),
                    "date_to": date_to,
                    "date_deadline": min(date_to + timedelta(days=15), year_end),
                }
            ],
        )
        cls._issue(cls.plan)
        cls.period = cls.plan.period_ids
        cls.report = cls._report(cls.plan, cls.school_a1)
        cls.first_target = cls.plan.task_ids.sorted("sequence")[0].target_ids[0]

    def _start(self, tour, login):
        self.start_tour(
            "/odoo/action-danvan_chinh_quyen.danvan_dashboard_action",
            tour,
            login=login,
            timeout=TOUR_TIMEOUT,
        )

    def _fill_and_submit(self, report, value=90.0):
        """What journey (b) does, without the browser."""
        report = report.with_user(self.staff_a)
        report.line_ids.sorted("sequence")[0].result = RESULT
        report.value_ids.filtered(
            lambda v: v.target_id == self.first_target
        ).value = value
        report.action_submit()

    # ------------------------------------------------------------------
    # (a) a manager writes, submits and issues a plan
    # ------------------------------------------------------------------

    def test_01_manager_issues_plan(self):
        self._start("danvan_plan_issue_tour", self.manager.login)

        plan = self.env["danvan.plan"].search([("name", "=like", f"{PLAN_TITLE}%")])
        self.assertEqual(len(plan), 1, "the tour created one plan")
        self.assertEqual(plan.name, f"{PLAN_TITLE} năm {plan.year}")
        self.assertEqual(plan.state, "issued")
        self.assertEqual(plan.issuing_unit_id, self.dept)
        self.assertEqual(plan.date_issued, date(plan.year, 1, 2))
        self.assertEqual(plan.place, "Hòa Bình")
        self.assertRegex(plan.number or "", r"^\d+/KH-TSGD$")
        self.assertEqual(plan.create_uid, self.manager)

        task = plan.task_ids
        self.assertEqual(len(task), 1)
        self.assertEqual(task.code, "II.1")
        self.assertEqual(task.name, "Đẩy mạnh công tác tuyên truyền, vận động")
        self.assertRecordValues(
            task.target_ids,
            [
                {
                    "name": "Tỷ lệ cán bộ, giáo viên được quán triệt kế hoạch",
                    "measure": "percent",
                    "target_value": 95.0,
                }
            ],
        )
        self.assertRecordValues(
            plan.period_ids,
            [
                {
                    "name": "Báo cáo 6 tháng đầu năm",
                    "date_from": date(plan.year, 1, 1),
                    "date_to": date(plan.year, 6, 15),
                    "date_deadline": date(plan.year, 12, 31),
                }
            ],
        )
        # issuing created one report per participant unit, with its lines
        # by default every unit under the issuing unit whose type reports
        self.assertLessEqual(self.participants, plan.participant_unit_ids)
        self.assertEqual(
            plan.report_ids.unit_id, plan.participant_unit_ids, "one report per unit"
        )
        self.assertEqual(len(plan.report_ids), len(plan.participant_unit_ids))
        self.assertEqual(set(plan.report_ids.mapped("state")), {"draft"})
        self.assertEqual(plan.report_ids.line_ids.task_id, task)
        self.assertEqual(plan.report_ids.value_ids.target_id, task.target_ids)

    # ------------------------------------------------------------------
    # (b) a school's staff fills and submits its report
    # ------------------------------------------------------------------

    def test_02_staff_submits_report(self):
        self._start("danvan_report_submit_tour", self.staff_a.login)

        report = self.report
        self.assertEqual(report.state, "submitted")
        self.assertEqual(report.submitted_by_id, self.staff_a)
        self.assertTrue(report.date_submitted)
        self.assertFalse(report.is_late)
        line = report.line_ids.sorted("sequence")[0]
        self.assertEqual(
            line.result,
            "Đã tổ chức 2 hội nghị quán triệt kế hoạch cho toàn thể cán bộ, giáo viên.",
        )
        value = report.value_ids.filtered(lambda v: v.target_id == self.first_target)
        self.assertEqual(value.value, 85.0)
        attachment = report.attachment_ids
        self.assertEqual(attachment.mapped("name"), ["bien-ban-hoi-nghi.txt"])
        self.assertEqual(
            (attachment.res_model, attachment.res_id), (report._name, report.id)
        )
        self.assertEqual(attachment.raw, "Biên bản hội nghị quán triệt".encode())
        # the other school's report is untouched
        other = self._report(self.plan, self.school_b1)
        self.assertEqual(other.state, "draft")
        self.assertFalse(other.attachment_ids)

    # ------------------------------------------------------------------
    # (c) the officer returns it, the staff fixes it, the officer accepts it
    # ------------------------------------------------------------------

    def test_03_officer_returns_staff_resubmits_officer_accepts(self):
        self._fill_and_submit(self.report)

        self._start("danvan_report_return_tour", self.officer.login)
        report = self.report
        self.assertEqual(report.state, "returned")
        self.assertEqual(report.review_note, REVIEW_NOTE)
        self.assertEqual(report.reviewer_id, self.officer)
        self.assertTrue(report.date_reviewed)

        self._start("danvan_report_resubmit_tour", self.staff_a.login)
        report.invalidate_recordset()
        self.assertEqual(report.state, "submitted")
        self.assertEqual(report.submitted_by_id, self.staff_a)
        value = report.value_ids.filtered(lambda v: v.target_id == self.first_target)
        self.assertEqual(value.value, 97.0)
        self.assertEqual(value.note, "97/100 cán bộ, giáo viên")

        self._start("danvan_report_accept_tour", self.officer.login)
        report.invalidate_recordset()
        self.assertEqual(report.state, "accepted")
        self.assertEqual(report.reviewer_id, self.officer)
        self.assertEqual(value.value, 97.0, "accepting keeps the figures")

    # ------------------------------------------------------------------
    # (d) a staff user registers a "Dân vận khéo" model
    # ------------------------------------------------------------------

    def test_04_staff_registers_model(self):
        self._start("danvan_registration_tour", self.staff_a.login)

        reg = self.env["danvan.model.registration"].search([("name", "=", MODEL_NAME)])
        self.assertEqual(len(reg), 1)
        self.assertRecordValues(
            reg,
            [
                {
                    "state": "registered",
                    "plan_id": self.plan.id,
                    "year": self.plan.year,
                    "unit_id": self.school_a1.id,
                    "kind": "collective",
                    "member_name": "Tập thể cán bộ, giáo viên Trường A1",
                    "responsible_id": self.staff_a.id,
                    "is_late": False,
                }
            ],
        )
        self.assertTrue(reg.field_id)
        self.assertTrue(reg.date_registered)
        self.assertIn("gặp mặt cha mẹ học sinh", reg.content)

    # ------------------------------------------------------------------
    # (e) the officer opens the dashboard and the consolidated view
    # ------------------------------------------------------------------

    def test_05_officer_consolidated_view(self):
        self._fill_and_submit(self.report, value=100.0)

        self._start("danvan_consolidation_tour", self.officer.login)
        # a read-only journey: nothing changed
        self.assertEqual(self.report.state, "submitted")
        self.assertEqual(self._report(self.plan, self.school_b1).state, "draft")
        data = self.period.with_user(self.officer)._get_consolidation_data()
        self.assertEqual(data["total"], 2)
        self.assertEqual(data["reporting_count"], 1)
