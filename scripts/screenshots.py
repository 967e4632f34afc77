#!/usr/bin/env python3
"""Capture the screenshots of the user guide (docs/screenshots/*.png).

Runs against a server that is already up, with the demo data and Vietnamese
loaded (what ``make run`` serves), logs in as each demo role and captures the
main screens with headless Chromium through the DevTools protocol.

    make run                                   # terminal 1: the demo server
    ~/.cache/danvan_chinh_quyen/venv/bin/python scripts/screenshots.py

Options: ``--url`` (default http://localhost:8069), ``--db`` (default
``danvan``), ``--out`` (default docs/screenshots), ``--only NAME`` (repeatable,
e.g. ``--only 06-ke-hoach-bieu-mau``), ``--list``, ``--chromium PATH``. The
demo users' password is their login; the administrator's is given by
``--admin-login``/``--admin-password`` (default admin/admin).

The first page load of a fresh database builds Odoo's asset bundles, which
can take a minute: every screen waits for its own content (up to
``--timeout`` seconds), not for a fixed delay.

Needs ``requests`` and ``websocket-client`` (both in the project's venv) and
Chromium (``chromium`` on PATH, or ``--chromium``).
"""

import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import requests
import websocket

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "screenshots"
MODULE = "danvan_chinh_quyen"

# demo logins (password = login), see demo/res_users_demo.xml
ROLES = {
    "staff": "danvan.staff.phuonglam",
    "head": "danvan.staff.tphb",
    "officer": "danvan.officer",
    "manager": "danvan.manager",
}

# JavaScript helpers run in the page
JS_READY = """
(() => {
    const el = document.querySelector(%(selector)s);
    if (!el) { return false; }
    if (document.querySelector('.o_loading_indicator, .o_blockUI, .o_is_blocked')) {
        return false;
    }
    return document.readyState === 'complete' && document.fonts.status === 'loaded';
})()
"""
JS_HIDE_NOTIFICATIONS = """
document.addEventListener('DOMContentLoaded', () => {
    const style = document.createElement('style');
    style.textContent = '.o_notification_manager { display: none !important; }';
    document.head.appendChild(style);
});
"""
JS_OPEN_TASK_WITH_TARGETS = """
(() => {
    const field = document.querySelector(".o_form_view div[name='task_ids']");
    const rows = Array.from(field.querySelectorAll(".o_data_row"));
    const count = (r) => r.querySelector("td[name='target_count']").textContent.trim();
    const row = rows.find((r) => count(r) !== "0") || rows[0];
    row.querySelector("td[name='name']").click();
})()
"""
JS_CLICK = """
(() => {
    const el = document.querySelector(%(selector)s);
    if (!el) { return false; }
    el.click();
    return true;
})()
"""


def action(xmlid, record=None, view_type=None):
    """URL of a window action of the addon, optionally on one record."""
    path = f"/odoo/action-{MODULE}.{xmlid}"
    if record:
        path += f"/{record}"
    if view_type:
        path += f"?view_type={view_type}"
    return path


# ----------------------------------------------------------------------
# The screens. ``path`` is a URL path or a function (odoo) -> path that
# finds the record to show; ``ready`` is the selector the screen waits for;
# ``steps`` (optional) run in order once ready: ("click", selector),
# ("wait", selector) or ("js", code): opening a tab, a menu...
# ----------------------------------------------------------------------


def _my_open_report(odoo):
    reports = odoo.search_read(
        "danvan.unit.report",
        [("state", "in", ["draft", "returned"]), ("plan_id.state", "=", "issued")],
        ["id"],
        order="date_deadline, id",
        limit=1,
    )
    return action("danvan_unit_report_action_my", _first_id(reports, "open report"))


def _report_to_review(odoo):
    reports = odoo.search_read(
        "danvan.unit.report",
        [("state", "=", "submitted")],
        ["id"],
        order="is_late, date_deadline, id",
        limit=1,
    )
    return action("danvan_unit_report_action", _first_id(reports, "submitted report"))


