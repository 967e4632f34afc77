"""Deadline e-mails that really leave the server, end to end.

A throwaway SMTP server (aiosmtpd) listens on the loopback; a real Odoo
server (tests/conftest.py) is started to send its mail through it. Over
XML-RPC the test prepares units, people and a plan, issues it, runs the
deadline job "as of" chosen days (``danvan.plan.run_deadline_reminders_for_date``:
the server's clock cannot be moved) and flushes Odoo's mail queue
(``mail.mail.process_email_queue``). It then asserts the messages the SMTP
server received: recipients, subject, the deadline written the Vietnamese
way and the link to the record; a second run delivers nothing more.

Only the messages to this test's own addresses are considered: the database
may hold other plans, and other tests may leave mail in the queue.
"""

import email
import email.policy
import json
import secrets
import threading
import time
import urllib.request
import xmlrpc.client
from datetime import date, timedelta

import pytest
from aiosmtpd import controller as aiosmtpd_controller
from conftest import assert_access_error, free_port

GROUP_USER = "danvan_chinh_quyen.group_danvan_unit_user"
MAIL_FROM = "So GD&DT E2E <danvan-e2e@example.com>"
PARAMS = (
    "danvan_chinh_quyen.reminder_offsets",
    "danvan_chinh_quyen.notify_who",
    "danvan_chinh_quyen.mail_from",
)


# ---------------------------------------------------------------------------
# SMTP sink
# ---------------------------------------------------------------------------
class SmtpSink:
    """Collects every message delivered to it (envelope and parsed mail)."""

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        message = email.message_from_bytes(
            envelope.content, policy=email.policy.default
        )
        with self.lock:
            self.messages.append(
                {
                    "mail_from": envelope.mail_from,
                    "rcpt_tos": list(envelope.rcpt_tos),
                    "message": message,
                }
            )
        return "250 Message accepted for delivery"

    def take(self, addresses):
        """Remove and return the messages to any of ``addresses``."""
        with self.lock:
            mine = [m for m in self.messages if set(m["rcpt_tos"]) & addresses]
            self.messages = [m for m in self.messages if m not in mine]
        return mine


@pytest.fixture(scope="module")
def smtp_sink():
    sink = SmtpSink()
    controller = aiosmtpd_controller.Controller(
        sink, hostname="127.0.0.1", port=free_port()
    )
    controller.start()
    yield sink, controller.port
    controller.stop()


@pytest.fixture(scope="module")
def mail_server(odoo_server_factory, smtp_sink):
    """An Odoo server of the session's database sending through the sink."""
    _sink, port = smtp_sink
    return odoo_server_factory(extra_args=["--smtp=127.0.0.1", f"--smtp-port={port}"])


@pytest.fixture(scope="module")
def admin_rpc(mail_server):
    return mail_server.rpc().login("admin", "admin")


# ---------------------------------------------------------------------------
# A small world of our own
# ---------------------------------------------------------------------------
def _dates():
    """A deadline some weeks ahead, inside one plan year, after today."""
    today = date.today()
    year = (today + timedelta(days=40)).year
    base = max(today + timedelta(days=15), date(year, 1, 10))
    return year, base + timedelta(days=5)


