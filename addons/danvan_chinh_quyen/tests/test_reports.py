"""The printed documents (HTML of the QWeb reports; PDF in tests/test_pdf_plan.py)."""

import re
from datetime import date

import lxml.html
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, tagged

from ..report.danvan_report_document import (
    format_figure,
    format_number,
    format_place_date,
)
from .common import DanvanCase


def render(env, report, records):
    html, report_type = env["ir.actions.report"]._render_qweb_html(report, records.ids)
    assert report_type == "html"
    return html.decode()


def document_texts(html):
    """The text of each printed document (div.article), whitespace collapsed."""
    root = lxml.html.fromstring(html)
    return [
        " ".join(article.text_content().split())
        for article in root.xpath(
            "//div[contains(concat(' ', @class, ' '), ' article ')]"
        )
    ]


class TextOrderMixin:
    def assertInOrder(self, text, parts):
        """Every part is in the text, each after the previous one."""
        position = -1
        for part in parts:
            found = text.find(part, position + 1)
            self.assertGreater(found, position, f"{part!r} missing or out of order")
            position = found
        return position


@tagged("post_install", "-at_install")
class TestDocumentFormat(TransactionCase):
    """Decree 30/2020: a leading zero for days below 10 and for months 1 and 2."""

    def test_place_and_date(self):
        self.assertEqual(
            format_place_date("Hòa Bình", date(2022, 2, 15)),
            "Hòa Bình, ngày 15 tháng 02 năm 2022",
        )
        self.assertEqual(
            format_place_date("Hòa Bình", date(2022, 3, 5)),
            "Hòa Bình, ngày 05 tháng 3 năm 2022",
        )
        self.assertEqual(
            format_place_date("Hòa Bình", date(2022, 10, 30)),
            "Hòa Bình, ngày 30 tháng 10 năm 2022",
        )
        self.assertEqual(
            format_place_date("Hòa Bình", year=2022, month=2),
            "Hòa Bình, ngày …… tháng 02 năm 2022",
        )
        self.assertEqual(
            format_place_date("Hòa Bình", year=2022),
            "Hòa Bình, ngày …… tháng …… năm 2022",
        )
        self.assertEqual(
            format_place_date("", date(2022, 1, 9)), "Ngày 09 tháng 01 năm 2022"
        )

    def test_number_and_figures(self):
        self.assertEqual(format_number("12/KH-SGD&ĐT"), "Số: 12/KH-SGD&ĐT")
        self.assertRegex(format_number(False, "KH-SGD&ĐT"), r"^Số:\s{4,}/KH-SGD&ĐT$")
        self.assertEqual(format_figure(100.0, "percent"), "100%")
        self.assertEqual(format_figure(33.3333, "percent"), "33,33%")
        self.assertEqual(format_figure(1234.5, "count"), "1.234,5")
        self.assertEqual(format_figure(1, "boolean"), "Có")
        self.assertEqual(format_figure(None, "count"), "")


@tagged("post_install", "-at_install")
class TestPlanReportDemo(TextOrderMixin, TransactionCase):
    """The demo plan prints like the seed document (needs the demo data)."""

    def setUp(self):
        super().setUp()
        self.plan = self.env.ref(
            "danvan_chinh_quyen.demo_plan_2022", raise_if_not_found=False
        )
        # the test database always has the demo data: its absence is a failure
        self.assertTrue(self.plan, "demo data not loaded")

    def test_demo_plan_reads_like_the_seed(self):
        html = render(self.env, "danvan_chinh_quyen.action_report_plan", self.plan)
        texts = document_texts(html)
        self.assertEqual(len(texts), 1)
        text = texts[0]
        # header: bodies and number left, motto and date right
        end = self.assertInOrder(
            text,
            [
                "UBND TỈNH HOÀ BÌNH",
                "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
                "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                "Số:",
                "/KH-SGD&ĐT",
                "Hòa Bình, ngày …… tháng 02 năm 2022",
                "KẾ HOẠCH",
                "Triển khai thực hiện công tác dân vận chính quyền năm 2022",
            ],
        )
        self.assertRegex(text, r"Số:\s+/KH-SGD&ĐT")
        self.assertLess(end, text.find("Thực hiện Kế hoạch số 05/KH-UBND"))
        tasks = self.plan.task_ids.sorted(lambda t: (t.sequence, t.id))
        self.assertEqual(len(tasks), 9)
        self.assertInOrder(
            text,
            [
                "Thực hiện Kế hoạch số 05/KH-UBND, ngày 14/01/2022",
                "I. MỤC ĐÍCH, YÊU CẦU",
                "1. Mục đích",
                "Tiếp tục nâng cao nhận thức",
                "2. Yêu cầu",
                "tránh bệnh thành tích",
                "II. NỘI DUNG, GIẢI PHÁP",
                *[f"{index}. {task.name}" for index, task in enumerate(tasks, start=1)],
                "III. TỔ CHỨC THỰC HIỆN",
                "báo cáo định kỳ (thời điểm trước ngày 10/5 và ngày 30/10)",
                "triển khai kế hoạch này./.",
                "Nơi nhận:",
                "- Ban Dân vận Tỉnh ủy;",
                "- Sở Nội vụ;",
                "- Phòng GD&ĐT huyện, TP;",
                "- Các đơn vị, trường học trực thuộc;",
                "- Website Sở GD&ĐT;",
                "- Lưu: VT,",
                "KT. GIÁM ĐỐC",
                "PHÓ GIÁM ĐỐC",
                "Nguyễn Đức Lương",
            ],
        )
        # the filing line comes last, with a full stop
        self.assertRegex(text, r"- Lưu: VT, ?VP[^;]*\. KT\. GIÁM ĐỐC")
        # the target of task 5 is printed in task 5, before task 6
        target = self.env.ref("danvan_chinh_quyen.demo_plan_2022_target_vietnamese")
        self.assertInOrder(
            text,
            [
                f"5. {tasks[4].name}",
                f"Chỉ tiêu: {target.name}: 100%.",
                f"6. {tasks[5].name}",
            ],
        )
        # the basis document is cited by the opening: not printed twice
        self.assertEqual(text.count("05/KH-UBND"), 1)
        # the official layout, not the company letterhead
        self.assertIn("o_danvan_doc", html)
        self.assertNotIn("o_company_", html)


