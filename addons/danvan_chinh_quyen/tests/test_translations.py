"""The addon speaks Vietnamese: every term is translated, the translations load,
and dates and numbers are written the Vietnamese way.

When ``test_every_term_has_a_vietnamese_translation`` fails, regenerate the
template and merge it into ``i18n/vi.po`` with ``scripts/update_translations.sh``,
translate the entries it lists as untranslated, and run it again.
"""

import re
from collections import Counter
from datetime import date

import polib
from lxml import etree

from odoo.modules.module import get_manifest
from odoo.tests import TransactionCase, tagged
from odoo.tools import file_path, format_date, formatLang
from odoo.tools.translate import TranslationModuleReader, code_translations

from ..tools.vn_date import format_date_long, format_date_short

MODULE = "danvan_chinh_quyen"

# %(name)s, %s, %d..., {{ jinja }} (mail subjects), and QWeb directives
# (t-out="...", t-att-href="...", t-if="..."): all must survive translation as is.
PLACEHOLDER_RE = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]|\{\{.*?\}\}")
DIRECTIVE_RE = re.compile(r"""\bt-[\w-]+=(?:"[^"]*"|'[^']*')""")
TAG_RE = re.compile(r"<[^>]*>")
# the translation of a term that has letters must have letters too
LETTER_RE = re.compile(r"[^\W\d_]")


def _read_catalogue(name):
    return polib.pofile(file_path(f"{MODULE}/i18n/{name}"))