def _returned_report(odoo):
    reports = odoo.search_read(
        "danvan.unit.report", [("state", "=", "returned")], ["id"], limit=1
    )
    return action("danvan_unit_report_action", _first_id(reports, "returned report"))


def _my_registration(odoo):
    regs = odoo.search_read(
        "danvan.model.registration",
        [("unit_id.user_ids", "in", [odoo.uid])],
        ["id"],
        order="id",
        limit=1,
    )
    return action("danvan_model_registration_action", _first_id(regs, "model"))


def _current_period(odoo):
    plan = odoo.xmlid("demo_plan_current")
    periods = odoo.search_read(
        "danvan.report.period",
        [("plan_id", "=", plan)],
        ["id"],
        order="date_deadline, id",
        limit=1,
    )
    return action("danvan_report_period_action", _first_id(periods, "period"))


def _first_id(records, what):
    if not records:
        raise LookupError(f"no {what} found in the demo data")
    return records[0]["id"]


def _plan(xmlid):
    return lambda odoo: action("danvan_plan_action", odoo.xmlid(xmlid))


def _plan_print(odoo):
    return "/report/html/%s.report_plan/%s" % (MODULE, odoo.xmlid("demo_plan_2022"))


def _tab(name, wait):
    """Steps opening a page of the form's notebook."""
    return [
        ("click", f".o_form_view .o_notebook a[name='{name}']"),
        ("wait", wait),
    ]


