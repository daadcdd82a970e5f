#!/usr/bin/env bash
# Builds and runs the benchmarks (bench/<name>.cpp -> build/bench_<name>),
# after installing what they need: the Debian packages (install-deps.sh),
# Node.js for the DuckDB side of bench_analytics, and the pinned
# @duckdb/node-api (npm ci in bench/duckdb, from package-lock.json).
#
#   scripts/bench.sh                 every benchmark
#   scripts/bench.sh analytics       only bench_analytics (10 M incidents: ~10 min, ~3 GB of RAM, ~1.5 GB in /tmp)
#   scripts/bench.sh scale           only bench_scale (20 M incidents into PostgreSQL and SQLite, 1/2/4 servers:
#                                    ~1 h here, ~4 GB of RAM, ~25 GB in /tmp/pingan-scale; BENCH_ARGS="--incidents 2000000" for a short run)
#   scripts/bench.sh bulletin        only bench_bulletin (a quarter's bulletin of the demo district and of 10 M incidents,
#                                    Markdown and PDF, against SQL and a scan: ~2 min, ~3 GB of RAM)
#   BENCH_ARGS="--runs 50" scripts/bench.sh analytics   extra arguments for each benchmark run
#   PINGAN_SKIP_DEPS=1 PINGAN_BUILD_DIR=build-me scripts/bench.sh analytics
#
# Figures are printed; the README's Benchmarks table is a copy of one run.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${PINGAN_SKIP_DEPS:-0}" != 1 ]; then
  scripts/install-deps.sh
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "installing Node.js (the DuckDB side of bench_analytics runs on it)"
    if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
    "${sudo[@]}" apt-get update -q && "${sudo[@]}" apt-get install -y -q --no-install-recommends nodejs npm
  fi
  (cd bench/duckdb && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ $# -gt 0 ]; then
  names=("$@")
else
  names=()
  for src in bench/*.cpp; do names+=("$(basename "$src" .cpp)"); done
fi
targets=()
for n in "${names[@]}"; do
  [ -f "bench/$n.cpp" ] || { echo "no benchmark bench/$n.cpp" >&2; exit 1; }
  targets+=("bench_$n")
done

# Benchmarks are only meaningful optimised: RelWithDebInfo (-O2) unless told
# otherwise. PINGAN_BUILD_DIR picks another build folder (default build/).
build_dir=${PINGAN_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${PINGAN_BUILD_TYPE:-RelWithDebInfo}" >/dev/null
ninja -C "$build_dir" "${targets[@]}"
export PINGAN_SHARED_DATA=${PINGAN_SHARED_DATA:-$(cd .. && pwd)/shared/data}

status=0
for t in "${targets[@]}"; do
  echo
  echo "=== $t ==="
  # shellcheck disable=SC2086
  "$build_dir/$t" ${BENCH_ARGS:-} || status=$?
done
exit $status
