#!/usr/bin/env python3
"""Province-scale benchmark of the danvan_chinh_quyen addon.

Run from the repository root (any Python: the script re-executes itself with
the Python of Odoo's venv when ``odoo`` is not importable)::

    ~/.cache/danvan_chinh_quyen/venv/bin/python scripts/benchmark.py

It creates a throwaway database ``danvan_bench_<random>``, installs the addon
without demo data, builds a province-scale dataset with batched ORM creates,
then measures the wall time, the CPU time (Odoo and PostgreSQL) and the
number of SQL statements of the operations that grow with the province:

- issuing a plan (every participant unit's reports for both periods);
- the daily scheduled action on its busiest day (a reminder to every unit;
  mails are only queued, so no SMTP time is counted);
- the consolidation of one period: its data, the web view, the printed
  report (HTML) and the XLSX workbook;
- the pivot of the reports by unit type x state, a unit user's report list
  (record rules applied) and the dashboards;
- reading the seed plan with the parser, and the import wizard.

It prints a table and writes it to ``docs/benchmark.md``, then drops the
database (``--keep`` keeps it). ``--units 150`` builds a smaller province for
a quick try. The dataset (default sizes):

- 1,505 units: the Department, 4 divisions of the Department (they do not
  report), 11 education offices and 1,489 schools (1,400 under the offices,
  89 directly under the Department): 1,500 participant units;
- 302 users: a manager, an officer, 300 unit users (the heads of the 11
  offices and one staff member in 289 schools);
- three yearly plans (2023, 2024, 2025) of 9 task areas with 2 targets each
  and two reporting periods, each issued to the 1,500 units (3,000 reports a
  year); 2023 and 2024 are filled in (results, figures, states) and closed;
- 3,000 "Dân vận khéo" registrations a year.

Options: ``--help``.
"""

import argparse
import contextlib
import datetime
import logging
import os
import platform
import random
import secrets
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

# The clock of the measurements. freezegun replaces every module attribute
# holding the real time.perf_counter while a date is frozen: keep it in a dict.
_CLOCK = {"perf_counter": time.perf_counter, "process_time": time.process_time}


def perf_counter():
    return _CLOCK["perf_counter"]()


CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(cr):
    """CPU time used so far by this process and by the PostgreSQL backend of
    ``cr`` (read from /proc: PostgreSQL runs on this machine). On a busy
    machine, wall time includes waiting for a CPU; this does not."""
    own = _CLOCK["process_time"]()
    try:
        pid = cr._cnx.get_backend_pid()
        fields_ = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        backend = (int(fields_[11]) + int(fields_[12])) / CLK_TCK
    except (OSError, AttributeError, IndexError, ValueError):
        backend = 0.0
    return own + backend


REPO = Path(__file__).resolve().parent.parent
ADDON = "danvan_chinh_quyen"
SEED = (
    REPO / "addons" / ADDON / "tests" / "data" / "ke-hoach-dan-van-chinh-quyen-2022.txt"
)
CACHE = Path(
    os.environ.get("DANVAN_CACHE")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    / "danvan_chinh_quyen"
)

VENV_PYTHON = CACHE / "venv" / "bin" / "python"

_logger = logging.getLogger("danvan.benchmark")

# Dates of the scenario (Vietnam calendar days; UTC instants are 7 hours behind)
YEARS = (2023, 2024, 2025)
CURRENT = YEARS[-1]


def _ensure_odoo():
    """Re-run this script with the venv's Python when odoo is not importable."""
    try:
        import odoo  # noqa: F401
    except ImportError:
        if VENV_PYTHON.exists() and Path(sys.executable) != VENV_PYTHON:
            os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), *sys.argv])
        sys.exit(
            f"odoo is not importable and {VENV_PYTHON} does not exist: "
            "run `make setup` first."
        )


# ---------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------
class QueryCounter:
    """Counts the SQL statements run by any cursor of the calling thread."""

    def __init__(self):
        self.count = 0
        self.kinds = {}
        self._thread = None
        self._original = None

    def __enter__(self):
        from odoo.sql_db import Cursor

        self._original = original = Cursor.execute
        self._thread = threading.current_thread()
        counter = self

        def execute(cursor, query, params=None, log_exceptions=True):
            if threading.current_thread() is counter._thread:
                counter.count += 1
                code = getattr(query, "code", query)
                if isinstance(code, bytes):
                    code = code.decode()
                kind = code.lstrip().split(None, 1)[0].upper() if code.strip() else ""
                counter.kinds[kind] = counter.kinds.get(kind, 0) + 1
            return original(cursor, query, params, log_exceptions)

        Cursor.execute = execute
        return self

    def __exit__(self, *exc):
        from odoo.sql_db import Cursor

        Cursor.execute = self._original
        return False