@pytest.fixture(scope="module")
def world(admin_rpc):
    admin = admin_rpc
    tag = secrets.token_hex(3)
    previous = {
        key: admin.execute("ir.config_parameter", "get_param", key) for key in PARAMS
    }
    for key, value in zip(PARAMS, ("7,1", "both", MAIL_FROM), strict=True):
        admin.execute("ir.config_parameter", "set_param", key, value)
    group_user = admin.ref(GROUP_USER)

    def unit(name, code, parent=False):
        return admin.execute(
            "danvan.unit",
            "create",
            {"name": f"{name} {tag}", "code": f"E2E-{tag}-{code}", "parent_id": parent},
        )

    root = unit("Sở E2E", "SO")
    office = unit("Văn phòng E2E", "VP", root)
    unit1 = unit("Trường Một", "T1", root)
    unit2 = unit("Trường Hai", "T2", root)

    def user(key, unit_id):
        login = f"e2e_{tag}_{key}"
        return admin.execute(
            "res.users",
            "create",
            {
                "name": f"E2E {key} {tag}",
                "login": login,
                "password": login,
                "email": f"{login}@e2e.example.com",
                "lang": "en_US",
                "danvan_unit_id": unit_id,
                "groups_id": [(6, 0, [group_user])],
            },
        ), f"{login}@e2e.example.com"

    people = {
        "head1": user("head1", unit1),
        "staff1": user("staff1", unit1),
        "head2": user("head2", unit2),
        "office": user("office", office),
    }
    for unit_id, key in ((unit1, "head1"), (unit2, "head2"), (office, "office")):
        admin.execute(
            "danvan.unit", "write", [unit_id], {"head_user_id": people[key][0]}
        )

    year, deadline = _dates()
    plan = admin.execute(
        "danvan.plan",
        "create",
        {
            "name": f"Kế hoạch E2E {tag}",
            "year": year,
            "issuing_unit_id": root,
            "monitoring_unit_id": office,
            "participant_unit_ids": [(6, 0, [unit1, unit2])],
            "task_ids": [(0, 0, {"name": "Công tác chỉ đạo"})],
            "period_ids": [
                (
                    0,
                    0,
                    {
                        "name": "Báo cáo E2E",
                        "date_from": f"{year}-01-01",
                        "date_to": str(deadline - timedelta(days=3)),
                        "date_deadline": str(deadline),
                    },
                )
            ],
        },
    )
    assert admin.execute("danvan.plan", "action_submit", [plan]) is True
    assert admin.execute("danvan.plan", "action_issue", [plan]) is True
    reports = {
        row["unit_id"][0]: row["id"]
        for row in admin.execute(
            "danvan.unit.report",
            "search_read",
            [("plan_id", "=", plan)],
            fields=["unit_id"],
        )
    }
    assert set(reports) == {unit1, unit2}
    plan_name = admin.execute("danvan.plan", "read", [plan], ["display_name"])[0][
        "display_name"
    ]
    yield {
        "tag": tag,
        "plan": plan,
        "plan_name": plan_name,
        "deadline": deadline,
        "units": {"unit1": unit1, "unit2": unit2, "office": office},
        "reports": {"unit1": reports[unit1], "unit2": reports[unit2]},
        "people": people,
        "addresses": {address for _uid, address in people.values()},
        "base_url": admin.execute("ir.config_parameter", "get_param", "web.base.url"),
    }
    for key, value in previous.items():
        admin.execute("ir.config_parameter", "set_param", key, value)