def _demo_xmlids():
    """The external ids the addon's demo files create (their terms are not ours)."""
    xmlids = set()
    for rel in get_manifest(MODULE).get("demo", []):
        if not rel.endswith(".xml"):
            continue
        tree = etree.parse(file_path(f"{MODULE}/{rel}"))
        for node in tree.xpath("//record[@id] | //template[@id] | //menuitem[@id]"):
            xmlid = node.get("id")
            xmlids.add(xmlid if "." in xmlid else f"{MODULE}.{xmlid}")
    return xmlids


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.po = _read_catalogue("vi.po")
        cls.translations = {
            entry.msgid: entry.msgstr
            for entry in cls.po
            if not entry.obsolete and "fuzzy" not in entry.flags
        }

    # ------------------------------------------------------------------
    # completeness
    # ------------------------------------------------------------------
    def test_every_term_has_a_vietnamese_translation(self):
        """Every term the addon has now (exported live, as --i18n-export does)
        has a non-empty Vietnamese translation in i18n/vi.po."""
        demo = _demo_xmlids()
        where = {}
        for term in TranslationModuleReader(self.env.cr, [MODULE]):
            kind, name, res_id, source = term[1:5]
            if not source.strip():
                continue
            if kind in ("model", "model_terms") and res_id in demo:
                continue  # demo records: their terms are not shipped
            where.setdefault(source, f"{kind}:{name}:{res_id}")
        self.assertGreater(len(where), 300, "the export found too few terms")
        missing = sorted(
            f"{origin}\n    {source!r}"
            for source, origin in where.items()
            if not self.translations.get(source, "").strip()
        )
        self.assertFalse(
            missing,
            f"{len(missing)} term(s) of the addon have no Vietnamese translation in "
            "i18n/vi.po (run scripts/update_translations.sh, then translate them):\n"
            + "\n".join(missing),
        )

    def test_template_terms_are_translated(self):
        """The committed template and vi.po agree: nothing untranslated or fuzzy."""
        pot = _read_catalogue(f"{MODULE}.pot")
        msgids = [entry.msgid for entry in pot if not entry.obsolete]
        self.assertTrue(msgids)
        self.assertFalse(
            [m for m in msgids if not self.translations.get(m, "").strip()],
            "terms of i18n/danvan_chinh_quyen.pot without translation in vi.po",
        )
        self.assertFalse(
            [e.msgid for e in self.po if "fuzzy" in e.flags],
            "vi.po has fuzzy entries: check and unmark them",
        )
        self.assertEqual(self.po.metadata.get("Language"), "vi")

    def test_placeholders_and_markup_are_kept(self):
        problems = []
        for entry in self.po:
            if entry.obsolete or not entry.msgstr:
                continue
            src, dst = entry.msgid, entry.msgstr
            for regex, what in (
                (PLACEHOLDER_RE, "placeholders"),
                (DIRECTIVE_RE, "QWeb"),
            ):
                if Counter(regex.findall(src)) != Counter(regex.findall(dst)):
                    problems.append(f"{what} differ: {src[:80]!r}")
            if any(",body_html:" in occ for occ, _line in entry.occurrences):
                # mail bodies are translated as whole blocks: same markup
                if TAG_RE.findall(src) != TAG_RE.findall(dst):
                    problems.append(f"markup differs: {src[:80]!r}")
            if LETTER_RE.search(src) and not LETTER_RE.search(dst):
                problems.append(f"no words in the translation of {src[:80]!r}")
        self.assertFalse(problems, "\n".join(problems))

    # ------------------------------------------------------------------
    # the translations load
    # ------------------------------------------------------------------
    def _load_vietnamese(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(
            [MODULE], ["vi_VN"], overwrite=True
        )
        return self.env(context=dict(self.env.context, lang="vi_VN"))

    def test_translations_are_loaded(self):
        env_vi = self._load_vietnamese()
        fields = env_vi["ir.model.fields"]
        self.assertEqual(fields._get("danvan.plan", "name").field_description, "Tên")
        self.assertEqual(
            fields._get("danvan.plan", "participant_unit_ids").field_description,
            "Đơn vị thực hiện",
        )
        self.assertEqual(
            fields._get("danvan.unit.report", "date_deadline").field_description,
            "Thời hạn",
        )
        self.assertEqual(
            env_vi["ir.model"]._get("danvan.plan").name, "Kế hoạch dân vận"
        )
        # selection values, as the web client shows them
        states = dict(
            env_vi["danvan.unit.report"]._fields["state"]._description_selection(env_vi)
        )
        self.assertEqual(states["draft"], "Chưa nộp")
        self.assertEqual(states["submitted"], "Đã nộp")
        self.assertEqual(states["returned"], "Bị trả lại")
        self.assertEqual(states["accepted"], "Đã chấp nhận")
        ratings = dict(
            env_vi["danvan.model.registration"]
            ._fields["rating"]
            ._description_selection(env_vi)
        )
        self.assertEqual(
            [ratings[k] for k in ("excellent", "good", "achieved", "not_achieved")],
            ["Xuất sắc", "Tốt", "Đạt", "Không đạt"],
        )

        def ref(xmlid):
            return env_vi.ref(f"{MODULE}.{xmlid}")

        self.assertEqual(ref("group_danvan_unit_user").name, "Cán bộ đơn vị")
        self.assertEqual(ref("group_danvan_officer").name, "Chuyên viên Sở")
        self.assertEqual(ref("group_danvan_manager").name, "Lãnh đạo / Quản trị")
        self.assertEqual(ref("mail_activity_type_report").name, "Nộp báo cáo")
        self.assertEqual(ref("mail_activity_type_registration").name, "Đăng ký mô hình")
        self.assertEqual(
            [
                ref(f"model_field_{key}").name
                for key in (
                    "economy",
                    "culture_society",
                    "defence_security",
                    "political_system",
                )
            ],
            [
                "Kinh tế",
                "Văn hóa - Xã hội",
                "Quốc phòng - An ninh",
                "Xây dựng hệ thống chính trị",
            ],
        )
        self.assertEqual(
            ref("unit_type_local_office").name, "Phòng Giáo dục và Đào tạo"
        )
        self.assertEqual(ref("module_category_danvan").name, "Dân vận chính quyền")
        self.assertEqual(ref("danvan_dashboard_menu").name, "Tổng quan")
        self.assertEqual(ref("danvan_report_period_menu").name, "Kỳ báo cáo")
        # mail templates: subject and body, placeholders kept
        template = ref("mail_template_unit_report_submitted")
        english = template.with_context(lang="en_US")
        self.assertIn("{{", template.subject)
        self.assertNotEqual(template.subject, english.subject)
        self.assertEqual(template.subject, self.translations[english.subject])
        self.assertNotEqual(str(template.body_html), str(english.body_html))
        self.assertEqual(
            DIRECTIVE_RE.findall(str(template.body_html)),
            DIRECTIVE_RE.findall(str(english.body_html)),
        )

    def test_code_and_web_client_terms_are_translated(self):
        self._load_vietnamese()
        python = code_translations.get_python_translations(MODULE, "vi_VN")
        self.assertEqual(python.get("Report submitted."), "Đã nộp báo cáo.")
        env_vi = self.env(context=dict(self.env.context, lang="vi_VN"))
        self.assertEqual(
            env_vi._("Only department officers can review unit reports."),
            "Chỉ chuyên viên Sở mới được duyệt báo cáo đơn vị.",
        )
        # OWL templates and _t() of the dashboard
        web = code_translations.get_web_translations(MODULE, "vi_VN")
        messages = {m["id"]: m["string"] for m in web["messages"]}
        self.assertEqual(messages.get("Reports to Review"), "Báo cáo chờ duyệt")
        self.assertEqual(
            messages.get("Nothing to submit."), "Không có báo cáo cần nộp."
        )

    # ------------------------------------------------------------------
    # dates and numbers the Vietnamese way
    # ------------------------------------------------------------------
    def test_vietnamese_date_and_number_formats(self):
        """Odoo's own vi_VN language data already matches what Vietnamese users
        expect (dd/mm/yyyy, 1.234.567,5, weeks from Monday): nothing is overridden."""
        env_vi = self._load_vietnamese()
        lang = self.env["res.lang"]._lang_get("vi_VN")
        self.assertEqual(lang.date_format, "%d/%m/%Y")
        self.assertEqual(lang.time_format, "%H:%M:%S")
        self.assertEqual(lang.decimal_point, ",")
        self.assertEqual(lang.thousands_sep, ".")
        self.assertEqual(lang.grouping, "[3,0]")
        self.assertEqual(lang.week_start, "1")
        self.assertEqual(format_date(env_vi, date(2022, 3, 15)), "15/03/2022")
        self.assertEqual(formatLang(env_vi, 1234567.5, digits=1), "1.234.567,5")
        self.assertEqual(formatLang(env_vi, 87.5, digits=1), "87,5")
        # the forms of official documents and mail (tools/vn_date.py)
        self.assertEqual(
            format_date_long(date(2022, 3, 15)), "ngày 15 tháng 3 năm 2022"
        )
        self.assertEqual(format_date_short(date(2022, 3, 5)), "05/03/2022")
        self.assertEqual(format_date_long(False), "")
