#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ (clang 14, ASan + UBSan, PINGAN_FUZZ
# in cmake/fuzz.cmake) into build-fuzz/ and runs each for a bounded time on
# a copy of its seed corpus (fuzz/corpus/<name>/, never grown by this
# script). Prints per target the executions per second, the executions and
# the crashes; any crash, leak, timeout or sanitizer report fails the script
# and names the reproducer, kept in build-fuzz/artifacts/<name>/.
#
#   scripts/fuzz.sh                      # every target, PINGAN_FUZZ_SECONDS each (default 20)
#   scripts/fuzz.sh import_slo time      # only these targets
#   PINGAN_FUZZ_SECONDS=600 scripts/fuzz.sh import_slo
#   PINGAN_FUZZ_JOBS=1 scripts/fuzz.sh     # one target at a time (default: 2 at once)
#
# Replay a reproducer: build-fuzz/<name>_fuzz build-fuzz/artifacts/<name>/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${PINGAN_FUZZ_BUILD:-$root/build-fuzz}
seconds=${PINGAN_FUZZ_SECONDS:-20}

# ccache when present; paths relative to the tree, so another checkout hits too.
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR=$root CCACHE_NOHASHDIR=true
fi
# Warnings are errors for g++ (scripts/build.sh); clang 14 has warnings of its
# own in code it did not write, so this build does not stop on them.
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DPINGAN_FUZZ=ON -DPINGAN_WERROR=OFF "${launcher[@]}" >/dev/null
ninja -C "$build" pingan_fuzz

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for src in fuzz/*_fuzz.cpp; do
    name=$(basename "$src" _fuzz.cpp)
    targets+=("$name")
  done
fi

work=$(mktemp -d /tmp/pingan-fuzz-run-XXXXXX)
trap 'rm -rf "$work"' EXIT
# UBSan aborts on its first report (-fno-sanitize-recover=all); say where.
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1
if command -v llvm-symbolizer-14 >/dev/null; then export ASAN_SYMBOLIZER_PATH=$(command -v llvm-symbolizer-14); fi

# Runs one target; its log and exit code land in build-fuzz/logs/.
fuzz_one() {
  local name=$1 binary=$build/${1}_fuzz corpus=$work/corpus/$1 artifacts=$build/artifacts/$1
  local log=$build/logs/$1.log dict=() rc=0
  mkdir -p "$corpus" "$artifacts" "$build/logs"
  if [ -d "fuzz/corpus/$name" ]; then cp -R "fuzz/corpus/$name/." "$corpus/"; fi
  if [ -f "fuzz/$name.dict" ]; then dict=(-dict="fuzz/$name.dict"); fi
  # -timeout: one input taking longer than this is a finding too (a hang).
  "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "${dict[@]}" "$corpus" >"$log" 2>&1 || rc=$?
  echo "$rc" >"$log.rc"
}

# PINGAN_FUZZ_JOBS targets at a time (default 2, the machine's cores).
jobs=${PINGAN_FUZZ_JOBS:-2}
failures=0
for name in "${targets[@]}"; do
  if [ ! -x "$build/${name}_fuzz" ]; then
    echo "no fuzz target '$name' (fuzz/${name}_fuzz.cpp)" >&2
    exit 1
  fi
  rm -f "$build/logs/$name.log.rc"
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  fuzz_one "$name" &
done
wait

printf '%-20s %10s %12s %8s\n' target 'exec/s' executions crashes
for name in "${targets[@]}"; do
  log=$build/logs/$name.log
  rc=$(cat "$log.rc" 2>/dev/null || echo 1)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  reproducers=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log")
  crashes=0
  if [ "$rc" -ne 0 ] || [ -n "$reproducers" ] || grep -q -E 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' "$log"; then
    crashes=1
    failures=$((failures + 1))
  fi
  printf '%-20s %10s %12s %8s\n' "$name" "${rate:-?}" "${runs:-?}" "$crashes"
  if [ "$crashes" -ne 0 ]; then
    echo "  FAILED (exit $rc); log: $log" >&2
    grep -m1 -E 'ERROR: |runtime error:|fuzz check failed|uncaught exception|deadly signal|timeout' "$log" | sed 's/^/  /' >&2 || true
    for r in $reproducers; do echo "  reproducer: $r (replay: build-fuzz/${name}_fuzz $r)" >&2; done
  fi
done
echo "fuzz targets run ${seconds} s each; crashing targets fail"
echo "fuzz: $((${#targets[@]} - failures)) passed, $failures failed"
if [ "$failures" -ne 0 ]; then exit 1; fi
