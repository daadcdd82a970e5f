#!/usr/bin/env bash
# One command from a fresh machine to a running pingan: installs the
# dependencies, builds pingan and its web UI, writes a fresh SQLite database holding the demo
# district and its demo users (one of every role), serves
# http://127.0.0.1:8080 (override with PINGAN_PORT) and prints how to sign in.
#
#   scripts/start.sh
#   PINGAN_DB=/tmp/try.db PINGAN_PORT=8090 scripts/start.sh
#   PINGAN_SKIP_DEPS=1 PINGAN_BUILD_DIR=build-me scripts/start.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${PINGAN_SKIP_DEPS:-0}" != 1 ]; then scripts/install-deps.sh; fi
build_dir=${PINGAN_BUILD_DIR:-build}
if [ "$build_dir" = build ]; then
  scripts/build.sh pingan
else
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${PINGAN_BUILD_TYPE:-RelWithDebInfo}" >/dev/null
  ninja -C "$build_dir" pingan
fi
# The web UI (web/dist); serve answers the API alone if this step is skipped.
if [ "${PINGAN_SKIP_WEB:-0}" != 1 ]; then scripts/build-web.sh; fi
mkdir -p var
db=${PINGAN_DB:-var/pingan.db}
port=${PINGAN_PORT:-8080}
rm -f "$db" "$db-wal" "$db-shm"
# The demo prints its users' passwords once: kept (readable by this user
# only) to be shown again once the server listens.
umask 077
demo_out=$(mktemp)
trap 'rm -f "$demo_out"' EXIT
"$build_dir/pingan" demo --db "$db" | tee "$demo_out"

"$build_dir/pingan" serve --db "$db" --port "$port" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server"; rm -f "$demo_out"' INT TERM
for _ in $(seq 600); do
  curl -fs "http://127.0.0.1:$port/api/health" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { wait "$server"; exit $?; }
  sleep 0.2
done

password=$(awk '$1 == "demo-command" { print $NF }' "$demo_out")
cat <<TEXT

== The web UI: open http://127.0.0.1:$port/ and sign in as one of the demo users below ==
== Signing in (every route but /api/health and /api/openapi.json asks for it) ==
$(sed -n '/^demo users (/,/^  pat_/p' "$demo_out")

With curl, sign in once and keep the session cookie in a jar:
  curl -c jar -H 'Content-Type: application/json' \\
       -d '{"username":"demo-command","password":"$password"}' http://127.0.0.1:$port/api/auth/login
  curl -b jar 'http://127.0.0.1:$port/api/incidents?limit=3'
Writes with the cookie also send the X-CSRF-Token header the login answered with (README, "Try the API").
A machine client sends the API token instead: curl -H 'Authorization: Bearer pat_...' ...
Stop the server with Ctrl-C.
TEXT
wait "$server"
