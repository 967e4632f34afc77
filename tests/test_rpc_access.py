"""The access matrix from outside, as real users of a running server.

XML-RPC and HTTP (a logged-in ``requests`` session) against a private copy of
the demo database. Users: ``danvan.staff.phuonglam`` (a primary school under
the Phòng GD&ĐT TP Hòa Bình), ``danvan.staff.tphb`` (head of that office),
``danvan.staff.ptdtnt`` (another school), ``danvan.officer`` and
``danvan.manager``; the password of each is its login. The demo plan
``demo_plan_current`` is issued with reports for all units.

Besides the obvious calls, the ways around them: attachments and messages
of another unit's report, related fields and searches through relations,
name_search, exports, the print routes, the consolidation and its XLSX,
computed counts, followers, mail templates and the deadline job's mails.
"""

import json
import xmlrpc.client
from datetime import date

import pytest
import requests
from conftest import FAULT_ACCESS_ERROR, FAULT_USER_ERROR
from danvan_sec_support import clone_database, drop_database

STAFF = "danvan.staff.phuonglam"
HEAD = "danvan.staff.tphb"
OTHER = "danvan.staff.ptdtnt"
OFFICER = "danvan.officer"
MANAGER = "danvan.manager"
M = "danvan_chinh_quyen."
SHARED_MODELS = [
    "danvan.unit",
    "danvan.plan",
    "danvan.plan.task",
    "danvan.report.period",
]


# ---------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sec_db(odoo_database):
    name = clone_database(odoo_database, "rpc")
    yield name
    drop_database(name)


@pytest.fixture(scope="module")
def server(odoo_server_factory, sec_db):
    server = odoo_server_factory(database=sec_db)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def rpc(server):
    return server.rpc()


@pytest.fixture(scope="module")
def users(rpc):
    return {login: rpc.login(login) for login in (STAFF, HEAD, OTHER, OFFICER, MANAGER)}


@pytest.fixture(scope="module")
def admin(rpc):
    return rpc.login("admin", "admin")


@pytest.fixture(scope="module")
def ids(admin):
    names = [
        "demo_unit_th_phuong_lam",
        "demo_unit_pgd_tphb",
        "demo_unit_ptdtnt_tinh",
        "demo_unit_pgd_da_bac",
        "demo_unit_van_phong",
        "demo_plan_current",
        "demo_plan_current_period_mid",
        "demo_plan_current_period_year",
        "demo_plan_2022",
        "demo_reg_ptdtnt",
    ]
    found = {name.replace("demo_", ""): admin.ref(M + name) for name in names}
    plan = found["plan_current"]

    def report(unit, period):
        rows = admin.execute(
            "danvan.unit.report",
            "search",
            [
                ("plan_id", "=", plan),
                ("unit_id", "=", found[unit]),
                ("period_id", "=", found[period]),
            ],
        )
        assert len(rows) == 1
        return rows[0]

    found["rep_own_year"] = report("unit_th_phuong_lam", "plan_current_period_year")
    found["rep_own_mid"] = report("unit_th_phuong_lam", "plan_current_period_mid")
    found["rep_other_mid"] = report("unit_ptdtnt_tinh", "plan_current_period_mid")
    found["rep_dabac_mid"] = report("unit_pgd_da_bac", "plan_current_period_mid")
    found["year"] = admin.read_one("danvan.plan", plan, ["year"])["year"]
    found["participants"] = admin.read_one(
        "danvan.plan", plan, ["participant_unit_ids"]
    )["participant_unit_ids"]
    found["tphb_tree"] = admin.execute(
        "danvan.unit", "search", [("id", "child_of", found["unit_pgd_tphb"])]
    )
    return found


