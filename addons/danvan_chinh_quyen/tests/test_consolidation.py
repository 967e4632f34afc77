"""Consolidation of a period's unit reports: figures, web view, print, XLSX."""

import io
import json

import openpyxl
from freezegun import freeze_time

from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import DanvanCase

TARGET = {
    "name": "Trường mầm non tổ chức chuẩn bị tiếng Việt cho trẻ",
    "measure": "percent",
    "target_value": 100,
    "task": 0,
}


class DanvanConsolidationCase(DanvanCase):
    """Four schools report on one period (deadline 10/05/2025):

    A1 on time (100), A2 late (80), B1 missing, B2 accepted (60).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2025-01-10 03:00:00"):
            cls.plan = cls._issue(
                cls._make_plan(
                    units=cls.schools,
                    periods=cls._period_vals(2025)[:1],
                    targets=[TARGET],
                )
            )
        cls.period = cls.plan.period_ids
        cls.task1, cls.task2 = cls.plan.task_ids.sorted("sequence")
        cls.target = cls.plan.target_ids
        cls.report_a1 = cls._report(cls.plan, cls.school_a1)
        cls.report_a2 = cls._report(cls.plan, cls.school_a2)
        cls.report_b1 = cls._report(cls.plan, cls.school_b1)
        cls.report_b2 = cls._report(cls.plan, cls.school_b2)
        cls._fill(cls.report_a1, 100, "Kết quả A1", difficulty="Khó khăn A1")
        cls._fill(cls.report_a2, 80, "Kết quả A2", proposal="Đề xuất A2")
        cls._fill(cls.report_b1, 40, "Kết quả B1 chưa gửi")
        cls._fill(cls.report_b2, 60, "Kết quả B2")
        with freeze_time("2025-05-08 03:00:00"):
            cls.report_b2.action_submit()
        with freeze_time("2025-05-09 03:00:00"):
            cls.report_a1.with_user(cls.staff_a).action_submit()
        with freeze_time("2025-05-12 03:00:00"):
            cls.report_a2.action_submit()
        cls.report_b2.with_user(cls.officer).action_accept()

    @classmethod
    def _fill(cls, report, value, result, difficulty="", proposal=""):
        report.value_ids.write({"value": value})
        report.line_ids.filtered(lambda line: line.task_id == cls.task1).write(
            {"result": result, "difficulty": difficulty, "proposal": proposal}
        )


@tagged("post_install", "-at_install")
class TestConsolidationFigures(DanvanConsolidationCase):
    @freeze_time("2025-05-20 03:00:00")
    def test_matrix_units_by_status(self):
        data = self.period.with_user(self.officer)._get_consolidation_data()
        self.assertEqual(
            [key for key, _label in data["statuses"]],
            ["on_time", "late", "missing", "open", "returned", "accepted"],
        )
        status = {row["unit_id"]: row["status"] for row in data["matrix"]}
        self.assertEqual(
            status,
            {
                self.school_a1.id: "on_time",
                self.school_a2.id: "late",
                self.school_b1.id: "missing",
                self.school_b2.id: "accepted",
            },
        )
        for row in data["matrix"]:
            self.assertEqual(row["total"], 1)
            self.assertEqual(row["counts"][row["status"]], 1)
        self.assertEqual(
            data["totals"],
            {
                "on_time": 1,
                "late": 1,
                "missing": 1,
                "open": 0,
                "returned": 0,
                "accepted": 1,
            },
        )
        self.assertEqual(data["total"], 4)
        self.assertEqual(data["reporting_count"], 3)
        self.assertEqual(len(data["by_type"]), 1)
        self.assertEqual(data["by_type"][0]["unit_type"], "Test School")
        self.assertEqual(data["by_type"][0]["counts"], data["totals"])
        # units in tree order (complete name): "Phòng GD&ĐT Hai" before "Một"
        self.assertEqual(
            [row["unit_name"] for row in data["matrix"]],
            ["Trường B1", "Trường B2", "Trường A1", "Trường A2"],
        )

    @freeze_time("2025-05-10 16:00:00")  # 23:00 in Vietnam on the deadline day
    def test_not_due_on_deadline_day(self):
        data = self.period._get_consolidation_data()
        status = {row["unit_id"]: row["status"] for row in data["matrix"]}
        self.assertEqual(status[self.school_b1.id], "open")
        self.assertEqual(data["totals"]["missing"], 0)
        self.assertEqual(data["totals"]["open"], 1)

    @freeze_time("2025-05-20 03:00:00")
    def test_target_figures(self):
        data = self.period._get_consolidation_data()
        self.assertEqual(len(data["targets"]), 1)
        target = data["targets"][0]
        self.assertEqual(target["target_id"], self.target.id)
        self.assertEqual(target["task_code"], "II.1")
        self.assertEqual(target["count"], 3)  # B1's 40 is not sent: not counted
        self.assertAlmostEqual(target["average"], 80.0)
        self.assertEqual(target["minimum"], 60.0)
        self.assertEqual(target["maximum"], 100.0)
        self.assertEqual(target["reached"], 1)
        self.assertAlmostEqual(target["share"], 1 / 3)

    @freeze_time("2025-05-20 03:00:00")
    def test_results_per_task_area(self):
        data = self.period._get_consolidation_data()
        self.assertEqual(
            [t["task_id"] for t in data["tasks"]], [self.task1.id, self.task2.id]
        )
        lines = data["tasks"][0]["lines"]
        self.assertEqual(
            [(ln["unit_name"], ln["result"]) for ln in lines],
            [
                ("Trường B2", "Kết quả B2"),
                ("Trường A1", "Kết quả A1"),
                ("Trường A2", "Kết quả A2"),
            ],  # in the order of the matrix
        )
        self.assertEqual(lines[1]["difficulty"], "Khó khăn A1")
        self.assertEqual(lines[2]["proposal"], "Đề xuất A2")
        self.assertEqual(data["tasks"][1]["lines"], [])

    @freeze_time("2025-05-20 03:00:00")
    def test_returned_report_leaves_the_figures(self):
        self.report_a2.with_user(self.officer).write({"review_note": "Bổ sung số liệu"})
        self.report_a2.with_user(self.officer).action_return()
        data = self.period._get_consolidation_data()
        self.assertEqual(data["totals"]["returned"], 1)
        self.assertEqual(data["totals"]["late"], 0)
        target = data["targets"][0]
        self.assertEqual(target["count"], 2)
        self.assertAlmostEqual(target["average"], 80.0)
        self.assertEqual((target["minimum"], target["maximum"]), (60.0, 100.0))
        self.assertEqual(target["reached"], 1)
        self.assertAlmostEqual(target["share"], 0.5)

    @freeze_time("2025-05-20 03:00:00")
    def test_web_view(self):
        period = self.period.with_user(self.officer)
        html = str(period.consolidation_html)
        for text in (
            "Trường A1",
            "Trường B2",
            "On Time",
            "Late",
            "Missing",
            "Accepted",
            "Kết quả A2",
            "Đề xuất A2",
            TARGET["name"],
            "1/3",
        ):
            self.assertIn(text, html)
        action = period.action_open_consolidation()
        self.assertEqual(action["res_id"], self.period.id)
        self.assertEqual(
            action["views"][0][0],
            self.env.ref("danvan_chinh_quyen.danvan_report_period_view_form").id,
        )
        action = period.action_download_xlsx()
        self.assertEqual(
            action["url"], f"/danvan/period/{self.period.id}/consolidation.xlsx"
        )

    def test_unit_user_has_no_consolidation(self):
        period = self.period.with_user(self.staff_a)
        with self.assertRaises(AccessError):
            period.action_open_consolidation()
        with self.assertRaises(AccessError):
            period._get_consolidation_xlsx()
        with self.assertRaises(AccessError):
            period.read(["consolidation_html"])
        # the figures it could compute only cover what its rules show
        data = period._get_consolidation_data()
        self.assertEqual(
            [row["unit_id"] for row in data["matrix"]], [self.school_a1.id]
        )

    @freeze_time("2025-05-20 03:00:00")
    def test_printed_consolidation(self):
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.officer)
            ._render_qweb_html(
                "danvan_chinh_quyen.action_report_consolidated", self.period.ids
            )
        )
        html = html.decode()
        for text in (
            "UBND TỈNH TEST",
            "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "BÁO CÁO",
            "Tổng hợp kết quả thực hiện công tác dân vận chính quyền năm 2025",
            "I. TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC ĐƠN VỊ",
            "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
            "III. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ",
            "Đúng hạn",
            "Chưa gửi (quá hạn)",
            "1/3 (33,33%)",
            "Kết quả A1",
            "KT. GIÁM ĐỐC",
        ):
            self.assertIn(text, html)
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.staff_a)._render_qweb_html(
                "danvan_chinh_quyen.action_report_consolidated", self.period.ids
            )

    @freeze_time("2025-05-20 03:00:00")
    def test_xlsx_workbook(self):
        content = self.period.with_user(self.officer)._get_consolidation_xlsx()
        book = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(book.sheetnames, ["Tổng hợp", "Chỉ tiêu", "Kết quả"])
        matrix = book["Tổng hợp"]
        self.assertEqual(
            [matrix.cell(4, col).value for col in range(1, 10)],
            [
                "No.",
                "Unit",
                "Unit Type",
                "On Time",
                "Late",
                "Missing",
                "Not Due Yet",
                "Returned",
                "Accepted",
            ],
        )
        rows = {
            matrix.cell(r, 2).value: [matrix.cell(r, c).value for c in range(4, 10)]
            for r in range(5, 10)
        }
        self.assertEqual(rows["Trường A2"], [0, 1, 0, 0, 0, 0])
        self.assertEqual(rows["Total"], [1, 1, 1, 0, 0, 1])
        targets = book["Chỉ tiêu"]
        self.assertEqual(
            [targets.cell(4, col).value for col in range(2, 10)],
            [TARGET["name"], "Percentage", 100, 3, 80, 60, 100, 1],
        )
        self.assertAlmostEqual(targets.cell(4, 10).value, 1 / 3)
        results = book["Kết quả"]
        self.assertEqual(results.cell(4, 2).value, "Trường B2")
        self.assertEqual(results.cell(4, 3).value, "Kết quả B2")
        self.assertEqual(results.cell(5, 4).value, "Khó khăn A1")


@tagged("post_install", "-at_install")
class TestConsolidationQueryCount(DanvanCase):
    """The consolidation reads in batches: as many queries for 50 units as for 5."""

    @classmethod
    def _world(cls, count, tag):
        units = cls.env["danvan.unit"].create(
            [
                {
                    "name": f"Trường {tag} {index:02d}",
                    "code": f"T-Q{tag}-{index:02d}",
                    "type_id": cls.type_school.id,
                    "parent_id": cls.pgd2.id,
                }
                for index in range(count)
            ]
        )
        with freeze_time("2025-01-10 03:00:00"):
            plan = cls._issue(
                cls._make_plan(
                    units=units,
                    periods=cls._period_vals(2025)[:1],
                    targets=[
                        TARGET,
                        {
                            **TARGET,
                            "name": "Số buổi",
                            "measure": "count",
                            "target_value": 4,
                            "task": 1,
                        },
                    ],
                    name=f"Kế hoạch {tag}",
                )
            )
        reports = plan.report_ids.sorted("id")
        half = reports[: count // 2]
        half.value_ids.write({"value": 90})
        half.line_ids.write({"result": "Đã thực hiện", "difficulty": "Không"})
        with freeze_time("2025-05-09 03:00:00"):
            half.action_submit()
        half[:2].with_user(cls.officer).action_accept()
        return plan.period_ids

    def _count(self, function):
        """Queries of ``function()`` with an empty record cache."""
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        function()
        return self.env.cr.sql_log_count - before

    @freeze_time("2025-05-20 03:00:00")
    def test_query_count_does_not_grow_with_units(self):
        small = self._world(5, "S").with_user(self.officer)
        large = self._world(50, "L").with_user(self.officer)
        self.assertEqual(len(small.report_ids), 5)
        self.assertEqual(len(large.report_ids), 50)
        for name, function in (
            ("data", lambda p: p._get_consolidation_data()),
            ("web view", lambda p: p.read(["consolidation_html"])),
            ("xlsx", lambda p: p._get_consolidation_xlsx()),
        ):
            # a first round fills the registry caches (rules, groups, templates)
            for period in (small, large):
                self._count(lambda f=function, p=period: f(p))
            counts = [
                self._count(lambda f=function, p=period: f(p))
                for period in (small, large)
            ]
            self.assertEqual(
                counts[0],
                counts[1],
                f"{name}: {counts[0]} queries for 5 units, {counts[1]} for 50",
            )
            self.assertLess(counts[1], 30, f"{name}: {counts[1]} queries")
        data = large._get_consolidation_data()
        self.assertEqual(data["total"], 50)
        self.assertEqual(data["reporting_count"], 25)
        self.assertEqual(data["targets"][0]["count"], 25)


@tagged("post_install", "-at_install")
class TestConsolidationXlsxDownload(HttpCase, DanvanCase):
    """The XLSX through the web route, as a browser gets it."""

    FORMULA = '=HYPERLINK("http://evil.example.com","click")'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.school_b2.name = cls.FORMULA
        with freeze_time("2025-01-10 03:00:00"):
            cls.plan = cls._issue(
                cls._make_plan(
                    units=cls.schools,
                    periods=cls._period_vals(2025)[:1],
                    targets=[TARGET],
                )
            )
        cls.period = cls.plan.period_ids
        report = cls._report(cls.plan, cls.school_b2)
        report.value_ids.write({"value": 75})
        report.line_ids[:1].write({"result": "=1+1", "proposal": "@SUM(A1:A2)"})
        with freeze_time("2025-05-09 03:00:00"):
            report.action_submit()

    def test_officer_downloads_xlsx(self):
        self.authenticate(self.officer.login, self.officer.login)
        response = self.url_open(f"/danvan/period/{self.period.id}/consolidation.xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.headers["Content-Type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        self.assertIn("attachment", response.headers["Content-Disposition"])
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.sheetnames, ["Tổng hợp", "Chỉ tiêu", "Kết quả"])
        matrix = book["Tổng hợp"]
        names = {matrix.cell(r, 2).value: matrix.cell(r, 2) for r in range(5, 9)}
        self.assertEqual(
            set(names), {"Trường A1", "Trường A2", "Trường B1", self.FORMULA}
        )
        # the formula-like unit name is a text cell, not a formula
        self.assertEqual(names[self.FORMULA].data_type, "s")
        row = names[self.FORMULA].row
        self.assertEqual(matrix.cell(row, 4).value, 1)  # on time
        targets = book["Chỉ tiêu"]
        self.assertEqual(targets.cell(4, 5).value, 1)  # one reporting unit
        self.assertEqual(targets.cell(4, 6).value, 75)
        results = book["Kết quả"]
        self.assertEqual(results.cell(4, 2).value, self.FORMULA)
        self.assertEqual(results.cell(4, 3).value, "=1+1")
        self.assertEqual(results.cell(4, 3).data_type, "s")
        self.assertEqual(results.cell(4, 5).value, "@SUM(A1:A2)")

    def test_list_export_keeps_formulas_as_text(self):
        """The list view's generic XLSX export writes texts as texts too."""
        self.officer.groups_id += self.env.ref("base.group_allow_export")
        self.authenticate(self.officer.login, self.officer.login)
        line = self._report(self.plan, self.school_b2).line_ids[:1]
        data = {
            "model": "danvan.unit.report.line",
            "fields": [{"name": "result", "label": "Result"}],
            "ids": line.ids,
            "domain": [],
            "import_compat": False,
        }
        response = self.url_open(
            "/web/export/xlsx",
            data={
                "data": json.dumps(data),
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(sheet.cell(2, 1).value, "=1+1")
        self.assertEqual(sheet.cell(2, 1).data_type, "s")

    def test_unit_user_refused(self):
        self.authenticate(self.staff_b.login, self.staff_b.login)
        response = self.url_open(f"/danvan/period/{self.period.id}/consolidation.xlsx")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(self.FORMULA, response.text)

    def test_unknown_period(self):
        self.authenticate(self.officer.login, self.officer.login)
        response = self.url_open("/danvan/period/999999999/consolidation.xlsx")
        self.assertEqual(response.status_code, 404)

    def test_anonymous_redirected_to_login(self):
        response = self.url_open(
            f"/danvan/period/{self.period.id}/consolidation.xlsx", allow_redirects=False
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
