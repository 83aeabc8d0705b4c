#!/usr/bin/env bash
# pg-test-server.sh start|stop|url — a throwaway PostgreSQL cluster for the records tests.
#
# start: initdb's a cluster in a new temporary directory owned by the `postgres` OS user
#        (Debian's /usr/lib/postgresql/<version>/bin), listening only on a unix socket in that
#        directory (no TCP) on a fixed high port, creates the database `materia_test`, and prints
#        its libpq URL on stdout. Idempotent: a running cluster is reused.
# stop:  stops the cluster and removes the directory.
# url:   prints the URL of the running cluster.
# The state (the directory) is remembered in $PG_TEST_STATE (default build/pg-test.dir).
# Durability settings are PostgreSQL's defaults (fsync on, synchronous_commit on).
set -euo pipefail

PORT="${PG_TEST_PORT:-54329}"
STATE="${PG_TEST_STATE:-build/pg-test.dir}"
DB=materia_test

die() { printf 'pg-test-server.sh: %s\n' "$*" >&2; exit 1; }

bindir() {
    local d
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && { printf '%s\n' "$d"; return 0; }
    done
    return 1
}

as_pg() {
    if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

url_of() { printf 'postgresql://postgres@/%s?host=%s&port=%s\n' "$DB" "$1" "$PORT"; }

running() {
    local dir="$1"
    [ -n "$dir" ] && [ -f "$dir/data/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

BIN="$(bindir)" || die "PostgreSQL server binaries not found (apt-get install postgresql; scripts/setup.sh does)"
id postgres >/dev/null 2>&1 || die "no 'postgres' OS user (install the postgresql package)"

case "${1:-}" in
start)
    dir="$(cat "$STATE" 2>/dev/null || true)"
    if running "$dir"; then url_of "$dir"; exit 0; fi
    dir="$(mktemp -d "${TMPDIR:-/tmp}/materia-pg.XXXXXX")"
    chmod 755 "$dir"
    chown postgres:postgres "$dir"
    log="$dir/log"
    as_pg "$BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; rm -rf "$dir"; die "initdb failed"; }
    as_pg "$BIN/pg_ctl" -D "$dir/data" -l "$log" -w -t 60 \
        -o "-c listen_addresses='' -c unix_socket_directories='$dir' -p $PORT -c max_connections=200" start \
        >/dev/null 2>&1 || { cat "$log" >&2; rm -rf "$dir"; die "pg_ctl start failed (port $PORT in use?)"; }
    as_pg "$BIN/psql" -h "$dir" -p "$PORT" -U postgres -q -c "CREATE DATABASE $DB" postgres >/dev/null ||
        die "cannot create the database"
    mkdir -p "$(dirname "$STATE")"
    printf '%s\n' "$dir" >"$STATE"
    url_of "$dir"
    ;;
stop)
    dir="$(cat "$STATE" 2>/dev/null || true)"
    [ -n "$dir" ] || exit 0
    if [ -d "$dir/data" ]; then
        as_pg "$BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    case "$dir" in */materia-pg.*) rm -rf "$dir" ;; esac
    rm -f "$STATE"
    ;;
url)
    dir="$(cat "$STATE" 2>/dev/null || true)"
    running "$dir" || die "not running"
    url_of "$dir"
    ;;
*)
    printf 'usage: %s start|stop|url\n' "$0" >&2
    exit 2
    ;;
esac