@pytest.fixture(scope="module")
def secret(admin, ids):
    """A file and a note on the PTDTNT school's (submitted) report."""
    report = ids["rep_other_mid"]
    attachment = admin.execute(
        "ir.attachment",
        "create",
        {
            "name": "bi-mat-ptdtnt.txt",
            "raw": "Số liệu riêng của trường PTDTNT",
            "res_model": "danvan.unit.report",
            "res_id": report,
        },
    )
    message = admin.execute(
        "danvan.unit.report",
        "message_post",
        [report],
        body="Ghi chú BÍ MẬT của trường PTDTNT",
        message_type="comment",
        subtype_xmlid="mail.mt_note",
    )
    return {"attachment": attachment, "message": message, "report": report}


def fault_code(call):
    with pytest.raises(xmlrpc.client.Fault) as caught:
        call()
    return caught.value.faultCode, caught.value.faultString


def assert_refused(call, code=FAULT_ACCESS_ERROR):
    got, text = fault_code(call)
    assert got == code, f"expected fault {code}, got {got}: {text[-500:]}"
    return text


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


def json_call(server, session, path, params):
    response = session.post(
        f"{server.url}{path}",
        json={"jsonrpc": "2.0", "method": "call", "params": params},
        timeout=60,
    )
    return response.json()


# ---------------------------------------------------------------------------
# Reports: the obvious path
# ---------------------------------------------------------------------------
def visible_units(ids, login):
    return {
        STAFF: {ids["unit_th_phuong_lam"]},
        HEAD: set(ids["tphb_tree"]) & set(ids["participants"]),
        OTHER: {ids["unit_ptdtnt_tinh"]},
    }.get(login, set(ids["participants"]))


@pytest.mark.parametrize("login", [STAFF, HEAD, OTHER, OFFICER, MANAGER])
def test_reports_by_role(users, ids, login):
    user = users[login]
    rows = user.execute(
        "danvan.unit.report",
        "search_read",
        [("plan_id", "=", ids["plan_current"])],
        fields=["unit_id"],
    )
    assert {row["unit_id"][0] for row in rows} == visible_units(ids, login)
    groups = user.execute(
        "danvan.unit.report",
        "read_group",
        [("plan_id", "=", ids["plan_current"])],
        ["unit_id"],
        ["unit_id"],
    )
    assert {g["unit_id"][0] for g in groups} == visible_units(ids, login)


@pytest.mark.parametrize("login", [STAFF, HEAD])
def test_other_units_report_by_id(users, ids, login):
    user, report = users[login], ids["rep_other_mid"]
    assert_refused(
        lambda: user.execute("danvan.unit.report", "read", [report], ["name"])
    )
    assert_refused(
        lambda: user.execute(
            "danvan.unit.report", "web_read", [report], {"review_note": {}}
        )
    )
    assert_refused(
        lambda: user.execute(
            "danvan.unit.report", "write", [report], {"general_assessment": "<p>x</p>"}
        )
    )
    assert_refused(
        lambda: user.execute("danvan.unit.report", "action_submit", [report])
    )
    assert_refused(
        lambda: user.execute("danvan.unit.report", "message_post", [report], body="x")
    )
    assert (
        user.execute("danvan.unit.report", "search_count", [("id", "=", report)]) == 0
    )


def test_head_reaches_sub_unit(users, ids):
    head = users[HEAD]
    row = head.read_one("danvan.unit.report", ids["rep_own_year"], ["unit_id", "state"])
    assert row["unit_id"][0] == ids["unit_th_phuong_lam"]


# ---------------------------------------------------------------------------
# Ways around: relations, names, exports
# ---------------------------------------------------------------------------
def test_search_through_relations_finds_nothing(users, ids, admin):
    note = admin.read_one("danvan.unit.report", ids["rep_dabac_mid"], ["review_note"])[
        "review_note"
    ]
    assert note
    probe = note[:20]
    staff, officer = users[STAFF], users[OFFICER]
    for model, field in (
        ("danvan.unit.report.line", "report_id.review_note"),
        ("danvan.unit.report.value", "report_id.review_note"),
        ("danvan.plan", "report_ids.review_note"),
        ("danvan.report.period", "report_ids.review_note"),
        ("danvan.unit", "user_ids.danvan_unit_id.name"),
    ):
        domain = [(field, "ilike", probe)]
        if model == "danvan.unit":
            continue  # units are public: nothing to find through them
        assert staff.execute(model, "search_count", domain) == 0, model
        assert officer.execute(model, "search_count", domain) > 0, model
    # figures of another unit through the report's unit
    assert (
        staff.execute(
            "danvan.unit.report.value",
            "search_count",
            [("report_id.unit_id", "=", ids["unit_ptdtnt_tinh"])],
        )
        == 0
    )


