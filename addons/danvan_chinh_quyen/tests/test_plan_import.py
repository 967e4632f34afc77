# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The plan import wizard (wizard/danvan_plan_import.py)."""

import base64
import io
import os
import re
import unicodedata
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import file_open, file_path, html2plaintext

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT
from odoo.addons.mail.tests.common import mail_new_test_user

from ..wizard import danvan_plan_import
from .common import GROUP_OFFICER, DanvanCase

DATA = "danvan_chinh_quyen/tests/data"
SEED = f"{DATA}/ke-hoach-dan-van-chinh-quyen-2022.txt"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
# The parser renders the end mark "./." of the document's last sentence as
# "." (tools/plan_parser.py); the hand-entered demo keeps it.
END_MARK_RE = re.compile(r"\./\.(?=\s|$)")


def read_text(path):
    with file_open(path) as handle:
        return handle.read()


def plain(html):
    """An Html field as one line of plain text (paragraphing ignored)."""
    text = " ".join(html2plaintext(html or "").split())
    return END_MARK_RE.sub(".", text)


def to_cp1258(text):
    """Encode in Windows-1258: base letters with combining tone marks."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        if char.encode("cp1258", errors="ignore"):
            out += char.encode("cp1258")
            continue
        base, *marks = unicodedata.normalize("NFD", char)
        for index, mark in enumerate(marks):
            # a precomposed letter of the code page (â, ơ, ư, ...) + the rest
            letter = unicodedata.normalize("NFC", base + mark)
            rest = marks[:index] + marks[index + 1 :]
            try:
                out += (letter + "".join(rest)).encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            out += (base + "".join(marks)).encode("cp1258")
    return out


def seed_parts(text):
    """The seed's header, body and footer lines (blank lines dropped)."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    title = lines.index("KẾ HOẠCH")
    footer = lines.index("Nơi nhận:")
    return lines[:title], lines[title:footer], lines[footer:]


def seed_paragraphs(body):
    """Join the seed's wrapped lines into paragraphs, as Word keeps them."""
    marker = re.compile(r"^(?:[IVX]+\.|\d+\.|[-+•])\s")
    paragraphs = []
    for line in body:
        previous = paragraphs[-1] if paragraphs else ""
        starts = (
            len(paragraphs) < 3  # the type, the title, the opening
            or marker.match(line)
            or previous.endswith((".", ";", ":"))
            or previous.isupper()
            # the text under a heading ("1. Mục đích")
            or (marker.match(previous) and line[:1].isupper())
        )
        if starts:
            paragraphs.append(line)
        else:
            paragraphs[-1] = f"{previous} {line}"
    return paragraphs


def make_docx(header_left, header_right, paragraphs, footer_left, footer_right):
    """A Word document: header and footer as two-column layout tables;
    a paragraph given as ("List Number", text) gets Word's own numbering, a
    list of lists is a data table."""
    import docx

    document = docx.Document()

    def layout_table(left, right):
        table = document.add_table(rows=1, cols=2)
        for cell, lines in zip(table.rows[0].cells, (left, right), strict=True):
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)

    layout_table(header_left, header_right)
    for paragraph in paragraphs:
        if isinstance(paragraph, tuple):
            document.add_paragraph(paragraph[1], style=paragraph[0])
        elif isinstance(paragraph, list):
            table = document.add_table(rows=len(paragraph), cols=len(paragraph[0]))
            for row, values in zip(table.rows, paragraph, strict=True):
                for cell, value in zip(row.cells, values, strict=True):
                    cell.text = value
        else:
            document.add_paragraph(paragraph)
    layout_table(footer_left, footer_right)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def make_pdf(lines, font=None):
    """A text PDF: one drawn line per line, pages of 50 lines."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    name = "Helvetica"
    if font:
        name = "DanvanTestDejaVuSans"
        pdfmetrics.registerFont(TTFont(name, font))
    stream = io.BytesIO()
    pdf = canvas.Canvas(stream, pagesize=A4)
    for start in range(0, max(len(lines), 1), 50):
        pdf.setFont(name, 9)
        y = 800
        for line in lines[start : start + 50]:
            pdf.drawString(40, y, line)
            y -= 15
        pdf.drawString(290, 30, str(start // 50 + 1))  # the page number
        pdf.showPage()
    pdf.save()
    return stream.getvalue()


def make_scanned_pdf():
    """A PDF whose only page is a drawing: no text layer, like a scan."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    stream = io.BytesIO()
    pdf = canvas.Canvas(stream, pagesize=A4)
    for y in range(100, 800, 20):
        pdf.rect(40, y, 500, 10, fill=1)
    pdf.showPage()
    pdf.save()
    return stream.getvalue()


