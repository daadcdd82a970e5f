#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (issue 19): Debian's server,
# initialised in a temporary folder, listening on a free loopback port,
# trust authentication for the user `pingan` (replication included, for the
# replica tests). ctest starts it before the tests that need it and stops it
# after them, also when one fails (FIXTURES_SETUP / FIXTURES_CLEANUP in
# CMakeLists.txt).
#
#   scripts/pg-test-cluster.sh start STATE   # STATE: a file it writes: folder, URL
#   scripts/pg-test-cluster.sh stop STATE
#   scripts/pg-test-cluster.sh halt STATE    # the server stops, the data stays (a restart test)
#   scripts/pg-test-cluster.sh resume STATE  # and starts again on the same port
#   scripts/pg-test-cluster.sh replica STATE REPLICA_STATE
#       # a streaming hot standby of STATE's cluster (pg_basebackup -R), in a
#       # folder inside the primary's, on a port of its own; REPLICA_STATE has
#       # the same four lines, so stop, halt and resume take it too. Stopping
#       # the primary stops its replicas.
#
# As root (CI's containers), the server runs as the `postgres` user that
# Debian's package creates: PostgreSQL refuses to run as root.
set -euo pipefail
cmd=${1:?start, stop, halt, resume or replica}
state=${2:?state file}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/initdb" ] || { echo "pg-test-cluster: PostgreSQL's server is not installed (scripts/install-deps.sh installs it)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

case "$cmd" in
  start)
    [ -f "$state" ] && "$0" stop "$state" || true
    dir=$(mktemp -d /tmp/pingan-pg-XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    port=$(free_port)
    as_owner "$bindir/initdb" -D "$dir/data" -U pingan --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    # Small and quick: the tests' data is small. fsync stays on: durability
    # is what some tests check (a SIGKILLed server's acknowledged writes).
    options="-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=128MB -c wal_level=replica -c max_wal_senders=10"
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$options" start >/dev/null ||
      { cat "$dir/server.log" >&2; exit 1; }
    printf '%s\n%s\n%s\n%s\n' "$dir" "postgresql://pingan@127.0.0.1:$port/postgres" "$bindir" "$options" >"$state"
    echo "pg-test-cluster: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port in $dir"
    ;;
  stop)
    [ -f "$state" ] || exit 0
    dir=$(sed -n 1p "$state")
    if [ -d "$dir/data" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    # Replicas a test started inside the folder (`replica`: <folder>/replica-<port>/data).
    for d in "$dir"/*/postmaster.pid "$dir"/*/data/postmaster.pid; do
      [ -f "$d" ] && as_owner "$bindir/pg_ctl" -D "$(dirname "$d")" -m immediate -w stop >/dev/null 2>&1 || true
    done
    rm -rf "$dir" "$state"
    echo "pg-test-cluster: stopped"
    ;;
  halt)
    dir=$(sed -n 1p "$state")
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  resume)
    dir=$(sed -n 1p "$state")
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$(sed -n 4p "$state")" start >/dev/null ||
      { cat "$dir/server.log" >&2; exit 1; }
    ;;
  replica)
    replica_state=${3:?replica state file}
    [ -f "$replica_state" ] && "$0" stop "$replica_state" || true
    primary_dir=$(sed -n 1p "$state")
    primary_url=$(sed -n 2p "$state")
    port=$(free_port)
    # Inside the primary's folder: the primary's `stop` stops it and removes it.
    dir="$primary_dir/replica-$port"
    as_owner mkdir -m 755 "$dir"
    # -R writes standby.signal and primary_conninfo; -X stream copies the WAL
    # written meanwhile; -c fast does not wait for the next checkpoint.
    # --no-sync and fsync=off below: a throwaway copy starts in a second
    # instead of syncing every file twice (what the tests check of durability
    # is the primary's, whose fsync stays on).
    as_owner "$bindir/pg_basebackup" -d "$primary_url" -D "$dir/data" -R -X stream -c fast --no-sync >"$dir/basebackup.log" 2>&1 ||
      { cat "$dir/basebackup.log" >&2; exit 1; }
    # The primary's settings (a standby needs max_connections and
    # max_wal_senders at least the primary's) on its own port and socket
    # folder; hot_standby_feedback keeps the primary's vacuum from cancelling
    # a list running on the replica.
    primary_options=$(sed -n 4p "$state")
    options="-p $port -k $dir ${primary_options#-p * -k * } -c hot_standby=on -c hot_standby_feedback=on -c fsync=off"
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$options" start >/dev/null ||
      { cat "$dir/server.log" >&2; exit 1; }
    for _ in $(seq 1 300); do
      "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U pingan -d postgres && break
      sleep 0.1
    done
    "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U pingan -d postgres || { cat "$dir/server.log" >&2; exit 1; }
    printf '%s\n%s\n%s\n%s\n' "$dir" "postgresql://pingan@127.0.0.1:$port/postgres" "$bindir" "$options" >"$replica_state"
    echo "pg-test-cluster: replica of $primary_url on 127.0.0.1:$port in $dir"
    ;;
  *) echo "usage: $0 start|stop|halt|resume STATE, or $0 replica STATE REPLICA_STATE" >&2; exit 2 ;;
esac
