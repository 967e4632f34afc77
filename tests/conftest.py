"""Top-level tests: drive a real Odoo server from outside (XML-RPC, HTTP).

`make test` runs them against its throwaway database. By hand, from the
repository root: ``~/.cache/danvan_chinh_quyen/venv/bin/pytest tests``.

Environment (all optional; `scripts/dev.sh test` sets the first four):

- ``DANVAN_TEST_DB``: a database with danvan_chinh_quyen and its demo data
  installed. When unset, the session creates a fresh one and drops it at the end.
- ``DANVAN_PYTHON``: the Python of Odoo's venv (default: this interpreter).
- ``DANVAN_ODOO_BIN``: odoo-bin (default: beside the importable ``odoo``
  package, else ``$DANVAN_CACHE/odoo-18.0/odoo-bin``).
- ``DANVAN_ADDONS_PATH``: the addons path (default: ``addons`` of this
  repository plus the core addons of that Odoo).
- ``DANVAN_TEST_WORKERS``: ``--workers`` of the server (default 0: threaded).
- ``DANVAN_PORT_RANGE``: e.g. ``18100-18199``, to pick the server ports there.

Reuse with other options, e.g. a server that sends mail to a test SMTP port::

    @pytest.fixture(scope="session")
    def mail_server(odoo_server_factory, smtp_port):
        return odoo_server_factory(extra_args=["--smtp-port", str(smtp_port)])

Each call of ``odoo_server_factory`` starts its own server process (same
database); all of them are stopped at the end of the session.
"""

import contextlib
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import xmlrpc.client
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ADDON = "danvan_chinh_quyen"
CONFIG = REPO / "odoo.conf"
# Fault codes of Odoo's /xmlrpc/2 endpoints (odoo/addons/base/controllers/rpc.py)
FAULT_USER_ERROR = 2
FAULT_ACCESS_DENIED = 3
FAULT_ACCESS_ERROR = 4
START_TIMEOUT = float(os.environ.get("DANVAN_TEST_START_TIMEOUT", "180"))


# ---------------------------------------------------------------------------
# Locating Odoo
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class OdooInstall:
    python: str
    odoo_bin: str
    addons_path: str

    def command(self, *args):
        """odoo-bin command line with this repository's config and addons path."""
        if args and not args[0].startswith("-"):  # a sub-command: shell, db, ...
            return [self.python, self.odoo_bin, args[0], "-c", str(CONFIG), *args[1:]]
        return [
            self.python,
            self.odoo_bin,
            "-c",
            str(CONFIG),
            f"--addons-path={self.addons_path}",
            *args,
        ]

    def run(self, *args, timeout=1800):
        """Runs odoo-bin to completion; raises with the end of its log on failure."""
        proc = subprocess.run(
            self.command(*args),
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if proc.returncode:
            tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-40:])
            raise RuntimeError(f"odoo-bin {' '.join(args)} failed:\n{tail}")
        return proc


def _core_addons(source):
    paths = [source / "odoo" / "addons"]
    if not (paths[0] / "web").is_dir() and (source / "addons" / "web").is_dir():
        paths.append(source / "addons")  # git layout
    return paths


def _find_odoo_install():
    python = os.environ.get("DANVAN_PYTHON") or sys.executable
    odoo_bin = os.environ.get("DANVAN_ODOO_BIN")
    if not odoo_bin:
        try:
            import odoo

            candidate = Path(odoo.__file__).resolve().parent.parent / "odoo-bin"
        except ImportError:
            cache = Path(
                os.environ.get("DANVAN_CACHE")
                or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
                / "danvan_chinh_quyen"
            )
            candidate = cache / "odoo-18.0" / "odoo-bin"
            venv_python = cache / "venv" / "bin" / "python"
            if not os.environ.get("DANVAN_PYTHON") and venv_python.exists():
                python = str(venv_python)
        odoo_bin = str(candidate)
    if not Path(odoo_bin).is_file():
        pytest.fail(
            f"odoo-bin not found ({odoo_bin}): run `make setup` first, or set "
            "DANVAN_ODOO_BIN and DANVAN_PYTHON.",
            pytrace=False,
        )
    addons_path = os.environ.get("DANVAN_ADDONS_PATH")
    if not addons_path:
        core = _core_addons(Path(odoo_bin).resolve().parent)
        addons_path = ",".join(str(p) for p in [REPO / "addons", *core])
    return OdooInstall(python=python, odoo_bin=odoo_bin, addons_path=addons_path)


def free_port():
    """A free TCP port on 127.0.0.1 (inside DANVAN_PORT_RANGE when set)."""
    rng = os.environ.get("DANVAN_PORT_RANGE")
    candidates = [0]
    if rng:
        low, high = (int(x) for x in rng.split("-"))
        candidates = random.sample(range(low, high + 1), high - low + 1)
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"no free port in DANVAN_PORT_RANGE={rng}")


