#!/usr/bin/env bash
# Configures and builds pingan into build/ (RelWithDebInfo by default).
set -euo pipefail
cd "$(dirname "$0")/.."
build_type=${PINGAN_BUILD_TYPE:-RelWithDebInfo}
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="$build_type" >/dev/null
ninja -C build "$@"
