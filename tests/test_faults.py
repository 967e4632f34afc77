"""Faults around a running server: SMTP down, wkhtmltopdf missing, the
database restarting.

- SMTP down: the deadline job still queues its mails (it never sends); the
  mail queue marks them 'exception' when it cannot connect, and puts them
  back in the queue on its next runs (``mail.mail._danvan_requeue_unsent``):
  once the SMTP server is back, every mail leaves, none twice.
- wkhtmltopdf missing: printing a PDF gives a clear error, the HTML version
  and everything else keep working.
- PostgreSQL restarting under a running server: the requests made while it
  is down fail with an error (the server answers, does not hang nor die),
  and the server works again once PostgreSQL is back. This runs on a
  PostgreSQL cluster of its own (``pg_createcluster``, as root, on a free
  port), created and dropped by the test, so that nobody else's databases
  restart; the test fails, never skips, when it cannot create it.

Each part works on a private copy of the demo database.
"""

import getpass
import json
import os
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import pytest
import requests
from conftest import free_port
from danvan_sec_support import clone_database, drop_database, run, sql

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")

M = "danvan_chinh_quyen."
# a cluster of this session only: concurrent test sessions never share it
FAULT_CLUSTER = (
    os.environ.get("DANVAN_FAULT_CLUSTER") or f"danvan_fault_{secrets.token_hex(3)}"
)


