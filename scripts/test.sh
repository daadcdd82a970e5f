#!/usr/bin/env bash
# Runs every test from a fresh machine: installs the dependencies, builds
# everything (pingan and its web UI), then runs the unit, integration and
# real-data tests (ctest), the web UI's tests in Debian's chromium
# (web/tests, screenshots into var/screenshots) and every fuzz target for PINGAN_FUZZ_SECONDS (10 here) under ASan and
# UBSan (scripts/fuzz.sh, a clang build of its own in build-fuzz/).
# Real datasets are read from ../shared/data (or $PINGAN_SHARED_DATA); a
# missing dataset fails its tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/lint-openapi.sh  # docs/openapi.json under Redocly's recommended rules: 0 errors (issue 17)
export PINGAN_WERROR=1  # warnings are errors here, so CI keeps the build free of them
scripts/build.sh
scripts/build-web.sh
export PINGAN_SHARED_DATA=${PINGAN_SHARED_DATA:-$(cd .. && pwd)/shared/data}
ctest --test-dir build --output-on-failure -j2 --timeout 600
# The web UI end to end in a real browser against a real server (README, "The web UI").
(cd web && PINGAN_BIN=../build/pingan node --test --test-concurrency=1 tests/zh.test.mjs tests/e2e.test.mjs tests/ledger-dashboard.test.mjs tests/bulletin.test.mjs tests/cases.test.mjs)
# Every fuzz target, 10 s each, two at a time: executions per second and 0
# crashes, or the run fails naming the reproducer (README, "Fuzzing").
PINGAN_FUZZ_SECONDS=${PINGAN_FUZZ_SECONDS:-10} scripts/fuzz.sh
