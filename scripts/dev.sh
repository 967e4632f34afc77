#!/usr/bin/env bash
# Developer and CI entry point of the danvan_chinh_quyen addon.
#
#   scripts/dev.sh setup   Odoo 18.0 source, Python venv, system packages, PostgreSQL
#   scripts/dev.sh run     create or update the database, then serve http://localhost:8069
#   scripts/dev.sh test    lint, then Odoo's test runner, pytest-odoo and the top-level
#                          tests on a throwaway database (dropped at the end)
#   scripts/dev.sh lint    ruff check, ruff format --check, pylint-odoo (mandatory checks)
#   scripts/dev.sh shell   odoo-bin shell on the run database
#   scripts/dev.sh pot     regenerate addons/danvan_chinh_quyen/i18n/danvan_chinh_quyen.pot
#   scripts/dev.sh odoo …  odoo-bin with this repository's config and addons path
#
# Environment variables (all optional): see `scripts/dev.sh help` and README.md.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
ADDON=danvan_chinh_quyen
SERIES=18.0
: "${HOME:=$(getent passwd "$(id -u)" | cut -d: -f6)}"
CACHE=${DANVAN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/danvan_chinh_quyen}
VENV=$CACHE/venv
PY=$VENV/bin/python
CONF=$ROOT/odoo.conf
DB_RUN=${DANVAN_DB:-danvan}
HTTP_PORT=${DANVAN_HTTP_PORT:-8069}
DEMO_LOGINS=(danvan.manager danvan.officer danvan.staff.tphb danvan.staff.phuonglam danvan.staff.ptdtnt)
DEMO_ROLES=("manager" "officer (Department's Office)" "unit staff" "unit staff (primary school)" "unit staff (ethnic boarding school)")
# Bump when the install recipe below changes, so existing venvs are brought up to date.
RECIPE=3
ODOO_URLS=(
    "https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz"
    "https://github.com/odoo/odoo/archive/refs/heads/18.0.tar.gz"
)

ODOO_SRC=""        # the Odoo source tree in use (holds odoo-bin)
APT_UPDATED=""

# ---------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------
say() { printf '[dev.sh] %s\n' "$*" >&2; }
die() {
    printf '\n[dev.sh] ERROR: %s\n' "$1" >&2
    shift
    local line
    for line in "$@"; do printf '           %s\n' "$line" >&2; done
    exit 1
}
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
have() { command -v "$1" >/dev/null 2>&1; }
is_root() { [ "$(id -u)" = 0 ]; }
can_root() { is_root || { have sudo && sudo -n true 2>/dev/null; }; }
as_root() { if is_root; then "$@"; else sudo -n "$@"; fi; }
os_user() { id -un; }

# A free TCP port on 127.0.0.1; inside DANVAN_PORT_RANGE (e.g. 18100-18199) when set.
free_port() {
    "$PY" - "${DANVAN_PORT_RANGE:-}" <<'PY'
import random, socket, sys
rng = sys.argv[1]
def free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True
if rng:
    lo, hi = (int(x) for x in rng.split("-"))
    ports = list(range(lo, hi + 1))
    random.shuffle(ports)
    for p in ports:
        if free(p):
            print(p)
            sys.exit(0)
    sys.exit("no free port in DANVAN_PORT_RANGE=" + rng)
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
PY
}

# ---------------------------------------------------------------------------
# system packages (apt)
# ---------------------------------------------------------------------------
apt_install() {
    local logf=$CACHE/logs/apt.log
    mkdir -p "$CACHE/logs"
    if ! have apt-get || ! can_root; then
        return 1
    fi
    if [ -z "$APT_UPDATED" ]; then
        say "apt-get update"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >"$logf" 2>&1 \
            || { tail -20 "$logf" >&2; return 1; }
        APT_UPDATED=1
    fi
    say "apt-get install $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" \
        >>"$logf" 2>&1 || { tail -20 "$logf" >&2; return 1; }
}

chromium_bin() {
    local b
    for b in google-chrome chromium chromium-browser google-chrome-stable; do
        if have "$b"; then command -v "$b"; return 0; fi
    done
    return 1
}

# Packages the tests need: wkhtmltopdf (PDF reports), chromium (HttpCase tours),
# pdftotext (reading PDFs back), a font with Vietnamese glyphs.
missing_test_packages() {
    local missing=()
    have wkhtmltopdf || missing+=(wkhtmltopdf)
    chromium_bin >/dev/null || missing+=(chromium)
    have pdftotext || missing+=(poppler-utils)
    [ -d /usr/share/fonts/truetype/dejavu ] || missing+=(fonts-dejavu-core)
    # Liberation Serif 2 has the Vietnamese letters; it stands in for Times
    # New Roman in the printed documents (Decree 30/2020/NĐ-CP)
    [ -d /usr/share/fonts/truetype/liberation2 ] || missing+=(fonts-liberation2)
    printf '%s\n' "${missing[@]}"
}