def test_related_fields_read_own_only(users, ids):
    staff = users[STAFF]
    rows = staff.execute(
        "danvan.unit.report",
        "web_read",
        [ids["rep_own_year"]],
        {
            "unit_id": {"fields": {"user_ids": {"fields": {"login": {}}}}},
            "plan_id": {"fields": {"report_ids": {"fields": {"unit_id": {}}}}},
        },
    )
    # the unit's staff are public to app users; the plan's reports are filtered
    assert {u["login"] for u in rows[0]["unit_id"]["user_ids"]} == {STAFF}
    units = {r["unit_id"] for r in rows[0]["plan_id"]["report_ids"]}
    assert units == {ids["unit_th_phuong_lam"]}
    assert (
        staff.execute(
            "danvan.unit.report.line",
            "search_read",
            [("report_id", "=", ids["rep_other_mid"])],
            fields=["result"],
        )
        == []
    )


def test_name_search_on_units_is_public(users, ids):
    for login in (STAFF, OTHER):
        found = users[login].execute("danvan.unit", "name_search", "Nội trú")
        assert ids["unit_ptdtnt_tinh"] in [row[0] for row in found]
    # but reports found by name stay one's own
    found = users[STAFF].execute("danvan.unit.report", "name_search", "Nội trú")
    assert found == []


def test_export(users, ids, admin):
    report = ids["rep_other_mid"]
    text = assert_refused(
        lambda: users[STAFF].execute(
            "danvan.unit.report", "export_data", [report], ["name", "review_note"]
        ),
        FAULT_USER_ERROR,
    )
    assert "export" in text.lower() or "xuất" in text.lower()
    # with the right to export, the record rules still apply
    export_group = admin.ref("base.group_allow_export")
    for login in (STAFF, OFFICER):
        admin.execute(
            "res.users", "write", [users[login].uid], {"groups_id": [(4, export_group)]}
        )
    assert_refused(
        lambda: users[STAFF].execute(
            "danvan.unit.report", "export_data", [report], ["name", "review_note"]
        )
    )
    own = users[STAFF].execute(
        "danvan.unit.report",
        "export_data",
        [ids["rep_own_year"]],
        ["name", "unit_id/name"],
    )
    assert "Phương Lâm" in own["datas"][0][1]
    exported = users[OFFICER].execute(
        "danvan.unit.report", "export_data", [report], ["name", "unit_id/name"]
    )
    assert "Nội trú" in exported["datas"][0][1]


# ---------------------------------------------------------------------------
# Attachments, messages, followers, templates
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("login", [STAFF, HEAD])
def test_attachment_of_other_unit(server, users, secret, login):
    user, attachment = users[login], secret["attachment"]
    assert user.execute(
        "ir.attachment",
        "search_read",
        ["|", ("id", "=", attachment), ("res_model", "=", "danvan.unit.report")],
        fields=["name", "res_id"],
    ) == [] or all(
        row["id"] != attachment
        for row in user.execute(
            "ir.attachment",
            "search_read",
            [("res_model", "=", "danvan.unit.report")],
            fields=["name"],
        )
    )
    assert_refused(
        lambda: user.execute("ir.attachment", "read", [attachment], ["datas"])
    )
    assert_refused(
        lambda: user.execute(
            "ir.attachment",
            "create",
            {
                "name": "gia-mao.txt",
                "raw": "x",
                "res_model": "danvan.unit.report",
                "res_id": secret["report"],
            },
        )
    )
    session = web_session(server, login)
    for path in (
        f"/web/content/{attachment}",
        f"/web/content/{attachment}?download=true",
        f"/web/content/ir.attachment/{attachment}/datas",
    ):
        response = session.get(server.url + path, timeout=60)
        assert response.status_code in (403, 404), path
        assert "Số liệu riêng" not in response.text


