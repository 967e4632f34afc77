#!/usr/bin/env bash
# Regenerate the translation template of the danvan_chinh_quyen addon and merge it
# into the Vietnamese catalogue:
#
#   1. install the addon WITHOUT demo data on a throwaway database (demo records
#      would otherwise leak their names into the template);
#   2. export its terms to addons/danvan_chinh_quyen/i18n/danvan_chinh_quyen.pot
#      (odoo-bin --i18n-export; Odoo 18 has no `i18n` subcommand);
#   3. msgmerge the template into i18n/vi.po with fuzzy matching OFF: a changed
#      English string becomes an empty (untranslated) entry instead of a silently
#      wrong "fuzzy" guess; the old translation is printed as a hint and dropped;
#   4. check vi.po with `msgfmt --check` and list the untranslated entries;
#   5. drop the database (also on failure or Ctrl-C).
#
# Usage: scripts/update_translations.sh [--check] [--keep-db] [--merge-only]
#   --merge-only  skip steps 1, 2 and 5: merge the existing template into vi.po and
#              report (fast; after editing vi.po by hand)
#   --check    exit with status 3 when an entry of vi.po is untranslated or fuzzy
#              (the test tests/test_translations.py fails in that case too)
#   --keep-db  do not drop the database (for debugging)
#
# Environment (all optional):
#   DANVAN_CACHE        cache of scripts/dev.sh (default ~/.cache/danvan_chinh_quyen):
#                       holds odoo-18.0/ (Odoo source) and venv/ (its Python)
#   ODOO_SRC            Odoo source tree (default $DANVAN_CACHE/odoo-18.0)
#   DANVAN_PYTHON       Python with Odoo's requirements (default $DANVAN_CACHE/venv/bin/python)
#   DANVAN_I18N_DB      name of the throwaway database (default danvan_i18n_<time>_<pid>)
#
# The Vietnamese catalogue is then edited by hand (or with a PO editor); re-run this
# script afterwards: it is idempotent, and `msgfmt --check` must stay clean.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
ADDON=danvan_chinh_quyen
I18N=$ROOT/addons/$ADDON/i18n
POT=$I18N/$ADDON.pot
PO=$I18N/vi.po
: "${HOME:=$(getent passwd "$(id -u)" | cut -d: -f6)}"
CACHE=${DANVAN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/danvan_chinh_quyen}
ODOO_SRC=${ODOO_SRC:-$CACHE/odoo-18.0}
PY=${DANVAN_PYTHON:-$CACHE/venv/bin/python}
DB=${DANVAN_I18N_DB:-danvan_i18n_$(date +%s)_$$}
CHECK=""
KEEP_DB=""
MERGE_ONLY=""

for arg in "$@"; do
    case $arg in
        --check) CHECK=1 ;;
        --keep-db) KEEP_DB=1 ;;
        --merge-only) MERGE_ONLY=1 ;;
        -h | --help)
            sed -n '2,/^set -Eeuo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "unknown argument: $arg (see --help)" >&2
            exit 2
            ;;
    esac
done

say() { printf '[update_translations] %s\n' "$*" >&2; }
die() {
    printf '[update_translations] ERROR: %s\n' "$*" >&2
    exit 1
}

[ -f "$ODOO_SRC/odoo-bin" ] || die "no Odoo source at $ODOO_SRC (run 'make setup', or set ODOO_SRC)"
[ -x "$PY" ] || die "no Python at $PY (run 'make setup', or set DANVAN_PYTHON)"
for tool in msgmerge msgfmt msgattrib msgcat; do
    command -v "$tool" >/dev/null 2>&1 \
        || die "$tool is missing: install gettext (Debian/Ubuntu: sudo apt-get install gettext)"
done

ADDONS_PATH="$ROOT/addons,$ODOO_SRC/odoo/addons"
[ -d "$ODOO_SRC/addons" ] && ADDONS_PATH="$ADDONS_PATH,$ODOO_SRC/addons"

odoo() {
    (cd "$ROOT" && "$PY" "$ODOO_SRC/odoo-bin" --addons-path="$ADDONS_PATH" --no-http \
        --log-level=warn "$@")
}

drop_db() {
    [ -n "$MERGE_ONLY" ] && return 0
    [ -n "$KEEP_DB" ] && { say "kept database $DB"; return 0; }
    if [ "$(psql -d postgres -Atqc "select 1 from pg_database where datname = '$DB'" 2>/dev/null)" = 1 ]; then
        dropdb --if-exists "$DB" >/dev/null 2>&1 || say "could not drop database $DB"
    fi
    rm -rf "$HOME/.local/share/Odoo/filestore/$DB"
}