ensure_test_packages() {
    local strict=$1 missing
    mapfile -t missing < <(missing_test_packages | sed '/^$/d')
    [ "${#missing[@]}" -eq 0 ] && return 0
    say "missing system packages: ${missing[*]}"
    apt_install "${missing[@]}" || true
    mapfile -t missing < <(missing_test_packages | sed '/^$/d')
    [ "${#missing[@]}" -eq 0 ] && return 0
    if [ "$strict" = strict ]; then
        die "the tests need these system packages, and they could not be installed: ${missing[*]}" \
            "Install them (Debian/Ubuntu): sudo apt-get install ${missing[*]}" \
            "then run the command again."
    fi
    say "WARNING: not installed: ${missing[*]} (PDF reports/browser features will not work)."
    say "         Install them with: sudo apt-get install ${missing[*]}"
}

# Build prerequisites of Odoo's Python requirements (psycopg2 is built from source).
ensure_build_packages() {
    local py=$1 missing=() inc
    have pg_config || missing+=(libpq-dev)
    have gcc || missing+=(gcc)
    inc=$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
    if [ ! -f "$inc/Python.h" ]; then
        case $py in
            /usr/bin/*) missing+=("$(basename "$py")-dev") ;;
            *) missing+=(python3-dev) ;;
        esac
    fi
    [ "${#missing[@]}" -eq 0 ] && return 0
    say "missing build packages: ${missing[*]}"
    apt_install "${missing[@]}" && return 0
    die "Odoo's Python requirements need these packages to build: ${missing[*]}" \
        "Install them (Debian/Ubuntu): sudo apt-get install ${missing[*]}"
}

# ---------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------
pg_answers() { have pg_isready && pg_isready -q -t 3 >/dev/null 2>&1; }

have_pg_server() { have pg_lsclusters && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; }

start_clusters() {
    local port=${PGPORT:-5432} ver name cport status owner _ started=0
    while read -r ver name cport status owner _; do
        [ "$cport" = "$port" ] || continue
        case $status in online*) continue ;; esac
        say "starting PostgreSQL cluster $ver/$name (port $cport)"
        if is_root || [ "$owner" = "$(os_user)" ]; then
            pg_ctlcluster "$ver" "$name" start && started=1
        elif can_root; then
            as_root pg_ctlcluster "$ver" "$name" start && started=1
        fi
    done < <(pg_lsclusters --no-header 2>/dev/null)
    [ "$started" = 1 ]
}

ensure_postgres() {
    if ! pg_answers; then
        if ! have_pg_server; then
            if can_root && have apt-get; then
                say "PostgreSQL is not installed: installing it"
                apt_install postgresql postgresql-client \
                    || die "could not install PostgreSQL with apt-get." \
                        "Install it (Debian/Ubuntu: sudo apt-get install postgresql) and run the command again."
            else
                die "PostgreSQL is not installed and does not answer (pg_isready)." \
                    "Install it: sudo apt-get install postgresql   (or start your server and set PGHOST/PGPORT)," \
                    "then make your OS user a superuser: sudo -u postgres createuser -s $(os_user)"
            fi
        fi
        if [ -z "$(pg_lsclusters --no-header 2>/dev/null)" ] && can_root; then
            local ver
            ver=$(basename "$(ls -d /usr/lib/postgresql/*/ | sort -V | tail -1)")
            say "no PostgreSQL cluster: creating $ver/main"
            as_root pg_createcluster "$ver" main >/dev/null
        fi
        start_clusters || true
        local _
        for _ in $(seq 1 30); do pg_answers && break; sleep 1; done
        pg_answers || die "PostgreSQL does not answer (pg_isready) and could not be started here." \
            "Start it, e.g.: sudo pg_ctlcluster <version> main start   (see pg_lsclusters)," \
            "or point PGHOST/PGPORT at a running server, then run the command again."
    fi
    # A role for this OS user (Odoo connects through the socket with db_user empty).
    if ! psql -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
        local u
        u=$(os_user)
        if is_root; then
            say "creating PostgreSQL superuser role '$u'"
            (cd /tmp && su -s /bin/sh postgres -c "createuser -s '$u'") || true
        elif can_root; then
            say "creating PostgreSQL superuser role '$u'"
            (cd /tmp && sudo -n -u postgres createuser -s "$u") || true
        fi
        psql -d postgres -Atqc 'select 1' >/dev/null 2>&1 \
            || die "PostgreSQL answers but refuses the role '$u'." \
                "Create it: sudo -u postgres createuser -s $u   and run the command again."
    fi
    local can_create
    can_create=$(psql -d postgres -Atqc 'select rolcreatedb or rolsuper from pg_roles where rolname = current_user')
    [ "$can_create" = t ] || die "the PostgreSQL role '$(os_user)' may not create databases." \
        "Fix it: sudo -u postgres psql -c 'ALTER ROLE \"$(os_user)\" CREATEDB'"
}