def test_attachment_readable_by_officer(server, users, secret):
    session = web_session(server, OFFICER)
    response = session.get(
        f"{server.url}/web/content/{secret['attachment']}", timeout=60
    )
    assert response.status_code == 200
    assert "Số liệu riêng" in response.content.decode()


@pytest.mark.parametrize("login", [STAFF, HEAD])
def test_messages_of_other_unit(server, users, ids, secret, admin, login):
    user, message = users[login], secret["message"]
    assert (
        user.execute(
            "mail.message",
            "search_read",
            [("model", "=", "danvan.unit.report"), ("res_id", "=", secret["report"])],
            fields=["body"],
        )
        == []
    )
    assert (
        user.execute("mail.message", "search_count", [("body", "ilike", "BÍ MẬT")]) == 0
    )
    assert_refused(lambda: user.execute("mail.message", "read", [message], ["body"]))
    # the chatter's own route
    session = web_session(server, login)
    answer = json_call(
        server,
        session,
        "/mail/thread/messages",
        {
            "thread_model": "danvan.unit.report",
            "thread_id": secret["report"],
            "limit": 30,
        },
    )
    assert "BÍ MẬT" not in json.dumps(answer, ensure_ascii=False)
    # following the report would bring its notifications: refused
    partner = user.read_one("res.users", user.uid, ["partner_id"])["partner_id"][0]
    assert (
        user.execute(
            "danvan.unit.report",
            "message_subscribe",
            [secret["report"]],
            partner_ids=[partner],
        )
        is False
    )
    # sending a template rendered on another unit's report
    template = admin.ref(M + "mail_template_unit_report_returned")
    assert_refused(
        lambda: user.execute("mail.template", "send_mail", [template], secret["report"])
    )


def test_no_follower_added(admin, secret, users):
    partner = users[STAFF].read_one("res.users", users[STAFF].uid, ["partner_id"])
    followers = admin.execute(
        "mail.followers",
        "search_count",
        [
            ("res_model", "=", "danvan.unit.report"),
            ("res_id", "=", secret["report"]),
            ("partner_id", "=", partner["partner_id"][0]),
        ],
    )
    assert followers == 0


def test_follow_the_office_refused(users, ids):
    staff = users[STAFF]
    partner = staff.read_one("res.users", staff.uid, ["partner_id"])["partner_id"][0]
    assert_refused(
        lambda: staff.execute(
            "danvan.unit",
            "message_subscribe",
            [ids["unit_van_phong"]],
            partner_ids=[partner],
        )
    )
    assert staff.execute(
        "danvan.unit",
        "message_subscribe",
        [ids["unit_th_phuong_lam"]],
        partner_ids=[partner],
    )


def test_no_oracle_on_other_units_names(users, admin, ids):
    name = admin.read_one("danvan.model.registration", ids["reg_ptdtnt"], ["name"])[
        "name"
    ]
    text = assert_refused(
        lambda: users[STAFF].execute(
            "danvan.model.registration",
            "create",
            {
                "name": name,
                "plan_id": ids["plan_current"],
                "unit_id": ids["unit_ptdtnt_tinh"],
            },
        )
    )
    assert name not in text and "already" not in text


