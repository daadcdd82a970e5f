#!/usr/bin/env bash
# Configures and builds pingan into build/ (RelWithDebInfo by default).
# Warnings are errors (the build has none; CI keeps it so); PINGAN_WERROR=0
# turns that off for another compiler. Always passed, so the cache follows it
# and start.sh, test.sh and bench.sh share one build/ without rebuilding.
set -euo pipefail
cd "$(dirname "$0")/.."
build_type=${PINGAN_BUILD_TYPE:-RelWithDebInfo}
werror=OFF
if [[ ${PINGAN_WERROR:-1} == 1 ]]; then werror=ON; fi
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$build_type" -DPINGAN_WERROR="$werror" >/dev/null
ninja -C build "$@"