class Results:
    def __init__(self):
        self.rows = []

    def add(self, operation, rows, measure, target=None, note=""):
        """Record a measured operation (``measure``: a :class:`Measure`)."""
        row = {
            "operation": operation,
            "rows": rows,
            "wall": measure.wall,
            "cpu": measure.cpu,
            "first": getattr(measure, "first", None),
            "queries": measure.queries,
            "target": target,
            "note": note,
        }
        self.rows.append(row)
        status = ""
        if target is not None:
            status = "  target < %s s: %s" % (
                target,
                "ok" if row["wall"] < target else "MISSED",
            )
        first = "" if row["first"] is None else f"  first {row['first']:.3f} s"
        print(
            f"  {operation:<62} {rows!s:>9} {row['wall']:8.3f} s"
            f" (cpu {row['cpu']:.3f} s) {row['queries']:>6} q{first}{status}",
            flush=True,
        )


class Measure:
    """Wall time, CPU time (this process + PostgreSQL backend) and queries."""

    def __init__(self, result, wall, cpu, queries):
        self.result = result
        self.wall = wall
        self.cpu = cpu
        self.queries = queries


def measure_once(env, function):
    """Measure ``function()`` then a flush, from an empty record cache."""
    env.invalidate_all()
    with QueryCounter() as counter:
        cpu = cpu_seconds(env.cr)
        start = perf_counter()
        result = function()
        env.flush_all()
        wall = perf_counter() - start
        cpu = cpu_seconds(env.cr) - cpu
    return Measure(result, wall, cpu, counter.count)


def measure_read(env, function, repeat=3):
    """A read-only operation: a first run (registry caches maybe cold), then
    ``repeat`` runs; returns the run of median wall time, with ``first``, the
    wall time of the first run. Every run starts from an empty record cache,
    like a new request."""
    first = measure_once(env, function)
    runs = sorted(
        (measure_once(env, function) for _i in range(repeat)), key=lambda m: m.wall
    )
    median = runs[len(runs) // 2]
    median.first = first.wall
    return median


# ---------------------------------------------------------------------------
# Database
# ---------------------------------------------------------------------------
def odoo_source():
    """The Odoo source tree (holding odoo-bin) of the importable odoo."""
    import odoo

    return Path(odoo.__file__).resolve().parent.parent


def addons_path():
    return f"{REPO / 'addons'},{odoo_source() / 'odoo' / 'addons'}"


def odoo_bin_command(db, *args):
    return [
        sys.executable,
        str(odoo_source() / "odoo-bin"),
        f"--addons-path={addons_path()}",
        "-d",
        db,
        *args,
    ]


def create_database(db, template=None):
    if template:
        print(f"Copying {template} to {db} ...", flush=True)
        subprocess.run(["createdb", "-T", template, db], check=True)
        return
    print(f"Installing {ADDON} without demo data in {db} ...", flush=True)
    start = perf_counter()
    proc = subprocess.run(
        odoo_bin_command(
            db,
            "-i",
            ADDON,
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
            "--max-cron-threads=0",
        ),
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-40:])
        sys.exit(f"Installing the addon failed:\n{tail}")
    print(f"  installed in {perf_counter() - start:.0f} s", flush=True)


def drop_database(db):
    """Drop the database and its filestore."""
    import odoo

    try:
        odoo.service.db.exp_drop(db)
    except Exception:  # noqa: BLE001 - fall back on the client tools
        odoo.modules.registry.Registry.delete(db)
        odoo.sql_db.close_db(db)
        subprocess.run(["dropdb", "--if-exists", db], check=False)
        shutil.rmtree(odoo.tools.config.filestore(db), ignore_errors=True)
    print(f"Dropped {db}", flush=True)


# ---------------------------------------------------------------------------
# Dataset
# ---------------------------------------------------------------------------
QUIET = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "no_reset_password": True,
}

TASKS = [
    "Công tác lãnh đạo, chỉ đạo, quán triệt",
    "Thực hiện quy chế dân chủ ở cơ sở",
    "Cải cách hành chính trong ngành giáo dục",
    "Xây dựng đội ngũ cán bộ, nhà giáo gần dân, trọng dân",
    "Giải quyết khiếu nại, tố cáo, kiến nghị của nhân dân",
    "Phong trào thi đua “Dân vận khéo”",
    "Tăng cường tiếng Việt cho học sinh dân tộc thiểu số",
    "Phối hợp với Mặt trận Tổ quốc và các đoàn thể",
    "Kiểm tra, giám sát, sơ kết, tổng kết",
]