# ---------------------------------------------------------------------------
# Printing, consolidation, counts, dashboard, deadline log
# ---------------------------------------------------------------------------
def test_print_routes(server, ids, admin):
    staff = web_session(server, STAFF)
    officer = web_session(server, OFFICER)
    own, other = ids["rep_own_year"], ids["rep_other_mid"]
    own_html = staff.get(
        f"{server.url}/report/html/danvan_chinh_quyen.report_unit_report/{own}",
        timeout=120,
    )
    assert own_html.status_code == 200
    assert "Phương Lâm" in own_html.text
    assert "Nội trú" not in own_html.text
    refused = [
        f"/report/html/danvan_chinh_quyen.report_unit_report/{other}",
        f"/report/pdf/danvan_chinh_quyen.report_unit_report/{other}",
        f"/report/html/danvan_chinh_quyen.report_unit_report/{own},{other}",
        f"/report/pdf/danvan_chinh_quyen.report_consolidated/{ids['plan_current_period_mid']}",
        f"/report/html/danvan_chinh_quyen.report_consolidated/{ids['plan_current_period_mid']}",
        f"/danvan/period/{ids['plan_current_period_mid']}/consolidation.xlsx",
        f"/report/html/danvan_chinh_quyen.report_registrations/{ids['reg_ptdtnt']}",
        f"/report/html/danvan_chinh_quyen.report_plan/{ids['plan_2022']}",
    ]
    for path in refused:
        response = staff.get(server.url + path, timeout=120)
        assert response.status_code in (403, 404), f"{path}: {response.status_code}"
        assert "Nội trú" not in response.text, path
    # the officer reads them
    response = officer.get(
        f"{server.url}/report/html/danvan_chinh_quyen.report_consolidated/"
        f"{ids['plan_current_period_mid']}",
        timeout=120,
    )
    assert response.status_code == 200 and "Nội trú" in response.text
    response = officer.get(
        f"{server.url}/danvan/period/{ids['plan_current_period_mid']}/consolidation.xlsx",
        timeout=120,
    )
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_consolidation_and_log_fields(users, ids):
    staff = users[STAFF]
    assert_refused(
        lambda: staff.execute(
            "danvan.report.period",
            "read",
            [ids["plan_current_period_mid"]],
            ["consolidation_html"],
        )
    )
    assert_refused(lambda: staff.execute("danvan.reminder.log", "search_read", []))
    assert_refused(
        lambda: staff.execute(
            "danvan.report.period",
            "action_download_xlsx",
            [ids["plan_current_period_mid"]],
        )
    )


@pytest.mark.parametrize("login", [STAFF, HEAD, OTHER])
def test_counts_show_own_records_only(users, admin, ids, login):
    user = users[login]
    units = list(visible_units(ids, login))
    plan = user.read_one(
        "danvan.plan", ids["plan_current"], ["report_count", "registration_count"]
    )
    assert plan["report_count"] == admin.execute(
        "danvan.unit.report",
        "search_count",
        [("plan_id", "=", ids["plan_current"]), ("unit_id", "in", units)],
    )
    assert plan["registration_count"] == admin.execute(
        "danvan.model.registration",
        "search_count",
        [("plan_id", "=", ids["plan_current"]), ("unit_id", "in", units)],
    )
    period = user.read_one(
        "danvan.report.period",
        ids["plan_current_period_mid"],
        ["report_count", "submitted_count"],
    )
    assert period["report_count"] == len(units)
    dashboard = user.execute("danvan.dashboard", "get_dashboard_data")
    assert "periods" not in dashboard and "to_review" not in dashboard
    shown = {r["id"] for r in dashboard["my_reports"]}
    assert shown <= set(
        admin.execute("danvan.unit.report", "search", [("unit_id", "in", units)])
    )


# ---------------------------------------------------------------------------
# Mail: who receives what
# ---------------------------------------------------------------------------
def _recipients(admin, model, res_id, after):
    messages = admin.execute(
        "mail.message",
        "search_read",
        [("model", "=", model), ("res_id", "=", res_id), ("id", ">", after)],
        fields=["partner_ids", "notification_ids"],
    )
    partners = {p for m in messages for p in m["partner_ids"]}
    notified = admin.execute(
        "mail.notification",
        "search_read",
        [("mail_message_id", "in", [m["id"] for m in messages])],
        fields=["res_partner_id"],
    )
    partners |= {n["res_partner_id"][0] for n in notified if n["res_partner_id"]}
    mails = admin.execute(
        "mail.mail",
        "search_read",
        [("mail_message_id", "in", [m["id"] for m in messages])],
        fields=["recipient_ids"],
    )
    partners |= {p for m in mails for p in m["recipient_ids"]}
    return partners, messages