class PlanImportMixin:
    """Run the wizard and describe the plan it makes."""

    def import_plan(self, user=None, **vals):
        user = user or self.officer
        wizard = self.env["danvan.plan.import"].with_user(user).create(vals)
        action = wizard.action_import()
        self.assertEqual(action["type"], "ir.actions.act_window")
        self.assertEqual(action["res_model"], "danvan.plan")
        self.assertEqual(action["view_mode"], "form")
        return self.env["danvan.plan"].browse(action["res_id"])

    def import_file(self, data, filename, **vals):
        return self.import_plan(file=base64.b64encode(data), filename=filename, **vals)

    def assertImportRefused(self, message=None, **vals):
        """The import raises a UserError and creates no plan."""
        Plan = self.env["danvan.plan"].with_context(active_test=False)
        before = Plan.search_count([])
        with self.assertRaises(UserError) as caught:
            self.import_plan(**vals)
        if message:
            self.assertIn(message, str(caught.exception))
        self.assertEqual(Plan.search_count([]), before, "no plan was created")
        return caught.exception

    def describe(self, plan):
        """Everything the document carries, as plain values."""
        return {
            "name": plan.name,
            "doc_type": plan.doc_type,
            "year": plan.year,
            "number": plan.number,
            "date_issued": plan.date_issued,
            "month_issued": plan.month_issued,
            "governing_body": plan.governing_body,
            "issuing_body": plan.issuing_body,
            "issuing_unit": plan.issuing_unit_id,
            "place": plan.place,
            "registration_deadline": plan.registration_deadline,
            "basis": [(b.number, b.date, b.issuer, b.title) for b in plan.basis_ids],
            "introduction": plain(plan.introduction),
            "purpose": plain(plan.purpose),
            "requirement": plain(plan.requirement),
            "implementation": plain(plan.implementation),
            "tasks": [
                (t.code, t.name, plain(t.description), t.date_deadline)
                for t in plan.task_ids.sorted("sequence")
            ],
            "targets": [
                (t.task_id.code, t.name, t.measure, t.target_value)
                for t in plan.target_ids
            ],
            "deadlines": sorted(plan.period_ids.mapped("date_deadline")),
            "recipient_units": plan.recipient_unit_ids,
            "recipient_note": plan.recipient_note,
            "monitoring_unit": plan.monitoring_unit_id,
            "signer": plan.signer_id,
            "signing_capacity": plan.signing_capacity,
            "signer_title": plan.signer_title,
            "signer_name": plan.signer_name,
        }

    def assertSamePlan(self, plan, expected):
        got = self.describe(plan)
        for key, value in self.describe(expected).items():
            self.assertEqual(got[key], value, key)