class Province:
    """Builds the dataset; keeps the records the measurements use."""

    def __init__(self, env, units, staff, registrations, seed=2025):
        self.env = env
        self.n_units = units
        self.n_staff = staff
        self.n_registrations = registrations
        self.random = random.Random(seed)
        self.plans = {}

    def ref(self, xmlid):
        return self.env.ref(f"{ADDON}.{xmlid}")

    # Units and users -------------------------------------------------
    def build_units(self):
        from odoo import Command

        env = self.env(context=dict(self.env.context, **QUIET))
        Unit = env["danvan.unit"]
        self.dept = Unit.create(
            {
                "name": "Sở Giáo dục và Đào tạo tỉnh Hòa Bình",
                "print_name": "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
                "code": "SGDDT",
                "type_id": self.ref("unit_type_department").id,
                "governing_body": "UBND TỈNH HÒA BÌNH",
                "plan_symbol": "KH-SGDĐT",
                "email": "sogddt@bench.example.com",
            }
        )
        divisions = Unit.create(
            [
                {
                    "name": name,
                    "code": code,
                    "type_id": self.ref("unit_type_division").id,
                    "parent_id": self.dept.id,
                    "email": f"{code.lower()}@bench.example.com",
                }
                for name, code in (
                    ("Văn phòng Sở", "VP"),
                    ("Phòng Giáo dục phổ thông", "GDPT"),
                    ("Phòng Tổ chức cán bộ", "TCCB"),
                    ("Phòng Giáo dục mầm non", "GDMN"),
                )
            ]
        )
        self.office = divisions[0]
        n_offices = 11 if self.n_units >= 110 else max(1, self.n_units // 10)
        self.offices = Unit.create(
            [
                {
                    "name": f"Phòng Giáo dục và Đào tạo huyện {i + 1:02d}",
                    "code": f"PGD{i + 1:02d}",
                    "type_id": self.ref("unit_type_local_office").id,
                    "parent_id": self.dept.id,
                    "email": f"pgd{i + 1:02d}@bench.example.com",
                }
                for i in range(n_offices)
            ]
        )
        n_schools = self.n_units - n_offices
        # upper secondary schools report to the Department directly (6 %)
        n_direct = n_schools * 6 // 100
        kinds = ("Trường Mầm non", "Trường Tiểu học", "Trường THCS", "Trường TH&THCS")
        school_vals = []
        for i in range(n_schools):
            direct = i < n_direct
            parent = self.dept if direct else self.offices[i % n_offices]
            kind = "Trường THPT" if direct else kinds[i % len(kinds)]
            school_vals.append(
                {
                    "name": f"{kind} số {i + 1:04d}",
                    "code": f"T{i + 1:04d}",
                    "type_id": self.ref("unit_type_school").id,
                    "parent_id": parent.id,
                    "email": f"t{i + 1:04d}@bench.example.com",
                }
            )
        self.schools = Unit.create(school_vals)
        self.participants = self.offices | self.schools

        Users = env["res.users"]
        group_user = self.ref("group_danvan_unit_user")
        base_user = self.env.ref("base.group_user")

        def user_vals(login, name, unit, groups):
            return {
                "login": login,
                "name": name,
                "email": f"{login}@bench.example.com",
                "danvan_unit_id": unit.id,
                "groups_id": [Command.set([base_user.id, *groups.ids])],
                "tz": "Asia/Ho_Chi_Minh",
            }

        self.manager = Users.create(
            user_vals(
                "bench.manager", "Giám đốc", self.dept, self.ref("group_danvan_manager")
            )
        )
        self.officer = Users.create(
            user_vals(
                "bench.officer",
                "Chuyên viên Văn phòng",
                self.office,
                self.ref("group_danvan_officer"),
            )
        )
        heads = Users.create(
            [
                user_vals(
                    f"bench.head.{o.code.lower()}", f"Trưởng {o.name}", o, group_user
                )
                for o in self.offices
            ]
        )
        for office, head in zip(self.offices, heads, strict=True):
            office.head_user_id = head
        n_school_staff = max(0, self.n_staff - len(heads))
        # staff in schools spread over the offices (every 5th school)
        staffed = self.schools[n_direct:][::5][:n_school_staff]
        if len(staffed) < n_school_staff:
            staffed |= (self.schools - staffed)[: n_school_staff - len(staffed)]
        self.staff_users = Users.create(
            [
                user_vals(
                    f"bench.staff.{s.code.lower()}", f"Cán bộ {s.name}", s, group_user
                )
                for s in staffed
            ]
        )
        self.heads = heads
        self.staff = self.staff_users[0]
        # the office head with the most schools sees the most reports
        self.head = heads[0]
        env.flush_all()

    # Plans -------------------------------------------------------------
    def make_plan(self, year):
        from odoo import Command

        d = datetime.date
        tasks = []
        for index, title in enumerate(TASKS):
            tasks.append(
                Command.create(
                    {
                        "sequence": index + 1,
                        "code": f"II.{index + 1}",
                        "name": title,
                        "description": f"<p>{title} năm {year}.</p>",
                        "lead_unit_id": self.office.id,
                        # two task areas fall due with the mid-year reports
                        "date_deadline": d(year, 5, 10) if index < 2 else False,
                        "target_ids": [
                            Command.create(
                                {
                                    "sequence": 1,
                                    "name": f"Tỷ lệ hoàn thành nhiệm vụ {index + 1}",
                                    "measure": "percent",
                                    "target_value": 90,
                                }
                            ),
                            Command.create(
                                {
                                    "sequence": 2,
                                    "name": f"Số hoạt động của nhiệm vụ {index + 1}",
                                    "measure": "count",
                                    "target_value": 4,
                                }
                            ),
                        ],
                    }
                )
            )
        env = self.env(user=self.officer.id, context=dict(self.env.context, **QUIET))
        plan = env["danvan.plan"].create(
            {
                "name": f"Kế hoạch công tác dân vận chính quyền năm {year}",
                "year": year,
                "issuing_unit_id": self.dept.id,
                "monitoring_unit_id": self.office.id,
                "place": "Hòa Bình",
                "date_issued": d(year, 1, 10),
                # the same day as the mid-year reports: the cron's busiest day
                "registration_deadline": d(year, 5, 10),
                "participant_unit_ids": [Command.set(self.participants.ids)],
                "period_ids": [
                    Command.create(
                        {
                            "name": "Báo cáo 6 tháng đầu năm",
                            "date_from": d(year, 1, 1),
                            "date_to": d(year, 4, 30),
                            "date_deadline": d(year, 5, 10),
                        }
                    ),
                    Command.create(
                        {
                            "name": "Báo cáo năm",
                            "date_from": d(year, 1, 1),
                            "date_to": d(year, 10, 15),
                            "date_deadline": d(year, 10, 30),
                        }
                    ),
                ],
                "task_ids": tasks,
                "signer_id": self.manager.id,
                "signing_capacity": "KT. GIÁM ĐỐC",
                "signer_title": "PHÓ GIÁM ĐỐC",
                "recipient_unit_ids": [Command.set(self.offices.ids)],
                "recipient_note": "Lưu: VT, VP.",
            }
        )
        plan.action_submit()
        self.plans[year] = plan.with_env(self.env)
        return self.plans[year]

    def issue(self, year):
        """Issue the plan as its manager (creates the reports)."""
        plan = self.plans[year]
        plan.with_user(self.manager).action_issue()
        return plan

    # Filling a past year ------------------------------------------------
    def fill_year(self, year):
        """Reports, results and figures of a finished year, by SQL (this is
        the dataset, not what is measured)."""
        cr = self.env.cr
        plan = self.plans[year]
        cr.execute(
            "SELECT id FROM danvan_unit_report WHERE plan_id = %s ORDER BY id",
            [plan.id],
        )
        ids = [r[0] for r in cr.fetchall()]
        states = {}
        for report_id in ids:
            roll = self.random.random()
            states[report_id] = (
                "accepted"
                if roll < 0.70
                else "submitted"
                if roll < 0.85
                else "returned"
                if roll < 0.90
                else "draft"
            )
        for state in ("accepted", "submitted", "returned", "draft"):
            chunk = [i for i in ids if states[i] == state]
            if not chunk:
                continue
            if state == "draft":
                cr.execute(
                    "UPDATE danvan_unit_report SET is_late = TRUE WHERE id = ANY(%s)",
                    [chunk],
                )
                continue
            # submitted around the deadline: one in ten a few days late
            cr.execute(
                """
                UPDATE danvan_unit_report r
                   SET state = %s,
                       date_submitted = p.date_deadline::timestamp
                           + ((r.id %% 10) - 8) * interval '1 day' + interval '2 hour',
                       date_first_submitted = p.date_deadline::timestamp
                           + ((r.id %% 10) - 8) * interval '1 day' + interval '2 hour',
                       submitted_by_id = %s,
                       is_late = (r.id %% 10) = 9,
                       reviewer_id = CASE WHEN %s IN ('accepted', 'returned')
                                          THEN %s END,
                       review_note = CASE WHEN %s = 'returned'
                                          THEN 'Bổ sung số liệu chỉ tiêu.' END
                  FROM danvan_report_period p
                 WHERE p.id = r.period_id AND r.id = ANY(%s)
                """,
                [state, self.manager.id, state, self.officer.id, state, chunk],
            )
        cr.execute(
            """
            UPDATE danvan_unit_report_line l
               SET result = 'Đơn vị đã quán triệt, triển khai đầy đủ nội dung kế '
                            || 'hoạch; tổ chức ' || (l.id %% 7 + 1)
                            || ' hội nghị, ' || (l.id %% 5 + 2)
                            || ' buổi tuyên truyền đến cán bộ, giáo viên, phụ '
                            || 'huynh học sinh; thực hiện tốt quy chế dân chủ.',
                   difficulty = CASE WHEN l.id %% 3 = 0 THEN 'Địa bàn rộng, giao '
                                || 'thông đi lại khó khăn.' END,
                   proposal = CASE WHEN l.id %% 4 = 0 THEN 'Đề nghị Sở tổ chức '
                              || 'tập huấn công tác dân vận.' END
              FROM danvan_unit_report r
             WHERE r.id = l.report_id AND r.plan_id = %s AND r.state != 'draft'
            """,
            [plan.id],
        )
        cr.execute(
            """
            UPDATE danvan_unit_report_value v
               SET value = CASE t.measure
                               WHEN 'percent' THEN 60 + (v.id * 37) %% 41
                               WHEN 'count' THEN (v.id * 7) %% 9
                               ELSE v.id %% 2 END
              FROM danvan_unit_report r, danvan_plan_target t
             WHERE r.id = v.report_id AND t.id = v.target_id
               AND r.plan_id = %s AND r.state != 'draft'
            """,
            [plan.id],
        )
        # the to-dos of the sent reports were done
        cr.execute(
            """
            DELETE FROM mail_activity a USING danvan_unit_report r
             WHERE a.res_model = 'danvan.unit.report' AND a.res_id = r.id
               AND r.plan_id = %s AND r.state IN ('submitted', 'accepted')
            """,
            [plan.id],
        )
        self.env.invalidate_all()

    def close(self, year):
        self.plans[year].with_user(self.manager).action_close()

    # Registrations -------------------------------------------------------
    def build_registrations(self, year, current=False):
        plan = self.plans[year]
        fields_ = self.env["danvan.model.field"].search([])
        units = self.participants
        vals_list = []
        for i in range(self.n_registrations):
            unit = units[self.random.randrange(len(units))]
            vals_list.append(
                {
                    "name": f"Mô hình “Dân vận khéo” số {i + 1:04d} năm {year}",
                    "plan_id": plan.id,
                    "unit_id": unit.id,
                    "kind": "collective" if i % 3 else "individual",
                    "member_name": f"Tập thể {unit.name}",
                    "field_id": fields_[i % len(fields_)].id,
                    "content": "<p>Vận động phụ huynh đưa trẻ đến trường.</p>",
                    "date_start": datetime.date(year, 2, 1),
                    "date_end": datetime.date(year, 11, 30),
                }
            )
        env = self.env(context=dict(self.env.context, **QUIET))
        regs = env["danvan.model.registration"].sudo().create(vals_list)
        env.flush_all()
        cr = self.env.cr
        if current:
            # by early May: half registered, a fifth approved, the rest drafts
            plan_states = [("registered", 0.5), ("approved", 0.7), ("draft", 1.0)]
        else:
            plan_states = [
                ("recognised", 0.1),
                ("evaluated", 0.4),
                ("approved", 0.8),
                ("rejected", 0.85),
                ("registered", 1.0),
            ]
        by_state = {}
        for reg_id in regs.ids:
            roll = self.random.random()
            state = next(s for s, upto in plan_states if roll < upto)
            by_state.setdefault(state, []).append(reg_id)
        for state, ids in by_state.items():
            if state == "draft":
                continue
            cr.execute(
                """
                UPDATE danvan_model_registration
                   SET state = %s,
                       date_registered = %s::timestamp + (id %% 60) * interval '1 day',
                       is_late = FALSE,
                       is_exemplary = %s,
                       rating = CASE WHEN %s IN ('evaluated', 'recognised')
                                     THEN 'good' END
                 WHERE id = ANY(%s)
                """,
                [state, f"{year}-02-01 02:00:00", state == "recognised", state, ids],
            )
        self.env.invalidate_all()
        return regs


# ---------------------------------------------------------------------------
# The scenario
# ---------------------------------------------------------------------------
def run(env, args, results):
    from freezegun import freeze_time

    from odoo.addons.danvan_chinh_quyen.tools.plan_parser import parse_plan

    cr = env.cr
    province = Province(env, args.units, args.staff, args.registrations)
    start = perf_counter()
    print("Building the province ...", flush=True)
    with freeze_time(f"{YEARS[0]}-01-05 03:00:00"):
        province.build_units()
    cr.commit()
    print(
        f"  {len(province.participants) + 5} units, "
        f"{len(province.heads) + len(province.staff_users) + 2} users "
        f"({perf_counter() - start:.0f} s)",
        flush=True,
    )

    # 1. Issuing the plans: each of the three is measured -------------------
    issues = []
    for year in YEARS:
        with freeze_time(f"{year}-01-10 03:00:00"):
            plan = province.make_plan(year)
            cr.commit()
            m = measure_once(env, lambda y=year: province.issue(y))
            cr.commit()
        issues.append(m)
        print(
            f"  (issue {year}: {m.wall:.2f} s, cpu {m.cpu:.2f} s, {m.queries} queries)",
            flush=True,
        )
        if year == CURRENT:
            # the median of the three issues (the same work on a growing
            # database), against the noise of a shared machine
            median = sorted(issues, key=lambda i: i.wall)[len(issues) // 2]
            median.first = issues[0].wall
            results.add(
                "Issue a plan: reports of every unit × 2 periods "
                f"(median of {len(issues)} plans)",
                len(plan.report_ids),
                median,
                target=10,
                note=f"{len(plan.report_ids.line_ids)} result lines, "
                f"{len(plan.report_ids.value_ids)} figures, "
                f"{len(plan.report_ids.activity_ids)} to-dos; wall of each plan: "
                + ", ".join(f"{i.wall:.2f} s" for i in issues),
            )
        with freeze_time(f"{year}-04-20 03:00:00"):
            province.build_registrations(year, current=year == CURRENT)
            cr.commit()
        if year != CURRENT:
            with freeze_time(f"{year}-12-20 03:00:00"):
                province.fill_year(year)
                province.close(year)
                cr.commit()
        print(f"  year {year} built ({perf_counter() - start:.0f} s)", flush=True)
    print(f"Dataset built in {perf_counter() - start:.0f} s", flush=True)

    # 2. The scheduled action on its busiest day -------------------------------
    busiest = datetime.date(CURRENT, 5, 10) - datetime.timedelta(days=7)
    cron = env.ref(f"{ADDON}.ir_cron_danvan_deadlines")
    open_reports = env["danvan.unit.report"].search_count(
        [("state", "in", ("draft", "returned")), ("plan_id.state", "=", "issued")]
    )
    Mail = env["mail.mail"]
    last_mail = Mail.search([], order="id desc", limit=1).id or 0
    # 00:30 in Vietnam, when the cron runs (17:30 UTC the day before)
    with freeze_time(f"{busiest - datetime.timedelta(days=1)} 17:30:00"):
        m, batches = run_cron(env, cron)
    new_mails = Mail.search_count([("id", ">", last_mail)])
    outgoing = Mail.search_count([("id", ">", last_mail), ("state", "=", "outgoing")])
    logs = env["danvan.reminder.log"].read_group(
        [("date", "=", busiest)], ["kind"], ["kind"]
    )
    results.add(
        f"Daily cron on its busiest day ({busiest}), {open_reports} open reports",
        new_mails,
        m,
        target=30,
        note=f"{len(batches)} batches (queries: {', '.join(map(str, batches))}); "
        f"{new_mails} mails queued, {outgoing} outgoing (not sent); "
        + ", ".join(f"{g['kind_count']} {g['kind']}" for g in logs),
    )

    # 3. Consolidation of a filled period (last year's year-end report) -------
    period = province.plans[CURRENT - 1].period_ids.sorted("date_deadline")[-1]
    officer_env = env(user=province.officer.id)
    period_o = period.with_env(officer_env)
    with freeze_time(f"{CURRENT}-05-03 03:00:00"):
        m = measure_read(officer_env, lambda: period_o._get_consolidation_data())
        data = m.result
        n_lines = sum(len(t["lines"]) for t in data["tasks"])
        results.add(
            "Consolidation of one period: data (officer)",
            data["total"],
            m,
            note=f"{data['reporting_count']} reports sent, {n_lines} result lines",
        )
        m = measure_read(officer_env, lambda: period_o.read(["consolidation_html"]))
        results.add(
            "Consolidation of one period: web view (HTML field)",
            data["total"],
            m,
            note=f"{len(m.result[0]['consolidation_html']) // 1024} kB",
        )
        report = officer_env["ir.actions.report"]
        m = measure_read(
            officer_env,
            lambda: report._render_qweb_html(
                f"{ADDON}.action_report_consolidated", period.ids
            ),
        )
        results.add(
            "Consolidated report, HTML (_render_qweb_html)",
            data["total"],
            m,
            target=3,
            note=f"{len(m.result[0]) // 1024} kB of HTML",
        )
        m = measure_read(officer_env, lambda: period_o._get_consolidation_xlsx())
        results.add(
            "Consolidation XLSX export (_get_consolidation_xlsx)",
            data["total"],
            m,
            note=f"{len(m.result) // 1024} kB",
        )

        # 4. Pivot and lists ---------------------------------------------------
        Report = officer_env["danvan.unit.report"]

        def pivot(model):
            # what the pivot view asks: totals, rows, columns and cells
            groups = None
            for groupby in ([], ["unit_type_id"], ["state"], ["unit_type_id", "state"]):
                groups = model.read_group([], ["__count"], groupby, lazy=False)
            return groups

        m = measure_read(officer_env, lambda: pivot(Report))
        results.add(
            "Pivot of all reports, unit type × state (officer, 4 read_group)",
            Report.search_count([]),
            m,
            target=1,
            note=f"{len(m.result)} cells",
        )
        spec = {
            "plan_id": {"fields": {"display_name": {}}},
            "period_id": {"fields": {"display_name": {}}},
            "unit_id": {"fields": {"display_name": {}}},
            "unit_type_id": {"fields": {"display_name": {}}},
            "date_deadline": {},
            "date_submitted": {},
            "is_late": {},
            "activity_ids": {},
            "state": {},
        }
        head_schools = len(province.head.danvan_unit_id.child_ids)
        for label, user in (
            ("school staff", province.staff),
            (f"head of an office ({head_schools} schools)", province.head),
            ("officer", province.officer),
        ):
            user_env = env(user=user.id)
            model = user_env["danvan.unit.report"]
            m = measure_read(
                user_env, lambda m=model: m.search_read([], list(spec), limit=80)
            )
            results.add(
                f"Report list, {label}: search_read, limit 80",
                len(m.result),
                m,
                target=1,
            )
            m = measure_read(
                user_env,
                lambda m=model: m.web_search_read(
                    [], spec, limit=80, count_limit=10001
                ),
            )
            results.add(
                f"Report list, {label}: web_search_read + count",
                f"{len(m.result['records'])}/{m.result['length']}",
                m,
                target=1,
            )

    # 5. The day after the deadline: overdue notices, digests, dashboards -----
    # (nobody sent the mid-year report: every unit is overdue)
    overdue_day = datetime.date(CURRENT, 5, 10) + datetime.timedelta(days=1)
    last_mail = Mail.search([], order="id desc", limit=1).id or 0
    with freeze_time(f"{overdue_day - datetime.timedelta(days=1)} 17:30:00"):
        m, batches = run_cron(env, cron)
    new_mails = Mail.search_count([("id", ">", last_mail)])
    logs = env["danvan.reminder.log"].read_group(
        [("date", "=", overdue_day)], ["kind"], ["kind"]
    )
    results.add(
        f"Daily cron, the day after the deadline ({overdue_day})",
        new_mails,
        m,
        note=f"{len(batches)} batches (queries: {', '.join(map(str, batches))}); "
        + ", ".join(f"{g['kind_count']} {g['kind']}" for g in logs),
    )
    with freeze_time(f"{overdue_day} 03:00:00"):
        for label, user in (
            ("officer", province.officer),
            ("manager", province.manager),
            ("school staff", province.staff),
            ("office head", province.head),
        ):
            user_env = env(user=user.id)
            m = measure_read(
                user_env, lambda e=user_env: e["danvan.dashboard"].get_dashboard_data()
            )
            # rows: the records listed (my reports, late units of the periods)
            listed = len(m.result.get("my_reports", [])) + sum(
                len(p["late_reports"]) for p in m.result.get("periods", [])
            )
            results.add(
                f"Dashboard data on {overdue_day}, {label}",
                listed,
                m,
                note="rows: my open reports and the late units listed",
            )

    # 6. The seed plan: parser and import wizard -------------------------------
    text = SEED.read_text(encoding="utf-8")
    m = measure_read(env, lambda: parse_plan(text))
    results.add(
        "Parse the seed plan (tools/plan_parser.parse_plan)",
        len(m.result.get("tasks") or []),
        m,
        target=1,
    )
    if "danvan.plan.import" in env:
        Import = officer_env["danvan.plan.import"]

        def import_seed():
            # each run in a savepoint rolled back: the same plan every time
            cr.execute("SAVEPOINT bench_import")
            try:
                action = Import.create({"text": text}).action_import()
                plan = officer_env["danvan.plan"].browse(action["res_id"])
                officer_env.flush_all()
                return len(plan.task_ids)
            finally:
                cr.execute("ROLLBACK TO SAVEPOINT bench_import")
                officer_env.invalidate_all()

        with freeze_time(f"{CURRENT}-05-03 03:00:00"):
            m = measure_read(officer_env, import_seed)
        results.add(
            f"Import the seed plan (wizard danvan.plan.import, {m.result} task areas)",
            1,
            m,
            target=1,
        )
    cr.commit()
    return {
        "units": len(province.participants) + 5,
        "participants": len(province.participants),
        "users": len(province.heads) + len(province.staff_users) + 2,
        "reports": env["danvan.unit.report"].search_count([]),
        "per_year": 2 * len(province.participants),
        "lines": env["danvan.unit.report.line"].search_count([]),
        "values": env["danvan.unit.report.value"].search_count([]),
        "registrations": env["danvan.model.registration"].search_count([]),
        "activities": env["mail.activity"].search_count([]),
    }


def run_cron(env, cron):
    """Run the deadline job like ``ir.cron._run_job`` does: batches, a commit
    after each, until nothing remains (a cron worker runs 10 batches, then
    reschedules the job at once while work remains). Returns the measure of
    the whole run and the queries of each batch."""
    cr = env.cr
    per_batch = []
    env.invalidate_all()
    cpu = cpu_seconds(cr)
    start = perf_counter()
    while True:
        with QueryCounter() as counter:
            job, progress = cron.with_user(cron.user_id)._add_progress()
            job._callback(cron.cron_name, cron.ir_actions_server_id.id)
            env.flush_all()
            cr.commit()
        per_batch.append(counter.count)
        if not progress.remaining or not progress.done or len(per_batch) >= 100:
            break
    measure = Measure(
        None, perf_counter() - start, cpu_seconds(cr) - cpu, sum(per_batch)
    )
    return measure, per_batch


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------
def machine_info(env):
    env.cr.execute("SHOW server_version")
    pg = env.cr.fetchone()[0]
    env.cr.execute("SHOW shared_buffers")
    shared = env.cr.fetchone()[0]
    mem = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = ""
    with contextlib.suppress(OSError):
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    from odoo import release

    return {
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": mem,
        "postgresql": f"{pg} (shared_buffers {shared})",
        "python": platform.python_version(),
        "odoo": release.version,
        "load": load,
    }


def write_markdown(path, results, info, dataset, args, total):
    lines = [
        "# Benchmark: a province-scale dataset",
        "",
        "Written by `scripts/benchmark.py`; do not edit by hand. Reproduce from "
        "the repository root with:",
        "",
        "    ~/.cache/danvan_chinh_quyen/venv/bin/python "
        + " ".join(["scripts/benchmark.py", *sys.argv[1:]]),
        "",
        f"- Date: {info['date']}",
        f"- Machine: {info['nproc']} CPU ({info['cpu']}), {info['memory']} RAM; "
        f"load average at the end {info['load']}",
        f"- PostgreSQL {info['postgresql']}, Python {info['python']}, "
        f"Odoo {info['odoo']} (in-process, one cursor, no HTTP)",
        f"- Dataset: {dataset['units']} units ({dataset['participants']} participant "
        f"units), {dataset['users']} users, {len(YEARS)} yearly plans of 9 task areas "
        f"× 2 targets and 2 periods, {dataset['reports']} unit reports "
        f"({dataset['per_year']} a year), {dataset['lines']} result lines, "
        f"{dataset['values']} figures, {dataset['registrations']} registrations, "
        f"{dataset['activities']} activities",
        f"- Total run time (install, dataset and measures): {total:.0f} s",
        "",
        "Wall time: one run for the operations that change data; for read-only "
        "operations the median of 3 runs after a first one (each run starts with "
        "an empty record cache, like a new request; *first* is the first run, "
        "with cold registry caches). CPU: the CPU time of the Odoo process plus "
        "its PostgreSQL backend during the operation; on a busy machine the wall "
        "time also counts the wait for a CPU, the CPU time does not (it is close "
        "to the wall time of an idle machine). Queries: SQL statements sent.",
        "",
        "| Operation | Rows | Wall (s) | CPU (s) | First (s) | Queries | Target "
        "| Notes |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in results.rows:
        target = ""
        if row["target"] is not None:
            ok = row["wall"] < row["target"]
            target = f"< {row['target']} s {'✓' if ok else '✗ missed'}"
        first = "" if row["first"] is None else f"{row['first']:.3f}"
        lines.append(
            f"| {row['operation']} | {row['rows']} | {row['wall']:.3f} | "
            f"{row['cpu']:.3f} | {first} | "
            f"{row['queries']} | {target} | {row['note']} |"
        )
    lines += [
        "",
        "Mails of the scheduled action are only queued (`mail.mail` in state "
        "*outgoing*): sending them is the mail queue's job, so no SMTP time is "
        "counted. `--keep` keeps the database for a look (`psql`, "
        "`odoo-bin shell -d <db>`); `--units 150` builds a small province.",
        "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    print(f"Written {path}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db",
        help="name of the new database, danvan_bench_* or h_bench_* "
        "(default danvan_bench_<random>)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument(
        "--units", type=int, default=1500, help="participant units (default 1500)"
    )
    parser.add_argument(
        "--staff", type=int, default=300, help="units with a user (default 300)"
    )
    parser.add_argument(
        "--registrations",
        type=int,
        default=3000,
        help="registrations a year (default 3000)",
    )
    parser.add_argument(
        "--template",
        help="copy this database (the addon installed without demo data, "
        "nothing else) instead of installing the addon",
    )
    parser.add_argument(
        "--output",
        default=str(REPO / "docs" / "benchmark.md"),
        help="markdown file to write (default docs/benchmark.md; '-' for none)",
    )
    args = parser.parse_args()
    _ensure_odoo()
    import odoo
    from odoo.tools import config

    db = args.db or f"danvan_bench_{secrets.token_hex(3)}"
    # the database is dropped at the end: only a new, recognisable one
    if not db.startswith(("danvan_bench_", "h_bench_")):
        sys.exit("the database name must start with danvan_bench_ or h_bench_")
    if odoo.service.db.exp_db_exist(db):
        sys.exit(f"the database {db} exists already: choose another name")
    total_start = perf_counter()
    create_database(db, args.template)
    config.parse_config(
        [
            f"--addons-path={addons_path()}",
            "-d",
            db,
            "--log-level=warn",
            "--max-cron-threads=0",
        ]
    )
    results = Results()
    try:
        registry = odoo.modules.registry.Registry(db)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            # nothing else runs this database's scheduled actions meanwhile
            cr.execute("UPDATE ir_cron SET active = FALSE")
            cr.commit()
            dataset = run(env, args, results)
            info = machine_info(env)
        total = perf_counter() - total_start
        print(f"\nDone in {total:.0f} s on {info['nproc']} CPU, {info['memory']}")
        if args.output != "-":
            write_markdown(Path(args.output), results, info, dataset, args, total)
    finally:
        if args.keep:
            print(f"Kept the database {db}")
        else:
            drop_database(db)
    missed = [
        r for r in results.rows if r["target"] is not None and r["wall"] >= r["target"]
    ]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
