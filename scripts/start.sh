#!/usr/bin/env bash
# One command from a fresh machine to a running pingan: installs the
# dependencies, builds, writes a fresh SQLite database holding the demo
# district and serves http://127.0.0.1:8080 (override with PINGAN_PORT).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh pingan
mkdir -p var
db=${PINGAN_DB:-var/pingan.db}
rm -f "$db" "$db-wal" "$db-shm"
build/pingan demo --db "$db"
exec build/pingan serve --db "$db" --port "${PINGAN_PORT:-8080}"
