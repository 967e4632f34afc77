"""No data loss across a module upgrade; uninstall and reinstall stay sane.

On a private copy of the demo database, users of every role first add what
an upgrade must keep: a submitted report with its evidence file, figures,
an archived registration, settings, a customised scheduled action and mail
template (``noupdate`` records). The database is then snapshotted (row
counts of every table of the addon, the key fields of plans, reports,
registrations, lines, figures and attachments, the files of the filestore,
the plan numbering sequences, messages, followers, activities, settings),
``odoo-bin -u danvan_chinh_quyen`` runs, and the snapshot must be the same.

Uninstalling drops the addon's tables: that is how Odoo works, and why the
README says to back up first. The test checks that the uninstall takes its
data with it cleanly (no attachment, message, follower or activity left
pointing at the dropped models, which a reinstall would otherwise hand to
new records with the same ids) and that a reinstall works and leaves the
rest of the database as it was.
"""

import hashlib
import subprocess

import pytest
from conftest import ADDON, REPO
from danvan_sec_support import clone_database, drop_database, filestore, sql

M = "danvan_chinh_quyen."
PARTNER_QUERY = (
    "SELECT id, name, email FROM res_partner WHERE name = 'Đối tác ngoài ứng dụng'"
)


@pytest.fixture(scope="module")
def upgrade_db(odoo_database):
    name = clone_database(odoo_database, "upg")
    yield name
    drop_database(name)


def _rows(db, query, params=None):
    return [
        tuple(str(v) if v is not None else None for v in row)
        for row in sql(db, query, params)
    ]


def snapshot(db):
    """Everything an upgrade must leave as it was."""
    tables = [
        t
        for (t,) in sql(
            db, "SELECT tablename FROM pg_tables WHERE tablename LIKE 'danvan%%'"
        )
    ]
    shot = {"tables": sorted(tables)}
    for table in tables:
        shot[f"count {table}"] = sql(db, f'SELECT count(*) FROM "{table}"')[0][0]
    shot["plans"] = _rows(
        db,
        "SELECT id, name, number, state, date_issued, year, active, is_amendable,"
        " md5(coalesce(purpose, '')) FROM danvan_plan ORDER BY id",
    )
    shot["reports"] = _rows(
        db,
        "SELECT id, plan_id, period_id, unit_id, state, date_submitted,"
        " submitted_by_id, reviewer_id, review_note, is_late, active,"
        " md5(coalesce(general_assessment, ''))"
        " FROM danvan_unit_report ORDER BY id",
    )
    shot["lines"] = _rows(
        db,
        "SELECT id, report_id, task_id, md5(coalesce(result, '')"
        " || coalesce(difficulty, '')"
        " || coalesce(proposal, '')) FROM danvan_unit_report_line ORDER BY id",
    )
    shot["values"] = _rows(
        db,
        "SELECT id, report_id, target_id, value, note"
        " FROM danvan_unit_report_value ORDER BY id",
    )
    shot["registrations"] = _rows(
        db,
        "SELECT id, name, unit_id, plan_id, state, date_registered, rating, active,"
        " md5(coalesce(content, '')) FROM danvan_model_registration ORDER BY id",
    )
    shot["attachments"] = _rows(
        db,
        "SELECT id, name, res_model, res_id, checksum, store_fname, file_size"
        " FROM ir_attachment"
        " WHERE res_model LIKE 'danvan.%%' ORDER BY id",
    )
    shot["evidence links"] = _rows(
        db,
        "SELECT report_id, attachment_id"
        " FROM danvan_unit_report_attachment_rel ORDER BY 1, 2",
    )
    files = {}
    for _id, _name, _model, _res, checksum, store_fname, _size in shot["attachments"]:
        if store_fname:
            path = filestore(db) / store_fname
            files[store_fname] = (
                hashlib.sha1(path.read_bytes()).hexdigest() == checksum
                if path.is_file()
                else "missing"
            )
    shot["files"] = files
    shot["sequences"] = _rows(
        db,
        "SELECT s.code, r.date_from, r.number_next FROM ir_sequence s"
        " LEFT JOIN ir_sequence_date_range r ON r.sequence_id = s.id"
        " WHERE s.code LIKE 'danvan.%%' ORDER BY 1, 2",
    )
    shot["mail"] = _rows(
        db,
        "SELECT model, message_type, count(*) FROM mail_message"
        " WHERE model LIKE 'danvan.%%'"
        " GROUP BY 1, 2 ORDER BY 1, 2",
    )
    shot["followers"] = sql(
        db, "SELECT count(*) FROM mail_followers WHERE res_model LIKE 'danvan.%%'"
    )[0][0]
    shot["activities"] = sql(
        db, "SELECT count(*) FROM mail_activity WHERE res_model LIKE 'danvan.%%'"
    )[0][0]
    shot["settings"] = _rows(
        db,
        "SELECT key, value FROM ir_config_parameter"
        " WHERE key LIKE 'danvan_chinh_quyen.%%'"
        " ORDER BY key",
    )
    shot["cron"] = _rows(
        db,
        "SELECT c.interval_number, c.interval_type, c.active FROM ir_cron c"
        " JOIN ir_model_data d ON d.model = 'ir.cron' AND d.res_id = c.id"
        " WHERE d.module = %s AND d.name = 'ir_cron_danvan_deadlines'",
        [ADDON],
    )
    shot["template"] = _rows(
        db,
        # the text as customised (translations an upgrade ships for languages
        # that had none are added by Odoo, see docs/security.md)
        "SELECT t.subject->>'en_US' FROM mail_template t JOIN ir_model_data d"
        " ON d.model = 'mail.template' AND d.res_id = t.id"
        " WHERE d.module = %s AND d.name = 'mail_template_unit_report_returned'",
        [ADDON],
    )
    shot["user units"] = _rows(
        db,
        "SELECT login, danvan_unit_id FROM res_users"
        " WHERE login LIKE 'danvan.%%' ORDER BY 1",
    )
    return shot


