#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/*_fuzz.cc) with clang in build-fuzz/ and runs each for a
# bounded time. One line per target with its executions and result; the last line is
# "fuzz: N passed, N failed" (scripts/test.sh adds it to its totals). Exits non-zero when a
# target crashes, leaks, hangs or trips a sanitizer; the input that did it is kept in
# build-fuzz/crashes/<target>/ and named on the target's line.
#   scripts/fuzz.sh [seconds per target, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -gt 0 ]] || { echo "usage: scripts/fuzz.sh [seconds]" >&2; exit 2; }
dir=build-fuzz
max_len=16384   # a config.txt or a query string is far smaller; longer inputs only slow the search
unit_timeout=10 # seconds for one input: more is a hang
command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ not found (run scripts/setup.sh)" >&2; exit 2; }

CC=clang CXX=clang++ cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DIOTAWATT_FUZZ=ON -DIOTAWATT_BENCH=OFF >/dev/null
ninja -C "$dir" -j 2 fuzz_targets

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
symbolizer=$(command -v llvm-symbolizer || ls /usr/lib/llvm-*/bin/llvm-symbolizer 2>/dev/null | head -1 || true)
[ -n "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH=$symbolizer

# Runs target $1 for $seconds; prints its line; returns non-zero on a finding.
run_target() {
  local name=$1
  local exe=$dir/fuzz/$name corpus=$dir/corpus/$name crashes=$dir/crashes/$name log=$dir/logs/$name.log
  mkdir -p "$corpus" "$crashes" "$(dirname "$log")"
  local args=(-max_total_time="$seconds" -max_len="$max_len" -timeout="$unit_timeout" -rss_limit_mb=2048
              -print_final_stats=1 -artifact_prefix="$crashes/")
  [ -f "fuzz/$name.dict" ] && args+=(-dict="fuzz/$name.dict")
  # New inputs go to the first directory (build-fuzz, kept between runs); the seeds stay read-only.
  local seeds=()
  [ -d "fuzz/corpus/$name" ] && seeds+=("fuzz/corpus/$name")
  local rc=0
  # The outer timeout bounds a libFuzzer that stops responding; it never fires in a normal run.
  timeout --kill-after=10 $((seconds + 120)) "$exe" "${args[@]}" "$corpus" "${seeds[@]}" >"$log" 2>&1 || rc=$?
  local runs
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || true)
  [ -n "$runs" ] || runs=$(grep -oE '^Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' | tail -1 || true)
  if [ "$rc" -eq 0 ]; then
    echo "fuzz: $name: ok, ${runs:-?} executions in ${seconds} s, corpus $(ls "$corpus" | wc -l) inputs"
    return 0
  fi
  local unit
  unit=$(grep -oE "Test unit written to [^ ]+" "$log" | awk '{print $NF}' | tail -1 || true)
  local what
  what=$(grep -m1 -oE 'ERROR: [A-Za-z]+Sanitizer: [^ ]+|ERROR: libFuzzer: [a-z-]+|runtime error: .*|[a-z_]+_fuzz: .*' "$log" || true)
  echo "fuzz: $name: FAILED (exit $rc) after ${runs:-?} executions: ${what:-see $log}; input kept in ${unit:-$crashes}; log $log"
  return 1
}

passed=0
failed=0
for src in fuzz/*_fuzz.cc; do
  name=$(basename "$src" .cc)
  if run_target "$name"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "fuzz: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
