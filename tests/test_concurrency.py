"""Concurrent work on a real server: one wins cleanly, nothing half-written.

Two XML-RPC clients call at the same moment. To make them really overlap,
a third connection holds a row lock (``RowBlocker``) until both requests
are waiting on it in PostgreSQL; then it lets them go. Odoo runs every
request in a REPEATABLE READ transaction and retries the ones PostgreSQL
aborts for a concurrent update (``SERIALIZATION_FAILURE``), so the loser
is retried, sees the winner's result and is refused with a UserError.

Runs on a private copy of the demo database (tests/danvan_sec_support.py).
"""

import secrets
import xmlrpc.client
from datetime import date

import pytest
from conftest import FAULT_USER_ERROR
from danvan_sec_support import RowBlocker, clone_database, drop_database, sql, start

M = "danvan_chinh_quyen."
RETRY_LOG = "SERIALIZATION_FAILURE"


@pytest.fixture(scope="module")
def sec_db(odoo_database):
    name = clone_database(odoo_database, "conc")
    yield name
    drop_database(name)


@pytest.fixture(scope="module")
def servers(odoo_server_factory, sec_db):
    """Two server processes on the same database (like two cron workers)."""
    first = odoo_server_factory(database=sec_db, workers=0)
    second = odoo_server_factory(database=sec_db, workers=0)
    yield first, second
    first.stop()
    second.stop()


@pytest.fixture(scope="module")
def server(servers):
    return servers[0]


@pytest.fixture(scope="module")
def admin(server):
    return server.rpc().login("admin", "admin")


@pytest.fixture(scope="module")
def ids(admin):
    names = [
        "demo_plan_current",
        "demo_plan_current_period_mid",
        "demo_plan_current_period_year",
        "demo_plan_current_task_6",
        "demo_unit_th_phuong_lam",
        "demo_unit_pgd_tphb",
        "demo_unit_ptdtnt_tinh",
        "demo_unit_pgd_da_bac",
        "demo_unit_van_phong",
        "demo_unit_so_gddt",
        "ir_cron_danvan_deadlines",
    ]
    found = {name.replace("demo_", ""): admin.ref(M + name) for name in names}
    found["year"] = admin.read_one("danvan.plan", found["plan_current"], ["year"])[
        "year"
    ]
    return found


@pytest.fixture(scope="module")
def second_officer(admin, ids):
    login = f"danvan.officer2.{secrets.token_hex(3)}"
    admin.execute(
        "res.users",
        "create",
        {
            "name": "Cán bộ Văn phòng thứ hai",
            "login": login,
            "password": login,
            "email": f"{login}@example.com",
            "danvan_unit_id": ids["unit_van_phong"],
            "groups_id": [
                (
                    6,
                    0,
                    [
                        admin.ref("base.group_user"),
                        admin.ref(M + "group_danvan_officer"),
                    ],
                )
            ],
        },
    )
    return login


def report_of(admin, ids, unit, period):
    found = admin.execute(
        "danvan.unit.report",
        "search",
        [
            ("plan_id", "=", ids["plan_current"]),
            ("unit_id", "=", ids[unit]),
            ("period_id", "=", ids[period]),
        ],
    )
    assert len(found) == 1
    return found[0]


def login(server, user):
    return server.rpc().login(user)


def retries(*servers):
    return sum(s.log_path.read_text(errors="replace").count(RETRY_LOG) for s in servers)


def assert_user_error(error):
    assert isinstance(error, xmlrpc.client.Fault), repr(error)
    assert error.faultCode == FAULT_USER_ERROR, error.faultString[-800:]