def prepare(server):
    """What users of every role leave in the database before the upgrade."""
    rpc = server.rpc()
    admin = rpc.login("admin", "admin")
    staff = rpc.login("danvan.staff.phuonglam")
    officer = rpc.login("danvan.officer")
    plan = admin.ref(M + "demo_plan_current")
    report = staff.execute(
        "danvan.unit.report",
        "search",
        [("plan_id", "=", plan), ("state", "=", "draft")],
        limit=1,
    )[0]
    line = staff.read_one("danvan.unit.report", report, ["line_ids"])["line_ids"][0]
    staff.execute(
        "danvan.unit.report.line",
        "write",
        [line],
        {"result": "Kết quả trước khi nâng cấp"},
    )
    attachment = staff.execute(
        "ir.attachment",
        "create",
        {
            "name": "minh-chung.txt",
            "raw": "Minh chứng của trường trước khi nâng cấp",
            "res_model": "danvan.unit.report",
            "res_id": report,
        },
    )
    staff.execute(
        "danvan.unit.report",
        "write",
        [report],
        {"attachment_ids": [(4, attachment)], "general_assessment": "<p>Đánh giá</p>"},
    )
    staff.execute("danvan.unit.report", "action_submit", [report])
    registration = admin.ref(M + "demo_reg_da_bac")
    officer.execute(
        "danvan.model.registration", "write", [registration], {"active": False}
    )
    admin.execute(
        "ir.config_parameter", "set_param", "danvan_chinh_quyen.notify_who", "head"
    )
    cron = admin.ref(M + "ir_cron_danvan_deadlines")
    admin.execute("ir.cron", "write", [cron], {"interval_number": 2})
    template = admin.ref(M + "mail_template_unit_report_returned")
    admin.execute(
        "mail.template", "write", [template], {"subject": "Tiêu đề do Sở sửa"}
    )
    partner = admin.execute(
        "res.partner",
        "create",
        {"name": "Đối tác ngoài ứng dụng", "email": "x@example.com"},
    )
    return {"report": report, "attachment": attachment, "partner": partner}