SHOTS = [
    {
        "name": "01-dang-nhap",
        "role": None,
        "path": "/web/login",
        "ready": "form.oe_login_form:not(.d-none)",
        "steps": [
            ("js", "document.querySelector('#login').value = '%s';" % ROLES["staff"])
        ],
        "size": (1280, 720),
    },
    {
        "name": "02-bang-dieu-khien-can-bo",
        "role": "staff",
        "path": action("danvan_dashboard_action"),
        "ready": ".o_danvan_dashboard .o_danvan_my_reports",
    },
    {
        "name": "03-bang-dieu-khien-phong-gddt",
        "role": "head",
        "path": action("danvan_dashboard_action"),
        "ready": ".o_danvan_dashboard .o_danvan_my_reports",
    },
    {
        "name": "04-bang-dieu-khien-van-phong",
        "role": "officer",
        "path": action("danvan_dashboard_action"),
        "ready": ".o_danvan_dashboard .o_danvan_periods",
    },
    {
        "name": "05-bang-dieu-khien-lanh-dao",
        "role": "manager",
        "path": action("danvan_dashboard_action"),
        "ready": ".o_danvan_dashboard .o_danvan_plans",
    },
    {
        "name": "06-ke-hoach-danh-sach",
        "role": "manager",
        "path": action("danvan_plan_action"),
        "ready": ".o_list_view .o_data_row",
    },
    {
        "name": "07-ke-hoach-bieu-mau",
        "role": "manager",
        "path": _plan("demo_plan_2022"),
        "ready": ".o_form_view .o_form_statusbar",
        "size": (1440, 1200),
    },
    {
        "name": "08-ke-hoach-nhiem-vu",
        "role": "manager",
        "path": _plan("demo_plan_2022"),
        "ready": ".o_form_view .o_notebook a[name='tasks']",
        "steps": _tab("tasks", ".o_form_view div[name='task_ids'] .o_data_row"),
        "size": (1440, 1200),
    },
    {
        "name": "09-ke-hoach-nhiem-vu-chi-tieu",
        "role": "manager",
        "path": _plan("demo_plan_2022"),
        "ready": ".o_form_view .o_notebook a[name='tasks']",
        "steps": _tab("tasks", ".o_form_view div[name='task_ids'] .o_data_row")
        + [
            # the first task area that has targets (nothing is saved)
            ("js", JS_OPEN_TASK_WITH_TARGETS),
            ("wait", ".modal div[name='target_ids'] .o_data_row"),
        ],
        "size": (1440, 1000),
    },
    {
        "name": "10-ke-hoach-ky-bao-cao",
        "role": "manager",
        "path": _plan("demo_plan_current"),
        "ready": ".o_form_view .o_notebook a[name='periods']",
        "steps": _tab("periods", ".o_form_view div[name='period_ids'] .o_data_row"),
        "size": (1440, 1100),
    },
    {
        "name": "11-ke-hoach-menu-in",
        "role": "manager",
        "path": _plan("demo_plan_2022"),
        "ready": ".o_form_view .o_form_statusbar",
        "steps": [
            ("click", ".o_control_panel .o_cp_action_menus button"),
            ("wait", ".o-dropdown--menu .o_menu_item"),
        ],
    },
    {
        "name": "12-ke-hoach-ban-in",
        "role": "manager",
        "path": _plan_print,
        "ready": ".page, .article, main",
        "size": (1100, 1500),
    },
    {
        "name": "13-ke-hoach-ban-in-ky",
        "role": "manager",
        "path": _plan_print,
        "ready": ".page, .article, main",
        "steps": [("js", "window.scrollTo(0, document.body.scrollHeight);")],
        "size": (1100, 900),
    },
    {
        "name": "14-bao-cao-cua-don-vi",
        "role": "staff",
        "path": action("danvan_unit_report_action_my"),
        "ready": ".o_list_view",
    },
    {
        "name": "15-bao-cao-ket-qua",
        "role": "staff",
        "path": _my_open_report,
        "ready": ".o_form_view div[name='line_ids'] .o_data_row",
        "size": (1440, 1000),
    },
    {
        "name": "16-bao-cao-chi-tieu",
        "role": "staff",
        "path": _my_open_report,
        "ready": ".o_form_view .o_notebook a[name='values']",
        "steps": _tab("values", ".o_form_view div[name='value_ids'] .o_data_row"),
        "size": (1440, 1000),
    },
    {
        "name": "17-bao-cao-minh-chung",
        "role": "staff",
        "path": _my_open_report,
        "ready": ".o_form_view .o_notebook a[name='evidence']",
        "steps": _tab("evidence", ".o_form_view div[name='attachment_ids']"),
        "size": (1440, 1000),
    },
    {
        "name": "18-bao-cao-tat-ca-don-vi",
        "role": "officer",
        "path": action("danvan_unit_report_action"),
        "ready": ".o_list_view .o_data_row",
    },
    {
        "name": "19-xet-duyet-bao-cao",
        "role": "officer",
        "path": _report_to_review,
        "ready": ".o_form_view .o_notebook a[name='review']",
        "steps": _tab("review", ".o_form_view div[name='review_note']"),
        "size": (1440, 1000),
    },
    {
        "name": "20-bao-cao-bi-tra-lai",
        "role": "officer",
        "path": _returned_report,
        "ready": ".o_form_view .alert-warning",
        "size": (1440, 1000),
    },
    {
        "name": "21-mo-hinh-kanban",
        "role": "officer",
        "path": action("danvan_model_registration_action"),
        "ready": ".o_kanban_view .o_kanban_record",
    },
    {
        "name": "22-mo-hinh-bieu-mau",
        "role": "staff",
        "path": _my_registration,
        "ready": ".o_form_view .o_form_statusbar",
        "size": (1440, 1100),
    },
    {
        "name": "23-ky-bao-cao-danh-sach",
        "role": "officer",
        "path": action("danvan_report_period_action"),
        "ready": ".o_list_view .o_data_row",
    },
    {
        "name": "24-tong-hop-ky-bao-cao",
        "role": "officer",
        "path": _current_period,
        "ready": ".o_form_view .o_danvan_consolidation",
        "size": (1440, 1500),
    },
    {
        "name": "25-lich-han-bao-cao",
        "role": "officer",
        "path": action("danvan_report_period_action", view_type="calendar"),
        "ready": ".o_calendar_view .o_view_scale_selector .scale_button_selection",
        "steps": [
            # the whole year: the days with a deadline are marked
            (
                "click",
                ".o_calendar_view .o_view_scale_selector .scale_button_selection",
            ),
            ("wait", ".o_scale_button_year"),
            ("click", ".o_scale_button_year"),
            ("wait", ".o_calendar_view .o_event"),
        ],
        "size": (1440, 1250),
    },
    {
        "name": "26-cai-dat",
        "role": "admin",
        "path": action("res_config_settings_action"),
        "ready": "#danvan_reminder_offsets",
        "size": (1440, 1100),
    },
]