@tagged("post_install", "-at_install")
class TestPlanReport(TextOrderMixin, DanvanCase):
    def test_issued_plan_prints_number_and_date(self):
        plan = self._make_plan(
            place="Thành phố Test",
            introduction=False,
            implementation=False,
            recipient_unit_ids=[Command.set(self.pgd1.ids)],
            recipient_note="Lưu: VT, VP",
            signer_name="Nguyễn Văn Ký",
            basis_ids=[
                Command.create(
                    {
                        "number": "99/KH-UBND",
                        "date": date(2025, 1, 2),
                        "issuer": "UBND tỉnh Test",
                        "title": "về công tác dân vận",
                    }
                ),
            ],
        )
        self._issue(plan)
        self.assertTrue(plan.number)
        text = document_texts(
            render(self.env, "danvan_chinh_quyen.action_report_plan", plan)
        )[0]
        self.assertInOrder(
            text,
            [
                "UBND TỈNH TEST",
                "SỞ TEST",
                f"Số: {plan.number}",
                "Thành phố Test, ngày 10 tháng 01 năm 2025",
                "KẾ HOẠCH",
                "Căn cứ 99/KH-UBND ngày 02/01/2025 của UBND tỉnh Test "
                "về công tác dân vận;",
                "II. NỘI DUNG, GIẢI PHÁP",
                "1. Công tác chỉ đạo",
                "Chỉ tiêu: Tỷ lệ trường dạy tiếng Việt: 100%.",
                "2. Cải cách hành chính",
                "Chỉ tiêu: Số buổi tuyên truyền: 4.",
                "III. TỔ CHỨC THỰC HIỆN",
                # no implementation text: the reporting periods are printed
                "6 tháng đầu năm: số liệu từ ngày 01/01/2025 đến ngày 30/04/2025, "
                "gửi trước ngày 10/05/2025.",
                "Nơi nhận:",
                "- Phòng GD&ĐT Một;",
                "- Lưu: VT, VP.",
                "KT. GIÁM ĐỐC",
                "Nguyễn Văn Ký",
            ],
        )
        self.assertNotIn("1. Mục đích", text)  # no purpose written

    def test_month_of_issue(self):
        plan = self._make_plan(date_issued=False, month_issued=2, place="Hòa Bình")
        text = document_texts(
            render(self.env, "danvan_chinh_quyen.action_report_plan", plan)
        )[0]
        self.assertIn("Hòa Bình, ngày …… tháng 02 năm 2025", text)
        with self.assertRaises(ValidationError):
            plan.month_issued = 13

    def test_unit_staff_print_issued_plans_only(self):
        plan = self._make_plan()
        with self.assertRaises(AccessError):
            render(
                self.env(user=self.staff_a),
                "danvan_chinh_quyen.action_report_plan",
                plan,
            )
        self._issue(plan)
        text = document_texts(
            render(
                self.env(user=self.staff_a),
                "danvan_chinh_quyen.action_report_plan",
                plan,
            )
        )[0]
        self.assertIn(plan.name, text)