# ---------------------------------------------------------------------------
# Two officers review the same report
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "unit, second_action",
    [("unit_pgd_tphb", "action_accept"), ("unit_ptdtnt_tinh", "action_return")],
)
def test_two_officers_review_the_same_report(
    server, admin, ids, second_officer, sec_db, unit, second_action
):
    report = report_of(admin, ids, unit, "plan_current_period_mid")
    assert (
        admin.read_one("danvan.unit.report", report, ["state"])["state"] == "submitted"
    )
    admin.execute(
        "danvan.unit.report", "write", [report], {"review_note": "Bổ sung minh chứng"}
    )
    first, second = login(server, "danvan.officer"), login(server, second_officer)
    last_message = admin.execute(
        "mail.message", "search", [], limit=1, order="id desc"
    )[0]
    retried = retries(server)

    with RowBlocker(sec_db) as blocker:
        blocker.lock("danvan_unit_report", report)
        calls = start(
            lambda: first.execute("danvan.unit.report", "action_accept", [report]),
            lambda: second.execute("danvan.unit.report", second_action, [report]),
        )
        blocker.wait_for(2)
    outcomes = [call.outcome() for call in calls]

    winners = [i for i, call in enumerate(outcomes) if call.error is None]
    assert len(winners) == 1, [repr(c.error) for c in outcomes]
    loser = outcomes[1 - winners[0]]
    assert_user_error(loser.error)
    assert retries(server) > retried, "the two reviews did not overlap"

    final = admin.read_one(
        "danvan.unit.report", report, ["state", "reviewer_id", "date_reviewed"]
    )
    winner_user = (first, second)[winners[0]]
    expected = (
        "accepted"
        if winners[0] == 0 or second_action == "action_accept"
        else "returned"
    )
    assert final["state"] == expected
    assert final["reviewer_id"][0] == winner_user.uid
    assert final["date_reviewed"]
    # one review, one notice: nothing left from the refused one
    loser_user = (first, second)[1 - winners[0]]
    loser_partner = admin.read_one("res.users", loser_user.uid, ["partner_id"])[
        "partner_id"
    ][0]
    messages = admin.execute(
        "mail.message",
        "search_read",
        [
            ("model", "=", "danvan.unit.report"),
            ("res_id", "=", report),
            ("id", ">", last_message),
        ],
        fields=["author_id", "message_type"],
    )
    assert messages
    assert all((m["author_id"] or [0])[0] != loser_partner for m in messages)


# ---------------------------------------------------------------------------
# A line written while the report is submitted
# ---------------------------------------------------------------------------
def test_submission_waits_for_a_line_being_written(server, admin, ids, sec_db):
    """The submission comes after the line, never in the middle."""
    report = report_of(admin, ids, "unit_th_phuong_lam", "plan_current_period_year")
    line = admin.read_one("danvan.unit.report", report, ["line_ids"])["line_ids"][0]
    staff = login(server, "danvan.staff.phuonglam")
    head = login(server, "danvan.staff.tphb")

    with RowBlocker(sec_db) as blocker:
        blocker.lock("danvan_unit_report_line", line)
        (write,) = start(
            lambda: staff.execute(
                "danvan.unit.report.line",
                "write",
                [line],
                {"result": "Viết lúc đang gửi"},
            )
        )
        blocker.wait_for(1)
        (submit,) = start(
            lambda: head.execute("danvan.unit.report", "action_submit", [report])
        )
        # the submission must wait for the line's transaction (report row lock)
        blocker.wait_for(2)
        assert submit.finished_at is None
    write.outcome()
    submit.outcome()
    assert write.error is None and submit.error is None, (write.error, submit.error)
    assert write.finished_at <= submit.finished_at
    assert (
        admin.read_one("danvan.unit.report", report, ["state"])["state"] == "submitted"
    )
    result = admin.read_one("danvan.unit.report.line", line, ["result"])["result"]
    assert result == "Viết lúc đang gửi"


def test_line_written_after_the_submission_is_refused(server, admin, ids, sec_db):
    report = report_of(admin, ids, "unit_pgd_tphb", "plan_current_period_year")
    line = admin.read_one("danvan.unit.report", report, ["line_ids"])["line_ids"][0]
    before = admin.read_one("danvan.unit.report.line", line, ["result"])["result"]
    head = login(server, "danvan.staff.tphb")
    head2 = login(server, "danvan.staff.tphb")

    with RowBlocker(sec_db) as blocker:
        blocker.lock("danvan_unit_report", report)
        (submit,) = start(
            lambda: head.execute("danvan.unit.report", "action_submit", [report])
        )
        blocker.wait_for(1)
        (write,) = start(
            lambda: head2.execute(
                "danvan.unit.report.line",
                "write",
                [line],
                {"result": "Sửa sau khi gửi"},
            )
        )
        blocker.wait_for(2)
    submit.outcome()
    write.outcome()
    assert submit.error is None, submit.error
    assert_user_error(write.error)
    assert (
        admin.read_one("danvan.unit.report.line", line, ["result"])["result"] == before
    )


# ---------------------------------------------------------------------------
# The deadline job
# ---------------------------------------------------------------------------
def _claim_key(blocker, res_model, res_id, kind, deadline, unit_id):
    """Insert (uncommitted) the reminder log row a job is about to claim:
    the job's INSERT ... ON CONFLICT waits for this transaction."""
    blocker.execute(
        "INSERT INTO danvan_reminder_log"
        " (res_model, res_id, kind, deadline, unit_id, state)"
        " VALUES (%s, %s, %s, %s, %s, 'queued')",
        [res_model, res_id, kind, deadline, unit_id],
    )


