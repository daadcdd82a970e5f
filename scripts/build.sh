#!/usr/bin/env bash
# Configures and builds pingan into build/ (RelWithDebInfo by default).
# PINGAN_WERROR=1 (scripts/test.sh, CI) makes warnings errors; always passed so the cache follows it.
set -euo pipefail
cd "$(dirname "$0")/.."
build_type=${PINGAN_BUILD_TYPE:-RelWithDebInfo}
werror=OFF
if [[ ${PINGAN_WERROR:-0} == 1 ]]; then werror=ON; fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$build_type" -DPINGAN_WERROR="$werror" >/dev/null
ninja -C build "$@"
