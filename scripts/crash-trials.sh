#!/usr/bin/env bash
# Crash trials (issue 16): builds pingan and bench_crash_trials
# (scripts/build.sh, into build/) and runs them. `pingan serve` is killed
# with SIGKILL at random moments while client threads create incidents, move
# them through their life and dispatch patrol units; after each kill it is
# started again on the same database and every acknowledged write is looked
# for over the HTTP API. Exits non-zero if one is lost, or if a patrol unit's
# record disagrees with its incident's after a restart (half-updated:
# bench/crash_trials/verify.h).
#
#   scripts/crash-trials.sh               100 trials (about 3 minutes)
#   scripts/crash-trials.sh 20            20 trials
#   CRASH_ARGS="--seed 42 --clients 8" scripts/crash-trials.sh
#   PINGAN_SKIP_DEPS=1 PINGAN_BUILD_DIR=build-me scripts/crash-trials.sh
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${1:-100}
if [ "${PINGAN_SKIP_DEPS:-0}" != 1 ]; then scripts/install-deps.sh; fi
build_dir=${PINGAN_BUILD_DIR:-build}
if [ "$build_dir" = build ]; then
  scripts/build.sh pingan bench_crash_trials
else
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE="${PINGAN_BUILD_TYPE:-RelWithDebInfo}" >/dev/null
  ninja -C "$build_dir" pingan bench_crash_trials
fi
# shellcheck disable=SC2086
exec "$build_dir/bench_crash_trials" --pingan "$build_dir/pingan" --trials "$trials" ${CRASH_ARGS:-}