def _assert_nothing_twice(sec_db, since_mail):
    """Every mail the job queued is logged once; no mail without its log."""
    duplicates = sql(
        sec_db,
        "SELECT res_model, res_id, kind, deadline, unit_id, count(*)"
        " FROM danvan_reminder_log GROUP BY 1, 2, 3, 4, 5 HAVING count(*) > 1",
    )
    assert duplicates == []
    new_mails = sql(
        sec_db,
        "SELECT m.id FROM mail_mail m JOIN mail_message mm ON mm.id = m.mail_message_id"
        " WHERE m.id > %s AND mm.message_type = 'email_outgoing'"
        " AND mm.model LIKE 'danvan.%%'",
        [since_mail],
    )
    logged = sql(
        sec_db,
        "SELECT mail_id, count(*) FROM danvan_reminder_log"
        " WHERE mail_id > %s GROUP BY 1",
        [since_mail],
    )
    assert all(count == 1 for _mail, count in logged)
    assert {m for (m,) in new_mails} == {m for m, _count in logged}
    return len(new_mails)


def _last_mail(sec_db):
    return sql(sec_db, "SELECT coalesce(max(id), 0) FROM mail_mail")[0][0]


def test_submit_while_the_deadline_job_runs(server, admin, ids, sec_db):
    year = ids["year"]
    day, deadline = date(year, 12, 8), date(year, 12, 15)
    report = report_of(admin, ids, "unit_ptdtnt_tinh", "plan_current_period_year")
    manager = login(server, "danvan.manager")
    staff = login(server, "danvan.staff.ptdtnt")
    since = _last_mail(sec_db)

    with RowBlocker(sec_db) as blocker:
        _claim_key(
            blocker,
            "danvan.unit.report",
            report,
            "before_7",
            deadline,
            ids["unit_ptdtnt_tinh"],
        )
        (job,) = start(
            lambda: manager.execute(
                "danvan.plan", "run_deadline_reminders_for_date", day.isoformat()
            )
        )
        blocker.wait_for(1)
        # the unit submits while the job is in the middle of its run
        (submit,) = start(
            lambda: staff.execute("danvan.unit.report", "action_submit", [report])
        )
        submit.outcome()
        assert job.finished_at is None
    job.outcome()
    assert submit.error is None, submit.error
    assert job.error is None, job.error
    assert job.result["done"] > 0
    state = admin.read_one("danvan.unit.report", report, ["state", "date_submitted"])
    assert state["state"] == "submitted" and state["date_submitted"]
    open_todos = admin.execute(
        "mail.activity",
        "search_count",
        [
            ("res_model", "=", "danvan.unit.report"),
            ("res_id", "=", report),
            ("activity_type_id", "=", admin.ref(M + "mail_activity_type_report")),
        ],
    )
    assert open_todos == 0, "a to-do was left on a submitted report"
    _assert_nothing_twice(sec_db, since)
    # the same day again: nothing more
    again = manager.execute(
        "danvan.plan", "run_deadline_reminders_for_date", day.isoformat()
    )
    assert again["done"] == 0


def test_deadline_job_twice_at_once(servers, ids, admin, sec_db):
    """Two server processes run the job for the same day at the same moment."""
    year = ids["year"]
    day, deadline = date(year, 12, 14), date(year, 12, 15)
    report = report_of(admin, ids, "unit_pgd_da_bac", "plan_current_period_year")
    first = login(servers[0], "danvan.manager")
    second = login(servers[1], "danvan.manager")
    since = _last_mail(sec_db)
    retried = retries(*servers)

    with RowBlocker(sec_db) as blocker:
        _claim_key(
            blocker,
            "danvan.unit.report",
            report,
            "before_1",
            deadline,
            ids["unit_pgd_da_bac"],
        )
        calls = start(
            lambda: first.execute(
                "danvan.plan", "run_deadline_reminders_for_date", str(day)
            ),
            lambda: second.execute(
                "danvan.plan", "run_deadline_reminders_for_date", str(day)
            ),
        )
        blocker.wait_for(2)
    outcomes = [call.outcome() for call in calls]
    assert all(call.error is None for call in outcomes), [c.error for c in outcomes]
    assert retries(*servers) > retried, "the two runs did not overlap"
    queued = _assert_nothing_twice(sec_db, since)
    assert queued > 0
    # one of them did the work, the other (retried) found it done
    assert sorted(call.result["done"] > 0 for call in outcomes) in (
        [False, True],
        [True, True],
    )
    logged = sql(
        sec_db,
        "SELECT count(*) FROM danvan_reminder_log WHERE kind = 'before_1'"
        " AND deadline = %s AND res_model = 'danvan.unit.report' AND res_id = %s",
        [deadline, report],
    )[0][0]
    assert logged == 1