db_exists() { [ "$(psql -d postgres -Atqc "select 1 from pg_database where datname = '$1'")" = 1 ]; }

module_state() {
    psql -d "$1" -Atqc "select state from ir_module_module where name = '$ADDON'" 2>/dev/null || true
}

# ---------------------------------------------------------------------------
# Odoo source
# ---------------------------------------------------------------------------
is_odoo_tree() { [ -f "$1/odoo-bin" ] && [ -f "$1/odoo/release.py" ]; }

tree_series() {
    sed -n 's/^version_info = (\([0-9]*\), *\([0-9]*\),.*/\1.\2/p' "$1/odoo/release.py" | head -1
}

check_series() {
    local s
    s=$(tree_series "$1")
    [ "$s" = "$SERIES" ] || die "$1 holds Odoo '$s', not $SERIES." \
        "Point ODOO_SOURCE at an Odoo $SERIES source tree or archive."
}

# A git checkout (or GitHub archive) keeps the core addons in addons/, a nightly
# source archive keeps them in odoo/addons.
core_addons_paths() {
    local src=$1
    printf '%s' "$src/odoo/addons"
    if [ ! -f "$src/odoo/addons/web/__manifest__.py" ] && [ -f "$src/addons/web/__manifest__.py" ]; then
        printf ',%s' "$src/addons"
    fi
}