# ----------------------------------------------------------------------
# Odoo over JSON-RPC (one session per user)
# ----------------------------------------------------------------------


class Odoo:
    def __init__(self, url, db, login, password):
        self.url = url.rstrip("/")
        self.session = requests.Session()
        res = self._post(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password},
        )
        self.uid = res["uid"]
        self.lang = res.get("user_context", {}).get("lang")
        self.session_id = self.session.cookies.get("session_id")
        self._xmlids = {}

    def _post(self, path, params):
        response = self.session.post(
            self.url + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=120,
        )
        response.raise_for_status()
        data = response.json()
        if data.get("error"):
            error = data["error"].get("data", {}).get("message") or data["error"]
            raise RuntimeError(f"{path}: {error}")
        return data["result"]

    def call(self, model, method, *args, **kwargs):
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def search_read(self, model, domain, fields, **kwargs):
        return self.call(model, "search_read", domain, fields, **kwargs)

    def xmlid(self, name, module=MODULE):
        key = f"{module}.{name}"
        if key not in self._xmlids:
            rows = self.search_read(
                "ir.model.data",
                [("module", "=", module), ("name", "=", name)],
                ["res_id"],
                limit=1,
            )
            if not rows:
                raise LookupError(f"{key} not found: is the demo data loaded?")
            self._xmlids[key] = rows[0]["res_id"]
        return self._xmlids[key]


# ----------------------------------------------------------------------
# Chromium through the DevTools protocol
# ----------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    def __init__(self, binary, width, height):
        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix="danvan_shots_")
        self.proc = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--hide-scrollbars",
                "--lang=vi-VN",
                "--accept-lang=vi-VN,vi",
                f"--user-data-dir={self.profile}",
                f"--remote-debugging-port={self.port}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.ws = websocket.create_connection(
            self._page_ws_url(), suppress_origin=True, timeout=180
        )
        self.msg_id = 0
        self.call("Page.enable")
        self.call("Network.enable")
        self.call("Runtime.enable")
        # the bus's "page is out of date" notice comes up when a page
        # reconnects to the shared bus worker: no notice in the screenshots
        self.call("Page.addScriptToEvaluateOnNewDocument", source=JS_HIDE_NOTIFICATIONS)

    def _page_ws_url(self):
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}/json", timeout=2
                ) as resp:
                    tabs = json.load(resp)
                pages = [t for t in tabs if t.get("type") == "page"]
                if pages:
                    return pages[0]["webSocketDebuggerUrl"]
            except OSError:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.3)
        raise RuntimeError("Chromium did not start (is it installed?)")

    def call(self, method, **params):
        self.msg_id += 1
        self.ws.send(
            json.dumps({"id": self.msg_id, "method": method, "params": params})
        )
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.msg_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def evaluate(self, expression):
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result.get("result", {}).get("value")

    def set_session(self, url, session_id):
        self.call("Network.clearBrowserCookies")
        if session_id:
            self.call("Network.setCookie", name="session_id", value=session_id, url=url)

    def open(self, url, width, height):
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.call("Page.navigate", url=url)

    def wait_for(self, selector, timeout):
        expression = JS_READY % {"selector": json.dumps(selector)}
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(expression):
                return
            time.sleep(0.3)
        raise TimeoutError(f"'{selector}' did not show within {timeout}s")

    def click(self, selector):
        if not self.evaluate(JS_CLICK % {"selector": json.dumps(selector)}):
            raise LookupError(f"nothing to click at '{selector}'")

    def capture(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self):
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            shutil.rmtree(self.profile, ignore_errors=True)


