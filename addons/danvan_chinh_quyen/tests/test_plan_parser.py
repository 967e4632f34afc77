# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The plan parser (tools/plan_parser.py): no database needed."""

import unicodedata
from datetime import date

from odoo.tests import BaseCase, tagged
from odoo.tools import file_open

from ..tools.plan_parser import MAX_LINES, PlanParseError, parse_plan

DATA = "danvan_chinh_quyen/tests/data"
SEED = f"{DATA}/ke-hoach-dan-van-chinh-quyen-2022.txt"


def read_text(path):
    with file_open(path) as handle:
        return handle.read()


def read_sample(name):
    return read_text(f"{DATA}/plan_texts/{name}")


class PlanParserAssertions:
    def assertCleanText(self, text):
        """Joined lines: no line breaks left in a paragraph, no stray spaces."""
        self.assertTrue(text)
        self.assertNotIn("  ", text)
        self.assertNotIn("\n\n", text)
        for line in text.split("\n"):
            self.assertEqual(line, line.strip())
            self.assertFalse(line.isdigit(), "a page number was kept")


@tagged("post_install", "-at_install", "danvan_parser")
class TestPlanParserSeed(BaseCase, PlanParserAssertions):
    """Every value the seed document carries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.text = read_text(SEED)
        cls.plan = parse_plan(cls.text)

    def test_header(self):
        plan = self.plan
        self.assertEqual(plan["governing_body"], "UBND TỈNH HOÀ BÌNH")
        self.assertEqual(plan["issuing_body"], "SỞ GIÁO DỤC VÀ ĐÀO TẠO")
        self.assertIsNone(plan["number"], "the number is left blank")
        self.assertEqual(plan["symbol"], "KH-SGD&ĐT")
        self.assertEqual(plan["place"], "Hòa Bình")
        self.assertIsNone(plan["date_issued"], "the day is left blank")
        self.assertEqual(plan["date_partial"], {"day": None, "month": 2, "year": 2022})
        self.assertEqual(plan["year"], 2022)
        self.assertEqual(plan["nation"], "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM")
        self.assertEqual(plan["motto"], "Độc lập - Tự do - Hạnh phúc")
        self.assertEqual(plan["doc_type"], "KẾ HOẠCH")
        self.assertEqual(
            plan["title"], "Triển khai thực hiện công tác dân vận chính quyền năm 2022"
        )

    def test_basis(self):
        self.assertEqual(len(self.plan["basis"]), 1)
        basis = self.plan["basis"][0]
        self.assertEqual(basis["kind"], "Kế hoạch")
        self.assertEqual(basis["number"], "05/KH-UBND")
        self.assertEqual(basis["date"], date(2022, 1, 14))
        self.assertEqual(basis["issuer"], "Ủy ban nhân dân tỉnh Hòa Bình")
        self.assertEqual(
            basis["title"], "về thực hiện công tác dân vận chính quyền năm 2022"
        )
        self.assertTrue(
            basis["raw"].startswith("Kế hoạch số 05/KH-UBND, ngày 14/01/2022")
        )

    def test_intro(self):
        intro = self.plan["intro"]
        self.assertCleanText(intro)
        self.assertEqual(
            intro.split("\n"),
            [
                "Thực hiện Kế hoạch số 05/KH-UBND, ngày 14/01/2022 của Ủy ban nhân dân "
                "tỉnh Hòa Bình về thực hiện công tác dân vận chính quyền năm 2022;",
                "Sở Giáo dục và Đào tạo xây dựng Kế hoạch triển khai thực hiện "
                "công tác dân vận chính quyền năm 2021, cụ thể như sau:",
            ],
        )

    def test_sections(self):
        sections = self.plan["sections"]
        self.assertEqual(
            [(s["numeral"], s["title"]) for s in sections],
            [
                ("I", "MỤC ĐÍCH, YÊU CẦU"),
                ("II", "NỘI DUNG, GIẢI PHÁP"),
                ("III", "TỔ CHỨC THỰC HIỆN"),
            ],
        )
        self.assertEqual([len(s["items"]) for s in sections], [2, 9, 2])
        self.assertEqual(
            [i["title"] for i in sections[0]["items"]], ["Mục đích", "Yêu cầu"]
        )
        for section in sections:
            self.assertCleanText(section["text"])
            for item in section["items"]:
                self.assertCleanText(item["text"])
        # III.1 is a sentence, not a heading: its text keeps it whole.
        first = sections[2]["items"][0]
        self.assertEqual(first["title"], "")
        self.assertTrue(first["text"].startswith("Phòng GD&ĐT huyện, thành phố"))
        self.assertTrue(first["text"].endswith("về Sở Giáo dục và Đào tạo."))

    def test_purpose_and_requirement(self):
        purpose = self.plan["purpose"]
        self.assertCleanText(purpose)
        self.assertTrue(purpose.startswith("Tiếp tục nâng cao nhận thức"))
        # A mid-sentence break repaired across lines.
        self.assertIn("Bộ trưởng Bộ Giáo dục và Đào tạo. Nâng cao hiệu quả", purpose)
        self.assertTrue(
            purpose.endswith("gắn với xây dựng chính quyền trong sạch, vững mạnh.")
        )
        self.assertEqual(
            self.plan["requirement"],
            "Việc triển khai thực hiện công tác dân vận chính quyền năm 2022 phải "
            "đảm bảo thiết thực hiệu quả, tránh bệnh thành tích.",
        )

    def test_tasks(self):
        self.assertEqual(self.plan["task_section"], "II")
        tasks = self.plan["tasks"]
        self.assertEqual([t["code"] for t in tasks], [f"II.{n}" for n in range(1, 10)])
        self.assertEqual([t["sequence"] for t in tasks], list(range(1, 10)))
        self.assertEqual(
            [t["name"] for t in tasks],
            [
                "Nâng cao hiệu lực, hiệu quả quản lý Nhà nước trong công tác chỉ đạo "
                "điều hành và công tác dân vận",
                "Đẩy mạnh công tác truyền thông về giáo dục và đào tạo",
                "Tiếp tục đẩy mạnh cải cách hành chính về giáo dục và đào tạo",
                "Nâng cao chất lượng đội ngũ cán bộ quản lý và giáo viên",
                "Chăm lo phát triển giáo dục vùng khó khăn, giáo dục dân tộc",
                "Đẩy mạnh ứng dụng công nghệ thông tin trong dạy, học và quản lý giáo "
                "dục, thực hiện chuyển đổi số trong giáo dục và đào tạo",
                "Thực hiện tốt quy chế dân chủ trong hoạt động của cơ quan, đơn vị",
                "Nâng cao chất lượng công tác giáo dục tư tưởng chính trị, đạo đức, "
                "lối sống, kỹ năng sống cho học sinh, sinh viên",
                "Triển khai thực hiện phong trào thi đua “Dân vận khéo”",
            ],
        )
        for task in tasks:
            self.assertCleanText(task["description"])
        self.assertTrue(tasks[0]["description"].startswith("Triển khai nghiêm túc"))
        self.assertTrue(
            tasks[0]["description"].endswith("phù hợp với tình hình thực tế.")
        )
        self.assertIn(
            "Chương trình phối hợp số 2832/CTr-SGDĐT-STP ngày 27/10/2021",
            tasks[1]["description"],
        )
        # "Hội nghị" / " giao ban" were broken across lines.
        self.assertIn("Tăng cường các Hội nghị giao ban;", tasks[5]["description"])
        self.assertEqual(len(tasks[8]["description"].split("\n")), 4)
        self.assertIsNone(tasks[8]["date_deadline"], "its deadline is a registration")

    def test_implementation(self):
        implementation = self.plan["implementation"]
        self.assertCleanText(implementation)
        self.assertEqual(
            implementation.split("\n")[0],
            "1. Phòng GD&ĐT huyện, thành phố, các đơn vị, trường học trực thuộc tổ "
            "chức triển khai thực hiện và báo cáo định kỳ (thời điểm trước ngày 10/5 "
            "và ngày 30/10) về Sở Giáo dục và Đào tạo.",
        )
        self.assertTrue(
            implementation.split("\n")[1].startswith("2. Giao Văn phòng Sở")
        )
        self.assertTrue(implementation.endswith("trực thuộc triển khai kế hoạch này."))

    def test_deadlines(self):
        deadlines = self.plan["deadlines"]
        self.assertEqual(
            [(d["date"], d["kind"], d["location"]) for d in deadlines],
            [
                (date(2022, 3, 15), "registration", "II.9"),
                (date(2022, 5, 10), "report", "III.1"),
                (date(2022, 10, 30), "report", "III.1"),
            ],
        )
        registration = deadlines[0]
        self.assertEqual(registration["raw"], "trước ngày 15/03/2022")
        self.assertEqual(registration["task_code"], "II.9")
        self.assertFalse(registration["year_inferred"])
        self.assertIn("đăng ký xây dựng mô hình", registration["context"])
        for report in deadlines[1:]:
            self.assertEqual(report["raw"], "trước ngày 10/5 và ngày 30/10")
            self.assertIsNone(report["task_code"], "section III holds no task")
            self.assertTrue(report["year_inferred"], "the plan year was supplied")
            self.assertIn("báo cáo định kỳ", report["context"])
        self.assertEqual(self.plan["registration_deadline"], date(2022, 3, 15))
        self.assertEqual(
            self.plan["report_deadlines"], [date(2022, 5, 10), date(2022, 10, 30)]
        )
        self.assertEqual(self.plan["recurring_deadlines"], [])

    def test_recipients_and_signature(self):
        self.assertEqual(
            self.plan["recipients"],
            [
                "Ban Dân vận Tỉnh ủy",
                "Sở Nội vụ",
                "Phòng GD&ĐT huyện, TP",
                "Các đơn vị, trường học trực thuộc",
                "Website Sở GD&ĐT",
                "Lưu: VT, VP",
            ],
        )
        self.assertEqual(self.plan["recipients_raw"][-1], "Lưu: VT,VP.(TBL10).")
        self.assertEqual(self.plan["drafter_note"], "TBL10")
        self.assertEqual(self.plan["signing_capacity"], "KT. GIÁM ĐỐC")
        self.assertEqual(self.plan["signer_title"], "PHÓ GIÁM ĐỐC")
        self.assertEqual(self.plan["signer_name"], "Nguyễn Đức Lương")

    def test_targets(self):
        self.assertEqual(len(self.plan["targets"]), 1)
        target = self.plan["targets"][0]
        self.assertEqual(target["task_code"], "II.5")
        self.assertEqual(target["measure"], "percent")
        self.assertEqual(target["target_value"], 100)
        self.assertEqual(
            target["name"],
            "Các trường Mầm non tổ chức chuẩn bị tiếng Việt cho trẻ trước khi "
            "vào lớp 1",
        )

    def test_year_mentions(self):
        mentions = self.plan["year_mentions"]
        self.assertEqual(len(mentions), 12)
        mismatches = [m for m in mentions if m["mismatch"]]
        self.assertEqual(len(mismatches), 1, "only the leftover 'năm 2021'")
        self.assertEqual(mismatches[0]["year"], 2021)
        self.assertEqual(mismatches[0]["location"], "intro")
        self.assertIn("dân vận chính quyền năm 2021", mismatches[0]["context"])
        horizons = {m["year"] for m in mentions if m["kind"] == "horizon"}
        self.assertEqual(horizons, {2025, 2035})

    def test_nothing_unplaced(self):
        self.assertEqual(self.plan["unplaced"], [])
        self.assertEqual(self.plan["signature_notes"], [])
        self.assertIsNone(self.plan["appendix"])

    def test_same_result_from_other_extractions(self):
        """Decomposed accents, CRLF, no blank lines, bytes, columns side by side."""
        text = self.text
        lines = text.split("\n")
        variants = {
            "nfd_crlf": unicodedata.normalize("NFD", text).replace("\n", "\r\n"),
            "single_spaced": "\n".join(line for line in lines if line.strip()),
            "bytes": text.encode("utf-8"),
        }
        start = lines.index("KẾ HOẠCH ")
        variants["header_side_by_side"] = "\n".join(
            [
                "UBND TỈNH HOÀ BÌNH              CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "  SỞ GIÁO DỤC VÀ ĐÀO TẠO              Độc lập - Tự do - Hạnh phúc",
                "   Số:            /KH-SGD&ĐT      Hòa Bình, ngày       tháng 02 "
                "năm 2022",
                *lines[start:],
            ]
        )
        footer = lines.index("Nơi nhận: ")
        variants["footer_side_by_side"] = "\n".join(
            [
                *lines[:footer],
                "Nơi nhận:                                       KT. GIÁM ĐỐC",
                "- Ban Dân vận Tỉnh ủy;                          PHÓ GIÁM ĐỐC",
                "- Sở Nội vụ;",
                "- Phòng GD&ĐT huyện, TP;",
                "- Các đơn vị, trường học trực thuộc;",
                "- Website Sở GD&ĐT;",
                "- Lưu: VT,VP.(TBL10).                           Nguyễn Đức Lương",
            ]
        )
        ignored = {"year_mentions"}  # their context shows the header as printed
        for name, variant in variants.items():
            with self.subTest(variant=name):
                plan = parse_plan(variant)
                for key, value in self.plan.items():
                    if key not in ignored:
                        self.assertEqual(plan[key], value, key)


@tagged("post_install", "-at_install", "danvan_parser")
class TestPlanParserVaried(BaseCase, PlanParserAssertions):
    """Plans of other issuers, provinces and years, laid out differently."""

    SAMPLES = (
        "ubnd_tinh_nghe_an_2023_word.txt",
        "phong_gddt_lac_son_2024_pdf.txt",
        "ubnd_xa_muong_bi_2025_table.txt",
        "so_y_te_lao_cai_2023_interleaved.txt",
        "truong_thpt_ha_noi_2023_blank_lines.txt",
        "minimal_phong_trao_2024.txt",
        "phong_gddt_arabic_sections.txt",
    )

    def parse(self, name):
        return parse_plan(read_sample(name))

    def test_every_sample_parses(self):
        for name in self.SAMPLES:
            with self.subTest(sample=name):
                plan = self.parse(name)
                self.assertEqual(plan["doc_type"], "KẾ HOẠCH")
                self.assertTrue(plan["title"])
                self.assertTrue(plan["year"])
                self.assertGreaterEqual(len(plan["sections"]), 3)
                self.assertTrue(plan["tasks"])
                self.assertTrue(plan["implementation"])
                self.assertTrue(plan["deadlines"])
                self.assertEqual(plan["unplaced"], [])
                for task in plan["tasks"]:
                    self.assertTrue(task["name"])
                    self.assertCleanText(task["name"])

    def test_provincial_committee_word_layout(self):
        """UBND tỉnh, body name over two lines, header columns on the same lines."""
        plan = self.parse("ubnd_tinh_nghe_an_2023_word.txt")
        self.assertIsNone(plan["governing_body"])
        self.assertEqual(plan["issuing_body"], "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN")
        self.assertEqual((plan["number"], plan["symbol"]), ("125", "KH-UBND"))
        self.assertEqual(plan["place"], "Nghệ An")
        self.assertEqual(plan["date_issued"], date(2023, 3, 15))
        self.assertEqual(
            plan["title"], "Thực hiện công tác dân vận chính quyền năm 2023"
        )
        self.assertEqual(
            [(b["kind"], b["number"], b["date"]) for b in plan["basis"]],
            [
                ("Luật", None, date(2015, 6, 19)),
                ("Luật", None, date(2019, 11, 22)),
                ("Kế hoạch", "85-KH/TU", date(2023, 1, 10)),
                ("Công văn", "312-CV/BDVTU", date(2023, 2, 20)),
            ],
        )
        self.assertEqual(
            plan["basis"][0]["title"], "Luật Tổ chức chính quyền địa phương"
        )
        self.assertEqual(plan["basis"][3]["issuer"], "Ban Dân vận Tỉnh ủy")
        self.assertTrue(plan["purpose"].startswith("Nâng cao nhận thức, trách nhiệm"))
        self.assertTrue(plan["requirement"].startswith("Các sở, ban, ngành"))
        self.assertEqual([t["code"] for t in plan["tasks"]], ["II.1", "II.2", "II.3"])
        subitems = plan["sections"][1]["items"][0]["subitems"]
        self.assertEqual([s["number"] for s in subitems], ["a", "b"])
        self.assertEqual(plan["tasks"][1]["date_deadline"], date(2023, 9, 30))
        self.assertEqual(plan["registration_deadline"], date(2023, 3, 31))
        self.assertEqual(
            plan["report_deadlines"],
            [
                date(2023, 6, 15),
                date(2023, 6, 20),
                date(2023, 11, 15),
                date(2023, 11, 20),
            ],
        )
        self.assertEqual(
            plan["recipients"],
            [
                "Ban Dân vận Tỉnh ủy (b/c)",
                "Chủ tịch, các PCT UBND tỉnh",
                "Các sở: Nội vụ, Tài chính, Kế hoạch và Đầu tư",
                "UBND các huyện, thành phố, thị xã",
                "Lưu: VT, NC",
            ],
        )
        self.assertEqual(plan["signing_capacity"], "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH")
        self.assertEqual(plan["signer_title"], "PHÓ CHỦ TỊCH")
        self.assertEqual(plan["signer_name"], "Bùi Đình Long")
        self.assertEqual(plan["signature_notes"], ["(Đã ký)"])
        self.assertEqual(
            [
                (t["task_code"], t["measure"], t["target_value"])
                for t in plan["targets"]
            ],
            [("II.1", "percent", 100), ("II.2", "percent", 98), ("II.3", "count", 1)],
        )
        self.assertEqual(
            plan["targets"][1]["name"],
            "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết đúng hạn",
        )

    def test_district_office_pdf_layout(self):
        """Phòng GD&ĐT, hard line breaks, page numbers, - and + bullets."""
        plan = self.parse("phong_gddt_lac_son_2024_pdf.txt")
        self.assertEqual(plan["governing_body"], "UBND HUYỆN LẠC SƠN")
        self.assertEqual(plan["issuing_body"], "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO")
        self.assertEqual((plan["number"], plan["symbol"]), ("45", "KH-PGDĐT"))
        self.assertEqual(plan["date_issued"], date(2024, 1, 20))
        self.assertEqual(
            plan["title"],
            "Thực hiện công tác dân vận chính quyền và phong trào thi đua “Dân vận "
            "khéo” trong ngành giáo dục huyện Lạc Sơn năm 2024",
        )
        self.assertEqual(
            [b["number"] for b in plan["basis"]], ["12/KH-UBND", "150/SGDĐT-VP"]
        )
        self.assertEqual(plan["basis"][1]["issuer"], "Sở Giáo dục và Đào tạo")
        self.assertEqual(
            plan["purpose"].split("\n"),
            [
                "- Nâng cao nhận thức của cán bộ quản lý, giáo viên, nhân viên về công "
                "tác dân vận chính quyền;",
                "- Phát huy quyền làm chủ của nhân dân, tạo sự đồng thuận trong thực "
                "hiện nhiệm vụ năm học.",
            ],
        )
        description = plan["tasks"][0]["description"].split("\n")
        self.assertEqual([line[:2] for line in description], ["- ", "+ ", "+ "])
        # The page number "2" between two items is gone.
        self.assertTrue(
            plan["tasks"][0]["description"].endswith("họp phụ huynh học sinh.")
        )
        self.assertEqual(plan["tasks"][1]["date_deadline"], date(2024, 10, 15))
        self.assertEqual(plan["tasks"][2]["date_deadline"], date(2024, 11, 30))
        self.assertEqual(plan["registration_deadline"], date(2024, 2, 29))
        self.assertEqual(
            plan["report_deadlines"], [date(2024, 6, 5), date(2024, 11, 5)]
        )
        self.assertEqual(
            [(r["day"], r["every"], r["kind"]) for r in plan["recurring_deadlines"]],
            [(25, "month", "report")],
        )
        self.assertIsNone(plan["signing_capacity"])
        self.assertEqual(plan["signer_title"], "TRƯỞNG PHÒNG")
        self.assertEqual(plan["signer_name"], "Bùi Văn Hải")
        self.assertEqual(plan["recipients"][-1], "Lưu: VT")

    def test_commune_with_table_and_extra_sections(self):
        """UBND xã (2025), a), b), c) tasks, a table, five sections, blank date."""
        plan = self.parse("ubnd_xa_muong_bi_2025_table.txt")
        self.assertEqual(plan["issuing_body"], "ỦY BAN NHÂN DÂN XÃ MƯỜNG BI")
        self.assertIsNone(plan["number"])
        self.assertEqual(plan["symbol"], "KH-UBND")
        self.assertIsNone(plan["date_issued"])
        self.assertEqual(plan["date_partial"], {"day": None, "month": 7, "year": 2025})
        self.assertEqual(plan["year"], 2025)
        self.assertEqual(
            [s["title"] for s in plan["sections"]],
            [
                "MỤC ĐÍCH, YÊU CẦU",
                "NHIỆM VỤ TRỌNG TÂM",
                "KINH PHÍ THỰC HIỆN",
                "TỔ CHỨC THỰC HIỆN",
                "CHẾ ĐỘ BÁO CÁO",
            ],
        )
        self.assertEqual(plan["basis"][0]["issuer"], "Ủy ban nhân dân tỉnh Phú Thọ")
        self.assertEqual(
            plan["basis"][0]["title"],
            "về thực hiện công tác dân vận chính quyền năm 2025",
        )
        self.assertTrue(plan["purpose"].startswith("Bảo đảm bộ máy chính quyền"))
        self.assertEqual([t["code"] for t in plan["tasks"]], ["II.a", "II.b", "II.c"])
        self.assertEqual(plan["tasks"][0]["date_deadline"], date(2025, 7, 31))
        self.assertIn(
            "1 | Niêm yết thủ tục hành chính | Văn phòng HĐND - UBND xã | "
            "Trước ngày 31/7/2025",
            plan["sections"][1]["text"],
        )
        self.assertNotIn("----", plan["sections"][1]["text"])
        self.assertEqual(
            plan["implementation"],
            "Văn phòng HĐND - UBND xã tổng hợp, báo cáo kết quả về UBND tỉnh trước "
            "ngày 10/12/2025.",
        )
        self.assertEqual(plan["report_deadlines"], [date(2025, 12, 10)])
        self.assertEqual(
            sorted((t["measure"], t["target_value"]) for t in plan["targets"]),
            [("count", 2), ("percent", 90)],
        )
        self.assertEqual(plan["signing_capacity"], "TM. ỦY BAN NHÂN DÂN")
        self.assertEqual(plan["signer_title"], "CHỦ TỊCH")
        self.assertEqual(plan["signer_name"], "Hà Văn Thắng")

    def test_department_interleaved_header_without_recipients(self):
        """A Sở, motto printed first, uppercase title, dotted numbering, no Nơi nhận."""
        plan = self.parse("so_y_te_lao_cai_2023_interleaved.txt")
        self.assertEqual(plan["governing_body"], "UBND TỈNH LÀO CAI")
        self.assertEqual(plan["issuing_body"], "SỞ Y TẾ")
        self.assertEqual((plan["number"], plan["symbol"]), ("310", "KH-SYT"))
        self.assertEqual(plan["place"], "Lào Cai")
        self.assertEqual(plan["date_issued"], date(2023, 2, 8))
        self.assertEqual(
            plan["title"], "THỰC HIỆN CÔNG TÁC DÂN VẬN CHÍNH QUYỀN NĂM 2023"
        )
        self.assertEqual(plan["year"], 2023)
        self.assertEqual(plan["basis"][0]["issuer"], "UBND tỉnh Lào Cai")
        self.assertEqual(
            plan["basis"][0]["title"],
            "ban hành Quy chế công tác dân vận của hệ thống chính trị tỉnh",
        )
        self.assertEqual([s["numeral"] for s in plan["sections"]], ["I", "II", "III"])
        self.assertIn("1.2. Phấn đấu tỷ lệ người bệnh hài lòng", plan["purpose"])
        self.assertEqual(
            [s["number"] for s in plan["sections"][1]["items"][1]["subitems"]],
            ["2.1", "2.2"],
        )
        self.assertEqual(plan["tasks"][1]["date_deadline"], date(2023, 6, 30))
        self.assertEqual(
            plan["report_deadlines"], [date(2023, 6, 15), date(2023, 12, 15)]
        )
        self.assertEqual(plan["recipients"], [])
        self.assertIsNone(plan["signing_capacity"])
        self.assertEqual(plan["signer_title"], "GIÁM ĐỐC")
        self.assertEqual(plan["signer_name"], "Nguyễn Văn Hưng")
        self.assertEqual(
            [(t["task_code"], t["target_value"]) for t in plan["targets"]],
            [(None, 95), ("II.2", 100)],
        )
        self.assertEqual(
            plan["targets"][1]["name"],
            "Triển khai thanh toán không dùng tiền mặt tại bệnh viện tuyến tỉnh",
        )
        self.assertEqual(
            [m["year"] for m in plan["year_mentions"] if m["mismatch"]], [2022]
        )

    def test_school_blank_line_paragraphs_and_tab_table(self):
        """Blank lines between paragraphs, a tab table, Nơi nhận beside the signer."""
        plan = self.parse("truong_thpt_ha_noi_2023_blank_lines.txt")
        self.assertEqual(plan["governing_body"], "SỞ GD&ĐT HÀ NỘI")
        self.assertEqual(plan["issuing_body"], "TRƯỜNG THPT NGUYỄN TRÃI")
        self.assertEqual(plan["place"], "Hà Nội")
        self.assertEqual(plan["date_issued"], date(2023, 9, 5))
        self.assertEqual(
            plan["title"],
            "Thực hiện công tác dân vận chính quyền và quy chế dân chủ năm học "
            "2023-2024, năm 2023",
        )
        self.assertEqual(plan["basis"][0]["issuer"], "Sở Giáo dục và Đào tạo Hà Nội")
        # Two paragraphs without final punctuation, kept apart by a blank line.
        self.assertEqual(len(plan["purpose"].split("\n")), 2)
        self.assertEqual(
            plan["sections"][1]["items"][2]["text"].split("\n")[1],
            "Đăng ký mô hình | Tổ trưởng chuyên môn | Trước ngày 30/9/2023",
        )
        self.assertEqual(
            [(d["date"], d["kind"]) for d in plan["deadlines"]],
            [
                (date(2023, 9, 30), "registration"),
                (date(2023, 9, 30), "registration"),
                (date(2024, 1, 10), "report"),
                (date(2023, 12, 20), "report"),
            ],
        )
        self.assertEqual(
            [(t["measure"], t["target_value"]) for t in plan["targets"]],
            [("percent", 100), ("percent", 95), ("count", 2)],
        )
        self.assertEqual(
            plan["targets"][1]["name"], "Học sinh xếp loại hạnh kiểm khá, tốt trở lên"
        )
        self.assertEqual(
            plan["recipients"],
            ["Sở GD&ĐT Hà Nội (để b/c)", "Các tổ chuyên môn, tổ văn phòng", "Lưu: VT"],
        )
        self.assertEqual(plan["signer_title"], "HIỆU TRƯỞNG")
        self.assertEqual(plan["signer_name"], "Trần Thị Mai Anh")
        self.assertEqual(
            [m["year"] for m in plan["year_mentions"] if m["mismatch"]], [2022]
        )

    def test_minimal_plan_with_appendix(self):
        """No header, no basis, no signature; title on the type line; an appendix."""
        plan = self.parse("minimal_phong_trao_2024.txt")
        self.assertEqual(
            plan["title"], "Tổ chức phong trào thi đua “Dân vận khéo” năm 2024"
        )
        self.assertEqual(plan["year"], 2024)
        for key in ("governing_body", "issuing_body", "symbol", "date_partial"):
            self.assertFalse(plan[key], key)
        self.assertEqual(plan["basis"], [])
        self.assertEqual(plan["intro"], "")
        self.assertEqual(
            [s["title"] for s in plan["sections"]],
            ["Mục đích, yêu cầu", "Nội dung", "Tổ chức thực hiện"],
        )
        self.assertEqual(plan["registration_deadline"], date(2024, 4, 15))
        self.assertEqual(plan["report_deadlines"], [date(2024, 12, 5)])
        self.assertIsNone(plan["signer_name"])
        self.assertEqual(plan["recipients"], [])
        self.assertEqual(
            plan["appendix"], "PHỤ LỤC\nMẫu đăng ký mô hình “Dân vận khéo”."
        )
        self.assertNotIn("PHỤ LỤC", plan["implementation"])

    def test_arabic_sections_and_blank_basis_number(self):
        """Sections numbered 1., 2., 3. in capitals, items 2.1, 2.2."""
        plan = self.parse("phong_gddt_arabic_sections.txt")
        self.assertEqual(plan["governing_body"], "UBND THÀNH PHỐ HÒA BÌNH")
        self.assertEqual(plan["place"], "TP. Hòa Bình")
        self.assertEqual(
            plan["title"],
            "Triển khai thực hiện công tác dân vận chính quyền của Phòng Giáo dục và "
            "Đào tạo năm 2022",
        )
        self.assertEqual([s["numeral"] for s in plan["sections"]], ["1", "2", "3"])
        self.assertEqual(
            plan["purpose"],
            "Nâng cao nhận thức về công tác dân vận chính quyền trong các nhà trường.",
        )
        self.assertEqual(plan["requirement"], "Triển khai đồng bộ, hiệu quả.")
        self.assertEqual(plan["task_section"], "2")
        self.assertEqual([t["code"] for t in plan["tasks"]], ["2.1", "2.2"])
        self.assertEqual(
            [(b["number"], b["date"]) for b in plan["basis"]],
            [("05/KH-UBND", date(2022, 1, 14)), ("/KH-SGD&ĐT", None)],
        )
        self.assertEqual(plan["basis"][1]["issuer"], "Sở Giáo dục và Đào tạo")
        self.assertEqual(plan["registration_deadline"], date(2022, 3, 10))
        self.assertEqual(
            plan["report_deadlines"], [date(2022, 5, 5), date(2022, 10, 25)]
        )
        self.assertEqual(plan["signing_capacity"], "KT. TRƯỞNG PHÒNG")
        self.assertEqual(plan["signer_title"], "PHÓ TRƯỞNG PHÒNG")
        self.assertEqual(plan["signer_name"], "Đinh Thị Hằng")

    def test_default_year(self):
        text = (
            "KẾ HOẠCH\nCông tác dân vận chính quyền\n"
            "I. NHIỆM VỤ\n1. Báo cáo kết quả\nCác đơn vị báo cáo trước ngày 10/5.\n"
        )
        plan = parse_plan(text, default_year=2024)
        self.assertEqual(plan["year"], 2024)
        self.assertEqual(plan["report_deadlines"], [date(2024, 5, 10)])
        self.assertEqual(parse_plan(text)["deadlines"][0]["date"], None)


@tagged("post_install", "-at_install", "danvan_parser")
class TestPlanParserErrors(BaseCase):
    def assertParseError(self, text, code):
        with self.assertRaises(PlanParseError) as caught:
            parse_plan(text)
        self.assertEqual(caught.exception.code, code)
        self.assertIsInstance(caught.exception, ValueError)
        self.assertTrue(str(caught.exception))

    def test_empty(self):
        for text in (None, "", "   \n\n\t ", b"", "\ufeff\n"):
            with self.subTest(text=text):
                self.assertParseError(text, "empty")

    def test_garbage(self):
        garbage = (
            "hello world",
            "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n" * 30,
            "Hôm nay trời đẹp. Chúng tôi đi chơi công viên.\n1. Ăn sáng\n2. Đi học",
            "a,b,c\n1,2,3\n4,5,6",
            "<html><body><p>Kế hoạch</p></body></html>",
            "%PDF-1.4\n\x00\x01\x02 binary junk",
        )
        for text in garbage:
            with self.subTest(text=text[:20]):
                self.assertParseError(text, "not_a_plan")

    def test_too_large(self):
        """A text far longer than any plan is refused before parsing."""
        with file_open(f"{DATA}/ke-hoach-dan-van-chinh-quyen-2022.txt") as f:
            seed = f.read()
        self.assertParseError(seed + "\nTiếp tục thực hiện.\n" * MAX_LINES, "too_large")
        # the seed itself stays well under the cap
        self.assertLess(len(seed.splitlines()), MAX_LINES)