class Sink:
    """An SMTP server that keeps what it receives."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def web_session(server, login, password=None):
    session = requests.Session()
    response = session.post(
        f"{server.url}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "db": server.database,
                "login": login,
                "password": password or login,
            },
        },
        timeout=60,
    )
    assert response.json().get("result", {}).get("uid"), response.text[:500]
    return session


# ---------------------------------------------------------------------------
# SMTP down
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def smtp_db(odoo_database):
    name = clone_database(odoo_database, "smtp")
    yield name
    drop_database(name)


def _app_mails(admin, since, states=None):
    domain = [("id", ">", since), ("model", "=like", "danvan.%")]
    if states:
        domain.append(("state", "in", states))
    return admin.execute(
        "mail.mail", "search_read", domain, fields=["state", "subject", "recipient_ids"]
    )


def test_smtp_down_then_back(odoo_server_factory, smtp_db):
    port = free_port()  # nothing listens there yet: the SMTP server is down
    server = odoo_server_factory(
        database=smtp_db, extra_args=["--smtp=127.0.0.1", f"--smtp-port={port}"]
    )
    try:
        rpc = server.rpc()
        admin = rpc.login("admin", "admin")
        manager = rpc.login("danvan.manager")
        staff = rpc.login("danvan.staff.phuonglam")
        year = admin.read_one(
            "danvan.plan", admin.ref(M + "demo_plan_current"), ["year"]
        )["year"]
        since = sql(smtp_db, "SELECT coalesce(max(id), 0) FROM mail_mail")[0][0]

        # the deadline job runs with the SMTP server down: it only queues
        result = manager.execute(
            "danvan.plan",
            "run_deadline_reminders_for_date",
            date(year, 3, 8).isoformat(),
        )
        assert result["done"] > 0
        # a unit submits: the notice to the Office cannot leave either
        report = admin.execute(
            "danvan.unit.report",
            "search",
            [
                ("plan_id", "=", admin.ref(M + "demo_plan_current")),
                ("unit_id", "=", admin.ref(M + "demo_unit_th_phuong_lam")),
                ("state", "=", "draft"),
            ],
            limit=1,
        )
        assert staff.execute("danvan.unit.report", "action_submit", report)
        queued = _app_mails(admin, since)
        assert queued and all(m["state"] in ("outgoing", "exception") for m in queued)
        logs_before = sql(
            smtp_db, "SELECT id, mail_id, state FROM danvan_reminder_log ORDER BY id"
        )

        queue_cron = admin.ref("mail.ir_cron_mail_scheduler_action")

        def run_mail_queue():
            # the scheduled action "Mail: Email Queue Manager", run now
            assert admin.execute("ir.cron", "method_direct_trigger", [queue_cron])

        run_mail_queue()
        failed = _app_mails(admin, since)
        assert {m["id"] for m in failed} == {m["id"] for m in queued}, "a mail was lost"
        assert {m["state"] for m in failed} == {"exception"}
        # the log still points at the unsent mails: the job will not resend
        assert (
            sql(
                smtp_db,
                "SELECT id, mail_id, state FROM danvan_reminder_log ORDER BY id",
            )
            == logs_before
        )
        # the job of the same day sends nothing new
        again = manager.execute(
            "danvan.plan",
            "run_deadline_reminders_for_date",
            date(year, 3, 8).isoformat(),
        )
        assert again["done"] == 0

        # the SMTP server is back: the next queue run sends everything, once
        sink = Sink()
        controller = aiosmtpd_controller.Controller(
            sink, hostname="127.0.0.1", port=port
        )
        controller.start()
        try:
            run_mail_queue()
            run_mail_queue()
        finally:
            controller.stop()
        left = _app_mails(admin, since, ["outgoing", "exception"])
        assert left == [], f"{len(left)} mail(s) still unsent"
        assert len(sink.messages) == len(queued)
        bodies = [content for _rcpt, content in sink.messages]
        assert len(set(bodies)) == len(bodies), "a mail was sent twice"
        assert server.process.poll() is None
    finally:
        server.stop()


# ---------------------------------------------------------------------------
# wkhtmltopdf missing
# ---------------------------------------------------------------------------
def _path_without(program):
    """A PATH of symlinks to every program on PATH except ``program``."""
    fake = Path(tempfile.mkdtemp(prefix="danvan-path-"))
    for folder in os.environ.get("PATH", os.defpath).split(os.pathsep):
        if not os.path.isdir(folder):
            continue
        for entry in os.scandir(folder):
            target = fake / entry.name
            if entry.name.startswith(program) or target.exists():
                continue
            if os.access(entry.path, os.X_OK):
                target.symlink_to(entry.path)
    return fake


def test_wkhtmltopdf_missing(odoo_server_factory, smtp_db):
    fake = _path_without("wkhtmltopdf")
    saved = os.environ["PATH"]
    os.environ["PATH"] = str(fake)
    try:
        server = odoo_server_factory(database=smtp_db)
    finally:
        os.environ["PATH"] = saved
    try:
        officer = web_session(server, "danvan.officer")
        check = officer.post(
            f"{server.url}/report/check_wkhtmltopdf",
            json={"jsonrpc": "2.0", "method": "call", "params": {}},
            timeout=60,
        ).json()
        assert check["result"] == "install"
        admin = server.rpc().login("admin", "admin")
        report = admin.execute("danvan.unit.report", "search", [], limit=1)[0]
        pdf = officer.get(
            f"{server.url}/report/pdf/danvan_chinh_quyen.report_unit_report/{report}",
            timeout=120,
        )
        assert pdf.status_code >= 400
        assert "Wkhtmltopdf" in pdf.text, pdf.text[:500]
        # the rest works: the HTML version, the XLSX, the RPC API
        html = officer.get(
            f"{server.url}/report/html/danvan_chinh_quyen.report_unit_report/{report}",
            timeout=120,
        )
        assert html.status_code == 200
        period = admin.ref(M + "demo_plan_current_period_mid")
        xlsx = officer.get(
            f"{server.url}/danvan/period/{period}/consolidation.xlsx", timeout=120
        )
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
        staff = server.rpc().login("danvan.staff.ptdtnt")
        assert staff.execute("danvan.unit.report", "search_count", []) > 0
    finally:
        server.stop()
        shutil.rmtree(fake, ignore_errors=True)


# ---------------------------------------------------------------------------
# PostgreSQL restarting
# ---------------------------------------------------------------------------
def _pg_version():
    out = run(["pg_lsclusters", "--no-header"]).stdout.split()
    if not out:
        pytest.fail("pg_lsclusters lists no PostgreSQL cluster", pytrace=False)
    return out[0]


@pytest.fixture(scope="module")
def fault_cluster():
    """A PostgreSQL cluster of our own on a free port, dropped at the end:
    ``(version, port)``."""
    if os.geteuid() != 0 or not shutil.which("pg_createcluster"):
        pytest.fail(
            "the database-restart test creates its own PostgreSQL cluster with "
            "pg_createcluster, which needs root and postgresql-common",
            pytrace=False,
        )
    version = _pg_version()
    port = int(os.environ.get("DANVAN_FAULT_PG_PORT") or free_port())

    def drop():
        subprocess.run(
            ["pg_dropcluster", "--stop", version, FAULT_CLUSTER],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
        )

    drop()  # a leftover of an interrupted run with the same name
    run(
        [
            "pg_createcluster",
            version,
            FAULT_CLUSTER,
            "--port",
            str(port),
            "--start",
        ]
    )
    try:
        role = getpass.getuser()
        run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                "psql",
                "-p",
                str(port),
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                f'CREATE ROLE "{role}" SUPERUSER LOGIN',
            ]
        )
        yield version, port
    finally:
        drop()


def _jsonrpc(server, uid, password, model, method, *args, timeout=30):
    """One /jsonrpc call: ('ok', result) or ('error', message)."""
    response = requests.post(
        f"{server.url}/jsonrpc",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [server.database, uid, password, model, method, list(args)],
            },
        },
        timeout=timeout,
    )
    try:
        answer = response.json()
    except ValueError:
        return "error", f"HTTP {response.status_code}"
    if "error" in answer:
        return "error", json.dumps(answer["error"])[:300]
    return "ok", answer["result"]


def test_database_restart_under_the_server(
    odoo_server_factory, odoo_database, fault_cluster
):
    version, port = fault_cluster
    database = clone_database(odoo_database, "fault", port=port)
    server = None
    try:
        server = odoo_server_factory(
            database=database, extra_args=[f"--db_port={port}"]
        )
        admin = server.rpc().login("admin", "admin")
        staff = server.rpc().login("danvan.staff.phuonglam")

        def probe():
            return _jsonrpc(
                server,
                staff.uid,
                staff.password,
                "danvan.unit.report",
                "search_count",
                [],
            )

        status, count = probe()
        assert status == "ok" and count > 0

        outcomes, stop = [], threading.Event()

        def hammer():
            while not stop.is_set():
                try:
                    outcomes.append(probe()[0])
                except requests.RequestException as error:  # the server must answer
                    outcomes.append(f"no answer: {type(error).__name__}")
                time.sleep(0.05)

        worker = threading.Thread(target=hammer, daemon=True)
        worker.start()
        run(["pg_ctlcluster", "--mode=fast", version, FAULT_CLUSTER, "stop"])
        time.sleep(3)  # requests made while PostgreSQL is down
        run(["pg_ctlcluster", version, FAULT_CLUSTER, "start"])
        # the server recovers on its own
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and probe()[0] != "ok":
            time.sleep(0.5)
        stop.set()
        worker.join(60)

        assert "error" in outcomes, "no request ran while PostgreSQL was down"
        assert all(o in ("ok", "error") for o in outcomes), set(outcomes)
        assert server.process.poll() is None, "the server died"
        results = [probe() for _ in range(10)]
        assert all(status == "ok" for status, _value in results), results
        # writes work again too
        report = admin.execute(
            "danvan.unit.report",
            "search",
            [("unit_id.user_ids", "in", [staff.uid]), ("state", "=", "draft")],
            limit=1,
        )
        assert staff.execute("danvan.unit.report", "action_submit", report)
    finally:
        if server:
            server.stop()
        drop_database(database, port)