# extract_archive ARCHIVE DEST: DEST becomes an Odoo tree with core addons in odoo/addons.
extract_archive() {
    local archive=$1 dest=$2 tmp top
    mkdir -p "$CACHE"
    tmp=$(mktemp -d "$CACHE/.extract.XXXXXX")
    say "extracting $archive"
    case $archive in
        *.zip) python3 -m zipfile -e "$archive" "$tmp" ;;
        *.tar.gz | *.tgz) tar -xzf "$archive" -C "$tmp" ;;
        *.tar.xz) tar -xJf "$archive" -C "$tmp" ;;
        *.tar) tar -xf "$archive" -C "$tmp" ;;
        *) rm -rf "$tmp"; die "unknown archive type: $archive (expected .tar.gz, .tgz, .tar.xz, .tar or .zip)" ;;
    esac || { rm -rf "$tmp"; die "could not extract $archive"; }
    top=$(find "$tmp" -maxdepth 3 -name odoo-bin -type f | head -1)
    if [ -z "$top" ]; then
        rm -rf "$tmp"
        die "$archive holds no Odoo source tree (no odoo-bin found)."
    fi
    top=$(dirname "$top")
    if [ ! -f "$top/odoo/addons/web/__manifest__.py" ] && [ -f "$top/addons/web/__manifest__.py" ]; then
        # GitHub layout: move the core addons next to base, as in the nightly archives.
        mv "$top"/addons/* "$top/odoo/addons/"
        rmdir "$top/addons" 2>/dev/null || true
    fi
    check_series "$top"
    rm -rf "$dest"
    mv "$top" "$dest"
    rm -rf "$tmp"
}

download() {
    local url=$1 out=$2
    if have curl; then
        curl -fsSL --connect-timeout 20 --retry 2 -o "$out" "$url"
    elif have wget; then
        wget -q -T 20 -O "$out" "$url"
    else
        python3 -c 'import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' "$url" "$out"
    fi
}

resolve_odoo_source() {
    local dest=$CACHE/odoo-$SERIES
    mkdir -p "$CACHE"
    if [ -n "${ODOO_SOURCE:-}" ]; then
        local src=$ODOO_SOURCE
        case $src in
            http://* | https://*)
                local f
                f="$CACHE/downloads/$(basename "${src%%\?*}")"
                mkdir -p "$CACHE/downloads"
                if [ ! -s "$f" ]; then
                    say "downloading $src"
                    download "$src" "$f.part" || die "could not download ODOO_SOURCE=$src"
                    mv "$f.part" "$f"
                fi
                src=$f
                ;;
        esac
        if [ -d "$src" ]; then
            src=$(cd "$src" && pwd -P)
            is_odoo_tree "$src" || die "ODOO_SOURCE=$ODOO_SOURCE is a directory without odoo-bin and odoo/release.py." \
                "Point it at the root of an Odoo $SERIES source tree (the folder holding odoo-bin)."
            check_series "$src"
            ODOO_SRC=$src
        elif [ -f "$src" ]; then
            src=$(cd "$(dirname "$src")" && pwd -P)/$(basename "$src")
            local ident
            ident="$src $(stat -c '%s %Y' "$src")"
            if ! is_odoo_tree "$dest" || [ "$(cat "$dest/.danvan-source" 2>/dev/null)" != "$ident" ]; then
                extract_archive "$src" "$dest"
                printf '%s\n' "$ident" >"$dest/.danvan-source"
            fi
            ODOO_SRC=$dest
        else
            die "ODOO_SOURCE=$ODOO_SOURCE does not exist." \
                "Set it to an Odoo $SERIES source tree or a .tar.gz/.zip source archive."
        fi
    elif is_odoo_tree "$dest"; then
        ODOO_SRC=$dest
    else
        # odoo already importable in our venv (installed from elsewhere)?
        local found=""
        if [ -x "$PY" ]; then
            found=$("$PY" -c 'import os, odoo; print(os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__))))' 2>/dev/null || true)
        fi
        if [ -n "$found" ] && is_odoo_tree "$found" && [ "$(tree_series "$found")" = "$SERIES" ]; then
            ODOO_SRC=$found
        else
            local url f
            mkdir -p "$CACHE/downloads"
            for url in "${ODOO_URLS[@]}"; do
                f="$CACHE/downloads/odoo-$SERIES-$(printf '%s' "$url" | md5sum | cut -c1-8).tar.gz"
                say "Odoo $SERIES not found: downloading $url"
                if download "$url" "$f.part" && mv "$f.part" "$f" && (extract_archive "$f" "$dest"); then
                    printf '%s\n' "$url" >"$dest/.danvan-source"
                    ODOO_SRC=$dest
                    break
                fi
                rm -f "$f.part"
                say "could not get $url"
            done
        fi
    fi
    [ -n "$ODOO_SRC" ] || die "Odoo $SERIES is not available: no ODOO_SOURCE, no $dest, and its official source could not be downloaded." \
        "Get Odoo $SERIES's source (the nightly archive odoo_18.0.latest.tar.gz from nightly.odoo.com," \
        "or a checkout/archive of the 18.0 branch of github.com/odoo/odoo), then run:" \
        "    ODOO_SOURCE=/path/to/odoo_18.0.latest.tar.gz make test     (an archive, extracted into $dest)" \
        "    ODOO_SOURCE=/path/to/odoo-18.0 make test                   (a source tree, used in place)" \
        "or extract it yourself so that $dest/odoo-bin exists."
}

# ---------------------------------------------------------------------------
# Python virtualenv
# ---------------------------------------------------------------------------
pick_python() {
    local c p v
    for c in python3.11 python3.12 python3.10 python3; do
        p=$(command -v "$c" 2>/dev/null) || continue
        v=$("$p" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || continue
        case $v in 3.10 | 3.11 | 3.12) printf '%s\n' "$p"; return 0 ;; esac
    done
    return 1
}

venv_ok() {
    [ -x "$PY" ] && "$PY" -c 'import sys; assert (3, 10) <= sys.version_info[:2] <= (3, 12)' 2>/dev/null
}

venv_hash() {
    {
        echo "recipe=$RECIPE src=$ODOO_SRC"
        "$PY" -c 'import sys; print(sys.version)'
        cat "$ODOO_SRC/requirements.txt" "$ROOT/requirements.txt"
    } | sha256sum | cut -d' ' -f1
}

# Checks that the venv can run everything: odoo importable from ODOO_SRC with its
# core addons, and our requirements.
venv_check() {
    "$PY" - "$ODOO_SRC" <<'PY'
import importlib, os, sys
src = os.path.realpath(sys.argv[1])
import odoo
import odoo.addons
here = os.path.realpath(os.path.dirname(os.path.dirname(odoo.__file__)))
if here != src:
    sys.exit(f"odoo is imported from {here}, not from {src}")
if not any(os.path.isfile(os.path.join(p, "base", "__manifest__.py")) for p in odoo.addons.__path__):
    sys.exit("odoo.addons does not find the core addons")
for mod in ("pytest_odoo", "websocket", "docx", "aiosmtpd", "hypothesis", "freezegun",
            "pypdf", "PyPDF2", "psycopg2", "lxml", "ruff", "pylint_odoo"):
    importlib.import_module(mod)
PY
}

ensure_venv() {
    local py logf=$CACHE/logs/pip.log
    mkdir -p "$CACHE/logs"
    if ! venv_ok; then
        py=$(pick_python) || die "no Python 3.10, 3.11 or 3.12 found (Odoo $SERIES needs one)." \
            "Install one (Debian 12: sudo apt-get install python3 python3-venv python3-dev) and run again."
        ensure_build_packages "$py"
        [ -e "$VENV" ] && { say "rebuilding $VENV (unusable python)"; rm -rf "$VENV"; }
        say "creating $VENV with $py"
        if ! "$py" -m venv "$VENV" 2>>"$logf"; then
            rm -rf "$VENV"
            case $py in /usr/bin/*) apt_install "$(basename "$py")-venv" || true ;; esac
            "$py" -m venv "$VENV" || die "could not create a venv with $py." \
                "Install the venv module (Debian: sudo apt-get install python3-venv) and run again."
        fi
    fi
    local want have_stamp
    want=$(venv_hash)
    have_stamp=$(cat "$VENV/.danvan-stamp" 2>/dev/null || true)
    if [ "$want" = "$have_stamp" ] && venv_check 2>/dev/null; then
        return 0
    fi
    say "installing Python requirements into $VENV (log: $logf)"
    ensure_build_packages "$PY"
    local t0 cons odoo_reqs
    t0=$(now)
    cons=$CACHE/pip-constraints.txt
    odoo_reqs=$CACHE/odoo-requirements.txt
    # cbor2's sdist imports pkg_resources, which setuptools 70 dropped; applies to build envs too.
    printf 'setuptools<70\n' >"$cons"
    grep -v -i '^python-ldap' "$ODOO_SRC/requirements.txt" >"$odoo_reqs"
    local pipx=("$PY" -m pip --disable-pip-version-check)
    {
        echo "=== $(date) ==="
        PIP_CONSTRAINT=$cons "${pipx[@]}" install "setuptools<70" wheel &&
            PIP_CONSTRAINT=$cons "${pipx[@]}" install -r "$odoo_reqs" &&
            PIP_CONSTRAINT=$cons "${pipx[@]}" install --no-deps --no-build-isolation -e "$ODOO_SRC" &&
            PIP_CONSTRAINT=$cons "${pipx[@]}" install -r "$ROOT/requirements.txt" -c "$odoo_reqs"
    } >>"$logf" 2>&1 || {
        tail -30 "$logf" >&2
        die "pip failed (full log: $logf)." \
            "Check the network access to PyPI and the build packages (libpq-dev, gcc, python3-dev)."
    }
    local err
    err=$(venv_check 2>&1) || die "the venv is not usable after installing: $err" "See $logf"
    printf '%s\n' "$want" >"$VENV/.danvan-stamp"
    say "Python requirements installed in $(elapsed "$t0") s"
}

# ---------------------------------------------------------------------------
# setup: everything the other commands need
# ---------------------------------------------------------------------------
SETUP_DONE=""
setup() {
    local strict=${1:-loose}
    [ -n "$SETUP_DONE" ] && return 0
    mkdir -p "$CACHE"
    # Two commands running at once (e.g. a test and a run) must not install concurrently.
    exec 9>"$CACHE/.setup.lock"
    if have flock; then flock 9; fi
    resolve_odoo_source
    ensure_postgres
    ensure_venv
    ensure_test_packages "$strict"
    exec 9>&-
    ADDONS_PATH="$ROOT/addons,$(core_addons_paths "$ODOO_SRC")"
    export PATH="$VENV/bin:$PATH"
    SETUP_DONE=1
}

odoo_bin() {
    (cd "$ROOT" && "$PY" "$ODOO_SRC/odoo-bin" -c "$CONF" --addons-path="$ADDONS_PATH" "$@")
}

odoo_shell() { # odoo_shell DB  (python code on stdin)
    local db=$1
    shift
    (cd "$ROOT" && "$PY" "$ODOO_SRC/odoo-bin" shell -c "$CONF" --addons-path="$ADDONS_PATH" \
        -d "$db" --no-http --log-level=warn "$@")
}

drop_db() {
    local db=$1
    [ -n "$db" ] || return 0
    if db_exists "$db"; then
        (cd "$ROOT" && "$PY" "$ODOO_SRC/odoo-bin" db -c "$CONF" drop "$db") >/dev/null 2>&1 \
            || dropdb --if-exists "$db" || true
    fi
    # the filestore, in case only the database was dropped
    rm -rf "${HOME}/.local/share/Odoo/filestore/$db"
}

print_login_help() {
    local i
    printf '\n  Dân vận chính quyền: http://localhost:%s  (database %s)\n' "$HTTP_PORT" "$DB_RUN"
    printf '  Log in with one of (login / password):\n'
    printf '    %-24s / %-24s administrator\n' admin admin
    for i in "${!DEMO_LOGINS[@]}"; do
        printf '    %-24s / %-24s %s\n' "${DEMO_LOGINS[$i]}" "${DEMO_LOGINS[$i]}" "${DEMO_ROLES[$i]}"
    done
    printf '  Stop the server with Ctrl+C.\n\n'
}

# ---------------------------------------------------------------------------
# commands
# ---------------------------------------------------------------------------
cmd_setup() {
    setup loose
    say "Odoo source: $ODOO_SRC"
    say "Python:      $PY ($("$PY" -c 'import sys; print(sys.version.split()[0])'))"
    say "addons path: $ADDONS_PATH"
    say "PostgreSQL:  $(pg_isready 2>&1)"
}

cmd_run() {
    setup loose
    local state logins
    state=""
    db_exists "$DB_RUN" && state=$(module_state "$DB_RUN")
    if [ "$state" != installed ]; then
        say "creating database '$DB_RUN' with $ADDON, demo data and Vietnamese (vi_VN)"
        odoo_bin -d "$DB_RUN" -i "$ADDON" --load-language=vi_VN \
            --stop-after-init --no-http --log-level=warn
        logins=$(printf '"%s", ' admin "${DEMO_LOGINS[@]}")
        odoo_shell "$DB_RUN" <<PY
users = env["res.users"].with_context(active_test=False).search([("login", "in", [${logins}])])
users.write({"lang": "vi_VN", "tz": "Asia/Ho_Chi_Minh"})
env.cr.commit()
print("vi_VN set for:", ", ".join(users.mapped("login")))
PY
    else
        say "updating $ADDON in database '$DB_RUN'"
        local lang_opt=()
        if [ "$(psql -d "$DB_RUN" -Atqc "select active from res_lang where code = 'vi_VN'")" != t ]; then
            lang_opt=(--load-language=vi_VN)
        fi
        odoo_bin -d "$DB_RUN" -u "$ADDON" "${lang_opt[@]}" --stop-after-init --no-http --log-level=warn
    fi
    print_login_help
    exec "$PY" "$ODOO_SRC/odoo-bin" -c "$CONF" --addons-path="$ADDONS_PATH" -d "$DB_RUN" \
        --db-filter="^${DB_RUN}\$" --http-interface=127.0.0.1 --http-port="$HTTP_PORT" "$@"
}

cmd_shell() {
    setup loose
    db_exists "$DB_RUN" || die "database '$DB_RUN' does not exist: run 'make run' first (or set DANVAN_DB)."
    cd "$ROOT"
    exec "$PY" "$ODOO_SRC/odoo-bin" shell -c "$CONF" --addons-path="$ADDONS_PATH" -d "$DB_RUN" --no-http "$@"
}

cmd_odoo() {
    setup loose
    cd "$ROOT"
    exec "$PY" "$ODOO_SRC/odoo-bin" "$@" -c "$CONF" --addons-path="$ADDONS_PATH"
}

cmd_pot() {
    setup loose
    local db out
    db="danvan_pot_$(date +%s)_$$"
    out=$ROOT/addons/$ADDON/i18n/$ADDON.pot
    trap 'drop_db "$db"' EXIT
    mkdir -p "$(dirname "$out")"
    odoo_bin -d "$db" -i "$ADDON" --without-demo=all --stop-after-init --no-http --log-level=warn
    odoo_bin -d "$db" --i18n-export="$out" --modules="$ADDON" --no-http --log-level=warn
    say "wrote $out"
}

lint() {
    local rc=0
    cd "$ROOT"
    say "ruff check"
    "$VENV/bin/ruff" check --no-fix addons tests || rc=1
    say "ruff format --check"
    "$VENV/bin/ruff" format --check addons tests || rc=1
    say "pylint-odoo (.pylintrc-mandatory)"
    local mods=()
    mapfile -t mods < <(find addons -mindepth 2 -maxdepth 2 -name __manifest__.py -printf '%h\n' | sort)
    "$VENV/bin/pylint" --rcfile=.pylintrc-mandatory "${mods[@]}" tests || rc=1
    return "$rc"
}

cmd_lint() {
    resolve_odoo_source
    ensure_venv
    lint || die "lint failed (see above)."
    say "lint: clean"
}

# Reads an Odoo log (install with tests) and fails on: test failures, any ERROR or
# CRITICAL line, any WARNING emitted by or about our addon, no test run at all.
# Prints "odoo-tests: <run> <failed> <errors>" on its last line.
check_install_log() {
    "$PY" - "$1" "$2" "$ADDON" <<'PY'
import re, sys
path, db, addon = sys.argv[1:4]
head = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<lvl>[A-Z]+) (?P<db>\S+) (?P<logger>[\w.\-]+): ?(?P<msg>.*)$")
records, cur = [], None
with open(path, encoding="utf-8", errors="replace") as f:
    for line in f:
        line = line.rstrip("\n")
        m = head.match(line)
        if m:
            cur = [m.group("lvl"), m.group("logger"), m.group("msg"), []]
            records.append(cur)
        elif cur is not None:
            cur[3].append(line)
problems, others, summary = [], 0, None
for lvl, logger, msg, cont in records:
    text = "\n".join([msg, *cont]).replace(db, "<db>")
    ours = logger.startswith(f"odoo.addons.{addon}") or "danvan" in text.lower()
    m = re.search(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database", msg)
    if m:
        summary = tuple(int(x) for x in m.groups())
        if lvl == "ERROR":
            problems.append((lvl, logger, msg, cont))
        continue
    if lvl in ("ERROR", "CRITICAL") or (lvl == "WARNING" and ours):
        problems.append((lvl, logger, msg, cont))
    elif lvl == "WARNING":
        others += 1
    elif re.match(r"(FAIL|ERROR): ", msg):
        problems.append((lvl, logger, msg, cont))
bad = bool(problems)
if problems:
    print(f"\n{len(problems)} log record(s) that fail the build:", file=sys.stderr)
    for lvl, logger, msg, cont in problems[:50]:
        print(f"  {lvl} {logger}: {msg}", file=sys.stderr)
        shown = cont if len(cont) <= 16 else [*cont[:3], "...", *cont[-12:]]
        for c in shown:
            print(f"      {c}", file=sys.stderr)
if others:
    print(f"({others} WARNING line(s) from other modules, not ours: not counted)", file=sys.stderr)
if summary is None:
    print("no test summary line found (did Odoo's test runner run?)", file=sys.stderr)
    summary, bad = (0, 0, 0), True
elif summary[2] == 0:
    print("Odoo's test runner ran no test", file=sys.stderr)
    bad = True
print("odoo-tests: %d %d %d" % (summary[2], summary[0], summary[1]))
sys.exit(1 if bad else 0)
PY
}

# junit_counts FILE -> "passed failed skipped", counted per test case (the
# "tests" attribute of pytest 9's report also counts subtests).
junit_counts() {
    "$PY" - "$1" <<'PY'
import sys
import xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    print("0 0 0")
    sys.exit()
passed = failed = skipped = 0
for case in root.iter("testcase"):
    tags = {child.tag for child in case}
    if tags & {"failure", "error"}:
        failed += 1
    elif "skipped" in tags:
        skipped += 1
    else:
        passed += 1
print(passed, failed, skipped)
PY
}

cmd_test() {
    local t_all t phase_times=() failed=0 summary_pass=0 summary_fail=0 summary_skip=0
    t_all=$(now)

    t=$(now)
    setup strict
    phase_times+=("setup $(elapsed "$t")s")

    t=$(now)
    if ! lint; then
        failed=1
        summary_fail=$((summary_fail + 1))
        say "lint FAILED"
    fi
    phase_times+=("lint $(elapsed "$t")s")

    local db rundir port
    db="danvan_test_$(head -c 64 /dev/urandom | tr -dc 'a-z0-9' | head -c 8)"
    rundir=$(mktemp -d "${TMPDIR:-/tmp}/danvan_test.XXXXXX")
    # shellcheck disable=SC2064
    trap "say 'dropping database $db'; drop_db '$db'; rm -rf '$rundir'" EXIT
    trap 'exit 130' INT TERM
    port=${DANVAN_TEST_HTTP_PORT:-$(free_port)}

    say "installing $ADDON with Odoo's test runner in database '$db' (log: $rundir/install.log)"
    t=$(now)
    local rc=0 counts
    odoo_bin -d "$db" -i "$ADDON" \
        --test-enable --test-tags "/$ADDON" --stop-after-init --log-level=test \
        --http-interface=127.0.0.1 --http-port="$port" --max-cron-threads=0 \
        2>&1 | tee "$rundir/install.log" || rc=$?
    [ "$rc" = 0 ] || say "odoo-bin exited with $rc"
    counts=$(check_install_log "$rundir/install.log" "$db") || rc=1
    counts=$(printf '%s\n' "$counts" | sed -n 's/^odoo-tests: //p')
    read -r o_run o_fail o_err <<<"${counts:-0 0 0}"
    summary_pass=$((summary_pass + o_run - o_fail - o_err))
    summary_fail=$((summary_fail + o_fail + o_err))
    if [ "$rc" != 0 ]; then
        failed=1
        [ "$o_fail$o_err" = 00 ] && summary_fail=$((summary_fail + 1))
        say "Odoo install/test phase FAILED"
    fi
    phase_times+=("odoo-tests $(elapsed "$t")s")

    if ! db_exists "$db" || [ "$(module_state "$db")" != installed ]; then
        say "the addon is not installed in '$db': skipping the pytest phases, which would only repeat the failure"
        failed=1
    else
        local prc
        say "pytest-odoo on addons/$ADDON/tests"
        t=$(now)
        prc=0
        (cd "$ROOT" && "$VENV/bin/pytest" -p no:cacheprovider --odoo-database="$db" --odoo-config=odoo.conf \
            --odoo-addons-path="$ADDONS_PATH" --odoo-http --junitxml="$rundir/pytest-odoo.xml" "addons/$ADDON/tests") || prc=$?
        read -r j_p j_f j_s <<<"$(junit_counts "$rundir/pytest-odoo.xml")"
        summary_pass=$((summary_pass + j_p))
        summary_fail=$((summary_fail + j_f))
        summary_skip=$((summary_skip + j_s))
        if [ "$prc" = 5 ]; then say "pytest-odoo collected no test: counted as a failure"; fi
        if [ "$prc" != 0 ]; then
            failed=1
            [ "$j_f" = 0 ] && summary_fail=$((summary_fail + 1))
            say "pytest-odoo FAILED (exit $prc)"
        fi
        phase_times+=("pytest-odoo $(elapsed "$t")s")

        say "pytest tests/ (top-level tests against a real server)"
        t=$(now)
        prc=0
        (cd "$ROOT" && DANVAN_TEST_DB="$db" DANVAN_PYTHON="$PY" DANVAN_ODOO_BIN="$ODOO_SRC/odoo-bin" \
            DANVAN_ADDONS_PATH="$ADDONS_PATH" \
            "$VENV/bin/pytest" -p no:cacheprovider --junitxml="$rundir/pytest-top.xml" tests) || prc=$?
        read -r j_p j_f j_s <<<"$(junit_counts "$rundir/pytest-top.xml")"
        summary_pass=$((summary_pass + j_p))
        summary_fail=$((summary_fail + j_f))
        summary_skip=$((summary_skip + j_s))
        if [ "$prc" = 5 ]; then say "pytest collected no top-level test: counted as a failure"; fi
        if [ "$prc" != 0 ]; then
            failed=1
            [ "$j_f" = 0 ] && summary_fail=$((summary_fail + 1))
            say "top-level pytest FAILED (exit $prc)"
        fi
        phase_times+=("pytest-top $(elapsed "$t")s")
    fi

    t=$(now)
    say "dropping database $db"
    drop_db "$db"
    rm -rf "$rundir"
    trap - EXIT
    phase_times+=("cleanup $(elapsed "$t")s")

    printf '\n[dev.sh] wall times: %s; total %ss\n' "$(IFS=,; echo "${phase_times[*]}" | sed 's/,/, /g')" "$(elapsed "$t_all")"
    [ "$failed" = 0 ] && say "RESULT: all phases passed" || say "RESULT: FAILED"
    if [ "$summary_skip" -gt 0 ]; then
        printf 'test: %d passed, %d failed, %d skipped\n' "$summary_pass" "$summary_fail" "$summary_skip"
    else
        printf 'test: %d passed, %d failed\n' "$summary_pass" "$summary_fail"
    fi
    return "$failed"
}

usage() {
    cat <<EOF
Usage: scripts/dev.sh <command> [args]   (or: make <command>)

  setup   get Odoo $SERIES, build the venv, install system packages, check PostgreSQL
  run     create/update database \$DANVAN_DB (default: danvan) and serve http://localhost:\$DANVAN_HTTP_PORT
  test    lint + Odoo's test runner + pytest-odoo + top-level pytest, on a throwaway database
  lint    ruff check, ruff format --check, pylint-odoo
  shell   odoo-bin shell on \$DANVAN_DB
  pot     regenerate addons/$ADDON/i18n/$ADDON.pot
  odoo    odoo-bin with this repository's odoo.conf and addons path, e.g. scripts/dev.sh odoo --help
  translations  regenerate the .pot and merge it into i18n/vi.po (scripts/update_translations.sh)
  bench   the province-scale benchmark (scripts/benchmark.py), writes docs/benchmark.md
  screenshots  screenshots of the main screens into docs/screenshots (needs 'run' serving)

Environment (all optional):
  ODOO_SOURCE          Odoo $SERIES source tree, archive (.tar.gz/.zip) or URL of one
  DANVAN_CACHE         cache dir (default: \${XDG_CACHE_HOME:-~/.cache}/danvan_chinh_quyen)
  DANVAN_DB            database of 'run' and 'shell' (default: danvan)
  DANVAN_HTTP_PORT     port of 'run' (default: 8069)
  DANVAN_TEST_HTTP_PORT  port of Odoo's HTTP server during 'test' (default: a free port)
  DANVAN_PORT_RANGE    pick free ports in this range, e.g. 18100-18199 (test servers)
  DANVAN_TEST_WORKERS  --workers of the server the top-level tests start (default: 0)
EOF
}

main() {
    local cmd=${1:-help}
    [ $# -gt 0 ] && shift
    case $cmd in
        setup) cmd_setup "$@" ;;
        run) cmd_run "$@" ;;
        test) cmd_test "$@" ;;
        lint) cmd_lint "$@" ;;
        shell) cmd_shell "$@" ;;
        pot) cmd_pot "$@" ;;
        translations) setup loose && bash "$ROOT/scripts/update_translations.sh" "$@" ;;
        bench) setup loose && cd "$ROOT" && "$VENV/bin/python" scripts/benchmark.py "$@" ;;
        screenshots) setup loose && cd "$ROOT" && "$VENV/bin/python" scripts/screenshots.py "$@" ;;
        odoo) cmd_odoo "$@" ;;
        help | -h | --help) usage ;;
        *) usage >&2; exit 2 ;;
    esac
}

# Sourcing the script (for tests of its functions) defines them without running.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    main "$@"
fi