@tagged("post_install", "-at_install")
class TestUnitReportPrint(TextOrderMixin, DanvanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2025-01-10 03:00:00"):
            cls.plan = cls._issue(cls._make_plan(place="Thành phố Test"))
        cls.report = cls._report(cls.plan, cls.school_a1)
        cls.report.with_user(cls.staff_a).write(
            {"general_assessment": "<p>Đơn vị hoàn thành tốt các nhiệm vụ.</p>"}
        )
        task1, task2 = cls.plan.task_ids.sorted("sequence")
        lines = cls.report.line_ids
        lines.filtered(lambda line: line.task_id == task1).with_user(cls.staff_a).write(
            {
                "result": "Đã tổ chức 3 hội nghị.\nĐã tự kiểm tra hằng quý.",
                "difficulty": "Thiếu kinh phí.",
                "proposal": "Bổ sung kinh phí.",
            }
        )
        lines.filtered(lambda line: line.task_id == task2).with_user(cls.staff_a).write(
            {"result": "Một cửa liên thông hoạt động tốt."}
        )
        values = {value.target_id.measure: value for value in cls.report.value_ids}
        values["percent"].with_user(cls.staff_a).write({"value": 95})
        values["count"].with_user(cls.staff_a).write(
            {"value": 5, "note": "Theo sổ theo dõi"}
        )
        values["boolean"].with_user(cls.staff_a).write({"value": 1})

    @freeze_time("2025-05-09 03:00:00")
    def test_unit_report_document(self):
        self.report.with_user(self.staff_a).action_submit()
        html = render(
            self.env(user=self.staff_a),
            "danvan_chinh_quyen.action_report_unit_report",
            self.report,
        )
        text = document_texts(html)[0]
        self.assertInOrder(
            text,
            [
                "PHÒNG GD&ĐT MỘT",  # governing body: the parent unit
                "TRƯỜNG A1",
                "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Số:",
                "/BC-T-A1",
                "Thành phố Test, ngày 09 tháng 5 năm 2025",
                "BÁO CÁO",
                "Kết quả thực hiện công tác dân vận chính quyền năm 2025",
                "(6 tháng đầu năm, số liệu từ ngày 01/01/2025 đến ngày 30/04/2025)",
                f"Thực hiện Kế hoạch số {self.plan.number} ngày 10/01/2025 của Sở Test",
                "Trường A1 báo cáo kết quả thực hiện 6 tháng đầu năm như sau:",
                "I. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ",
                "1. Công tác chỉ đạo",
                "a) Kết quả đạt được:",
                "Đã tổ chức 3 hội nghị.",
                "Đã tự kiểm tra hằng quý.",
                "b) Khó khăn, vướng mắc:",
                "Thiếu kinh phí.",
                "c) Đề xuất:",
                "Bổ sung kinh phí.",
                "2. Cải cách hành chính",
                "Một cửa liên thông hoạt động tốt.",
                "II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
                "Tỷ lệ trường dạy tiếng Việt (nhiệm vụ II.1) 100% 95% Chưa đạt",
                "Số buổi tuyên truyền (nhiệm vụ II.2) 4 5 Đạt Theo sổ theo dõi",
                "Có quy chế dân chủ (nhiệm vụ II.2) Có Có Đạt",
                "III. ĐÁNH GIÁ CHUNG",
                "Đơn vị hoàn thành tốt các nhiệm vụ.",
                "Nơi nhận:",
                "- Sở Test (để báo cáo);",
                "- Lưu: VT.",
                "THỦ TRƯỞNG ĐƠN VỊ",
            ],
        )

    @freeze_time("2025-05-09 03:00:00")
    def test_draft_report_leaves_the_day_blank(self):
        text = document_texts(
            render(
                self.env, "danvan_chinh_quyen.action_report_unit_report", self.report
            )
        )[0]
        self.assertIn("Thành phố Test, ngày …… tháng 5 năm 2025", text)

    def test_other_unit_cannot_print(self):
        with self.assertRaises(AccessError):
            render(
                self.env(user=self.staff_b),
                "danvan_chinh_quyen.action_report_unit_report",
                self.report,
            )


@tagged("post_install", "-at_install")
class TestRegistrationPrint(TextOrderMixin, DanvanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls._issue(cls._make_plan(place="Thành phố Test"))
        field = cls.env.ref("danvan_chinh_quyen.model_field_culture_society")
        Registration = cls.env["danvan.model.registration"]

        def new(user, name, **vals):
            values = {
                "name": name,
                "plan_id": cls.plan.id,
                "kind": "collective",
                "member_name": "Tổ chủ nhiệm",
                "field_id": field.id,
                "content": "<p>Vận động học sinh ra lớp đúng độ tuổi.</p>",
                "expected_result": "<p>100% học sinh ra lớp.</p>",
                "date_start": date(2025, 3, 1),
                "date_end": date(2025, 12, 31),
            }
            values.update(vals)
            return Registration.with_user(user).create(values).with_env(cls.env)

        cls.reg_a_late = new(cls.staff_a, "Vận động học sinh ra lớp")
        cls.reg_a_best = new(
            cls.staff_a,
            "Dân vận khéo trong xây dựng trường học thân thiện",
            kind="individual",
            member_name="Cô giáo Lò Thị Mai",
        )
        cls.reg_b = new(cls.staff_b, "Phụ huynh đồng hành cùng nhà trường")
        with freeze_time("2025-03-10 03:00:00"):
            (cls.reg_a_best | cls.reg_b).action_register()
        with freeze_time("2025-03-20 03:00:00"):
            cls.reg_a_late.action_register()
        cls.reg_a_best.with_user(cls.officer).action_approve()
        cls.reg_a_best.with_user(cls.officer).write(
            {"rating": "excellent", "evaluation_note": "Lan tỏa trong toàn huyện."}
        )
        cls.reg_a_best.with_user(cls.officer).action_evaluate()
        with freeze_time("2025-12-15 03:00:00"):
            cls.reg_a_best.with_user(cls.manager).action_recognise()
        cls.registrations = cls.reg_a_late | cls.reg_a_best | cls.reg_b

    def test_list_grouped_by_unit(self):
        html = render(
            self.env(user=self.officer),
            "danvan_chinh_quyen.action_report_registrations",
            self.registrations,
        )
        texts = document_texts(html)
        self.assertEqual(len(texts), 1)
        self.assertInOrder(
            texts[0],
            [
                "UBND TỈNH TEST",
                "SỞ TEST",
                "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Thành phố Test, ngày …… tháng …… năm 2025",
                "DANH SÁCH",
                "Đăng ký xây dựng mô hình “Dân vận khéo” năm 2025",
                "Tổng số: 3 mô hình của 2 đơn vị (2 tập thể, 1 cá nhân).",
                # units in tree order: "Phòng GD&ĐT Hai" (B) before "Một" (A)
                "Trường B1 (1 mô hình)",
                "1 Phụ huynh đồng hành cùng nhà trường",
                "Đã đăng ký",
                "Trường A1 (2 mô hình)",
                "1 Dân vận khéo trong xây dựng trường học thân thiện",
                "Cá nhân: Cô giáo Lò Thị Mai",
                "Điển hình tiên tiến",
                "2 Vận động học sinh ra lớp",
                "Tập thể: Tổ chủ nhiệm",
                "01/03/2025 - 31/12/2025",
                "Đã đăng ký (đăng ký muộn)",
            ],
        )
        self.assertNotIn("Số:", texts[0])  # a list has no number of its own

    def test_unit_staff_print_their_own(self):
        html = render(
            self.env(user=self.staff_b),
            "danvan_chinh_quyen.action_report_registrations",
            self.reg_b,
        )
        text = document_texts(html)[0]
        self.assertIn("Tổng số: 1 mô hình của 1 đơn vị", text)
        self.assertNotIn("Trường A1", text)
        with self.assertRaises(AccessError):
            render(
                self.env(user=self.staff_b),
                "danvan_chinh_quyen.action_report_registrations",
                self.reg_a_best,
            )

    def test_exemplary_models_for_publicity(self):
        html = render(
            self.env(user=self.officer),
            "danvan_chinh_quyen.action_report_registrations_exemplary",
            self.registrations,
        )
        text = document_texts(html)[0]
        self.assertInOrder(
            text,
            [
                "DANH SÁCH",
                "Mô hình “Dân vận khéo” điển hình tiên tiến năm 2025",
                "(giới thiệu để tuyên truyền, nhân rộng)",
                "1. Dân vận khéo trong xây dựng trường học thân thiện",
                "- Đơn vị: Trường A1.",
                "- Cá nhân thực hiện: Cô giáo Lò Thị Mai.",
                "- Thời gian thực hiện: 01/03/2025 - 31/12/2025.",
                "- Nội dung: Vận động học sinh ra lớp đúng độ tuổi.",
                "- Kết quả: 100% học sinh ra lớp.",
                "- Đánh giá: Lan tỏa trong toàn huyện.",
                "- Xếp loại: Xuất sắc; công nhận điển hình tiên tiến ngày 15/12/2025.",
            ],
        )
        self.assertNotIn("Phụ huynh đồng hành", text)
        self.assertNotIn(
            "Vận động học sinh ra lớp ",
            text.replace("Vận động học sinh ra lớp đúng", ""),
        )
        self.assertIsNone(re.search(r"\b2\. ", text))

    def test_no_exemplary_model_yet(self):
        html = render(
            self.env(user=self.officer),
            "danvan_chinh_quyen.action_report_registrations_exemplary",
            self.reg_b,
        )
        text = document_texts(html)[0]
        self.assertIn("Chưa có mô hình được công nhận điển hình tiên tiến.", text)