def process_mail_queue(admin):
    """``mail.mail.process_email_queue`` as admin, over JSON-RPC: it returns
    None, which XML-RPC cannot marshal (the call would work, then fault)."""
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "id": 1,
        "params": {
            "service": "object",
            "method": "execute_kw",
            "args": [
                admin.rpc.database,
                admin.uid,
                admin.password,
                "mail.mail",
                "process_email_queue",
                [],
                {},
            ],
        },
    }
    request = urllib.request.Request(
        f"{admin.rpc.url}/jsonrpc",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        answer = json.loads(response.read())
    assert "error" not in answer, answer.get("error")


def run_job(admin, sink, world, day, settle=1.0):
    """Run the deadline job as of ``day``, flush the mail queue, return the
    messages delivered to the world's people."""
    result = admin.execute(
        "danvan.plan", "run_deadline_reminders_for_date", day.isoformat()
    )
    assert result["remaining"] == 0
    process_mail_queue(admin)
    time.sleep(settle)  # aiosmtpd hands the message over asynchronously
    return sink.take(world["addresses"])


def by_recipient(messages):
    result = {}
    for item in messages:
        assert len(item["rcpt_tos"]) == 1, item["rcpt_tos"]
        assert item["rcpt_tos"][0] not in result, f"two mails to {item['rcpt_tos']}"
        result[item["rcpt_tos"][0]] = item["message"]
    return result


def html_of(message):
    return message.get_body(preferencelist=("html",)).get_content()


def vn_date(day):
    return f"ngày {day.day} tháng {day.month} năm {day.year}"


# ---------------------------------------------------------------------------
# The scenario
# ---------------------------------------------------------------------------
def test_deadline_mails_leave_the_server(admin_rpc, smtp_sink, world, mail_server):
    sink, _port = smtp_sink
    admin = admin_rpc
    deadline = world["deadline"]
    people = {key: address for key, (_uid, address) in world["people"].items()}
    tag = world["tag"]
    report_url = {
        key: f"{world['base_url']}/odoo/danvan.unit.report/{report_id}"
        for key, report_id in world["reports"].items()
    }
    sink.take(world["addresses"])  # anything left by the setup (none expected)

    # 8 days before: nothing
    assert run_job(admin, sink, world, deadline - timedelta(days=8)) == []

    # 7 days before: one reminder per person of each unit (head and staff)
    received = by_recipient(run_job(admin, sink, world, deadline - timedelta(days=7)))
    assert set(received) == {people["head1"], people["staff1"], people["head2"]}
    for address, unit_key in (
        (people["head1"], "unit1"),
        (people["staff1"], "unit1"),
        (people["head2"], "unit2"),
    ):
        message = received[address]
        unit_name = f"{'Trường Một' if unit_key == 'unit1' else 'Trường Hai'} {tag}"
        assert message["Subject"] == (
            f"Reminder: report Báo cáo E2E of {unit_name} due {vn_date(deadline)}"
        )
        assert message["To"].addresses[0].addr_spec == address
        assert message["From"].addresses[0].addr_spec == "danvan-e2e@example.com"
        body = html_of(message)
        assert vn_date(deadline) in body
        assert f'href="{report_url[unit_key]}"' in body
        assert world["plan_name"] in body
        assert "(7 day(s) left)" in body

    # the same day again: nothing more
    assert run_job(admin, sink, world, deadline - timedelta(days=7)) == []

    # unit 1 submits (on time, the real clock is before the deadline)
    staff1 = mail_server.rpc().login(f"e2e_{tag}_staff1", f"e2e_{tag}_staff1")
    assert (
        staff1.execute(
            "danvan.unit.report", "action_submit", [world["reports"]["unit1"]]
        )
        is True
    )
    process_mail_queue(admin)
    time.sleep(1.0)
    # the submission notice goes to the monitoring unit's followers, not to us
    sink.take(world["addresses"])

    # 1 day before: only unit 2 still has to report
    received = by_recipient(run_job(admin, sink, world, deadline - timedelta(days=1)))
    assert set(received) == {people["head2"]}
    assert "(1 day(s) left)" in html_of(received[people["head2"]])

    # the deadline day itself: nothing
    assert run_job(admin, sink, world, deadline) == []

    # the day after: overdue notice to unit 2's head, digest to the Office
    received = by_recipient(run_job(admin, sink, world, deadline + timedelta(days=1)))
    assert set(received) == {people["head2"], people["office"]}
    overdue = received[people["head2"]]
    assert overdue["Subject"] == (
        f"Overdue: report Báo cáo E2E of Trường Hai {tag} was due {vn_date(deadline)}"
    )
    assert f'href="{report_url["unit2"]}"' in html_of(overdue)
    digest = received[people["office"]]
    assert digest["Subject"] == (
        f"Late and missing reports: Báo cáo E2E ({world['plan_name']})"
    )
    digest_body = html_of(digest)
    assert vn_date(deadline) in digest_body
    assert f"Trường Hai {tag}" in digest_body
    assert report_url["unit2"] in digest_body
    assert f"Trường Một {tag}" not in digest_body
    assert report_url["unit1"] not in digest_body
    assert "1 unit(s) are late or have not submitted" in digest_body

    # a second run, that day or the next: nothing more
    assert run_job(admin, sink, world, deadline + timedelta(days=1)) == []
    assert run_job(admin, sink, world, deadline + timedelta(days=2)) == []

    # and what was sent is logged
    logs = admin.execute(
        "danvan.reminder.log",
        "search_read",
        [("plan_id", "=", world["plan"])],
        fields=["kind", "unit_id", "state"],
    )
    kinds = sorted((log["kind"], log["unit_id"][0]) for log in logs)
    units = world["units"]
    assert kinds == sorted(
        [
            ("before_7", units["unit1"]),
            ("before_7", units["unit2"]),
            ("before_1", units["unit2"]),
            ("overdue", units["unit2"]),
            ("digest", units["office"]),
        ]
    )
    assert {log["state"] for log in logs} == {"queued"}


def test_run_for_date_is_for_managers(mail_server, world):
    tag = world["tag"]
    staff = mail_server.rpc().login(f"e2e_{tag}_staff1", f"e2e_{tag}_staff1")
    with pytest.raises(xmlrpc.client.Fault) as caught:
        staff.execute(
            "danvan.plan", "run_deadline_reminders_for_date", date.today().isoformat()
        )
    assert_access_error(caught.value)