# ---------------------------------------------------------------------------
# Server
# ---------------------------------------------------------------------------
@dataclass
class OdooServer:
    """A running odoo-bin process serving one database on 127.0.0.1."""

    install: OdooInstall
    database: str
    extra_args: list = field(default_factory=list)
    workers: int = 0
    port: int = 0
    process: subprocess.Popen = None
    log_path: Path = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.port = self.port or free_port()
        self.log_path = Path(
            tempfile.mkstemp(prefix=f"odoo-{self.port}-", suffix=".log")[1]
        )
        args = [
            "-d",
            self.database,
            f"--db-filter=^{self.database}$",
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            f"--gevent-port={free_port()}",
            f"--workers={self.workers}",
            "--max-cron-threads=0",
            "--no-database-list",
            "--log-level=info",
            *self.extra_args,
        ]
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                self.install.command(*args),
                cwd=REPO,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_ready()
        return self

    def log_tail(self, lines=40):
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def _wait_ready(self):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"odoo-bin exited with {self.process.returncode} before serving:\n"
                    + self.log_tail()
                )
            with contextlib.suppress(urllib.error.URLError, OSError):
                with urllib.request.urlopen(f"{self.url}/web/login", timeout=10) as r:
                    if r.status == 200:
                        return
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(
            f"odoo-bin did not answer on {self.url}/web/login within "
            f"{START_TIMEOUT:.0f}s:\n{self.log_tail()}"
        )

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        pgid = os.getpgid(self.process.pid)
        os.killpg(pgid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.process.wait(timeout=10)
        # prefork workers may outlive the master by a moment
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)

    def rpc(self):
        return OdooRPC(self.url, self.database)


# ---------------------------------------------------------------------------
# XML-RPC helpers
# ---------------------------------------------------------------------------
class OdooRPC:
    """Odoo's external API (/xmlrpc/2) on one server and database."""

    def __init__(self, url, database):
        self.url = url
        self.database = database
        self.common = xmlrpc.client.ServerProxy(
            f"{url}/xmlrpc/2/common", allow_none=True
        )

    def authenticate(self, login, password):
        """The uid, or False when the credentials are refused."""
        return self.common.authenticate(self.database, login, password, {})

    def login(self, login, password=None):
        """A session of `login`; demo users' password is their login."""
        if password is None:
            password = "admin" if login == "admin" else login
        uid = self.authenticate(login, password)
        assert uid, f"XML-RPC login refused for {login!r} on {self.database}"
        return RPCUser(self, login, password, uid)


class RPCUser:
    """Calls `object.execute_kw` as one user."""

    def __init__(self, rpc, login, password, uid):
        self.rpc = rpc
        self.login = login
        self.password = password
        self.uid = uid
        self.object = xmlrpc.client.ServerProxy(
            f"{rpc.url}/xmlrpc/2/object", allow_none=True
        )

    def execute(self, model, method, *args, **kwargs):
        return self.object.execute_kw(
            self.rpc.database,
            self.uid,
            self.password,
            model,
            method,
            list(args),
            kwargs,
        )

    def ref(self, xmlid):
        """The database id of an external id (needs read access to ir.model.data)."""
        module, name = xmlid.split(".", 1)
        rows = self.execute(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            fields=["res_id"],
            limit=1,
        )
        assert rows, f"no record with external id {xmlid}"
        return rows[0]["res_id"]

    def read_one(self, model, record_id, fields):
        rows = self.execute(model, "read", [record_id], fields)
        assert rows, f"{model}({record_id}) not readable by {self.login}"
        return rows[0]


def assert_access_error(fault):
    """The Fault carries an AccessError (not a crash nor a UserError)."""
    assert isinstance(fault, xmlrpc.client.Fault), fault
    assert fault.faultCode == FAULT_ACCESS_ERROR, (
        f"expected an AccessError (fault code {FAULT_ACCESS_ERROR}), got code "
        f"{fault.faultCode}: {fault.faultString[:2000]}"
    )


# ---------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------
# pytest-odoo (installed in the same venv) registers autouse fixtures that load
# an Odoo registry inside the pytest process. These tests talk to a separate
# server instead, so the same names are overridden here with no-ops.
@pytest.fixture(scope="session", autouse=True)
def load_registry():
    yield


@pytest.fixture(scope="session", autouse=True)
def load_http():
    yield


@pytest.fixture(scope="module", autouse=True)
def enable_odoo_test_flag():
    yield


@pytest.fixture(scope="session")
def odoo_install():
    """Where odoo-bin, its Python and the addons path are."""
    return _find_odoo_install()


@pytest.fixture(scope="session")
def odoo_database(odoo_install):
    """A database with the addon and demo data: DANVAN_TEST_DB, or a fresh one."""
    existing = os.environ.get("DANVAN_TEST_DB")
    if existing:
        yield existing
        return
    name = f"danvan_pytest_{secrets.token_hex(4)}"
    try:
        odoo_install.run(
            "-d",
            name,
            "-i",
            ADDON,
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
        )
        yield name
    finally:
        subprocess.run(
            odoo_install.command("db", "drop", name),
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
        )


@pytest.fixture(scope="session")
def odoo_server_factory(odoo_install, odoo_database):
    """Starts servers: factory(extra_args=[...], workers=None, port=None)."""
    servers = []

    def start(extra_args=(), workers=None, port=None, database=None):
        if workers is None:
            workers = int(os.environ.get("DANVAN_TEST_WORKERS", "0"))
        server = OdooServer(
            install=odoo_install,
            database=database or odoo_database,
            extra_args=list(extra_args),
            workers=workers,
            port=port or 0,
        )
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()
    for server in servers:
        if server.log_path:
            server.log_path.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def odoo_server(odoo_server_factory):
    """The default server of the session (same database, default options)."""
    return odoo_server_factory()


@pytest.fixture(scope="session")
def odoo_url(odoo_server):
    return odoo_server.url


@pytest.fixture(scope="session")
def odoo_rpc(odoo_server):
    return odoo_server.rpc()


@pytest.fixture(scope="session")
def odoo_login(odoo_rpc):
    """login(login, password=None) -> RPCUser on the default server."""
    return odoo_rpc.login


@pytest.fixture(scope="session")
def admin(odoo_rpc):
    return odoo_rpc.login("admin", "admin")