def test_scheduled_action_started_twice(servers, ids, admin, sec_db):
    """'Run manually' on two servers at once: the second is refused cleanly."""
    year = ids["year"]
    cron = ids["ir_cron_danvan_deadlines"]
    day, deadline = date(year, 12, 13), date(year, 12, 20)
    # the scheduled action, run as of a chosen day (the server's clock is real)
    admin.execute(
        "ir.cron",
        "write",
        [cron],
        {"code": f"model.run_deadline_reminders_for_date('{day}')"},
    )
    first = servers[0].rpc().login("admin", "admin")
    second = servers[1].rpc().login("admin", "admin")
    since = _last_mail(sec_db)

    with RowBlocker(sec_db) as blocker:
        _claim_key(
            blocker,
            "danvan.plan.task",
            ids["plan_current_task_6"],
            "task_before_7",
            deadline,
            ids["unit_van_phong"],
        )
        (running,) = start(
            lambda: first.execute("ir.cron", "method_direct_trigger", [cron])
        )
        blocker.wait_for(1)
        (again,) = start(
            lambda: second.execute("ir.cron", "method_direct_trigger", [cron])
        )
        again.outcome()
        assert running.finished_at is None
    running.outcome()
    assert running.error is None, running.error
    assert_user_error(again.error)
    _assert_nothing_twice(sec_db, since)
    logged = sql(
        sec_db,
        "SELECT count(*) FROM danvan_reminder_log WHERE kind = 'task_before_7'"
        " AND res_id = %s AND deadline = %s",
        [ids["plan_current_task_6"], deadline],
    )[0][0]
    assert logged == 1


# ---------------------------------------------------------------------------
# A plan issued while a task area is added
# ---------------------------------------------------------------------------
def _plan_to_approve(admin, ids, officer):
    year = ids["year"]
    plan = officer.execute(
        "danvan.plan",
        "create",
        {
            "name": f"Kế hoạch thử đồng thời {secrets.token_hex(2)}",
            "year": year,
            "issuing_unit_id": ids["unit_so_gddt"],
            "monitoring_unit_id": ids["unit_van_phong"],
            "participant_unit_ids": [
                (6, 0, [ids["unit_th_phuong_lam"], ids["unit_ptdtnt_tinh"]])
            ],
            "task_ids": [(0, 0, {"name": "Nhiệm vụ một", "code": "II.1"})],
            "period_ids": [
                (
                    0,
                    0,
                    {
                        "name": "Cả năm",
                        "date_from": f"{year}-01-01",
                        "date_to": f"{year}-11-30",
                        "date_deadline": f"{year}-12-10",
                    },
                )
            ],
        },
    )
    officer.execute("danvan.plan", "action_submit", [plan])
    return plan


def _lines_per_report(admin, plan):
    reports = admin.execute(
        "danvan.unit.report",
        "search_read",
        [("plan_id", "=", plan)],
        fields=["line_ids"],
    )
    return [len(r["line_ids"]) for r in reports]


@pytest.mark.parametrize("task_first", [False, True])
def test_issue_while_a_task_is_added(server, admin, ids, sec_db, task_first):
    officer = login(server, "danvan.officer")
    manager = login(server, "danvan.manager")
    plan = _plan_to_approve(admin, ids, officer)
    retried = retries(server)

    def issue():
        return manager.execute("danvan.plan", "action_issue", [plan])

    def add_task():
        return officer.execute(
            "danvan.plan.task", "create", {"plan_id": plan, "name": "Nhiệm vụ thêm"}
        )

    with RowBlocker(sec_db) as blocker:
        blocker.lock("danvan_plan", plan)
        calls = []
        for func in (add_task, issue) if task_first else (issue, add_task):
            calls += start(func)
            blocker.wait_for(len(calls))
    task, issued = sorted((c.outcome() for c in calls), key=lambda c: c.func is issue)
    assert issued.error is None, issued.error
    # Whether PostgreSQL made one of the two retry depends on which reaches
    # the plan's row first once the blocker lets go (in the last run of the
    # session neither had to: the second one read the first one's result);
    # what must hold either way is checked below: no report without the
    # line of a task the plan has, and no task added to an issued plan.
    overlapped = retries(server) > retried
    tasks = admin.read_one("danvan.plan", plan, ["task_ids"])["task_ids"]
    if task.error is None:
        # the task came first: the issue saw it (retried if they overlapped)
        assert len(tasks) == 2, overlapped
    else:
        # the plan was issued first: the retried task is refused (locked)
        assert_user_error(task.error)
        assert len(tasks) == 1
    # every unit report has a line for every task area of the plan
    lines = _lines_per_report(admin, plan)
    assert lines and set(lines) == {len(tasks)}
