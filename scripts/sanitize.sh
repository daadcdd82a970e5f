#!/usr/bin/env bash
# Builds the tests with AddressSanitizer and UndefinedBehaviorSanitizer (g++,
# PINGAN_SANITIZE=ON) into build-asan/ and runs every test there (ctest).
# The first report of either sanitizer stops the test that made it, so a
# memory error or undefined behaviour fails the run instead of scrolling by.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=$root/build-asan

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR=$root CCACHE_NOHASHDIR=true
fi
# Warnings are not errors here: the instrumented code makes g++ 12 warn
# falsely in Boost.Beast's headers (-Wmaybe-uninitialized); scripts/build.sh
# keeps the build free of warnings.
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPINGAN_SANITIZE=ON \
  -DPINGAN_WERROR=OFF "${launcher[@]}" >/dev/null
# The tests and the `pingan` binary they spawn; the benchmarks are not run here.
ninja -C "$build" pingan_tests

export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export PINGAN_SHARED_DATA=${PINGAN_SHARED_DATA:-$(cd .. && pwd)/shared/data}
ctest --test-dir "$build" --output-on-failure -j2 --timeout 900
