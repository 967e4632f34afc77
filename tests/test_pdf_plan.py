"""The demo plan printed to PDF by the real server (wkhtmltopdf), read back as text.

The manager logs in through the web (JSON-RPC /web/session/authenticate) and
downloads /report/pdf/danvan_chinh_quyen.action_report_plan/<id>, as the Print
menu does. The text is extracted with pdftotext (poppler-utils) when installed,
else with PyPDF2 / pypdf.
"""

import io
import re
import shutil
import subprocess

import pytest
import requests

MANAGER = "danvan.manager"
DEMO_PLAN = "danvan_chinh_quyen.demo_plan_2022"
REPORT = "danvan_chinh_quyen.action_report_plan"


def squash(text):
    """The text without any whitespace: PDF extractors differ in spacing (PyPDF2
    puts spaces around some Vietnamese letters), never in the letters."""
    return "".join(text.split())


def pdf_text(content):
    """The text of a PDF, whitespace collapsed."""
    if shutil.which("pdftotext"):
        proc = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-", "-"],
            input=content,
            capture_output=True,
            check=True,
            timeout=60,
        )
        text = proc.stdout.decode("utf-8")
    else:
        try:
            from pypdf import PdfReader
        except ImportError:
            from PyPDF2 import PdfReader
        reader = PdfReader(io.BytesIO(content))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(text.split())


@pytest.fixture(scope="module")
def manager_session(odoo_server):
    """A requests session logged in as the demo manager."""
    session = requests.Session()
    response = session.post(
        f"{odoo_server.url}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "db": odoo_server.database,
                "login": MANAGER,
                "password": MANAGER,
            },
        },
        timeout=60,
    )
    response.raise_for_status()
    payload = response.json()
    assert "error" not in payload, payload.get("error")
    assert payload["result"]["uid"], "the manager could not log in"
    return session


@pytest.fixture(scope="module")
def plan_pdf(odoo_server, admin, manager_session):
    plan_id = admin.ref(DEMO_PLAN)
    response = manager_session.get(
        f"{odoo_server.url}/report/pdf/{REPORT}/{plan_id}", timeout=300
    )
    assert response.status_code == 200, (
        f"HTTP {response.status_code}: {response.text[:2000]}\n{odoo_server.log_tail()}"
    )
    return response


def test_pdf_is_a_pdf(plan_pdf):
    assert plan_pdf.headers["Content-Type"] == "application/pdf", (
        "no PDF (is wkhtmltopdf installed on the server?)"
    )
    assert plan_pdf.content.startswith(b"%PDF-")


def test_pdf_reads_like_the_seed(plan_pdf):
    text = pdf_text(plan_pdf.content)
    expected = [
        "UBND TỈNH HOÀ BÌNH",
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "KẾ HOẠCH",
        "Triển khai thực hiện công tác dân vận chính quyền năm 2022",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. NỘI DUNG, GIẢI PHÁP",
        "III. TỔ CHỨC THỰC HIỆN",
        "Nơi nhận:",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Nguyễn Đức Lương",
    ]
    flat = squash(text)
    for part in expected:
        assert squash(part) in flat, f"{part!r} not in the PDF text:\n{text[:3000]}"
    assert "Số:/KH-SGD&ĐT" in flat
    assert re.search(r"HòaBình,ngày…*tháng02năm2022", flat)
    # the sections come in the document's order
    positions = [flat.find(squash(part)) for part in expected[4:9]]
    assert positions == sorted(positions), positions