def _partners_of_units(admin, unit_ids):
    users = admin.execute(
        "res.users",
        "search_read",
        [("danvan_unit_id", "in", unit_ids)],
        fields=["partner_id"],
    )
    heads = admin.execute(
        "danvan.unit", "search_read", [("id", "in", unit_ids)], fields=["head_user_id"]
    )
    head_users = [h["head_user_id"][0] for h in heads if h["head_user_id"]]
    partners = {u["partner_id"][0] for u in users}
    if head_users:
        partners |= {
            u["partner_id"][0]
            for u in admin.execute("res.users", "read", head_users, ["partner_id"])
        }
    return partners


def test_workflow_mail_reaches_only_its_unit(users, admin, ids):
    last = admin.execute("mail.message", "search", [], limit=1, order="id desc")[0]
    staff, officer = users[STAFF], users[OFFICER]
    assert staff.execute("danvan.unit.report", "action_submit", [ids["rep_own_year"]])
    officer.execute(
        "danvan.unit.report",
        "write",
        [ids["rep_other_mid"]],
        {"review_note": "Trường PTDTNT bổ sung minh chứng MẬT-42"},
    )
    assert officer.execute(
        "danvan.unit.report", "action_return", [ids["rep_other_mid"]]
    )

    own_partners = _partners_of_units(admin, [ids["unit_th_phuong_lam"]])
    other_partners = _partners_of_units(admin, [ids["unit_ptdtnt_tinh"]])
    head_partners = _partners_of_units(admin, [ids["unit_pgd_tphb"]])

    submitted_to, messages = _recipients(
        admin, "danvan.unit.report", ids["rep_own_year"], last
    )
    assert messages, "no notice of the submission"
    assert not submitted_to & other_partners
    returned_to, messages = _recipients(
        admin, "danvan.unit.report", ids["rep_other_mid"], last
    )
    assert messages, "no notice of the return"
    assert returned_to & other_partners, "the unit was not told"
    assert not returned_to & (own_partners | head_partners)
    # nobody outside the unit finds the note anywhere
    for login in (STAFF, HEAD):
        user = users[login]
        assert (
            user.execute("mail.message", "search_count", [("body", "ilike", "MẬT-42")])
            == 0
        )
        assert_refused(lambda u=user: u.execute("mail.mail", "search_read", []))
    assert users[OTHER].execute(
        "mail.message", "search_count", [("body", "ilike", "MẬT-42")]
    )


def test_deadline_mails_stay_with_their_unit(users, ids):
    manager, year = users[MANAGER], ids["year"]
    # registration reminders (rendered on each unit), the digest of the late
    # reports (on the period) and the task reminders (on the tasks)
    for day in (date(year, 3, 8), date(year, 5, 11), date(year, 12, 13)):
        manager.execute(
            "danvan.plan", "run_deadline_reminders_for_date", day.isoformat()
        )
    domain = [("model", "in", SHARED_MODELS), ("message_type", "=", "email_outgoing")]
    officer_rows = users[OFFICER].execute(
        "mail.message", "search_read", domain, fields=["model", "res_id"]
    )
    assert {"danvan.unit", "danvan.report.period"} <= {r["model"] for r in officer_rows}
    for login in (STAFF, HEAD, OTHER):
        user = users[login]
        own = {ids["unit_th_phuong_lam"], ids["unit_pgd_tphb"], ids["unit_ptdtnt_tinh"]}
        rows = user.execute(
            "mail.message", "search_read", domain, fields=["model", "res_id"]
        )
        for row in rows:
            assert row["model"] == "danvan.unit" and row["res_id"] in own, (login, row)
        others = [r["id"] for r in officer_rows if r not in rows]
        if others:
            assert_refused(
                lambda u=user, o=others: u.execute(
                    "mail.message", "read", o[:5], ["body"]
                )
            )
