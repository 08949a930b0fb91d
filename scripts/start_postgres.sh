#!/usr/bin/env bash
# Start a throwaway PostgreSQL for sitrep's tests and benchmarks, and print its URL.
#
#   url=$(scripts/start_postgres.sh) && [ -n "$url" ] && export SITREP_TEST_PG="$url"
#   scripts/start_postgres.sh --stop          # stop it and delete its data
#
# * installs Debian's `postgresql` package when no server binaries are found
#   (needs root and a reachable package mirror; quiet and non-interactive);
# * initialises a cluster in a temporary directory (default /tmp/sitrep-pg-$PORT),
#   owned by the `postgres` user when run as root, trust auth, loopback only,
#   fsync off (a test cluster: its data is disposable);
# * starts it on 127.0.0.1:$SITREP_PG_PORT (default 55432) and creates the database
#   sitrep_test;
# * prints postgresql://postgres@127.0.0.1:PORT/sitrep_test on stdout (nothing else
#   goes to stdout). Idempotent: a running server is reused.
# When PostgreSQL cannot be had it says why on stderr and exits 0 without a URL,
# so the PostgreSQL tests are skipped rather than failed.
set -u

PORT="${SITREP_PG_PORT:-55432}"
DB="${SITREP_PG_DB:-sitrep_test}"
BASE="${SITREP_PG_DIR:-${TMPDIR:-/tmp}/sitrep-pg-$PORT}"
DATA="$BASE/data"
LOG="$BASE/server.log"
PGUSER_NAME=postgres

say() { echo "start_postgres: $*" >&2; }
give_up() { say "$* -- PostgreSQL tests will be skipped"; exit 0; }

find_bindir() {
    local d
    if command -v pg_config >/dev/null 2>&1; then
        d="$(pg_config --bindir 2>/dev/null)"
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
    fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -V -r); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
    done
    for d in /usr/local/pgsql/bin /usr/local/bin /usr/bin; do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
    done
    return 1
}

BIN="$(find_bindir)"
if [ -z "$BIN" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "installing postgresql with apt-get (quiet)..."
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null 2>&1 || true
        apt-get install -y -qq --no-install-recommends postgresql >/dev/null 2>&1 \
            || give_up "apt-get install postgresql failed"
        BIN="$(find_bindir)" || true
    fi
    [ -n "$BIN" ] || give_up "no PostgreSQL server binaries found (initdb, pg_ctl) and cannot install them"
fi

# Run a server command as the cluster owner: postgres when we are root, else ourselves.
if [ "$(id -u)" = 0 ]; then
    id "$PGUSER_NAME" >/dev/null 2>&1 || useradd --system --home-dir "$BASE" --shell /bin/sh "$PGUSER_NAME" 2>/dev/null \
        || give_up "no '$PGUSER_NAME' user to run the server as"
    if command -v runuser >/dev/null 2>&1; then
        as_owner() { runuser -u "$PGUSER_NAME" -- "$@"; }
    else
        as_owner() { su -s /bin/sh "$PGUSER_NAME" -c "$(printf '%q ' "$@")"; }
    fi
else
    as_owner() { "$@"; }
fi
SUPERUSER="$PGUSER_NAME"

ready() { "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" >/dev/null 2>&1; }
psql_q() { "$BIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U "$SUPERUSER" -d postgres -v ON_ERROR_STOP=1 "$@"; }

if [ "${1:-}" = "--stop" ]; then
    if [ -f "$DATA/postmaster.pid" ]; then
        as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$BASE"
    say "stopped and removed $BASE"
    exit 0
fi

if ! ready; then
    if [ ! -f "$DATA/PG_VERSION" ]; then
        rm -rf "$BASE"
        mkdir -p "$BASE" || give_up "cannot create $BASE"
        [ "$(id -u)" = 0 ] && chown "$PGUSER_NAME" "$BASE"
        chmod 700 "$BASE"
        as_owner "$BIN/initdb" -D "$DATA" -U "$SUPERUSER" --auth=trust -E UTF8 --no-locale >"$BASE/initdb.log" 2>&1 \
            || give_up "initdb failed (see $BASE/initdb.log)"
    fi
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $BASE -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null 2>&1 || give_up "the server did not start on port $PORT (see $LOG)"
    for _ in $(seq 1 30); do ready && break; sleep 1; done
    ready || give_up "the server is not accepting connections on 127.0.0.1:$PORT (see $LOG)"
fi

exists="$(psql_q -tA -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" 2>/dev/null)" \
    || give_up "cannot connect to 127.0.0.1:$PORT as $SUPERUSER (is another server on that port? set SITREP_PG_PORT)"
if [ "$exists" != "1" ]; then
    psql_q -c "CREATE DATABASE \"$DB\"" >/dev/null 2>&1 || give_up "cannot create database $DB"
fi
say "PostgreSQL ready on 127.0.0.1:$PORT (data in $BASE; stop with $0 --stop)"
echo "postgresql://$SUPERUSER@127.0.0.1:$PORT/$DB"
