# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Import a plan from its document: pasted text, a .txt, .docx or .pdf file.

The text is read by ``tools/plan_parser.py``; this wizard turns the parsed
values into a draft ``danvan.plan``. Whatever the plan's fields cannot hold
(the drafter's note, an appendix, recurring deadlines, deadlines that would
break a plan constraint, text of extra sections, fragments the parser could
not place) is written, in sentences, to the plan's ``import_notes``.
"""

import base64
import binascii
import codecs
import functools
import io
import re
import unicodedata
import zipfile
from datetime import date, timedelta

from lxml import etree
from markupsafe import Markup

from odoo import Command, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.pdf import DependencyError, PdfReader, PdfReadError

from ..tools.plan_parser import BULLET_RE, MAX_LINES, PlanParseError, parse_plan
from ..tools.vn_date import format_date_short, today_vn

MAX_FILE_SIZE = 10 * 1024 * 1024  # bytes
MAX_TEXT_CHARS = 2_000_000

# Names of the reporting periods made from report deadlines (the document's
# own language, like the plan's content).
PERIOD_HALF_YEAR = "Báo cáo 6 tháng đầu năm"
PERIOD_YEAR = "Báo cáo năm"
PERIOD_NTH = "Báo cáo kỳ %d"

# "Giao Văn phòng Sở là cơ quan thường trực theo dõi ..." names the
# monitoring unit.
STANDING_BODY_RE = re.compile(
    r"\bGiao\s+(?P<unit>[^,;.:()]{3,80}?)\s+(?:là|làm)\s+"
    r"(?:cơ\s+quan|đơn\s+vị|bộ\s+phận)\s+(?:thường\s+trực|đầu\s+mối)",
    re.IGNORECASE,
)
# Abbreviations expanded before names are compared (accents already removed).
NAME_ABBREVIATIONS = (
    (re.compile(r"\bgd\s*&\s*dt\b|\bgd\s*-\s*dt\b|\bgddt\b"), " giao duc va dao tao "),
    (re.compile(r"\bubnd\b"), " uy ban nhan dan "),
    (re.compile(r"\bhdnd\b"), " hoi dong nhan dan "),
    (re.compile(r"\btp\b"), " thanh pho "),
    (re.compile(r"\btx\b"), " thi xa "),
    (re.compile(r"\bthpt\b"), " trung hoc pho thong "),
    (re.compile(r"\bthcs\b"), " trung hoc co so "),
    (re.compile(r"\bth\b"), " tieu hoc "),
    (re.compile(r"\bmn\b"), " mam non "),
    (re.compile(r"&"), " va "),
)
NON_WORD_RE = re.compile(r"[^a-z0-9]+")
GOVERNING_LEAD_RE = re.compile(r"^(?:uy ban nhan dan|hoi dong nhan dan)\s+")

# Magic numbers of the file formats.
PDF_MAGIC = b"%PDF"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
RTF_MAGIC = b"{\\rtf"
BINARY_EXTENSIONS = {"pdf", "docx", "doc", "odt", "rtf", "xlsx", "xls", "pptx", "zip"}

# Word (WordprocessingML).
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# A two-column table holding the document's header or its recipients and
# signature, rather than data.
LAYOUT_TABLE_RE = re.compile(
    r"Nơi\s+nhận|C[ỘO]NG\s+H[ÒO]A|CỘNG\s+HOÀ|Độc\s+lập|(?:^|\n)\s*Số\s*:|"
    r"(?:^|\n)\s*(?:KT|TM|TL|TUQ)\s*\.",
    re.IGNORECASE,
)
LAYOUT_GAP = 6
LAYOUT_MIN_WIDTH = 40


def _w(tag):
    return f"{{{W_NS}}}{tag}"


# ---------------------------------------------------------------------------
# Text helpers (no database)
# ---------------------------------------------------------------------------


def decode_text(data):
    """Decode the bytes of a text file: UTF-8 or UTF-16 (with or without a
    byte order mark), else Windows-1258 (Vietnamese Windows)."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    sample = data[:4096]
    if b"\x00" in sample:
        # UTF-16 without a byte order mark: ASCII characters leave a zero
        # byte after (little endian) or before (big endian) them.
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        return data.decode("utf-16-be" if even > odd else "utf-16-le", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace")


# performance (issue #8): an import compares a few names with every unit's
# name several times; with 1,500 units the keys were computed 50,000 times
@functools.lru_cache(maxsize=16384)
def name_key(text):
    """A comparable form of a name: no accents, no case, abbreviations spelt."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    for pattern, replacement in NAME_ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    return NON_WORD_RE.sub(" ", text).strip()


def text_to_html(text):
    """Plain paragraphs (one a line) as escaped HTML paragraphs."""
    paragraphs = [line.strip() for line in (text or "").split("\n") if line.strip()]
    if not paragraphs:
        return False
    return Markup("").join(Markup("<p>%s</p>") % line for line in paragraphs)


def _roman(number):
    numerals = (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    )  # fmt: skip
    out = ""
    for value, letters in numerals:
        while number >= value:
            out += letters
            number -= value
    return out


def _letters(number):
    out = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def _format_counter(number, fmt):
    if fmt == "upperRoman":
        return _roman(number)
    if fmt == "lowerRoman":
        return _roman(number).lower()
    if fmt == "upperLetter":
        return _letters(number).upper()
    if fmt == "lowerLetter":
        return _letters(number)
    if fmt == "decimalZero":
        return f"{number:02d}"
    return str(number)


class _DocxNumbering:
    """The labels of Word's automatic numbering ("1.", "a)", "II.", "-").

    Word does not store them in the text: they come from the numbering
    definitions, through the paragraph's own ``numPr`` or its style's.
    """

    def __init__(self, document):
        self.levels = {}  # numId -> {ilvl: (format, level text, start)}
        self.counters = {}  # numId -> {ilvl: current value}
        self.styles = {}  # styleId -> (numId, ilvl, basedOn)
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            root = None
        if root is not None:
            self._read_definitions(root)
        for style in document.styles.element.iter(_w("style")):
            num_pr = style.find(f"{_w('pPr')}/{_w('numPr')}")
            based_on = style.find(_w("basedOn"))
            self.styles[style.get(_w("styleId"))] = (
                *self._num_pr(num_pr),
                based_on.get(_w("val")) if based_on is not None else None,
            )

    @staticmethod
    def _val(node, tag, default=None):
        child = node.find(_w(tag)) if node is not None else None
        return child.get(_w("val"), default) if child is not None else default

    def _num_pr(self, num_pr):
        if num_pr is None:
            return None, None
        level = self._val(num_pr, "ilvl")
        return self._val(num_pr, "numId"), int(level) if level else None

    def _read_definitions(self, root):
        abstract = {}
        for node in root.iter(_w("abstractNum")):
            levels = {}
            for level in node.iter(_w("lvl")):
                start = self._val(level, "start", "1")
                levels[int(level.get(_w("ilvl"), "0"))] = (
                    self._val(level, "numFmt", "decimal"),
                    self._val(level, "lvlText", ""),
                    int(start) if start.isdigit() else 1,
                )
            abstract[node.get(_w("abstractNumId"))] = levels
        for num in root.iter(_w("num")):
            ref = self._val(num, "abstractNumId")
            self.levels[num.get(_w("numId"))] = abstract.get(ref, {})

    def _style_num_pr(self, style_id):
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            num_id, level, based_on = self.styles.get(style_id, (None, None, None))
            if num_id:
                return num_id, level
            style_id = based_on
        return None, None

    def label(self, paragraph):
        p_pr = paragraph.find(_w("pPr"))
        num_id, level = self._num_pr(
            p_pr.find(_w("numPr")) if p_pr is not None else None
        )
        if num_id is None:
            style_id = self._val(p_pr, "pStyle")
            num_id, style_level = self._style_num_pr(style_id)
            level = level if level is not None else style_level
        levels = self.levels.get(num_id)
        level = level or 0
        if not levels or level not in levels:
            return ""
        fmt, text, start = levels[level]
        counters = self.counters.setdefault(num_id, {})
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [key for key in counters if key > level]:
            del counters[deeper]
        if fmt == "bullet":
            return "-"
        if fmt == "none":
            return ""

        def counter(match):
            index = int(match.group(1)) - 1
            index_fmt, _text, index_start = levels.get(index, ("decimal", "", 1))
            return _format_counter(counters.get(index, index_start), index_fmt)

        return re.sub(r"%(\d)", counter, text).strip()


def docx_text(document):
    """The text of a Word document, paragraphs and tables in their order.

    Tables of two columns that hold the header or the recipients and the
    signature are laid out side by side, as the parser expects from a text
    extraction; other tables become ``| a | b |`` rows.
    """
    from docx.text.paragraph import Paragraph

    numbering = _DocxNumbering(document)

    def paragraph_text(element, parent):
        text = Paragraph(element, parent).text
        label = numbering.label(element)
        return f"{label} {text}" if label and text.strip() else text

    def cell_lines(cell, parent):
        lines = []
        for child in cell:
            if child.tag == _w("p"):
                lines.extend(paragraph_text(child, parent).split("\n"))
            elif child.tag == _w("tbl"):
                lines.extend(table_lines(child, parent))
        return lines

    def table_lines(table, parent):
        rows = [
            [cell_lines(cell, parent) for cell in row.findall(_w("tc"))]
            for row in table.findall(_w("tr"))
        ]
        flat = "\n".join("\n".join(lines) for row in rows for lines in row)
        if max((len(row) for row in rows), default=0) <= 2 and LAYOUT_TABLE_RE.search(
            flat
        ):
            return _side_by_side(rows)
        out = []
        for row in rows:
            cells = [" ".join(" ".join(lines).split()) for lines in row]
            if any(cells):
                out.append("| " + " | ".join(cells) + " |")
        return out

    lines = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == _w("p"):
            lines.extend(paragraph_text(child, document).split("\n"))
        elif child.tag == _w("tbl"):
            lines.extend(table_lines(child, document))
        elif child.tag == _w("sdt"):
            for paragraph in child.iter(_w("p")):
                lines.extend(paragraph_text(paragraph, document).split("\n"))
    return "\n".join(lines)


def _side_by_side(rows):
    """Lines of a layout table: the right column after a wide gap."""
    lefts = [" ".join(line.split()) for row in rows if row for line in row[0]]
    width = max([LAYOUT_MIN_WIDTH, *(len(line) + LAYOUT_GAP for line in lefts)])
    out = []
    for row in rows:
        left = row[0] if row else []
        right = row[1] if len(row) > 1 else []
        for index in range(max(len(left), len(right))):
            # runs of spaces inside a cell would read as a column gap
            left_text = " ".join(left[index].split()) if index < len(left) else ""
            right_text = " ".join(right[index].split()) if index < len(right) else ""
            if right_text:
                out.append(f"{left_text.ljust(width)}{right_text}")
            else:
                out.append(left_text)
        out.append("")
    return out


def _cut_off(deadline):
    """Data cut-off of a report due on ``deadline``: the end of the month
    before it; a January deadline reports on the whole previous year."""
    date_to = deadline.replace(day=1) - timedelta(days=1)
    return date(date_to.year, 1, 1), date_to


def _period_names(deadlines):
    if len(deadlines) == 1:
        return [PERIOD_HALF_YEAR if deadlines[0].month <= 7 else PERIOD_YEAR]
    if len(deadlines) == 2 and deadlines[0].month <= 7 < deadlines[1].month:
        return [PERIOD_HALF_YEAR, PERIOD_YEAR]
    return [PERIOD_NTH % index for index in range(1, len(deadlines) + 1)]


def _with_year(value, year):
    try:
        return value.replace(year=year)
    except ValueError:  # 29 February
        return value.replace(year=year, day=28)


# ---------------------------------------------------------------------------
# Wizard
# ---------------------------------------------------------------------------


class DanvanPlanImport(models.TransientModel):
    """Create a draft plan from the text or the file of its document."""

    _name = "danvan.plan.import"
    _description = "Import a Plan from its Document"

    text = fields.Text(
        help="The text of the plan, copied from its document. Not used when a "
        "file is chosen."
    )
    file = fields.Binary(
        attachment=False,
        help="The plan's document: a .txt, .docx or .pdf file with a text "
        "layer (not a scan), up to 10 MB.",
    )
    filename = fields.Char()
    issuing_unit_id = fields.Many2one(
        "danvan.unit",
        help="Leave empty to recognise the unit from the issuing body printed "
        "on the document (else your own top unit).",
    )
    year = fields.Integer(
        string="Plan Year",
        help="Leave at 0 to take the year from the document.",
    )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_import(self):
        """Create the draft plan and return an action opening it."""
        self.ensure_one()
        self._check_import_access()
        if self.year and not 1945 <= self.year <= 2200:
            raise UserError(
                self.env._(
                    "The year %(year)s is not a valid plan year.", year=self.year
                )
            )
        text = self._get_document_text()
        data = self._parse(text, self.year or None)
        if not data["year"]:
            # dates printed without a year need one: the current year (the
            # plan's year stays "not found", see _plan_year)
            data = dict(self._parse(text, today_vn(self.env).year), year=None)
        plan = self._create_plan(data)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Imported Plan"),
            "res_model": "danvan.plan",
            "res_id": plan.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    def _parse(self, text, default_year):
        try:
            return parse_plan(text, default_year=default_year)
        except PlanParseError as error:
            raise UserError(self._parse_error_message(error)) from error

    def _check_import_access(self):
        if not (
            self.env.su
            or self.env.user.has_group("danvan_chinh_quyen.group_danvan_officer")
        ):
            raise AccessError(
                self.env._("Only department officers and managers can import plans.")
            )

    def _parse_error_message(self, error):
        if error.code == "empty":
            return self.env._("The document is empty: there is no text to import.")
        if error.code == "not_a_plan":
            return self.env._(
                "This text does not look like a plan: no document type (such as "
                "“KẾ HOẠCH”), no numbered sections (I., II., …) and no header "
                "(number, place and date) were found. Check that you chose the "
                "plan's document."
            )
        if error.code == "too_large":
            return self.env._(
                "This document is too long to be a plan (%(max)s lines at most): "
                "check that you chose the plan's document.",
                max=MAX_LINES,
            )
        return self.env._(
            "The document could not be read as a plan: %(error)s", error=error
        )

    # ------------------------------------------------------------------
    # Reading the document
    # ------------------------------------------------------------------

    def _get_document_text(self):
        if self.file:
            data = self._file_bytes()
            kind = self._file_kind(data)
            if kind == "pdf":
                return self._read_pdf(data)
            if kind == "docx":
                return self._read_docx(data)
            return decode_text(data)
        if self.text and self.text.strip():
            if len(self.text) > MAX_TEXT_CHARS:
                raise UserError(
                    self.env._(
                        "The pasted text is too long to be a plan; paste only the plan."
                    )
                )
            return self.text
        raise UserError(
            self.env._(
                "Paste the text of the plan or choose its file (.txt, .docx or .pdf)."
            )
        )

    def _file_bytes(self):
        encoded = self.file
        if isinstance(encoded, str):
            encoded = encoded.encode()
        if len(encoded) * 3 // 4 > MAX_FILE_SIZE + 2:
            raise UserError(
                self.env._(
                    "The file is too large (more than %(size)s MB): a plan's "
                    "document is much smaller. Remove its images or paste its text.",
                    size=MAX_FILE_SIZE // (1024 * 1024),
                )
            )
        try:
            data = base64.b64decode(encoded)
        except (binascii.Error, ValueError) as error:
            raise UserError(self.env._("The file could not be read.")) from error
        if len(data) > MAX_FILE_SIZE:
            raise UserError(
                self.env._(
                    "The file is too large (more than %(size)s MB): a plan's "
                    "document is much smaller. Remove its images or paste its text.",
                    size=MAX_FILE_SIZE // (1024 * 1024),
                )
            )
        if not data.strip():
            raise UserError(
                self.env._("The file is empty: there is no text to import.")
            )
        return data

    def _file_kind(self, data):
        """'pdf', 'docx' or 'txt', from the content first, then the name."""
        name = (self.filename or "").strip().lower()
        extension = name.rsplit(".", 1)[-1] if "." in name else ""
        if data.startswith(PDF_MAGIC):
            return "pdf"
        if data.startswith(ZIP_MAGIC):
            return "docx"
        if data.startswith(OLE_MAGIC):
            raise UserError(
                self.env._(
                    "This is an old Word (.doc) or Excel file, which cannot be "
                    "read: open it in Word and save it as .docx, or as a PDF."
                )
            )
        if data.lstrip().startswith(RTF_MAGIC):
            raise UserError(
                self.env._(
                    "RTF files cannot be read: save the document as .docx or .txt."
                )
            )
        if extension in BINARY_EXTENSIONS:
            raise UserError(
                self.env._(
                    "The file %(name)s is not a valid .%(extension)s file.",
                    name=self.filename,
                    extension=extension,
                )
            )
        return "txt"

    def _read_docx(self, data):
        try:
            import docx
            from docx.opc.exceptions import PackageNotFoundError
        except ImportError as error:
            raise UserError(
                self.env._(
                    "Word files cannot be read on this server (the python-docx "
                    "library is missing): save the document as PDF or text."
                )
            ) from error
        try:
            document = docx.Document(io.BytesIO(data))
            return docx_text(document)
        except (
            zipfile.BadZipFile,
            PackageNotFoundError,
            KeyError,
            ValueError,
            etree.XMLSyntaxError,
        ) as error:
            raise UserError(
                self.env._(
                    "The file is not a readable Word document (.docx). Only "
                    ".txt, .docx and .pdf files can be imported."
                )
            ) from error

    def _read_pdf(self, data):
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise UserError(
                    self.env._("This PDF is protected by a password: remove it first.")
                )
            pages = [page.extract_text() or "" for page in reader.pages]
        except (
            PdfReadError,
            DependencyError,
            ValueError,
            KeyError,
            TypeError,
        ) as error:
            raise UserError(
                self.env._("The file is not a readable PDF document.")
            ) from error
        text = "\n".join(pages)
        if not text.strip():
            raise UserError(
                self.env._(
                    "This PDF has no text layer (scanned?): its pages are images. "
                    "Import the Word file of the plan, or a PDF exported from "
                    "Word, or paste the text after recognising it (OCR)."
                )
            )
        return text

    # ------------------------------------------------------------------
    # Building the plan
    # ------------------------------------------------------------------

    def _create_plan(self, data):
        notes = []
        year = self._plan_year(data, notes)
        deadlines = self._deadlines_in_year(data, year)
        unit = self._issuing_unit(data, notes)
        vals = {
            "name": data["title"] or self._fallback_title(data, year, notes),
            "year": year,
            "issuing_unit_id": unit.id,
            "place": data["place"] or False,
            "introduction": text_to_html(data["intro"]),
            "purpose": text_to_html(data["purpose"]),
            "requirement": text_to_html(data["requirement"]),
            "implementation": text_to_html(data["implementation"]),
        }
        if data["doc_type"]:
            vals["doc_type"] = data["doc_type"]
        if data["issuing_body"] or data["governing_body"]:
            # as printed; without a header the unit's names are used
            vals["issuing_body"] = data["issuing_body"] or False
            vals["governing_body"] = data["governing_body"] or False
        vals.update(self._number_and_date(data, unit, year, notes))
        vals["basis_ids"] = self._basis_commands(data)
        date_issued = vals.get("date_issued")
        valid = self._valid_deadlines(deadlines, year, date_issued, notes)
        vals["period_ids"] = self._period_commands(valid, notes)
        vals["registration_deadline"] = self._registration_deadline(valid, notes)
        vals["task_ids"] = self._task_commands(data, valid, notes)
        vals.update(self._recipients(data, unit, notes))
        vals.update(self._signature(data, notes))
        monitoring = self._monitoring_unit(data, unit)
        if monitoring:
            vals["monitoring_unit_id"] = monitoring.id
        self._note_recurring(data, notes)
        self._note_unplaced_text(data, notes)
        vals["import_notes"] = "\n\n".join(notes) or False
        plan = self.env["danvan.plan"].create(vals)
        self._post_source(plan)
        return plan

    def _plan_year(self, data, notes):
        found = data["year"]
        if self.year:
            if found and found != self.year:
                notes.append(
                    self.env._(
                        "The document is a %(found)s plan; the year %(year)s given "
                        "for the import was used instead.",
                        found=found,
                        year=self.year,
                    )
                )
            return self.year
        if found and 1945 <= found <= 2200:
            return found
        year = today_vn(self.env).year
        notes.append(
            self.env._(
                "The document does not say which year the plan is for: %(year)s "
                "was assumed.",
                year=year,
            )
        )
        return year

    def _fallback_title(self, data, year, notes):
        notes.append(
            self.env._("The document has no title: give the plan its own name.")
        )
        return f"{data['doc_type'] or 'KẾ HOẠCH'} {year}"

    def _deadlines_in_year(self, data, year):
        """The parsed deadlines; a date printed without its year gets ``year``."""
        deadlines = []
        for deadline in data["deadlines"]:
            deadline = dict(deadline)
            if deadline["date"] and deadline["year_inferred"]:
                deadline["date"] = _with_year(deadline["date"], year)
            deadlines.append(deadline)
        return deadlines

    # Issuing unit, number and date ------------------------------------

    def _all_units(self):
        return self.env["danvan.unit"].search([])

    def _units_named(self, keys, units=None):
        keys = {key for key in keys if key}
        return (units if units is not None else self._all_units()).filtered(
            lambda unit: keys & {name_key(unit.name), name_key(unit.print_name)}
        )

    @staticmethod
    def _one_unit(units, issuing_unit):
        """The unit meant among namesakes: the only one, else the only one in
        the issuing unit's tree ("Văn phòng Sở" of this Sở)."""
        if len(units) > 1:
            prefix = issuing_unit.parent_path or "-"
            units = units.filtered(lambda unit: unit.parent_path.startswith(prefix))
        return units if len(units) == 1 else units.browse()

    def _issuing_unit(self, data, notes):
        if self.issuing_unit_id:
            return self.issuing_unit_id
        body = data["issuing_body"]
        governing = data["governing_body"]
        fallback = self.env["danvan.plan"]._default_issuing_unit_id()
        if body:
            # "SỞ GIÁO DỤC VÀ ĐÀO TẠO" under "UBND TỈNH HOÀ BÌNH" is also
            # "Sở Giáo dục và Đào tạo tỉnh Hòa Bình"
            region = GOVERNING_LEAD_RE.sub("", name_key(governing))
            matches = self._units_named(
                [name_key(body), f"{name_key(body)} {region}".strip()]
            )
            if len(matches) > 1 and governing:
                same = matches.filtered(
                    lambda unit: (
                        name_key(unit._get_governing_body()) == name_key(governing)
                    )
                )
                matches = same or matches
            if len(matches) > 1 and fallback in matches:
                matches = fallback
            if matches:
                if len(matches) > 1:
                    notes.append(
                        self.env._(
                            "Several units are named like the issuing body "
                            "“%(body)s”: %(unit)s was chosen; check the issuing "
                            "unit.",
                            body=body,
                            unit=matches[0].display_name,
                        )
                    )
                return matches[0]
        if not fallback:
            raise UserError(
                self.env._(
                    "There is no unit yet: create the issuing unit before importing."
                )
            )
        if body:
            notes.append(
                self.env._(
                    "No unit is named like the issuing body “%(body)s”: the plan "
                    "was given to %(unit)s; check the issuing unit.",
                    body=body,
                    unit=fallback.display_name,
                )
            )
        else:
            notes.append(
                self.env._(
                    "The document does not name its issuing body: the plan was "
                    "given to %(unit)s.",
                    unit=fallback.display_name,
                )
            )
        return fallback

    def _number_and_date(self, data, unit, year, notes):
        vals = {}
        if data["number"]:
            number = f"{data['number']}/{data['symbol']}"
            existing = (
                self.env["danvan.plan"]
                .sudo()
                .with_context(active_test=False)
                .search(
                    [
                        ("issuing_unit_id", "=", unit.id),
                        ("year", "=", year),
                        ("number", "=", number),
                    ],
                    limit=1,
                )
            )
            if existing:
                raise UserError(
                    self.env._(
                        "%(unit)s already has a %(year)s plan numbered %(number)s "
                        "(“%(name)s”): this document was probably imported before.",
                        unit=unit.display_name,
                        year=year,
                        number=number,
                        name=existing.name,
                    )
                )
            vals["number"] = number
        elif data["symbol"]:
            notes.append(
                self.env._(
                    "The number is left blank on the document (“Số: …/%(symbol)s”): "
                    "it is given when the plan is issued.",
                    symbol=data["symbol"],
                )
            )
        partial = data["date_partial"]
        if data["date_issued"]:
            vals["date_issued"] = data["date_issued"]
        elif partial:
            day = partial["day"] or "…"
            month = f"{partial['month']:02d}" if partial["month"] else "…"
            printed = f"ngày {day} tháng {month} năm {partial['year']}"
            if partial["month"]:
                vals["month_issued"] = partial["month"]
            notes.append(
                self.env._(
                    "The document is dated “%(date)s”, without a day: the issue "
                    "date is left empty until the plan is issued.",
                    date=printed,
                )
            )
        return vals

    # Basis documents ---------------------------------------------------

    def _basis_commands(self, data):
        commands = []
        for sequence, basis in enumerate(data["basis"], 1):
            ref = self._plan_ref(basis)
            commands.append(
                Command.create(
                    {
                        "sequence": 10 * sequence,
                        "number": basis["number"] or False,
                        "date": basis["date"] or False,
                        "issuer": basis["issuer"] or False,
                        "title": basis["title"] or False,
                        "plan_ref_id": ref.id,
                    }
                )
            )
        return commands

    def _plan_ref(self, basis):
        """The plan of this system that the document cites, if it is here."""
        Plan = self.env["danvan.plan"]
        number = basis["number"]
        if not number or number.startswith("/"):
            return Plan
        domain = [("number", "=", number)]
        if basis["date"]:
            domain.append(("year", "=", basis["date"].year))
        plans = Plan.search(domain, limit=2)
        return plans if len(plans) == 1 else Plan

    # Deadlines ---------------------------------------------------------

    def _location_label(self, location):
        labels = {
            "intro": self.env._("the opening"),
            "header": self.env._("the header"),
            "title": self.env._("the title"),
        }
        return labels.get(location, location or self.env._("the text"))

    def _kind_label(self, kind):
        return {
            "report": self.env._("report deadline"),
            "registration": self.env._("registration deadline"),
        }.get(kind, self.env._("deadline"))

    def _valid_deadlines(self, deadlines, year, date_issued, notes):
        """The deadlines a plan constraint accepts; the others go to the notes."""
        valid = []
        for deadline in deadlines:
            value = deadline["date"]
            problem = None
            if not value:
                problem = self.env._("it is not a valid date")
            elif value.year != year:
                problem = self.env._(
                    "it lies outside the plan year %(year)s", year=year
                )
            elif date_issued and value < date_issued:
                problem = self.env._(
                    "it is before the issue date %(date)s",
                    date=format_date_short(date_issued),
                )
            if problem is None:
                valid.append(deadline)
                continue
            notes.append(
                self.env._(
                    "The %(kind)s “%(raw)s” in %(location)s was not set: %(problem)s. "
                    "Context: “%(context)s”",
                    kind=self._kind_label(deadline["kind"]),
                    raw=deadline["raw"],
                    location=self._location_label(deadline["location"]),
                    problem=problem,
                    context=deadline["context"],
                )
            )
        return valid

    def _period_commands(self, deadlines, notes):
        dates = sorted({d["date"] for d in deadlines if d["kind"] == "report"})
        if not dates:
            return []
        commands, lines = [], []
        for name, deadline in zip(_period_names(dates), dates, strict=True):
            date_from, date_to = _cut_off(deadline)
            commands.append(
                Command.create(
                    {
                        "name": name,
                        "date_from": date_from,
                        "date_to": date_to,
                        "date_deadline": deadline,
                    }
                )
            )
            lines.append(
                self.env._(
                    "%(name)s: data from %(date_from)s to %(date_to)s, due "
                    "%(deadline)s",
                    name=name,
                    date_from=format_date_short(date_from),
                    date_to=format_date_short(date_to),
                    deadline=format_date_short(deadline),
                )
            )
        notes.append(
            self.env._(
                "Reporting periods were made from the report deadlines. The "
                "document does not give their data cut-off dates: each period "
                "covers the year up to the end of the month before its deadline. "
                "Check them:\n%(periods)s",
                periods="\n".join(f"- {line}" for line in lines),
            )
        )
        return commands

    def _registration_deadline(self, deadlines, notes):
        dates = sorted({d["date"] for d in deadlines if d["kind"] == "registration"})
        if not dates:
            return False
        if len(dates) > 1:
            notes.append(
                self.env._(
                    "The document gives several registration deadlines (%(dates)s): "
                    "the earliest is the plan's registration deadline.",
                    dates=", ".join(format_date_short(d) for d in dates),
                )
            )
        return dates[0]

    def _task_deadline(self, task, deadlines, notes):
        """The latest task deadline printed in the task area, else its latest
        registration deadline ("đăng ký … trước ngày …")."""
        own = [d for d in deadlines if d["task_code"] == task["code"]]
        dates = sorted({d["date"] for d in own if d["kind"] == "task"})
        if not dates:
            dates = sorted({d["date"] for d in own if d["kind"] == "registration"})
        if len(dates) > 1:
            notes.append(
                self.env._(
                    "The task area %(code)s gives several deadlines (%(dates)s): "
                    "the latest is its deadline.",
                    code=task["code"],
                    dates=", ".join(format_date_short(d) for d in dates),
                )
            )
        return dates[-1] if dates else False

    # Task areas and targets --------------------------------------------

    def _task_commands(self, data, deadlines, notes):
        codes = {task["code"] for task in data["tasks"]}
        for deadline in deadlines:
            if deadline["kind"] == "task" and deadline["task_code"] not in codes:
                notes.append(
                    self.env._(
                        "The deadline “%(raw)s” in %(location)s belongs to no task "
                        "area and was not set. Context: “%(context)s”",
                        raw=deadline["raw"],
                        location=self._location_label(deadline["location"]),
                        context=deadline["context"],
                    )
                )
        targets = self._targets_by_task(data, codes, notes)
        commands = []
        for task in data["tasks"]:
            commands.append(
                Command.create(
                    {
                        "sequence": 10 * task["sequence"],
                        "code": task["code"],
                        "name": task["name"]
                        or self.env._("Task area %(code)s", code=task["code"]),
                        "description": text_to_html(task["description"]),
                        "date_deadline": self._task_deadline(task, deadlines, notes),
                        "target_ids": targets.get(task["code"], []),
                    }
                )
            )
        return commands

    def _targets_by_task(self, data, codes, notes):
        by_task, seen = {}, set()
        for target in data["targets"]:
            key = (
                target["task_code"],
                target["name"],
                target["measure"],
                target["target_value"],
            )
            if key in seen:
                continue
            seen.add(key)
            value = target["target_value"]
            problem = None
            if target["task_code"] not in codes:
                problem = self.env._("it belongs to no task area")
            elif not target["name"]:
                problem = self.env._("it has no name")
            elif target["measure"] == "percent" and not 0 <= value <= 100:
                problem = self.env._("a percentage lies between 0 and 100")
            if problem:
                notes.append(
                    self.env._(
                        "The target “%(raw)s” (%(location)s) was not created: "
                        "%(problem)s.",
                        raw=target["raw"],
                        location=self._location_label(target["location"]),
                        problem=problem,
                    )
                )
                continue
            commands = by_task.setdefault(target["task_code"], [])
            commands.append(
                Command.create(
                    {
                        "sequence": 10 * (len(commands) + 1),
                        "name": target["name"],
                        "measure": target["measure"],
                        "target_value": value,
                    }
                )
            )
        return by_task

    # Recipients, signature, monitoring unit -----------------------------

    def _recipients(self, data, issuing_unit, notes):
        units = self.env["danvan.unit"]
        lines = []
        all_units = self._all_units() if data["recipients"] else units
        for recipient in data["recipients"]:
            unit = self._one_unit(
                self._units_named([name_key(recipient)], all_units), issuing_unit
            )
            if unit:
                units |= unit
            else:
                lines.append(recipient)
        if data["drafter_note"]:
            notes.append(
                self.env._(
                    "The filing line “%(line)s” ends with the drafter's note "
                    "“(%(note)s)” (initials and number of copies); it was left out "
                    "of the recipients.",
                    line=next(
                        (
                            raw
                            for raw in data["recipients_raw"]
                            if data["drafter_note"] in raw
                        ),
                        data["drafter_note"],
                    ),
                    note=data["drafter_note"],
                )
            )
        return {
            "recipient_unit_ids": [Command.set(units.ids)],
            "recipient_note": "\n".join(lines) or False,
        }

    def _signature(self, data, notes):
        vals = {
            "signing_capacity": data["signing_capacity"] or False,
            "signer_title": data["signer_title"] or False,
            "signer_name": data["signer_name"] or False,
        }
        if data["signer_name"]:
            users = self.env["res.users"].search(
                [("name", "=ilike", data["signer_name"]), ("share", "=", False)],
                limit=2,
            )
            if len(users) == 1:
                vals["signer_id"] = users.id
        if data["signature_notes"]:
            notes.append(
                self.env._(
                    "The signature block says: %(notes)s.",
                    notes=" ".join(data["signature_notes"]),
                )
            )
        return vals

    def _monitoring_unit(self, data, issuing_unit):
        """The unit "given the standing role" in the implementation section."""
        found = STANDING_BODY_RE.search(data["implementation"] or "")
        if not found:
            return self.env["danvan.unit"]
        units = self._units_named([name_key(found["unit"])])
        return self._one_unit(units, issuing_unit)

    # What found no field -------------------------------------------------

    def _note_recurring(self, data, notes):
        for deadline in data["recurring_deadlines"]:
            notes.append(
                self.env._(
                    "The recurring %(kind)s “%(raw)s” in %(location)s has no "
                    "field: add the periods or reminders it needs by hand. "
                    "Context: “%(context)s”",
                    kind=self._kind_label(deadline["kind"]),
                    raw=deadline["raw"],
                    location=self._location_label(deadline["location"]),
                    context=deadline["context"],
                )
            )

    def _placed_lines(self, data):
        texts = [
            data["intro"],
            data["purpose"],
            data["requirement"],
            data["implementation"],
        ]
        for task in data["tasks"]:
            texts += [task["name"], task["description"]]
        return {line for text in texts for line in (text or "").split("\n") if line}

    def _unplaced_section_lines(self, section, data, placed):
        if set(section["text"].split("\n")) - {""} <= placed:
            return []
        if section["numeral"] == data["task_section"]:
            # the items are the task areas; a lead text may remain
            lines = (section["lead_text"] or "").split("\n")
        else:
            lines = (section["lead_text"] or "").split("\n")
            for item in section["items"]:
                item_lines = (item["text"] or "").split("\n")
                if item["text"] and not set(item_lines) <= placed:
                    heading = f"{item['number']}. {item['title']}".strip(" .")
                    lines += [heading, *item_lines]
        left = []
        for line in lines:
            bullet = BULLET_RE.match(line)
            if (
                line
                and line not in placed
                and not (bullet and bullet["rest"] in placed)
            ):
                left.append(line)
        return left

    def _note_unplaced_text(self, data, notes):
        placed = self._placed_lines(data)
        for section in data["sections"]:
            left = self._unplaced_section_lines(section, data, placed)
            if left:
                notes.append(
                    self.env._(
                        "Text of section %(section)s “%(title)s” that no field "
                        "holds:\n%(text)s",
                        section=section["numeral"],
                        title=section["title"],
                        text="\n".join(left),
                    )
                )
        if data["unplaced"]:
            notes.append(
                self.env._(
                    "Fragments the import could not place:\n%(text)s",
                    text="\n".join(f"- {fragment}" for fragment in data["unplaced"]),
                )
            )
        if data["appendix"]:
            notes.append(
                self.env._(
                    "The document ends with an appendix, which is not part of the "
                    "plan's fields:\n%(text)s",
                    text=data["appendix"],
                )
            )

    def _post_source(self, plan):
        if self.file:
            name = self.filename or "plan"
            plan.message_post(
                body=self.env._("Plan imported from the file %(name)s.", name=name),
                attachments=[(name, base64.b64decode(self.file))],
                subtype_xmlid="mail.mt_note",
            )
        else:
            plan.message_post(
                body=self.env._("Plan imported from a pasted text."),
                subtype_xmlid="mail.mt_note",
            )
