"""Helpers of the reliability tests (private databases, row locks, threads).

Not a test module: ``test_rpc_access``, ``test_concurrency``, ``test_faults``
and ``test_upgrade`` import it. The tests that change data work on a private
copy of the session database (``pg_dump``/``pg_restore`` plus the filestore),
so that the shared demo database stays as the other tests expect it.

Environment: ``DANVAN_SEC_DB_PREFIX`` (default ``danvan_sec``) prefixes the
copies' names; the PostgreSQL client tools come from ``PATH`` (or
``DANVAN_PG_BIN``) and connect like Odoo does with ``odoo.conf``: through
the local socket as the current OS user.
"""

import atexit
import contextlib
import os
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import psycopg2
import pytest
from psycopg2 import sql as pgsql

DB_PREFIX = os.environ.get("DANVAN_SEC_DB_PREFIX", "danvan_sec")
DATA_DIR = Path(
    os.environ.get("DANVAN_DATA_DIR")
    or Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    / "Odoo"
)
_DUMPS = {}


def pg_tool(name):
    """Path of a PostgreSQL client tool (pg_dump, pg_restore, createdb...)."""
    pg_bin = os.environ.get("DANVAN_PG_BIN")
    if pg_bin:
        return str(Path(pg_bin) / name)
    found = shutil.which(name)
    if not found:
        for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}")):
            found = str(candidate)
    if not found:
        pytest.fail(f"the PostgreSQL tool {name} is not installed", pytrace=False)
    return found


def run(cmd, timeout=600, **kwargs):
    proc = subprocess.run(
        cmd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **kwargs,
    )
    if proc.returncode:
        raise RuntimeError(
            f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n"
            f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
        )
    return proc


def port_args(port):
    return ["-p", str(port)] if port else []


def filestore(database):
    return DATA_DIR / "filestore" / database


def dump_database(source, port=None):
    """A custom-format dump of ``source`` (made once per session)."""
    key = (source, port)
    if key not in _DUMPS:
        fd, path = tempfile.mkstemp(prefix=f"{source}-", suffix=".dump")
        os.close(fd)
        atexit.register(Path(path).unlink, missing_ok=True)
        run([pg_tool("pg_dump"), "-Fc", "-f", path, *port_args(port), source])
        _DUMPS[key] = path
    return _DUMPS[key]


def clone_database(source, label, port=None, source_port=None):
    """A copy of ``source`` (data and filestore) named ``<prefix>_<label>_<hex>``."""
    target = f"{DB_PREFIX}_{label}_{secrets.token_hex(3)}"
    dump = dump_database(source, source_port)
    run([pg_tool("createdb"), *port_args(port), target])
    try:
        run([pg_tool("pg_restore"), "--no-owner", *port_args(port), "-d", target, dump])
    except RuntimeError:
        drop_database(target, port)
        raise
    if filestore(source).is_dir():
        shutil.copytree(filestore(source), filestore(target))
    return target


def drop_database(name, port=None):
    subprocess.run(
        [pg_tool("dropdb"), "--if-exists", "--force", *port_args(port), name],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=False,
    )
    shutil.rmtree(filestore(name), ignore_errors=True)


def connect(database, port=None):
    """A direct connection (autocommit off) to a test database."""
    kwargs = {"dbname": database}
    if port:
        kwargs["port"] = port
    return psycopg2.connect(**kwargs)


def sql(database, query, params=None, port=None):
    """Run one statement in its own committed transaction; rows if any."""
    with contextlib.closing(connect(database, port)) as conn, conn, conn.cursor() as cr:
        cr.execute(query, params)
        return cr.fetchall() if cr.description else None


class RowBlocker:
    """Holds row locks in an open transaction, so that concurrent requests
    reach the same point and wait there; ``release()`` lets them go."""

    def __init__(self, database, port=None):
        self.database = database
        self.port = port
        self.conn = connect(database, port)
        self.cr = self.conn.cursor()
        self.cr.execute("SELECT pg_backend_pid()")
        self.pid = self.cr.fetchone()[0]

    def lock(self, table, record_id):
        query = pgsql.SQL("SELECT id FROM {} WHERE id = %s FOR UPDATE").format(
            pgsql.Identifier(table)
        )
        self.cr.execute(query, [record_id])
        assert self.cr.fetchone(), f"{table}({record_id}) not found"

    def execute(self, query, params=None):
        self.cr.execute(query, params)

    def waiters(self):
        """Backends of the database waiting for a lock (directly on this
        one's, or in a queue behind another waiter)."""
        with (
            contextlib.closing(connect(self.database, self.port)) as conn,
            conn.cursor() as cr,
        ):
            cr.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = %s AND wait_event_type = 'Lock' AND pid != %s",
                [self.database, self.pid],
            )
            return cr.fetchone()[0]

    def wait_for(self, count, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.waiters() >= count:
                return
            time.sleep(0.05)
        raise AssertionError(
            f"{count} request(s) should be waiting on the held lock; "
            f"{self.waiters()} after {timeout}s"
        )

    def release(self):
        if not self.conn.closed:
            self.conn.rollback()
            self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()


class Call(threading.Thread):
    """``func()`` in a thread: ``result``, ``error`` and ``finished_at``."""

    def __init__(self, func, name=None):
        super().__init__(name=name, daemon=True)
        self.func = func
        self.result = None
        self.error = None
        self.finished_at = None

    def run(self):
        try:
            self.result = self.func()
        except Exception as error:  # noqa: BLE001 (kept for the assertions)
            self.error = error
        finally:
            self.finished_at = time.monotonic()

    def outcome(self, timeout=120):
        self.join(timeout)
        assert not self.is_alive(), f"{self.name} did not finish in {timeout}s"
        return self


def start(*funcs):
    calls = [Call(func, name=f"call-{i}") for i, func in enumerate(funcs)]
    for call in calls:
        call.start()
    return calls