mkdir -p "$I18N"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; drop_db' EXIT

if [ -z "$MERGE_ONLY" ]; then
    say "installing $ADDON without demo data on database $DB"
    odoo -d "$DB" -i "$ADDON" --without-demo=all --stop-after-init >"$tmp/install.log" 2>&1 \
        || { tail -40 "$tmp/install.log" >&2; die "installation failed (log above)"; }

    say "exporting the terms to ${POT#"$ROOT"/}"
    odoo -d "$DB" --i18n-export="$tmp/$ADDON.pot" --modules="$ADDON" --stop-after-init \
        >"$tmp/export.log" 2>&1 || { tail -40 "$tmp/export.log" >&2; die "export failed (log above)"; }
    [ -s "$tmp/$ADDON.pot" ] || die "the export produced no template"
    # Odoo stamps the template with the export time: keep the old stamp when nothing
    # else changed, so that an unchanged template gives no diff.
    if [ -f "$POT" ] && diff -q \
        <(grep -v '^"\(POT-Creation-Date\|PO-Revision-Date\): ' "$POT") \
        <(grep -v '^"\(POT-Creation-Date\|PO-Revision-Date\): ' "$tmp/$ADDON.pot") >/dev/null; then
        say "template unchanged"
    else
        cp "$tmp/$ADDON.pot" "$POT"
    fi
else
    [ -f "$POT" ] || die "no template ${POT#"$ROOT"/}: run without --merge-only first"
fi

if [ ! -f "$PO" ]; then
    say "creating ${PO#"$ROOT"/}"
    cp "$POT" "$PO"
fi

say "merging the template into ${PO#"$ROOT"/} (no fuzzy matching)"
msgmerge --quiet --update --backup=none --no-fuzzy-matching "$PO" "$POT"
# Entries whose English source disappeared or changed: show them as hints, then drop them.
msgattrib --only-obsolete --clear-obsolete --no-wrap "$PO" -o "$tmp/obsolete.po"
if [ -f "$tmp/obsolete.po" ] && [ "$(grep -c '^msgid ' "$tmp/obsolete.po")" -gt 1 ]; then
    say "obsolete entries dropped (their English changed or disappeared; reuse the old translation):"
    sed '1,/^$/d' "$tmp/obsolete.po" >&2
fi
msgattrib --no-obsolete --no-fuzzy "$PO" -o "$tmp/vi.po"
# --no-fuzzy drops fuzzy entries completely: re-merge so they come back as untranslated
msgmerge --quiet --no-fuzzy-matching "$tmp/vi.po" "$POT" -o "$tmp/vi.merged.po"
msgattrib --no-obsolete "$tmp/vi.merged.po" -o "$PO"
# the header of a Vietnamese catalogue (the template leaves these empty)
sed -i -e 's/^"Language: .*\\n"$/"Language: vi\\n"/' \
    -e 's/^"Plural-Forms: .*\\n"$/"Plural-Forms: nplurals=1; plural=0;\\n"/' \
    -e 's/^"Content-Transfer-Encoding: \\n"$/"Content-Transfer-Encoding: 8bit\\n"/' "$PO"
grep -q '^"Language: vi\\n"$' "$PO" || sed -i '0,/^"MIME-Version: /s//"Language: vi\\n"\n"MIME-Version: /' "$PO"

say "msgfmt --check"
msgfmt --check --statistics -o /dev/null "$PO" 2>"$tmp/msgfmt.txt" \
    || { cat "$tmp/msgfmt.txt" >&2; die "msgfmt --check failed on ${PO#"$ROOT"/}"; }

total=$(msgattrib --no-obsolete "$POT" 2>/dev/null | grep -c '^msgid ' || true)
total=$((total - 1)) # the header
untranslated=$(msgattrib --untranslated --no-obsolete "$PO" 2>/dev/null | grep -c '^msgid ' || true)
[ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$PO" 2>/dev/null | grep -c '^msgid ' || true)
[ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))

if [ "$untranslated" -gt 0 ]; then
    say "untranslated entries of ${PO#"$ROOT"/}:"
    msgattrib --untranslated --no-obsolete --no-wrap "$PO" | sed '1,/^$/d' >&2
fi
say "terms: $total, translated: $((total - untranslated - fuzzy)), untranslated: $untranslated, fuzzy: $fuzzy"
say "$(cat "$tmp/msgfmt.txt")"

if [ -n "$CHECK" ] && [ $((untranslated + fuzzy)) -gt 0 ]; then
    exit 3
fi