# ----------------------------------------------------------------------


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--url", default=os.environ.get("DANVAN_URL", "http://localhost:8069")
    )
    parser.add_argument("--db", default=os.environ.get("DANVAN_DB", "danvan"))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--only", action="append", default=[], metavar="NAME")
    parser.add_argument("--list", action="store_true", help="list the screens and exit")
    parser.add_argument("--chromium", default=None, help="Chromium binary")
    parser.add_argument("--admin-login", default="admin")
    parser.add_argument("--admin-password", default="admin")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--timeout", type=float, default=120, help="seconds per screen")
    parser.add_argument(
        "--settle",
        type=float,
        default=1.0,
        help="seconds to wait once a screen is ready",
    )
    return parser.parse_args(argv)


def find_chromium(explicit):
    for candidate in (explicit, "chromium", "chromium-browser", "google-chrome"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    sys.exit(
        "Chromium not found: install it (apt-get install chromium) or give --chromium"
    )


class Sessions:
    """One logged-in JSON-RPC session per role, opened on first use."""

    def __init__(self, args):
        self.url, self.db = args.url, args.db
        self.credentials = {role: (login, login) for role, login in ROLES.items()}
        self.credentials["admin"] = (args.admin_login, args.admin_password)
        self.sessions = {}

    def get(self, role):
        if role not in self.sessions:
            login, password = self.credentials[role]
            odoo = Odoo(self.url, self.db, login, password)
            if not (odoo.lang or "").startswith("vi"):
                print(
                    f"warning: {login} works in {odoo.lang}, not Vietnamese: "
                    "its screens will not be in Vietnamese",
                    file=sys.stderr,
                )
            self.sessions[role] = odoo
        return self.sessions[role]

    def lookup(self, role):
        """What a screen's ``path`` function receives: the role's session,
        with xml ids resolved by the administrator (app users cannot read
        ``ir.model.data``)."""
        sessions = self

        class Lookup:
            def __init__(self, odoo):
                self._odoo = odoo

            def __getattr__(self, name):
                return getattr(self._odoo, name)

            def xmlid(self, name, module=MODULE):
                return sessions.get("admin").xmlid(name, module)

        return Lookup(self.get(role))


def take(browser, sessions, shot, args):
    """Open one screen as its role and save it as PNG."""
    odoo = sessions.get(shot["role"]) if shot["role"] else None
    path = shot["path"]
    if callable(path):
        path = path(sessions.lookup(shot["role"]))
    width, height = shot.get("size", (args.width, args.height))
    browser.set_session(args.url, odoo.session_id if odoo else None)
    browser.open(args.url + path, width, height)
    browser.wait_for(shot["ready"], args.timeout)
    for kind, arg in shot.get("steps", []):
        if kind == "click":
            browser.click(arg)
        elif kind == "wait":
            browser.wait_for(arg, args.timeout)
        else:
            browser.evaluate(arg)
    time.sleep(args.settle)
    target = args.out / f"{shot['name']}.png"
    browser.capture(target)
    return target


def main(argv=None):
    args = parse_args(argv)
    if args.list:
        for shot in SHOTS:
            print(f"{shot['name']:32} {shot['role'] or '-'}")
        return 0
    shots = [s for s in SHOTS if not args.only or s["name"] in args.only]
    if not shots:
        sys.exit(f"no screen named {', '.join(args.only)} (see --list)")
    args.out.mkdir(parents=True, exist_ok=True)
    sessions = Sessions(args)
    chromium = find_chromium(args.chromium)
    browser, browser_role = None, False
    failures = 0
    try:
        for shot in shots:
            started = time.time()
            if shot["role"] != browser_role:
                # a fresh browser for each user: Odoo's bus worker, shared by
                # the tabs of a profile, shows a "page is out of date" notice
                # after a change of user
                if browser:
                    browser.close()
                browser = Browser(chromium, args.width, args.height)
                browser_role = shot["role"]
            try:
                target = take(browser, sessions, shot, args)
            except (
                LookupError,
                RuntimeError,
                TimeoutError,
                requests.RequestException,
            ) as e:
                failures += 1
                print(f"FAILED {shot['name']}: {e}", file=sys.stderr)
                continue
            shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
            print(f"{shown}  ({time.time() - started:.1f}s)")
    finally:
        if browser:
            browser.close()
    if failures:
        print(f"{failures} screen(s) failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