def odoo(odoo_install, *args, stdin=None, timeout=1800):
    proc = subprocess.run(
        odoo_install.command(*args),
        cwd=REPO,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"odoo-bin {args[:4]} failed:\n{log[-3000:]}"
    return log


def problems(log):
    """ERROR lines, and WARNING lines about the addon."""
    bad = []
    for line in log.splitlines():
        if " ERROR " in line or " CRITICAL " in line:
            bad.append(line)
        elif " WARNING " in line and "danvan" in line.lower():
            bad.append(line)
    return bad


def test_upgrade_keeps_everything(odoo_server_factory, odoo_install, upgrade_db):
    server = odoo_server_factory(database=upgrade_db)
    try:
        made = prepare(server)
    finally:
        server.stop()
    before = snapshot(upgrade_db)
    assert before["files"] and all(ok is True for ok in before["files"].values())
    assert (str(made["report"]), str(made["attachment"])) in before["evidence links"]

    log = odoo(
        odoo_install, "-d", upgrade_db, "-u", ADDON, "--stop-after-init", "--no-http"
    )
    assert not problems(log), "\n".join(problems(log)[:20])

    after = snapshot(upgrade_db)
    changed = sorted(key for key in before if before[key] != after.get(key))
    assert not changed, {key: (before[key], after.get(key)) for key in changed[:3]}


def test_uninstall_then_reinstall(odoo_install, upgrade_db):
    partner = sql(
        upgrade_db,
        PARTNER_QUERY,
    )
    assert partner
    users = sql(
        upgrade_db, "SELECT count(*) FROM res_users WHERE login NOT LIKE 'danvan.%%'"
    )
    script = (
        f"env['ir.module.module'].search([('name', '=', '{ADDON}')])"
        ".button_immediate_uninstall()\nenv.cr.commit()\nprint('UNINSTALLED')\n"
    )
    log = odoo(
        odoo_install,
        "shell",
        "-d",
        upgrade_db,
        f"--addons-path={odoo_install.addons_path}",
        "--no-http",
        stdin=script,
    )
    assert "UNINSTALLED" in log

    # the addon's tables are gone, and with them everything pointing at them
    assert sql(
        upgrade_db, "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'danvan%%'"
    ) == [(0,)]
    for table, column in (
        ("ir_attachment", "res_model"),
        ("mail_message", "model"),
        ("mail_followers", "res_model"),
        ("mail_activity", "res_model"),
    ):
        left = sql(
            upgrade_db, f"SELECT count(*) FROM {table} WHERE {column} LIKE 'danvan.%%'"
        )[0][0]
        assert left == 0, f"{left} row(s) of {table} still point at the dropped models"
    # no external id of the addon points at a dropped record (Odoo keeps the
    # records it could not delete, e.g. a demo user still referenced elsewhere)
    assert sql(
        upgrade_db,
        "SELECT count(*) FROM ir_model_data"
        " WHERE module = %s AND model LIKE 'danvan.%%'",
        [ADDON],
    ) == [(0,)]
    # the rest of the database is untouched
    assert (
        sql(
            upgrade_db,
            PARTNER_QUERY,
        )
        == partner
    )
    assert (
        sql(
            upgrade_db,
            "SELECT count(*) FROM res_users WHERE login NOT LIKE 'danvan.%%'",
        )
        == users
    )

    log = odoo(
        odoo_install, "-d", upgrade_db, "-i", ADDON, "--stop-after-init", "--no-http"
    )
    assert not problems(log), "\n".join(problems(log)[:20])
    assert sql(
        upgrade_db,
        "SELECT count(*) FROM danvan_plan p JOIN ir_model_data d"
        " ON d.model = 'danvan.plan'"
        " AND d.res_id = p.id WHERE d.name = 'demo_plan_current'",
    ) == [(1,)]
    assert (
        sql(
            upgrade_db,
            PARTNER_QUERY,
        )
        == partner
    )
    # no file, message or follower of the old records reappears on a new one
    assert sql(
        upgrade_db,
        "SELECT count(*) FROM ir_attachment WHERE res_model LIKE 'danvan.%%'"
        " AND name = 'minh-chung.txt'",
    ) == [(0,)]