@tagged("post_install", "-at_install", "danvan_import")
class TestPlanImportDemo(PlanImportMixin, TransactionCase):
    """The seed, imported, equals the demo plan entered from it by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.demo = cls.env.ref(
            "danvan_chinh_quyen.demo_plan_2022", raise_if_not_found=False
        )
        cls.officer = mail_new_test_user(
            cls.env,
            login="t_import_officer",
            name="Test Import Officer",
            groups=f"base.group_user,{GROUP_OFFICER}",
        )

    def setUp(self):
        super().setUp()
        # the test database always has the demo data: its absence is a failure
        self.assertTrue(self.demo, "demo data not loaded")

    def test_seed_equals_demo_plan(self):
        plan = self.import_plan(text=read_text(SEED))
        demo = self.demo
        self.assertEqual(plan.state, "draft")
        # header
        self.assertEqual(plan.name, demo.name)
        self.assertEqual(plan.doc_type, "KẾ HOẠCH")
        self.assertEqual(plan.year, 2022)
        self.assertEqual(plan.year, demo.year)
        self.assertFalse(plan.number, "the seed's number is blank")
        self.assertFalse(demo.number)
        self.assertFalse(plan.date_issued, "the seed's issue day is blank")
        self.assertFalse(demo.date_issued)
        self.assertEqual(plan.month_issued, demo.month_issued)
        self.assertEqual(plan.governing_body, demo.governing_body)
        self.assertEqual(plan.issuing_body, demo.issuing_body)
        self.assertEqual(plan.issuing_unit_id, demo.issuing_unit_id, "by name")
        self.assertEqual(plan.place, demo.place)
        self.assertEqual(plan.registration_deadline, demo.registration_deadline)
        self.assertEqual(plan.registration_deadline, date(2022, 3, 15))
        # basis documents
        self.assertEqual(len(plan.basis_ids), len(demo.basis_ids))
        for got, expected in zip(plan.basis_ids, demo.basis_ids, strict=True):
            for field in ("number", "date", "issuer", "title"):
                self.assertEqual(got[field], expected[field], field)
        self.assertEqual(plan.basis_ids.number, "05/KH-UBND")
        self.assertEqual(plan.basis_ids.date, date(2022, 1, 14))
        # texts
        for field in ("introduction", "purpose", "requirement", "implementation"):
            self.assertTrue(plain(plan[field]), field)
            self.assertEqual(plain(plan[field]), plain(demo[field]), field)
        # task areas
        tasks = plan.task_ids.sorted("sequence")
        demo_tasks = demo.task_ids.sorted("sequence")
        self.assertEqual(len(tasks), 9)
        self.assertEqual(tasks.mapped("code"), [f"II.{n}" for n in range(1, 10)])
        for got, expected in zip(tasks, demo_tasks, strict=True):
            with self.subTest(task=expected.code):
                self.assertEqual(got.code, expected.code)
                self.assertEqual(got.sequence, expected.sequence)
                self.assertEqual(got.name, expected.name)
                self.assertEqual(plain(got.description), plain(expected.description))
                self.assertEqual(got.date_deadline, expected.date_deadline)
        # the 100% target of task 5
        self.assertEqual(len(plan.target_ids), len(demo.target_ids))
        target, demo_target = plan.target_ids, demo.target_ids
        self.assertEqual(target.task_id.code, "II.5")
        self.assertEqual(target.task_id.code, demo_target.task_id.code)
        for field in ("name", "measure", "target_value"):
            self.assertEqual(target[field], demo_target[field], field)
        # reporting periods: names and deadlines (cut-off dates are not printed)
        periods = plan.period_ids.sorted("date_deadline")
        demo_periods = demo.period_ids.sorted("date_deadline")
        self.assertEqual(periods.mapped("name"), demo_periods.mapped("name"))
        self.assertEqual(
            periods.mapped("date_deadline"), demo_periods.mapped("date_deadline")
        )
        self.assertEqual(
            periods.mapped("date_deadline"), [date(2022, 5, 10), date(2022, 10, 30)]
        )
        for period in periods:
            self.assertEqual(period.date_from, date(2022, 1, 1))
            self.assertLessEqual(period.date_to, period.date_deadline)
        # recipients and signature
        self.assertEqual(plan.recipient_unit_ids, demo.recipient_unit_ids)
        self.assertEqual(plan.recipient_note, demo.recipient_note)
        self.assertEqual(plan._get_recipient_lines(), demo._get_recipient_lines())
        self.assertEqual(plan.monitoring_unit_id, demo.monitoring_unit_id)
        self.assertEqual(plan.signer_id, demo.signer_id, "the user of that name")
        for field in ("signing_capacity", "signer_title", "signer_name"):
            self.assertEqual(plan[field], demo[field], field)
        self.assertEqual(plan.signer_name, "Nguyễn Đức Lương")
        # what found no field, and the warnings
        notes = plan.import_notes
        self.assertIn("TBL10", notes, "the drafter's note")
        self.assertIn("tháng 02 năm 2022", notes, "the partial date")
        self.assertIn("30/04/2022", notes, "the chosen cut-off dates")
        self.assertIn(
            "mentions the year 2021 in a 2022 plan", plan.consistency_warnings
        )
        self.assertEqual(plan.consistency_warnings, demo.consistency_warnings)

    def test_seed_describes_like_demo(self):
        """The same comparison through one dictionary (catches new fields)."""
        plan = self.import_plan(text=read_text(SEED))
        self.assertSamePlan(plan, self.demo)


@tagged("post_install", "-at_install", "danvan_import")
class TestPlanImport(PlanImportMixin, DanvanCase):
    """The wizard on every input, with the test units (no demo data needed)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seed = read_text(SEED)

    def import_seed(self, **vals):
        vals.setdefault("issuing_unit_id", self.dept.id)
        return self.import_plan(text=self.seed, **vals)

    # Text files ------------------------------------------------------------

    def test_pasted_text(self):
        plan = self.import_seed()
        self.assertEqual(plan.state, "draft")
        self.assertEqual(plan.issuing_unit_id, self.dept, "the override")
        self.assertEqual(
            plan.name, "Triển khai thực hiện công tác dân vận chính quyền năm 2022"
        )
        self.assertEqual(len(plan.task_ids), 9)
        self.assertEqual(plan.governing_body, "UBND TỈNH HOÀ BÌNH", "as printed")
        self.assertTrue(plan.import_notes)
        self.assertIn("TBL10", plan.import_notes)

    def test_txt_encodings(self):
        expected = self.import_seed()
        seed = self.seed
        encodings = {
            "utf-8": seed.encode("utf-8"),
            "utf-8 with BOM": seed.encode("utf-8-sig"),
            "utf-16 with BOM": seed.encode("utf-16"),
            "utf-16-le without BOM": seed.encode("utf-16-le"),
            "utf-16-be without BOM": seed.encode("utf-16-be"),
            "windows-1258": to_cp1258(seed),
            "utf-8, Windows line ends": seed.replace("\n", "\r\n").encode(),
        }
        for label, data in encodings.items():
            with self.subTest(encoding=label):
                plan = self.import_file(
                    data, "ke-hoach.txt", issuing_unit_id=self.dept.id
                )
                self.assertSamePlan(plan, expected)
                # the source is kept with the plan
                attachment = self.env["ir.attachment"].search(
                    [("res_model", "=", "danvan.plan"), ("res_id", "=", plan.id)]
                )
                self.assertEqual(attachment.raw, data)

    # Word ----------------------------------------------------------------

    def seed_docx(self):
        """The seed as a Word document: header and footer tables, the task
        areas numbered by Word itself."""
        header, body, footer = seed_parts(self.seed)
        paragraphs = []
        section = None
        for paragraph in seed_paragraphs(body):
            if re.match(r"^[IVX]+\.\s", paragraph):
                section = paragraph.split(".")[0]
            item = re.match(r"^\d+\.\s+(.*)$", paragraph)
            if section == "II" and item:
                paragraphs.append(("List Number", item[1]))
            else:
                paragraphs.append(paragraph)
        self.assertEqual(
            sum(isinstance(p, tuple) for p in paragraphs), 9, "the nine task areas"
        )
        left = [line for line in header if line.startswith(("UBND", "SỞ", "Số"))]
        right = [line for line in header if line not in left]
        signature = footer[footer.index("KT. GIÁM ĐỐC") :]
        recipients = footer[: footer.index("KT. GIÁM ĐỐC")]
        return make_docx(left, right, paragraphs, recipients, signature)

    def test_docx(self):
        expected = self.import_seed()
        data = self.seed_docx()
        plan = self.import_file(data, "Ke hoach.DOCX", issuing_unit_id=self.dept.id)
        self.assertSamePlan(plan, expected)
        # without a name, the content tells the format
        plan = self.import_file(data, "", issuing_unit_id=self.dept.id)
        self.assertEqual(len(plan.task_ids), 9)

    def test_docx_tables_and_letter_numbering(self):
        """A data table in a task area; sub-items numbered a), b) by Word."""
        data = make_docx(
            ["UBND HUYỆN TÂN LẠC", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "Số: 17/KH-PGDĐT"],
            [
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                "Tân Lạc, ngày 12 tháng 01 năm 2024",
            ],
            [
                "KẾ HOẠCH",
                "Thực hiện công tác dân vận chính quyền năm 2024",
                "Thực hiện Kế hoạch số 05/KH-SGD&ĐT ngày 05/01/2024 của Sở Giáo "
                "dục và Đào tạo về công tác dân vận chính quyền năm 2024, Phòng "
                "Giáo dục và Đào tạo xây dựng Kế hoạch như sau:",
                "I. MỤC ĐÍCH, YÊU CẦU",
                "Nâng cao hiệu quả công tác dân vận trong các nhà trường.",
                "II. NHIỆM VỤ",
                "1. Cải cách hành chính",
                "Các trường niêm yết công khai thủ tục hành chính.",
                [
                    ["TT", "Nội dung", "Đơn vị", "Thời hạn"],
                    ["1", "Niêm yết thủ tục", "Các trường", "Trước ngày 29/02/2024"],
                ],
                "2. Phong trào thi đua “Dân vận khéo”",
                "Các trường đăng ký mô hình “Dân vận khéo” trước ngày 15/3/2024.",
                "III. TỔ CHỨC THỰC HIỆN",
                "Các trường báo cáo kết quả về Phòng trước ngày 05/6/2024 và "
                "trước ngày 05/11/2024.",
            ],
            ["Nơi nhận:", "- Sở GD&ĐT (b/c);", "- Các trường;", "- Lưu: VT."],
            ["TRƯỞNG PHÒNG", "", "", "Lò Văn Sơn"],
        )
        plan = self.import_file(data, "tan-lac.docx", issuing_unit_id=self.dept.id)
        self.assertEqual(plan.name, "Thực hiện công tác dân vận chính quyền năm 2024")
        self.assertEqual(plan.number, "17/KH-PGDĐT", "kept as printed")
        self.assertEqual(plan.date_issued, date(2024, 1, 12))
        self.assertEqual(plan.governing_body, "UBND HUYỆN TÂN LẠC")
        self.assertEqual(plan.issuing_body, "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO")
        self.assertEqual(plan.place, "Tân Lạc")
        task1, task2 = plan.task_ids.sorted("sequence")
        self.assertEqual(task1.name, "Cải cách hành chính")
        self.assertIn("Niêm yết thủ tục | Các trường", plain(task1.description))
        self.assertEqual(task1.date_deadline, date(2024, 2, 29), "from the table")
        self.assertEqual(plan.registration_deadline, date(2024, 3, 15))
        self.assertEqual(
            plan.period_ids.sorted("date_deadline").mapped("date_deadline"),
            [date(2024, 6, 5), date(2024, 11, 5)],
        )
        self.assertEqual(plan.recipient_note, "Sở GD&ĐT (b/c)\nCác trường\nLưu: VT")
        self.assertEqual(plan.signer_title, "TRƯỞNG PHÒNG")
        self.assertEqual(plan.signer_name, "Lò Văn Sơn")

    def test_docx_numbering_labels(self):
        """Word's automatic numbering is read back as printed."""
        import docx

        document = docx.Document()
        for text in ("Một", "Hai", "Ba"):
            document.add_paragraph(text, style="List Number")
        document.add_paragraph("Gạch đầu dòng", style="List Bullet")
        stream = io.BytesIO()
        document.save(stream)
        text = danvan_plan_import.docx_text(
            docx.Document(io.BytesIO(stream.getvalue()))
        )
        self.assertEqual(
            text.split("\n"), ["1. Một", "2. Hai", "3. Ba", "- Gạch đầu dòng"]
        )

    # PDF -----------------------------------------------------------------

    def test_pdf(self):
        if not os.path.exists(FONT):
            # fonts-dejavu-core missing: the PDF path with a text of ASCII
            # letters only, which is read (not "no text layer") and refused
            # as no plan
            data = make_pdf(["Ke hoach cong tac dan van", "Noi dung"])
            self.assertImportRefused(
                "does not look like a plan",
                file=base64.b64encode(data),
                filename="ascii.pdf",
            )
            self.fail(f"{FONT} is missing: install fonts-dejavu-core")
        expected = self.import_seed()
        lines = [line.rstrip() for line in self.seed.split("\n")]
        data = make_pdf(lines, FONT)
        plan = self.import_file(data, "ke-hoach.pdf", issuing_unit_id=self.dept.id)
        self.assertSamePlan(plan, expected)

    def test_pdf_without_text_layer(self):
        data = make_scanned_pdf()
        self.assertImportRefused(
            "no text layer (scanned?)",
            file=base64.b64encode(data),
            filename="scan.pdf",
        )

    # Refused input ---------------------------------------------------------

    def test_empty_input(self):
        self.assertImportRefused("Paste the text of the plan or choose its file")
        self.assertImportRefused("Paste the text of the plan", text="  \n\t \n")
        self.assertImportRefused(
            "The file is empty",
            file=base64.b64encode(b" \r\n \n"),
            filename="empty.txt",
        )
        self.assertImportRefused(
            "The document is empty",
            file=base64.b64encode("\ufeff\n\n".encode()),
            filename="bom.txt",
        )
        empty_docx = make_docx([""], [""], [], [""], [""])
        self.assertImportRefused(
            "The document is empty",
            file=base64.b64encode(empty_docx),
            filename="empty.docx",
        )

    def test_garbage_input(self):
        message = "does not look like a plan"
        for text in (
            "hello world",
            "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n" * 50,
            "a,b,c\n1,2,3\n4,5,6",
            "<html><body><p>Kế hoạch</p></body></html>",
        ):
            with self.subTest(text=text[:20]):
                self.assertImportRefused(message, text=text)
        junk = bytes(range(256)) * 40
        self.assertImportRefused(
            message, file=base64.b64encode(junk), filename="junk.txt"
        )
        self.assertImportRefused(
            message, file=base64.b64encode(junk), filename="no-extension"
        )

    def test_unreadable_files(self):
        cases = {
            "broken.docx": (b"PK\x03\x04" + b"\x00" * 200, "not a readable Word"),
            "sheet.docx": (
                self._zip({"xl/workbook.xml": "<x/>"}),
                "not a readable Word",
            ),
            "broken.pdf": (b"%PDF-1.4\n\x00\x01 garbage", "not a readable PDF"),
            "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200, ".docx"),
            "text.rtf": (b"{\\rtf1\\ansi Ke hoach}", "RTF"),
            "renamed.pdf": ("KẾ HOẠCH".encode(), "not a valid .pdf"),
        }
        for filename, (data, message) in cases.items():
            with self.subTest(filename=filename):
                self.assertImportRefused(
                    message, file=base64.b64encode(data), filename=filename
                )

    @staticmethod
    def _zip(files):
        import zipfile

        stream = io.BytesIO()
        with zipfile.ZipFile(stream, "w") as archive:
            for name, content in files.items():
                archive.writestr(name, content)
        return stream.getvalue()

    def test_size_limit(self):
        data = self.seed.encode()
        with patch.object(danvan_plan_import, "MAX_FILE_SIZE", len(data) - 1):
            self.assertImportRefused(
                "too large", file=base64.b64encode(data), filename="big.txt"
            )
        with patch.object(danvan_plan_import, "MAX_FILE_SIZE", len(data)):
            plan = self.import_file(data, "ok.txt", issuing_unit_id=self.dept.id)
            self.assertEqual(len(plan.task_ids), 9)

    def test_invalid_year_override(self):
        self.assertImportRefused("not a valid plan year", text=self.seed, year=99)

    # The varied texts ----------------------------------------------------

    def test_varied_texts(self):
        folder = file_path(f"{DATA}/plan_texts")
        names = sorted(name for name in os.listdir(folder) if name.endswith(".txt"))
        self.assertGreaterEqual(len(names), 7)
        for name in names:
            with self.subTest(sample=name):
                with open(os.path.join(folder, name), "rb") as handle:
                    data = handle.read()
                plan = self.import_file(data, name, issuing_unit_id=self.dept.id)
                self.assertEqual(plan.state, "draft")
                self.assertTrue(plan.name)
                self.assertTrue(plan.task_ids, "task areas found")
                self.assertTrue(plan.implementation)
                self.assertTrue(plan.period_ids or plan.registration_deadline)
                # nothing silently dropped: every deadline is a field or a note
                for period in plan.period_ids:
                    self.assertLess(period.date_from, period.date_to)
                    self.assertLessEqual(period.date_to, period.date_deadline)
                    self.assertEqual(period.date_deadline.year, plan.year)

    def test_varied_texts_details(self):
        def sample(name, **vals):
            vals.setdefault("issuing_unit_id", self.dept.id)
            return self.import_plan(text=read_text(f"{DATA}/plan_texts/{name}"), **vals)

        # a number and a full date are kept as printed; UBND tỉnh has no
        # governing body; four report deadlines make four periods
        plan = sample("ubnd_tinh_nghe_an_2023_word.txt")
        self.assertEqual(plan.number, "125/KH-UBND")
        self.assertEqual(plan.date_issued, date(2023, 3, 15))
        self.assertFalse(plan.governing_body)
        self.assertEqual(plan.issuing_body, "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN")
        self.assertEqual(
            plan.period_ids.sorted("date_deadline").mapped("name"),
            ["Báo cáo kỳ 1", "Báo cáo kỳ 2", "Báo cáo kỳ 3", "Báo cáo kỳ 4"],
        )
        self.assertEqual(len(plan.basis_ids), 4)
        self.assertEqual(plan.basis_ids[2].number, "85-KH/TU")
        self.assertEqual(
            plan.task_ids.sorted("sequence")[1].date_deadline, date(2023, 9, 30)
        )
        self.assertEqual(
            sorted(plan.target_ids.mapped("target_value")), [1.0, 98.0, 100.0]
        )
        self.assertIn("(Đã ký)", plan.import_notes)
        # the same document again: its number is taken
        self.assertImportRefused(
            "was probably imported before",
            text=read_text(f"{DATA}/plan_texts/ubnd_tinh_nghe_an_2023_word.txt"),
            issuing_unit_id=self.dept.id,
        )

        # a report deadline in the next year is not a period of this plan
        plan = sample("truong_thpt_ha_noi_2023_blank_lines.txt")
        self.assertEqual(plan.period_ids.mapped("date_deadline"), [date(2023, 12, 20)])
        self.assertIn("10/01/2024", plan.import_notes)
        self.assertIn("outside the plan year 2023", plan.import_notes)
        self.assertIn(
            "mentions the year 2022 in a 2023 plan", plan.consistency_warnings
        )

        # a recurring deadline, bullets, page numbers
        plan = sample("phong_gddt_lac_son_2024_pdf.txt")
        self.assertIn("trước ngày 25 hằng tháng", plan.import_notes)
        self.assertEqual(plan.registration_deadline, date(2024, 2, 29))

        # sections without a field of their own; a blank number and day
        plan = sample("ubnd_xa_muong_bi_2025_table.txt")
        self.assertFalse(plan.number)
        self.assertFalse(plan.date_issued)
        self.assertEqual(plan.month_issued, 7)
        self.assertIn("KINH PHÍ THỰC HIỆN", plan.import_notes)
        self.assertIn("dự toán ngân sách xã năm 2025", plan.import_notes)
        self.assertIn("CHẾ ĐỘ BÁO CÁO", plan.import_notes)
        self.assertEqual(plan.task_ids.mapped("code"), ["II.a", "II.b", "II.c"])

        # an indicator outside the task areas; no recipients
        plan = sample("so_y_te_lao_cai_2023_interleaved.txt")
        self.assertIn("người bệnh hài lòng", plan.import_notes)
        self.assertEqual(len(plan.target_ids), 1)
        self.assertFalse(plan.recipient_note)

        # no header, no signature, an appendix
        plan = sample("minimal_phong_trao_2024.txt")
        self.assertIn("PHỤ LỤC", plan.import_notes)
        self.assertFalse(plan.signer_name)
        self.assertIn("No signer", plan.consistency_warnings)
        self.assertEqual(plan.governing_body, "UBND TỈNH TEST", "from the unit")

    # Deadlines and plan constraints -----------------------------------------

    def test_deadlines_breaking_constraints_are_noted(self):
        """Deadlines before the issue date or outside the year do not fail the
        import: they go to the notes instead of the fields."""
        text = "\n".join(
            [
                "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
                "Số: 30/KH-SGDĐT",
                "Hòa Bình, ngày 20 tháng 3 năm 2023",
                "KẾ HOẠCH",
                "Công tác dân vận chính quyền năm 2023",
                "I. MỤC ĐÍCH, YÊU CẦU",
                "Nâng cao hiệu quả công tác dân vận.",
                "II. NHIỆM VỤ",
                "1. Phong trào “Dân vận khéo”",
                "Các đơn vị đăng ký mô hình trước ngày 15/3/2023.",
                "2. Rà soát thủ tục",
                "Hoàn thành rà soát trước ngày 31/01/2024.",
                "3. Tuyên truyền",
                "Hoàn thành trước ngày 30/6/2023.",
                "III. TỔ CHỨC THỰC HIỆN",
                "Các đơn vị báo cáo trước ngày 10/3/2023 và trước ngày 30/10/2023.",
            ]
        )
        plan = self.import_plan(text=text, issuing_unit_id=self.dept.id)
        self.assertEqual(plan.date_issued, date(2023, 3, 20))
        self.assertEqual(plan.number, "30/KH-SGDĐT")
        self.assertFalse(plan.registration_deadline, "15/03 is before the issue")
        tasks = plan.task_ids.sorted("sequence")
        self.assertEqual(
            tasks.mapped("date_deadline"), [False, False, date(2023, 6, 30)]
        )
        self.assertEqual(plan.period_ids.mapped("date_deadline"), [date(2023, 10, 30)])
        notes = plan.import_notes
        self.assertIn("15/3/2023", notes)
        self.assertIn("10/3/2023", notes)
        self.assertIn("before the issue date 20/03/2023", notes)
        self.assertIn("31/01/2024", notes)
        self.assertIn("outside the plan year 2023", notes)
        self.assertIn(
            "'Dân vận khéo' models but the plan has no registration deadline",
            plan.consistency_warnings,
        )

    def test_year_override(self):
        plan = self.import_seed(year=2023)
        self.assertEqual(plan.year, 2023)
        # dates printed without a year take the plan's
        self.assertEqual(
            plan.period_ids.sorted("date_deadline").mapped("date_deadline"),
            [date(2023, 5, 10), date(2023, 10, 30)],
        )
        # 15/03/2022 is printed in full: outside the 2023 plan
        self.assertFalse(plan.registration_deadline)
        self.assertIn("The document is a 2022 plan", plan.import_notes)
        self.assertIn("15/03/2022", plan.import_notes)
        self.assertIn("in a 2023 plan", plan.consistency_warnings)

    def test_text_without_year(self):
        text = (
            "KẾ HOẠCH\nCông tác dân vận chính quyền\n"
            "I. NHIỆM VỤ\n1. Báo cáo kết quả\nCác đơn vị báo cáo trước ngày 10/5.\n"
        )
        with freeze_time("2026-03-01 03:00:00"):
            plan = self.import_plan(text=text)
        self.assertEqual(plan.year, 2026, "the current year")
        self.assertEqual(plan.period_ids.date_deadline, date(2026, 5, 10))
        self.assertIn("does not say which year", plan.import_notes)
        self.assertEqual(plan.issuing_unit_id, self.dept, "the officer's top unit")
        self.assertIn("does not name its issuing body", plan.import_notes)
        plan = self.import_plan(text=text, year=2024)
        self.assertEqual(plan.year, 2024)
        self.assertEqual(plan.period_ids.date_deadline, date(2024, 5, 10))
        self.assertNotIn("does not say which year", plan.import_notes)

    # Units and plans of the system -----------------------------------------

    def test_units_matched_by_name(self):
        Unit = self.env["danvan.unit"]
        school = Unit.create(
            {
                "name": "Trường THPT Nguyễn Trãi",
                "code": "T-NT",
                "parent_id": self.dept.id,
            }
        )
        interior = Unit.create({"name": "Sở Nội vụ", "code": "T-SNV"})
        office = Unit.create(
            {"name": "Văn phòng Sở", "code": "T-VPS", "parent_id": self.dept.id}
        )
        # accents, case and abbreviations do not matter
        plan = self.import_plan(
            text=read_text(f"{DATA}/plan_texts/truong_thpt_ha_noi_2023_blank_lines.txt")
        )
        self.assertEqual(plan.issuing_unit_id, school)
        self.assertEqual(plan.issuing_body, "TRƯỜNG THPT NGUYỄN TRÃI", "as printed")
        self.assertNotIn("check the issuing unit", plan.import_notes or "")
        # recipients and the standing body of the seed
        plan = self.import_seed()
        self.assertEqual(plan.recipient_unit_ids, interior)
        self.assertNotIn("Sở Nội vụ", plan.recipient_note)
        self.assertIn("Lưu: VT, VP", plan.recipient_note)
        self.assertEqual(plan.monitoring_unit_id, office)
        self.assertIn("Sở Nội vụ", plan._get_recipient_lines())

    def test_unknown_issuing_body_falls_back_to_own_unit(self):
        plan = self.import_plan(
            text=read_text(f"{DATA}/plan_texts/so_y_te_lao_cai_2023_interleaved.txt")
        )
        # a unit of the demo data may be named like the seed's Sở; a Sở Y tế is not
        self.assertEqual(plan.issuing_unit_id, self.dept, "the officer's top unit")
        self.assertIn("“SỞ Y TẾ”", plan.import_notes)

    def test_basis_linked_to_plan_in_system(self):
        parent = self._make_plan(
            year=2022,
            number="05/KH-UBND",
            date_issued=date(2022, 1, 14),
            registration_deadline=date(2022, 3, 15),
        )
        plan = self.import_seed()
        self.assertEqual(plan.basis_ids.plan_ref_id, parent)
        self.assertEqual(plan.basis_ids.number, "05/KH-UBND")

    def test_signer_linked_to_user_of_that_name(self):
        signer = mail_new_test_user(
            self.env,
            login="t_import_signer",
            name="Lò Văn Sơn",
            groups=f"base.group_user,{GROUP_OFFICER}",
        )
        plan = self.import_plan(
            text=unicodedata.normalize("NFC", self.seed).replace(
                "Nguyễn Đức Lương", "Lò Văn Sơn"
            ),
            issuing_unit_id=self.dept.id,
        )
        self.assertEqual(plan.signer_id, signer)
        self.assertEqual(plan.signer_name, "Lò Văn Sơn")

    # Who may import -------------------------------------------------------

    def test_who_may_import(self):
        for user in (self.officer, self.manager):
            with self.subTest(user=user.login):
                plan = self.import_seed(user=user)
                self.assertEqual(plan.create_uid, user)
        Wizard = self.env["danvan.plan.import"]
        for user in (self.staff_a, self.head1):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    Wizard.with_user(user).create({"text": self.seed})
                wizard = Wizard.create({"text": self.seed})
                with self.assertRaises(AccessError):
                    wizard.with_user(user).action_import()
