# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Turn the text of a Vietnamese administrative plan ("Kế hoạch") into data.

Pure Python: no database, no Odoo import, so it can be used from a wizard,
a script or a test. Entry point: :func:`parse_plan`.

The text usually comes out of a Word or PDF extraction, so the parser
expects, and repairs:

* lines broken in the middle of a sentence (joined back), with or without
  blank lines between them; a paragraph ends where a line ends with
  ``. ; : ! ?`` and the next one starts with a capital, where a blank line
  separates paragraphs (when blank lines are used that way), or after a
  short line;
* page numbers alone on a line ("3", "- 3 -", "Trang 3"), stray and
  multiple spaces, non-breaking spaces, decomposed Unicode (NFD) accents;
* the two header columns interleaved or side by side on one line (the
  header is read by recognising each printed element wherever it is);
* "Nơi nhận" and the signature block side by side (cells are split on
  runs of three or more spaces or tabs).

Decisions worth knowing (the output keys are described in
:func:`parse_plan`):

* ``number`` is only the number ("125"); ``None`` when it is left blank for
  the office to fill in ("Số:      /KH-SGD&ĐT"); ``symbol`` is "KH-SGD&ĐT".
* A basis document's ``title`` is the descriptive phrase printed after its
  issuer, kept as printed ("về thực hiện công tác dân vận chính quyền năm
  2022"); its kind ("Kế hoạch") is in ``kind``. A document cited without a
  number (a law) gets its name as ``title``.
* Deadlines are the dates introduced by "trước", "chậm nhất", "hạn chót",
  "không quá", "muộn nhất" or "thời hạn" (optionally followed by a time
  and "ngày"), including lists ("trước ngày 10/5 và ngày 30/10"). Ranges
  ("từ ngày … đến ngày …") and plain dates are not deadlines. A date
  without a year gets the plan year (``year_inferred`` is then True).
  Recurring deadlines ("trước ngày 20 hằng tháng") are listed apart in
  ``recurring_deadlines``.
* "./." (the end-of-text mark) is rendered as "." in texts.
* The "Lưu" recipient is normalised ("Lưu: VT,VP.(TBL10)." gives
  "Lưu: VT, VP"); the drafter's initials and copy count are kept in
  ``drafter_note`` ("TBL10"); ``recipients_raw`` keeps the lines as printed.
* A year mention is flagged ``mismatch`` when it differs from the plan year
  and is neither part of a date nor a horizon ("đến năm 2025"): the seed's
  "dân vận chính quyền năm 2021" in a 2022 plan is such a leftover.
"""

import re
import unicodedata
from datetime import date

__all__ = ["PlanParseError", "parse_plan"]


# The longest administrative plans run to a few thousand lines; the seed has
# about 400. Beyond this the text is refused (code 'too_large').
MAX_LINES = 5000


class PlanParseError(ValueError):
    """The text cannot be parsed into a plan.

    ``code`` is stable ('empty', 'not_a_plan', 'too_large') so that callers
    can show
    their own translated message.
    """

    def __init__(self, message, code):
        super().__init__(message)
        self.code = code


# ---------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------

# Characters that carry no text: zero-width spaces, soft hyphens, BOM.
INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u00ad\ufeff]")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]+")
# A gap between two printed columns on the same line.
COLUMN_GAP_RE = re.compile(r"\t+|\s{3,}")
SPACE_BEFORE_PUNCT_RE = re.compile(r"\s+([,.;:!?)\]”])")
SPACE_AFTER_OPEN_RE = re.compile(r"([(\[“])\s+")
# A page number alone on its line: "3", "- 3 -", "Trang 3", "3/12".
PAGE_NUMBER_RE = re.compile(
    r"^(?:[-–—]\s*)?(?:Trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*[-–—])?$",
    re.IGNORECASE,
)
# A line drawn under a heading: "______", "-----", "***".
RULE_LINE_RE = re.compile(r"^[\s_\-–—=*.…~]{3,}$")
END_MARK_RE = re.compile(r"\s*\./\.\s*$")

# Header ------------------------------------------------------------------
NATION_RE = re.compile(
    r"C[ỘO]NG\s+H(?:ÒA|OÀ|OA)\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM",
    re.IGNORECASE,
)
MOTTO_RE = re.compile(
    r"Độc\s+lập\s*[-–—]+\s*Tự\s+do\s*[-–—]+\s*Hạnh\s+phúc", re.IGNORECASE
)
# "Số: 125/KH-UBND", "Số:            /KH-SGD&ĐT" (blank number).
DOC_NUMBER_HEADER_RE = re.compile(
    r"(?<!\w)(?:Số|SỐ)\s*:?[\s.…_]*(?:(?P<number>\d+(?:/\d{4})?[a-zA-Z]?)[\s.…_]*)?"
    r"/\s*(?P<symbol>[^\W_][\w&.\-/]*[^\W_])"
)
# "ngày 10 tháng 02 năm 2022", with any part left blank.
ISSUE_DATE_WORDS_RE = re.compile(
    r"(?<!\w)ngày[\s.…_]*(?:(?P<day>\d{1,2})[\s.…_]*)?tháng[\s.…_]*"
    r"(?:(?P<month>\d{1,2})[\s.…_]*)?năm[\s.…_]*(?P<year>\d{4})",
    re.IGNORECASE,
)
ISSUE_DATE_NUMERIC_RE = re.compile(
    r"(?<!\w)ngày\s*(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})\s*[/.-]\s*"
    r"(?P<year>\d{4})",
    re.IGNORECASE,
)
# Administrative levels that complete a body name split over two lines.
ADMIN_LEVEL_RE = re.compile(
    r"^(?:TỈNH|THÀNH PHỐ|TP\.?|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN|ĐẶC KHU)\b"
)
BARE_BODY_RE = re.compile(
    r"^(?:ỦY|UỶ)\s+BAN\s+NHÂN\s+DÂN$|^UBND$|^HỘI\s+ĐỒNG\s+NHÂN\s+DÂN$"
)
# A body name printed in mixed case.
BODY_NAME_RE = re.compile(
    r"^(?:UBND|Ủy\s+ban|Uỷ\s+ban|Hội\s+đồng|Sở|Phòng|Trường|Ban|Bộ|Cục|Chi\s+cục|"
    r"Văn\s+phòng|Trung\s+tâm|Bệnh\s+viện|Công\s+an|Đảng\s+ủy)\s+[^\s,;:.]"
)
NAME_CONNECTOR_END_RE = re.compile(r"(?:\bVÀ|\bCỦA|[-–,&])$")

# Document type and title -------------------------------------------------
DOC_TYPE_RE = re.compile(
    r"^(?P<type>KẾ\s+HOẠCH|CHƯƠNG\s+TRÌNH\s+HÀNH\s+ĐỘNG|CHƯƠNG\s+TRÌNH|"
    r"QUYẾT\s+ĐỊNH|HƯỚNG\s+DẪN|THÔNG\s+BÁO|BÁO\s+CÁO|ĐỀ\s+ÁN|PHƯƠNG\s+ÁN|"
    r"CHỈ\s+THỊ|NGHỊ\s+QUYẾT|TỜ\s+TRÌNH|QUY\s+CHẾ|QUY\s+ĐỊNH|CÔNG\s+VĂN)"
    r"(?=$|[\s:])\s*:?\s*(?P<rest>.*)$"
)
YEAR_IN_TITLE_RE = re.compile(r"\bnăm\s+(\d{4})\b", re.IGNORECASE)
# Words after which a heading or title line surely goes on.
CONNECTOR_END_RE = re.compile(
    r"(?:\b(?:và|của|về|với|trong|cho|theo|tại|giữa|các|những|đối|từ|đến|để|"
    r"nhằm|trên|dưới|hoặc|cùng|là|có|được|thực|số|ngày|năm|giai|đoạn|tháng)"
    r"|[,(“&/-])$",
    re.IGNORECASE,
)
# Abbreviations whose final dot does not end a sentence.
ABBREVIATION_END_RE = re.compile(r"\b(?:TP|TX|Tp|ThS|TS|PGS|GS|v\.v|Th\.S)\.$")

# Structure markers (tested in this order) ---------------------------------
ROMAN_HEADING_RE = re.compile(r"^(?P<marker>[IVX]{1,5})\s*[.\-/)–:]\s*(?P<rest>\S.*)$")
DOTTED_HEADING_RE = re.compile(
    r"^(?P<marker>\d{1,2}(?:\.\d{1,2}){1,2})\.?\s+(?P<rest>(?:[^\W\d_]|[“\"(]).*)$"
)
ARABIC_HEADING_RE = re.compile(
    r"^(?P<marker>\d{1,2})(?P<sep>[.)])\s*(?P<rest>(?:[^\W\d_]|[“\"(]).*)$"
)
LETTER_HEADING_RE = re.compile(r"^(?P<marker>[a-zđ])(?P<sep>[).])\s*(?P<rest>\S.*)$")
BULLET_RE = re.compile(r"^(?P<marker>[-–—+•*▪●○◦])\s*(?P<rest>\S.*)$")
TABLE_SEPARATOR_RE = re.compile(r"^[\s|:+\-=]+$")
ROMAN_NUMERALS = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
    "XI", "XII", "XIII", "XIV", "XV",
]  # fmt: skip
LETTERS = "abcdđeghiklmnopqrstuvxy"

# Section roles -------------------------------------------------------------
PURPOSE_SECTION_RE = re.compile(r"MỤC\s+ĐÍCH|YÊU\s+CẦU|MỤC\s+TIÊU", re.IGNORECASE)
TASK_SECTION_RE = re.compile(
    r"NỘI\s+DUNG|NHIỆM\s+VỤ|GIẢI\s+PHÁP|HOẠT\s+ĐỘNG", re.IGNORECASE
)
IMPLEMENTATION_SECTION_RE = re.compile(r"TỔ\s+CHỨC\s+THỰC\s+HIỆN", re.IGNORECASE)
PURPOSE_ITEM_RE = re.compile(r"^Mục\s+đích\b", re.IGNORECASE)
REQUIREMENT_ITEM_RE = re.compile(r"^Yêu\s+cầu\b", re.IGNORECASE)
TARGET_ITEM_RE = re.compile(r"chỉ\s+tiêu", re.IGNORECASE)
TARGET_SECTION_RE = re.compile(r"CHỈ\s+TIÊU|MỤC\s+TIÊU", re.IGNORECASE)

# Basis ("Căn cứ …", "Thực hiện …") -----------------------------------------
# Words that open the first paragraph after the title.
INTRO_LEAD_RE = re.compile(
    r"^(?:Nhằm|Để|Trên\s+cơ\s+sở|Theo|Qua|Sau\s+khi|Với\s+mục|Thực\s+hiện|"
    r"Căn\s+cứ|Thi\s+hành)\b"
)
BASIS_LEAD_RE = re.compile(r"^(?:Căn\s+cứ|Thực\s+hiện|Thi\s+hành)\s+", re.IGNORECASE)
DOC_KINDS = (
    r"Hiến\s+pháp|Bộ\s+luật|Luật|Pháp\s+lệnh|Nghị\s+định|Nghị\s+quyết|"
    r"Quyết\s+định|Thông\s+tư(?:\s+liên\s+tịch)?|Chỉ\s+thị|Kết\s+luận|"
    r"Kế\s+hoạch|Chương\s+trình(?:\s+hành\s+động|\s+phối\s+hợp)?|Công\s+văn|"
    r"Công\s+điện|Hướng\s+dẫn|Thông\s+báo|Quy\s+chế(?:\s+phối\s+hợp)?|"
    r"Quy\s+định|Đề\s+án|Văn\s+bản"
)
DOC_KIND_RE = re.compile(rf"^(?P<kind>{DOC_KINDS})\b", re.IGNORECASE)
# "05/KH-UBND", "71/2020/NĐ-CP", "05-CT/TW", "3684/QCPH-CAT-SGD&ĐT".
DOC_REF_NUMBER_RE = re.compile(
    r"(?<![\w/])(?P<number>\d{1,5}(?:/\d{4})?[/-][^\W\d_][\w&]*(?:[/-][\w&]+)*)"
)
BASIS_SPLIT_RE = re.compile(
    rf";\s*|,?\s+(?:và|cùng)\s+(?=(?:{DOC_KINDS})\s+số\b)|,\s+(?=(?:{DOC_KINDS})\s+số\b)",
    re.IGNORECASE,
)
ISSUER_RE = re.compile(
    r"\bcủa\s+(?P<issuer>.+?)(?=\s+(?:về|v/v|V/V|hướng\s+dẫn|ban\s+hành|quy\s+định|"
    r"triển\s+khai|thực\s+hiện|phê\s+duyệt|thông\s+qua|tổ\s+chức|sửa\s+đổi)\b|[,;]|$)",
    re.IGNORECASE,
)
# A document whose number is left blank: "Kế hoạch số    /KH-SGD&ĐT".
BLANK_REF_NUMBER_RE = re.compile(
    r"(?<!\w)số\s*[.…_]*\s*(?P<number>/[^\W\d_][\w&]*(?:[/-][\w&]+)*)",
    re.IGNORECASE,
)
# A date with blank parts: "ngày    /02/2022".
PARTIAL_DATE_RE = re.compile(
    r"[\s,]*ngày[\s.…_]*/?\s*\d{1,2}\s*/\s*\d{4}", re.IGNORECASE
)
# The closing clause of an intro paragraph: ", Sở … xây dựng Kế hoạch như sau:".
BASIS_CONCLUSION_RE = re.compile(
    r",\s+[^,]*?\b(?:ban\s+hành|xây\s+dựng|triển\s+khai)\b[^,]*?"
    r"(?:như\s+sau|cụ\s+thể)[^,]*$",
    re.IGNORECASE,
)
DATE_NUMERIC_RE = re.compile(
    r"(?<![\w/])(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})\s*[/.-]\s*"
    r"(?P<year>\d{4})(?!\d)"
)
DATE_WORDS_RE = re.compile(
    r"\bngày\s+(?P<day>\d{1,2})\s+tháng\s+(?P<month>\d{1,2})\s+năm\s+(?P<year>\d{4})",
    re.IGNORECASE,
)
DATE_LEAD_RE = re.compile(r"^[\s,]*(?:ngày\s+)?$", re.IGNORECASE)

# Deadlines -----------------------------------------------------------------
DEADLINE_LEAD_RE = re.compile(
    r"(?<!\w)(?:trước|chậm\s+nhất(?:\s+(?:là|vào))?|hạn\s+chót(?:\s+là)?|"
    r"không\s+quá|muộn\s+nhất|hạn\s+cuối|thời\s+hạn(?:\s+nộp)?)\s*:?\s*"
    r"(?:\d{1,2}\s*(?:giờ|h)(?:\s*\d{2})?(?:\s*phút)?\s*,?\s*)?(?:ngày\s*)?"
    r"(?=\d)",
    re.IGNORECASE,
)
# "15/03/2022", "10/5", "15 tháng 3 năm 2022", "15 tháng 3".
DEADLINE_DATE_RE = re.compile(
    r"(?P<day>\d{1,2})(?:\s*[/.-]\s*(?P<month>\d{1,2})(?:\s*[/.-]\s*(?P<year>\d{4}))?"
    r"|\s+tháng\s+(?P<wmonth>\d{1,2})(?:\s*(?:năm\s+|/\s*)(?P<wyear>\d{4}))?)"
    r"(?![\d/])",
    re.IGNORECASE,
)
DEADLINE_MORE_RE = re.compile(
    r"\s*(?:,|;|và|hoặc)\s*(?:trước\s+)?(?:ngày\s*)?(?=\d)", re.IGNORECASE
)
RECURRING_DEADLINE_RE = re.compile(
    r"(?<!\w)(?:trước|chậm\s+nhất(?:\s+(?:là|vào))?)\s+ngày\s+(?P<day>\d{1,2})\s+"
    r"(?P<period>hằng|hàng|mỗi)\s+(?P<unit>tháng|quý)",
    re.IGNORECASE,
)
REPORT_KEYWORD_RE = re.compile(r"báo\s+cáo", re.IGNORECASE)
REGISTRATION_KEYWORD_RE = re.compile(r"đăng\s+ký|dân\s+vận\s+khéo", re.IGNORECASE)
CLAUSE_BOUNDARY_RE = re.compile(r"[.;!?](?=\s)")

# Targets -------------------------------------------------------------------
PERCENT_RE = re.compile(r"(?<![\d.,])(?P<value>\d{1,3}(?:[.,]\d{1,2})?)\s*%")
COUNT_TARGET_RE = re.compile(
    r"(?:ít\s+nhất|tối\s+thiểu|không\s+ít\s+hơn)\s+(?P<value>\d{1,4})\s+"
    r"(?P<what>[^\d\W][^.;,:()]{2,})",
    re.IGNORECASE,
)
TARGET_NAME_TAIL_RE = re.compile(
    r"\s+(?:đạt|đạt\s+tỷ\s+lệ|đạt\s+trên|trên|từ|là|ít\s+nhất|tối\s+thiểu|"
    r"phấn\s+đấu|khoảng|có)$",
    re.IGNORECASE,
)
TARGET_NAME_LEAD_RE = re.compile(
    r"^(?:phấn\s+đấu|bảo\s+đảm|đảm\s+bảo|có|đạt)(?:\s+|$)", re.IGNORECASE
)
TARGET_NAME_HEAD_RE = re.compile(r"^(?:trở\s+lên|trở\s+lên,)\s*", re.IGNORECASE)

# Years ---------------------------------------------------------------------
YEAR_MENTION_RE = re.compile(r"(?<!\w)năm\s+(?P<year>\d{4})(?!\d)", re.IGNORECASE)
YEAR_IN_DATE_RE = re.compile(r"tháng\s*[\d.…_ ]*\s*$", re.IGNORECASE)
YEAR_HORIZON_RE = re.compile(
    r"(?:đến|tới|từ|sau|tầm\s+nhìn|định\s+hướng|giai\s+đoạn|trước|cuối|đầu)\s*$",
    re.IGNORECASE,
)

# Footer --------------------------------------------------------------------
RECIPIENTS_RE = re.compile(r"^Nơi\s+nhận\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
CAPACITY_RE = re.compile(r"^(?:KT|TM|TL|TUQ|Q|QUYỀN|K/T|T/M)\s*\.?\s+\S")
SIGNER_TITLE_RE = re.compile(
    r"\b(?:GIÁM\s+ĐỐC|CHỦ\s+TỊCH|TRƯỞNG|PHÓ|HIỆU\s+TRƯỞNG|BÍ\s+THƯ|CHÁNH|"
    r"THỦ\s+TRƯỞNG|TỔNG|ỦY\s+VIÊN|THƯỜNG\s+TRỰC|VỤ\s+TRƯỞNG|CỤC\s+TRƯỞNG)\b"
)
SIGN_NOTE_RE = re.compile(
    r"^\(?\s*(?:đã\s+ký|ký|ký\s+tên|ký,.*|ký\s+và.*|chữ\s+ký.*|đóng\s+dấu.*)\s*\)?$",
    re.IGNORECASE,
)
ARCHIVE_RE = re.compile(
    r"^Lưu\s*:?\s*(?P<list>.*?)[\s.;]*(?:\((?P<note>[^)]*)\))?[\s.;]*$",
    re.IGNORECASE,
)
APPENDIX_RE = re.compile(r"^PHỤ\s+LỤC\b")

HEADING_MAX_CHARS = 150
# A footer cell indented this far is in the signature column.
RIGHT_COLUMN_OFFSET = 30
SHORT_NAME_CHARS = 120
CONTEXT_CHARS = 300
# How far a clause is looked for around a deadline or an indicator.
CLAUSE_WINDOW = 400


# ---------------------------------------------------------------------------
# Small text helpers
# ---------------------------------------------------------------------------


def _clean(text):
    """Collapse spaces, remove spaces before punctuation, strip."""
    text = SPACES_RE.sub(" ", text or "").strip()
    text = SPACE_BEFORE_PUNCT_RE.sub(r"\1", text)
    text = SPACE_AFTER_OPEN_RE.sub(r"\1", text)
    return text


def _join_lines(lines):
    """Join the source lines of one paragraph into one clean string."""
    text = ""
    for line in lines:
        if text.endswith(("-", "/")) and line[:1].isdigit():
            text += line
        else:
            text = f"{text} {line}" if text else line
    return _clean(END_MARK_RE.sub(".", text))


def _first_letter(text):
    for char in text:
        if char.isalpha():
            return char
        if char.isdigit():
            return None
    return None


def _starts_lowercase(text):
    char = _first_letter(text[:3])
    return bool(char and char.islower())


def _starts_continuation(text):
    """A line that cannot start a paragraph: lowercase, digit or punctuation."""
    first = text[:1]
    return _starts_lowercase(text) or first.isdigit() or first in ",.;:)]}%"


def _ends_sentence(text, colon=True):
    """Does the line end a sentence? A colon counts unless ``colon`` is False."""
    text = text.rstrip(" ”\"')]")
    if ABBREVIATION_END_RE.search(text):
        return False
    return text.endswith((".", ";", "!", "?", ":") if colon else (".", ";", "!", "?"))


def _ends_with_connector(text):
    return bool(CONNECTOR_END_RE.search(text.rstrip()))


def _is_upper_text(text):
    letters = [char for char in text if char.isalpha()]
    if len(letters) < 2:
        return False
    return sum(char.isupper() for char in letters) >= 0.8 * len(letters)


def _strip_title(text):
    return _clean(text).rstrip(" .:;,")


def _shorten(text, limit=SHORT_NAME_CHARS):
    text = _clean(text)
    sentence = re.split(r"(?<=[.;:])\s", text, maxsplit=1)[0].rstrip(" .;:")
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0]
    return f"{cut}…"


def _capitalize(text):
    return text[:1].upper() + text[1:] if text else text


def _make_date(day, month, year):
    try:
        return date(int(year), int(month), int(day))
    except (TypeError, ValueError):
        return None


def _cells(raw):
    """Split a raw line into the cells of side-by-side columns."""
    return [_clean(cell) for cell in COLUMN_GAP_RE.split(raw) if _clean(cell)]


# ---------------------------------------------------------------------------
# Lines and regions
# ---------------------------------------------------------------------------


class _Line:
    """One source line: ``raw`` keeps the spacing (columns), ``text`` is clean."""

    __slots__ = ("raw", "text")

    def __init__(self, raw):
        self.raw = raw.rstrip()
        self.text = _clean(raw)


def _normalize(text):
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig", errors="replace")
    text = unicodedata.normalize("NFC", text or "")
    text = INVISIBLE_RE.sub("", text)
    text = CONTROL_RE.sub(" ", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return text.replace("\u00a0", " ").replace("\u2028", "\n")


def _read_lines(text):
    """Return the lines, with page numbers blanked out."""
    lines = [_Line(raw) for raw in text.split("\n")]
    for line in lines:
        if PAGE_NUMBER_RE.match(line.text):
            line.text = ""
    return lines


def _find_doc_type(lines):
    """Index and match of the document type line ("KẾ HOẠCH"), if any."""
    seen = 0
    for index, line in enumerate(lines):
        if not line.text:
            continue
        seen += 1
        if seen > 60 or _is_section_start(line.text):
            break
        match = DOC_TYPE_RE.match(line.text)
        if match and _is_upper_text(match["type"]):
            return index, match
    return None, None


def _is_section_start(text):
    match = ROMAN_HEADING_RE.match(text)
    return bool(match and match["marker"] == "I" and _is_upper_text(match["rest"]))


def _is_header_line(line):
    text = line.text
    return bool(
        not text
        or RULE_LINE_RE.match(text)
        or NATION_RE.search(text)
        or MOTTO_RE.search(text)
        or DOC_NUMBER_HEADER_RE.search(text)
        or ISSUE_DATE_WORDS_RE.search(text)
        or (_is_upper_text(text) and not ROMAN_HEADING_RE.match(text))
    )


def _footer_cell_starts(cell):
    return bool(RECIPIENTS_RE.match(cell) or CAPACITY_RE.match(cell))


def _find_appendix(lines, start):
    """Index of the "PHỤ LỤC" heading that closes the plan, else the end."""
    for index in range(start, len(lines)):
        if APPENDIX_RE.match(lines[index].text):
            return index
    return len(lines)


def _find_footer(lines, start):
    """Index of the first line of the recipients/signature block."""
    for index in range(start, len(lines)):
        if any(_footer_cell_starts(cell) for cell in _cells(lines[index].raw)):
            return index
    # No "Nơi nhận" and no "KT." line: a bare signer title near the end.
    tail = [i for i in range(start, len(lines)) if lines[i].text][-12:]
    for index in tail:
        text = lines[index].text
        if (
            _is_upper_text(text)
            and SIGNER_TITLE_RE.search(text)
            and len(text) <= 60
            and not ROMAN_HEADING_RE.match(text)
        ):
            return index
    return len(lines)


# ---------------------------------------------------------------------------
# Header
# ---------------------------------------------------------------------------


def _take(raw, match):
    """Blank out a recognised span so that the rest splits into cells."""
    return raw[: match.start()] + "   " + raw[match.end() :]


def _take_place(raw, match):
    """Find the place printed just before the date; return (place, raw)."""
    prefix = raw[: match.start()]
    stripped = prefix.rstrip(" ,")
    pieces = COLUMN_GAP_RE.split(stripped)
    candidate = _clean(pieces[-1]) if pieces else ""
    words = candidate.split()
    if (
        candidate
        and len(words) <= 6
        and candidate[0].isupper()
        and not any(char.isdigit() for char in candidate)
    ):
        start = len(stripped) - len(pieces[-1])
        return candidate, raw[:start] + "   " + raw[match.end() :]
    return None, _take(raw, match)


def _is_body_name(cell):
    """A printed body name: in capitals, or starting like one ("Sở …")."""
    if any(char.isdigit() for char in cell) or len(cell) > 90:
        return False
    return _is_upper_text(cell) or bool(BODY_NAME_RE.match(cell))


def _merge_body_names(names):
    """Join body names that were printed over two lines."""
    merged = []
    for name in names:
        if merged and (
            BARE_BODY_RE.match(merged[-1])
            or NAME_CONNECTOR_END_RE.search(merged[-1])
            or (ADMIN_LEVEL_RE.match(name) and not _has_admin_level(merged[-1]))
        ):
            merged[-1] = f"{merged[-1]} {name}"
        else:
            merged.append(name)
    return merged


def _has_admin_level(name):
    return bool(
        re.search(
            r"\b(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN|TP)\b", name
        )
    )


def _parse_header(lines, result, unplaced):
    names = []
    for line in lines:
        raw = line.raw
        if not line.text:
            continue
        for pattern, key in ((NATION_RE, "nation"), (MOTTO_RE, "motto")):
            match = pattern.search(raw)
            if match:
                result[key] = _clean(match.group(0))
                raw = _take(raw, match)
        match = DOC_NUMBER_HEADER_RE.search(raw)
        if match and result["symbol"] is None:
            result["number"] = match["number"] or None
            result["symbol"] = match["symbol"]
            raw = _take(raw, match)
        match = ISSUE_DATE_WORDS_RE.search(raw) or ISSUE_DATE_NUMERIC_RE.search(raw)
        if match and result["date_partial"] is None:
            place, raw = _take_place(raw, match)
            result["place"] = place
            day, month, year = (match[k] for k in ("day", "month", "year"))
            result["date_partial"] = {
                "day": int(day) if day else None,
                "month": int(month) if month else None,
                "year": int(year) if year else None,
            }
            result["date_issued"] = _make_date(day, month, year)
        for cell in _cells(raw):
            if RULE_LINE_RE.match(cell):
                continue
            if _is_body_name(cell):
                names.append(cell.strip(" -–_"))
            else:
                unplaced.append(cell)
    names = _merge_body_names([name for name in names if name])
    if len(names) >= 2:
        result["governing_body"], result["issuing_body"] = names[0], names[1]
        unplaced.extend(names[2:])
    elif names:
        result["issuing_body"] = names[0]


# ---------------------------------------------------------------------------
# Title
# ---------------------------------------------------------------------------


def _parse_title(lines, start, first_part):
    """Collect the title lines after the document type; return (title, end)."""
    parts = [first_part] if first_part else []
    index = start
    while index < len(lines):
        text = lines[index].text
        if not text:
            index += 1
            continue
        if RULE_LINE_RE.match(text):
            index += 1
            if parts:
                break
            continue
        if parts and not _title_goes_on(parts, text):
            break
        if not parts and (_marker_kind(text) or _is_citation(text)):
            following = next(
                (line.text for line in lines[index + 1 :] if line.text), ""
            )
            if not (_is_citation(text) and RULE_LINE_RE.match(following)):
                break
        parts.append(text)
        index += 1
        if sum(len(part) for part in parts) > 300:
            break
    return (_join_lines(parts) or None), index


def _is_citation(text):
    """A "Căn cứ …" / "Thực hiện …" line that cites a document."""
    lead = BASIS_LEAD_RE.match(text)
    if not lead:
        return False
    rest = text[lead.end() :]
    return bool(DOC_KIND_RE.match(rest) or DOC_REF_NUMBER_RE.search(rest))


def _title_goes_on(parts, text):
    """Is ``text`` the next line of the title collected in ``parts``?"""
    previous = parts[-1]
    if _marker_kind(text) or BASIS_LEAD_RE.match(text) or INTRO_LEAD_RE.match(text):
        return False
    if _starts_continuation(text):
        return True
    if _ends_sentence(previous):
        return False
    if (
        (_is_upper_text(previous) and _is_upper_text(text))
        or _ends_with_connector(previous)
        or text.startswith(("“", '"'))
    ):
        return True
    # A short line without final punctuation, right under a short title.
    return len(parts) < 3 and len(text) < 70 and not _ends_sentence(text)


# ---------------------------------------------------------------------------
# Body: paragraphs ("blocks")
# ---------------------------------------------------------------------------


class _Block:
    """A paragraph of the body; headings keep their marker apart."""

    __slots__ = ("kind", "marker", "prefix", "lines")

    def __init__(self, kind, marker, prefix, first_line):
        self.kind = kind
        self.marker = marker
        self.prefix = prefix
        self.lines = [first_line]

    @property
    def text(self):
        if self.kind == "table":
            return self.lines[0]
        return _join_lines(self.lines)

    @property
    def is_heading(self):
        return self.kind in HEADING_KINDS

    def render(self):
        """The paragraph as printed, marker included."""
        return f"{self.prefix} {self.text}" if self.prefix else self.text


HEADING_KINDS = ("roman", "dotted", "arabic", "arabic_paren", "letter", "letter_dot")


def _marker_kind(text):
    """Return (kind, marker, prefix, rest) when the line starts with a marker."""
    match = ROMAN_HEADING_RE.match(text)
    if match and match["marker"] in ROMAN_NUMERALS and match["rest"][0].isupper():
        prefix = text[: match.start("rest")].strip()
        return "roman", match["marker"], prefix, match["rest"]
    match = DOTTED_HEADING_RE.match(text)
    if match:
        return "dotted", match["marker"], match["marker"] + ".", match["rest"]
    match = ARABIC_HEADING_RE.match(text)
    if match:
        kind = "arabic" if match["sep"] == "." else "arabic_paren"
        return kind, match["marker"], match["marker"] + match["sep"], match["rest"]
    match = LETTER_HEADING_RE.match(text)
    if match and (match["sep"] == ")" or match["rest"][:1].isupper()):
        kind = "letter" if match["sep"] == ")" else "letter_dot"
        return kind, match["marker"], match["marker"] + match["sep"], match["rest"]
    match = BULLET_RE.match(text)
    if match:
        return "bullet", match["marker"], match["marker"], match["rest"]
    return None


def _table_row(line):
    """The cells of a table row ("| a | b |" or tab separated), else None."""
    raw = line.raw.strip()
    if raw.count("|") >= 2:
        cells = [_clean(cell) for cell in raw.strip("|").split("|")]
    elif "\t" in raw:
        cells = [_clean(cell) for cell in raw.split("\t")]
    else:
        return None
    cells = [cell for cell in cells if cell]
    return cells if len(cells) >= 2 else None


class _Layout:
    """How paragraphs are laid out in this extraction."""

    def __init__(self, lines):
        lengths = sorted(len(line.text) for line in lines if line.text)
        width = lengths[int(len(lengths) * 0.8)] if lengths else 80
        self.word_mode = width > 130
        self.short_line = 0.6 * width
        pairs = gaps = 0
        previous_blank = None
        for line in lines:
            if not line.text:
                if previous_blank is not None:
                    previous_blank = True
                continue
            if previous_blank is not None:
                pairs += 1
                gaps += previous_blank
            previous_blank = False
        ratio = gaps / pairs if pairs else 0
        self.blank_breaks = 0 < ratio < 0.6


def _continues(block, text, gap, layout):
    """Does ``text`` go on the paragraph ``block`` rather than start one?"""
    previous = block.lines[-1]
    if block.kind == "table" or END_MARK_RE.search(previous):
        return False
    if _starts_lowercase(text):
        return True
    if layout.blank_breaks and gap:
        return False
    if block.kind == "roman":
        return _is_upper_text(text)
    if block.is_heading:
        if _ends_sentence(previous):
            return False
        return _starts_continuation(text) or _ends_with_connector(previous)
    if layout.word_mode or _ends_sentence(previous, colon=False):
        # A colon inside a wrapped paragraph often introduces the rest of it.
        return False
    if len(previous) < layout.short_line and not _ends_with_connector(previous):
        return _starts_continuation(text)
    return True


def _build_blocks(lines):
    layout = _Layout(lines)
    blocks = []
    current = None
    gap = False
    for line in lines:
        text = line.text
        if not text:
            gap = current is not None
            continue
        if RULE_LINE_RE.match(text):
            current = None
            gap = False
            continue
        cells = _table_row(line)
        marker = _marker_kind(text)
        if cells:
            if TABLE_SEPARATOR_RE.match(line.raw):
                continue
            current = _Block("table", None, "", " | ".join(cells))
            blocks.append(current)
        elif marker:
            kind, value, prefix, rest = marker
            current = _Block(kind, value, prefix, rest)
            blocks.append(current)
        elif current is not None and _continues(current, text, gap, layout):
            current.lines.append(text)
        else:
            current = _Block("text", None, "", text)
            blocks.append(current)
        gap = False
    return blocks


# ---------------------------------------------------------------------------
# Body: sections and items
# ---------------------------------------------------------------------------


def _split_heading(text):
    """Split a numbered heading paragraph into (title, text)."""
    match = re.match(r"^(?P<title>[^:]{2,100}?)\s*:\s*(?P<rest>\S.*)$", text)
    if match:
        return _strip_title(match["title"]), match["rest"]
    if len(text) <= HEADING_MAX_CHARS:
        return _strip_title(text), ""
    for found in re.finditer(r"\.\s+", text[: HEADING_MAX_CHARS + 2]):
        following = text[found.end() : found.end() + 1]
        if following.isupper() and found.start() >= 10:
            return _strip_title(text[: found.start()]), text[found.end() :]
    return "", text


def _sequence_index(kind, marker):
    if kind in ("letter", "letter_dot"):
        return LETTERS.index(marker) + 1 if marker in LETTERS else None
    if kind == "roman":
        return ROMAN_NUMERALS.index(marker) + 1 if marker in ROMAN_NUMERALS else None
    return int(marker.split(".")[-1])


def _is_next(kind, marker, siblings):
    """Does ``marker`` follow the last sibling (allowing one skipped number)?"""
    index = _sequence_index(kind, marker)
    if index is None:
        return False
    previous = _sequence_index(kind, siblings[-1]["number"]) if siblings else 0
    return previous < index <= previous + 2


def _new_node(block, code):
    title, text = _split_heading(block.text)
    node = {
        "number": block.marker,
        "prefix": block.prefix,
        "title": title,
        "code": code,
        "paragraphs": [text] if text else [],
        "split": bool(text),
        "heading": block.text,
    }
    return node


def _section_blocks_kind(blocks):
    """Which kind of block opens sections: Roman numerals, else uppercase 1."""
    if any(b.kind == "roman" and b.marker == "I" for b in blocks):
        return "roman"
    if any(b.kind == "arabic" and _is_upper_text(b.text) for b in blocks):
        return "arabic"
    return None


def _assemble(blocks):
    """Group the blocks into the intro and the sections with their items."""
    section_kind = _section_blocks_kind(blocks)
    intro, sections = [], []
    for block in blocks:
        if (
            section_kind
            and block.kind == section_kind
            and (section_kind == "roman" or _is_upper_text(block.text))
            and _is_next(block.kind, block.marker, sections)
        ):
            section = _new_node(block, block.marker)
            section.update(numeral=block.marker, items=[], styles=[])
            sections.append(section)
        elif not sections:
            intro.append(block)
        else:
            _add_to_section(sections[-1], block)
    return intro, sections


def _child_code(parent_code, marker):
    """Code of a child: II + 1 gives II.1; a dotted 2.1 under 2 gives 2.1."""
    return f"{parent_code}.{marker.split('.')[-1]}"


def _add_to_section(section, block):
    styles = section["styles"]
    items = section["items"]
    if block.is_heading and block.kind != "roman":
        if not styles:
            styles.append(block.kind)
        if block.kind == styles[0] and _is_next(block.kind, block.marker, items):
            code = _child_code(section["numeral"], block.marker)
            item = _new_node(block, code)
            item["subitems"] = []
            items.append(item)
            del styles[1:]
            return
        if items and block.kind != styles[0]:
            if len(styles) == 1:
                styles.append(block.kind)
            subitems = items[-1]["subitems"]
            if block.kind == styles[1] and _is_next(block.kind, block.marker, subitems):
                code = _child_code(items[-1]["code"], block.marker)
                subitems.append(_new_node(block, code))
                return
    target = section
    if items:
        target = items[-1]["subitems"][-1] if items[-1]["subitems"] else items[-1]
    target["paragraphs"].append(block.render())


def _node_body(node):
    """Paragraphs under the heading (not the part printed on it) and children."""
    parts = list(node["paragraphs"][1:] if node["split"] else node["paragraphs"])
    for child in node.get("subitems", []):
        parts.extend(_render_node(child))
    return parts


def _render_node(node):
    """The node as printed: its heading line, then its body."""
    return [f"{node['prefix']} {node['heading']}", *_node_body(node)]


def _node_text(node):
    """The text of a node: what follows its title, children included."""
    parts = node["paragraphs"][:1] if node["split"] else []
    return "\n".join(part for part in parts + _node_body(node) if part)


def _section_text(section):
    parts = list(section["paragraphs"])
    for item in section["items"]:
        parts.extend(_render_node(item))
    return "\n".join(part for part in parts if part)


def _public_node(node):
    out = {"number": node["number"], "title": node["title"], "text": _node_text(node)}
    if node.get("subitems"):
        out["subitems"] = [_public_node(child) for child in node["subitems"]]
    return out


def _public_section(section):
    return {
        "numeral": section["numeral"],
        "title": section["title"],
        "lead_text": "\n".join(section["paragraphs"]),
        "text": _section_text(section),
        "items": [_public_node(item) for item in section["items"]],
    }


def _segments(intro, sections):
    """(location, task code or None, text) for every piece of body text."""
    segments = [("intro", None, block.render()) for block in intro]
    for section in sections:
        segments.append((section["numeral"], None, section["heading"]))
        segments.extend((section["numeral"], None, p) for p in section["paragraphs"])
        for item in section["items"]:
            nodes = [item, *item["subitems"]]
            for node in nodes:
                if node["title"]:
                    segments.append((node["code"], item["code"], node["title"]))
                segments.extend(
                    (node["code"], item["code"], p) for p in node["paragraphs"]
                )
    return segments


def _find_section(sections, pattern, exclude=None):
    for section in sections:
        title = section["title"]
        if pattern.search(title) and not (exclude and exclude.search(title)):
            return section
    return None


def _task_section(sections):
    candidates = [
        s
        for s in sections
        if TASK_SECTION_RE.search(s["title"])
        and not IMPLEMENTATION_SECTION_RE.search(s["title"])
        and not re.search(r"MỤC\s+ĐÍCH", s["title"], re.IGNORECASE)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda s: (len(s["items"]), -sections.index(s)))


def _tasks(section):
    if section is None:
        return []
    tasks = []
    for sequence, item in enumerate(section["items"], 1):
        text = _node_text(item)
        tasks.append(
            {
                "code": item["code"],
                "number": item["number"],
                "sequence": sequence,
                "name": item["title"] or _shorten(text),
                "description": text,
            }
        )
    if tasks:
        return tasks
    # No numbered items: each bullet paragraph is a task.
    bullets = [p for p in section["paragraphs"] if BULLET_RE.match(p)]
    for sequence, paragraph in enumerate(bullets, 1):
        text = BULLET_RE.match(paragraph)["rest"]
        tasks.append(
            {
                "code": f"{section['numeral']}.{sequence}",
                "number": str(sequence),
                "sequence": sequence,
                "name": _shorten(text),
                "description": text,
            }
        )
    return tasks


# ---------------------------------------------------------------------------
# Basis documents
# ---------------------------------------------------------------------------


def _find_date(text):
    """First date in ``text`` (numeric or in words): (date, match)."""
    found = [m for m in (DATE_NUMERIC_RE.search(text), DATE_WORDS_RE.search(text)) if m]
    if not found:
        return None, None
    match = min(found, key=lambda m: m.start())
    return _make_date(match["day"], match["month"], match["year"]), match


def _parse_basis_segment(segment):
    """One cited document: {kind, number, date, issuer, title, raw} or None."""
    segment = _clean(segment).strip(" ;,.")
    kind = DOC_KIND_RE.match(segment)
    number = DOC_REF_NUMBER_RE.search(segment) or BLANK_REF_NUMBER_RE.search(segment)
    if not kind and not number:
        return None
    entry = {
        "kind": _clean(kind["kind"]) if kind else None,
        "number": number["number"] if number else None,
        "date": None,
        "issuer": None,
        "title": None,
        "raw": segment,
    }
    if number:
        # "Kế hoạch số 05/KH-UBND, ngày 14/01/2022 của … về …"
        position = number.end()
        doc_date, found = _find_date(segment[position:])
        if found and DATE_LEAD_RE.match(segment[position : position + found.start()]):
            entry["date"] = doc_date
            position += found.end()
        else:
            partial = PARTIAL_DATE_RE.match(segment, position)
            position = partial.end() if partial else position
    else:
        # "Luật Giáo dục ngày 14 tháng 6 năm 2019": the name is the title.
        doc_date, found = _find_date(segment)
        name = segment[: found.start()] if found else segment
        entry["title"] = _clean(re.sub(r"\s+ngày\s*$", "", name)).strip(" ,;.")
        entry["date"] = doc_date
        position = found.end() if found else len(segment)
    tail = BASIS_CONCLUSION_RE.sub("", segment[position:]).lstrip(" ,")
    issuer = ISSUER_RE.match(tail)
    if issuer:
        entry["issuer"] = _clean(issuer["issuer"])
        tail = tail[issuer.end() :]
    rest = _clean(tail).strip(" ,;.")
    if rest:
        entry["title"] = f"{entry['title']} {rest}" if entry["title"] else rest
    return entry


def _parse_basis(intro_blocks):
    basis = []
    for block in intro_blocks:
        text = block.text
        lead = BASIS_LEAD_RE.match(text)
        if not lead:
            continue
        for segment in BASIS_SPLIT_RE.split(text[lead.end() :]):
            segment = BASIS_LEAD_RE.sub("", _clean(segment))
            entry = _parse_basis_segment(segment) if segment else None
            if entry:
                basis.append(entry)
    return basis


# ---------------------------------------------------------------------------
# Deadlines, targets, years
# ---------------------------------------------------------------------------


def _clause_bounds(text, start, end):
    """Start and end of the clause around text[start:end] (within a window)."""
    window_start = max(0, start - CLAUSE_WINDOW)
    clause_start = window_start
    for found in CLAUSE_BOUNDARY_RE.finditer(text, window_start, start):
        clause_start = found.end()
    found = CLAUSE_BOUNDARY_RE.search(text, end, end + CLAUSE_WINDOW)
    clause_end = found.end() if found else min(len(text), end + CLAUSE_WINDOW)
    return clause_start, clause_end


def _deadline_kind(before, heading):
    """'report', 'registration' or 'task', from the words before the date."""
    last = {}
    for kind, pattern in (
        ("report", REPORT_KEYWORD_RE),
        ("registration", REGISTRATION_KEYWORD_RE),
    ):
        for found in pattern.finditer(before):
            last[kind] = found.end()
    if last:
        return max(last, key=last.get)
    if REPORT_KEYWORD_RE.search(heading or ""):
        return "report"
    return "task"


def _deadline_dates(text, position, year):
    """Parse the date list starting at ``position``; yield (match, date, inferred)."""
    while True:
        match = DEADLINE_DATE_RE.match(text, position)
        if not match:
            return
        month = match["month"] or match["wmonth"]
        explicit = match["year"] or match["wyear"]
        if month is None:
            return
        value = (
            _make_date(match["day"], month, explicit or year)
            if (explicit or year)
            else None
        )
        yield match, value, not explicit
        more = DEADLINE_MORE_RE.match(text, match.end())
        if not more:
            return
        position = more.end()


def _find_deadlines(segments, year, headings, task_codes):
    deadlines, recurring = [], []
    for location, code, text in segments:
        task_code = code if code in task_codes else None
        consumed = 0
        for lead in DEADLINE_LEAD_RE.finditer(text):
            if lead.start() < consumed:
                continue
            clause_start, clause_end = _clause_bounds(text, lead.start(), lead.end())
            context = text[clause_start:clause_end].strip()[:CONTEXT_CHARS]
            kind = _deadline_kind(
                text[clause_start : lead.start()], headings.get(location)
            )
            found = list(_deadline_dates(text, lead.end(), year))
            if not found:
                continue
            consumed = found[-1][0].end()
            raw = _clean(text[lead.start() : consumed])
            for _match, value, inferred in found:
                deadlines.append(
                    {
                        "date": value,
                        "raw": raw,
                        "kind": kind,
                        "context": context,
                        "location": location,
                        "task_code": task_code,
                        "year_inferred": inferred,
                    }
                )
        for match in RECURRING_DEADLINE_RE.finditer(text):
            clause_start, clause_end = _clause_bounds(text, match.start(), match.end())
            recurring.append(
                {
                    "day": int(match["day"]),
                    "every": "month" if match["unit"].lower() == "tháng" else "quarter",
                    "raw": _clean(match.group(0)),
                    "kind": _deadline_kind(text[clause_start : match.start()], None),
                    "context": text[clause_start:clause_end].strip()[:CONTEXT_CHARS],
                    "location": location,
                    "task_code": task_code,
                }
            )
    return deadlines, recurring


def _percent_target_name(text, match):
    """Name an indicator: its clause without the percentage and filler words."""
    clause_start, clause_end = _clause_bounds(text, match.start(), match.end())
    before = text[clause_start : match.start()]
    comma = before.rfind(",")
    if comma != -1 and not before[comma + 1 :].strip():
        before = ""  # "…, 100% các trường …": the percentage opens the chunk
    head = TARGET_NAME_TAIL_RE.sub("", _clean(before))
    head = TARGET_NAME_LEAD_RE.sub("", head)
    after = _clean(text[match.end() : clause_end]).rstrip(" .;")
    after = TARGET_NAME_HEAD_RE.sub("", after)
    name = _clean(f"{head} {after}")
    return _capitalize(_shorten(name, 160)), _clean(text[clause_start:clause_end])


def _within(location, scopes):
    return any(
        location == scope or location.startswith(f"{scope}.") for scope in scopes
    )


def _find_targets(segments, task_codes, scopes):
    """Indicators in the tasks (``task_codes``) and in target sections (``scopes``)."""
    targets = []
    for location, code, text in segments:
        if not _within(location, task_codes | scopes):
            continue
        task_code = code if code in task_codes else None
        for match in PERCENT_RE.finditer(text):
            name, raw = _percent_target_name(text, match)
            targets.append(
                {
                    "task_code": task_code,
                    "location": location,
                    "name": name,
                    "measure": "percent",
                    "target_value": float(match["value"].replace(",", ".")),
                    "raw": raw[:CONTEXT_CHARS],
                }
            )
        for match in COUNT_TARGET_RE.finditer(text):
            clause_start, clause_end = _clause_bounds(text, match.start(), match.end())
            clause = _clean(text[clause_start:clause_end]).rstrip(" .;")
            name = _clean(text[clause_start : match.end()]).rstrip(" .;")
            targets.append(
                {
                    "task_code": task_code,
                    "location": location,
                    "name": _capitalize(_shorten(name, 160)),
                    "measure": "count",
                    "target_value": float(match["value"]),
                    "raw": clause[:CONTEXT_CHARS],
                }
            )
    return targets


def _context_words(text, start, end, before=60, after=40):
    """Whole words around text[start:end]."""
    left = text.rfind(" ", 0, max(0, start - before)) + 1 if start > before else 0
    right = text.find(" ", end + after)
    return _clean(text[left : right if right != -1 else len(text)])


def _year_mentions(pieces, plan_year):
    mentions = []
    for location, text in pieces:
        for match in YEAR_MENTION_RE.finditer(text or ""):
            before = text[max(0, match.start() - 40) : match.start()]
            year = int(match["year"])
            if YEAR_IN_DATE_RE.search(before):
                kind = "date"
            elif YEAR_HORIZON_RE.search(before):
                kind = "horizon"
            else:
                kind = "plain"
            mentions.append(
                {
                    "year": year,
                    "kind": kind,
                    "location": location,
                    "context": _context_words(text, match.start(), match.end()),
                    "mismatch": bool(
                        plan_year and kind == "plain" and year != plan_year
                    ),
                }
            )
    return mentions


# ---------------------------------------------------------------------------
# Footer: recipients and signature
# ---------------------------------------------------------------------------


def _add_recipient(result, text):
    text = _clean(text)
    result["recipients_raw"].append(text)
    archive = ARCHIVE_RE.match(text)
    if archive:
        names = re.sub(r"\s*,\s*", ", ", archive["list"]).strip(" ,;.")
        text = f"Lưu: {names}" if names else "Lưu"
        if archive["note"]:
            result["drafter_note"] = _clean(archive["note"])
    result["recipients"].append(text.rstrip(" ;,.").strip())


def _looks_like_name(text):
    words = text.split()
    return (
        2 <= len(words) <= 6
        and all(
            word[:1].isupper() and word.replace("-", "").isalpha() for word in words
        )
        and not SIGNER_TITLE_RE.search(text)
    )


def _cells_with_offsets(raw):
    """(offset, cell) for the cells of side-by-side columns."""
    cells = []
    position = 0
    for piece in COLUMN_GAP_RE.split(raw):
        offset = raw.find(piece, position)
        position = offset + len(piece)
        if _clean(piece):
            cells.append((offset + len(piece) - len(piece.lstrip()), _clean(piece)))
    return cells


class _Footer:
    """Sorts the cells of the recipients / signature block."""

    def __init__(self, result, unplaced):
        self.result = result
        self.unplaced = unplaced
        self.capacity = []
        self.titles = []

    @property
    def signing(self):
        return bool(self.capacity or self.titles)

    @property
    def open_recipient(self):
        raw = self.result["recipients_raw"]
        return bool(raw) and not _ends_sentence(raw[-1])

    def add(self, cell, right_column):
        """Place one cell; the right column holds only the signature."""
        listed = RECIPIENTS_RE.match(cell) or BULLET_RE.match(cell)
        if listed and not right_column:
            self._add_recipient(cell)
        elif not (
            self._add_signature(cell)
            or (not right_column and self._add_continuation(cell))
        ):
            self.unplaced.append(cell)

    def _add_signature(self, cell):
        result = self.result
        signed = result["signer_name"] is not None
        if CAPACITY_RE.match(cell) and not signed:
            self.capacity.append(cell)
        elif SIGN_NOTE_RE.match(cell):
            result["signature_notes"].append(cell)
        elif _is_upper_text(cell) and SIGNER_TITLE_RE.search(cell) and not signed:
            self.titles.append(cell)
        elif (
            self.signing
            and not signed
            and (_looks_like_name(cell) or _is_upper_text(cell))
            and not cell.endswith((";", ","))
        ):
            result["signer_name"] = cell
        else:
            return False
        return True

    def _add_recipient(self, cell):
        head = RECIPIENTS_RE.match(cell)
        if head is None:
            _add_recipient(self.result, BULLET_RE.match(cell)["rest"])
        elif head["rest"]:
            _add_recipient(self.result, BULLET_RE.sub(r"\g<rest>", head["rest"]))

    def _add_continuation(self, cell):
        """A recipient printed over two lines."""
        if not self.open_recipient:
            return False
        previous = self.result["recipients_raw"].pop()
        self.result["recipients"].pop()
        _add_recipient(self.result, f"{previous} {cell}")
        return True


def _parse_footer(lines, result, unplaced):
    footer = _Footer(result, unplaced)
    for line in lines:
        if not line.text:
            continue  # blank, or a page number
        cells = _cells_with_offsets(line.raw)
        for index, (offset, cell) in enumerate(cells):
            right_column = index > 0 or offset >= RIGHT_COLUMN_OFFSET
            footer.add(cell, right_column)
    result["signing_capacity"] = " ".join(footer.capacity) or None
    result["signer_title"] = " ".join(footer.titles) or None


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def _empty_result():
    return {
        "governing_body": None,
        "issuing_body": None,
        "number": None,
        "symbol": None,
        "place": None,
        "date_issued": None,
        "date_partial": None,
        "year": None,
        "doc_type": None,
        "title": None,
        "nation": None,
        "motto": None,
        "basis": [],
        "intro": "",
        "sections": [],
        "purpose": None,
        "requirement": None,
        "task_section": None,
        "tasks": [],
        "implementation": None,
        "deadlines": [],
        "recurring_deadlines": [],
        "registration_deadline": None,
        "report_deadlines": [],
        "recipients": [],
        "recipients_raw": [],
        "drafter_note": None,
        "signing_capacity": None,
        "signer_title": None,
        "signer_name": None,
        "signature_notes": [],
        "targets": [],
        "appendix": None,
        "year_mentions": [],
        "unplaced": [],
    }


def _purpose_and_requirement(sections, result):
    section = _find_section(sections, PURPOSE_SECTION_RE)
    if section is None:
        return
    for item in section["items"]:
        if PURPOSE_ITEM_RE.match(item["title"]) and result["purpose"] is None:
            result["purpose"] = _node_text(item) or None
        elif REQUIREMENT_ITEM_RE.match(item["title"]) and result["requirement"] is None:
            result["requirement"] = _node_text(item) or None
    if result["purpose"] is None and result["requirement"] is None:
        # No "Mục đích" / "Yêu cầu" items: the whole section states the purpose.
        result["purpose"] = _section_text(section) or None


def _parse_head(lines, result):
    """Find the document type and title; return (header lines, body start)."""
    doc_index, doc_match = _find_doc_type(lines)
    if doc_index is None:
        body_start = 0
        while body_start < len(lines) and _is_header_line(lines[body_start]):
            body_start += 1
        return lines[:body_start], body_start
    result["doc_type"] = _clean(doc_match["type"])
    result["title"], body_start = _parse_title(lines, doc_index + 1, doc_match["rest"])
    return lines[:doc_index], body_start


def _plan_year(result):
    """The year of the plan: "năm 2022" in the title, else the issue date's."""
    found = YEAR_IN_TITLE_RE.search(result["title"] or "")
    if found:
        return int(found.group(1))
    return (result["date_partial"] or {}).get("year")


def _collect_deadlines(result, sections, segments):
    headings = {}
    for section in sections:
        headings[section["numeral"]] = section["title"]
        for item in section["items"]:
            headings[item["code"]] = item["title"]
            for sub in item["subitems"]:
                headings[sub["code"]] = f"{item['title']} {sub['title']}"
    task_codes = {task["code"] for task in result["tasks"]}
    deadlines, recurring = _find_deadlines(
        segments, result["year"], headings, task_codes
    )
    result["deadlines"] = deadlines
    result["recurring_deadlines"] = recurring
    registration = [
        d["date"] for d in deadlines if d["kind"] == "registration" and d["date"]
    ]
    result["registration_deadline"] = min(registration) if registration else None
    result["report_deadlines"] = sorted(
        {d["date"] for d in deadlines if d["kind"] == "report" and d["date"]}
    )
    for task in result["tasks"]:
        dates = [
            d["date"]
            for d in deadlines
            if d["task_code"] == task["code"] and d["kind"] == "task" and d["date"]
        ]
        task["date_deadline"] = max(dates) if dates else None


def _target_scopes(sections):
    """Items and sections about indicators ("chỉ tiêu", "MỤC TIÊU")."""
    scopes = set()
    for section in sections:
        for item in section["items"]:
            if TARGET_ITEM_RE.search(item["title"]):
                scopes.add(item["code"])
        if TARGET_SECTION_RE.search(section["title"]):
            scopes.add(section["numeral"])
    return scopes


def _check_recognised(result):
    signals = sum(
        bool(value)
        for value in (
            result["symbol"],
            result["nation"] or result["motto"],
            result["date_partial"],
            len(result["sections"]) >= 2,
            result["recipients"],
            result["signer_name"] or result["signing_capacity"],
            result["basis"],
        )
    )
    if result["doc_type"] and (signals or result["sections"] or result["title"]):
        return
    if signals >= 3:
        return
    raise PlanParseError(
        "The text is not recognisable as an administrative document: no document "
        "type (such as 'KẾ HOẠCH'), no numbered sections and no header were found.",
        "not_a_plan",
    )


def parse_plan(text, default_year=None):
    """Parse the text of a plan and return a dict of plain values.

    Keys: ``governing_body``, ``issuing_body``, ``number`` (None when blank),
    ``symbol``, ``place``, ``date_issued`` (date or None), ``date_partial``
    ({'day', 'month', 'year'}, parts None when blank), ``year`` (from the
    title, else the date, else ``default_year``), ``doc_type``, ``title``,
    ``nation`` and ``motto`` (as printed), ``basis`` (list of {kind, number,
    date, issuer, title, raw}), ``intro``, ``sections`` (list of {numeral,
    title, lead_text, text, items: [{number, title, text, subitems?}]}),
    ``purpose``, ``requirement``, ``task_section`` (numeral), ``tasks``
    (list of {code, number, sequence, name, description, date_deadline}),
    ``implementation``, ``deadlines`` (list of {date, raw, kind, context,
    location, task_code, year_inferred}), ``recurring_deadlines``,
    ``registration_deadline`` and ``report_deadlines`` (dates),
    ``recipients``, ``recipients_raw``, ``drafter_note``,
    ``signing_capacity`` (lines joined: "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH"),
    ``signer_title``, ``signer_name``, ``signature_notes`` ("(Đã ký)"),
    ``targets`` (list of {task_code, location, name, measure, target_value,
    raw}; ``task_code`` is None for indicators of a "MỤC TIÊU" section),
    ``appendix`` (text from a closing "PHỤ LỤC", or None), ``year_mentions``
    (list of {year, kind: 'date'|'horizon'|'plain', location, context,
    mismatch}) and ``unplaced`` (text fragments that could not be placed).

    Locations and codes: "intro", "header", "title", a section numeral
    ("III"), an item ("II.9") or a sub-item ("II.1.a"). Texts are plain,
    paragraphs separated by "\n"; markers of bullets and sub-items are kept.

    Raise :class:`PlanParseError` (code 'empty' or 'not_a_plan').
    """
    text = _normalize(text)
    if not text.strip():
        raise PlanParseError("The text of the plan is empty.", "empty")
    lines = _read_lines(text)
    if not any(line.text for line in lines):
        raise PlanParseError("The text of the plan is empty.", "empty")
    if len(lines) > MAX_LINES:
        # the paragraph rules look back over the lines read so far: a cap
        # keeps one import from holding a worker (real plans: a few hundred)
        raise PlanParseError(
            f"The text has {len(lines)} lines; a plan has at most {MAX_LINES}.",
            "too_large",
        )

    result = _empty_result()
    unplaced = result["unplaced"]

    header_lines, body_start = _parse_head(lines, result)
    _parse_header(header_lines, result, unplaced)

    appendix_start = _find_appendix(lines, body_start)
    footer_start = _find_footer(lines[:appendix_start], body_start)
    intro, sections = _assemble(_build_blocks(lines[body_start:footer_start]))
    _parse_footer(lines[footer_start:appendix_start], result, unplaced)
    appendix = [line.text for line in lines[appendix_start:] if line.text]
    result["appendix"] = "\n".join(appendix) or None

    result["year"] = _plan_year(result) or default_year
    result["intro"] = "\n".join(block.render() for block in intro)
    result["basis"] = _parse_basis(intro)
    result["sections"] = [_public_section(section) for section in sections]
    _purpose_and_requirement(sections, result)
    task_section = _task_section(sections)
    result["task_section"] = task_section["numeral"] if task_section else None
    result["tasks"] = _tasks(task_section)
    implementation = _find_section(sections, IMPLEMENTATION_SECTION_RE)
    if implementation:
        result["implementation"] = _section_text(implementation) or None

    segments = _segments(intro, sections)
    _collect_deadlines(result, sections, segments)
    task_codes = {task["code"] for task in result["tasks"]}
    result["targets"] = _find_targets(segments, task_codes, _target_scopes(sections))
    pieces = [("header", line.text) for line in header_lines]
    pieces.append(("title", result["title"]))
    pieces.extend((location, text) for location, _code, text in segments)
    result["year_mentions"] = _year_mentions(pieces, result["year"])

    _check_recognised(result)
    return result
