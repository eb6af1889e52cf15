#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the release build (including the
# full accuracy suite), the lint (scripts/lint.sh, one test), the ASan+UBSan build, each
# libFuzzer target for 30 s (clang build, scripts/fuzz.sh); with IOTAWATT_ARM set, the arm64
# and armhf cross builds' unit tests under qemu-user (scripts/test_arm.sh). Exits non-zero
# when any test fails; the last line sums them all as "tests: N passed, N failed", each fuzz target and the lint
# counting as one test.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
status=0
passed=0
failed=0

# Runs ctest in build dir $1 with the remaining arguments and adds its counts to the totals.
run_ctest() {
  local dir=$1
  shift
  local log
  log=$(mktemp)
  (cd "$dir" && ctest --output-on-failure "$@") 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local line
  line=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1)
  if [ -n "$line" ]; then
    local total fail
    fail=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
    total=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\2/' <<<"$line")
    passed=$((passed + total - fail))
    failed=$((failed + fail))
  else
    failed=$((failed + 1))  # ctest itself did not run
  fi
  rm -f "$log"
  [ "$rc" -eq 0 ] || status=1
}

# Runs a script ($2...) whose output ends with "$1: N passed, N failed" and adds those counts
# to the totals; a script that did not get as far as that line counts as one failure.
run_counted() {
  local name=$1
  shift
  local log
  log=$(mktemp)
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local line
  line=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed\$" "$log" | tail -1)
  if [ -n "$line" ]; then
    passed=$((passed + $(sed -E "s/^$name: ([0-9]+) passed.*/\1/" <<<"$line")))
    failed=$((failed + $(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$line")))
  else
    echo "test.sh: $name FAILED before its tests ran"; failed=$((failed + 1))
  fi
  rm -f "$log"
  [ "$rc" -eq 0 ] || status=1
}

echo "== release build"
if bash scripts/build.sh release; then
  run_ctest build --timeout 1800 -j 2
else
  echo "test.sh: release build FAILED"; status=1; failed=$((failed + 1))
fi

echo "== lint (clang-format, clang-tidy names)"
if bash scripts/lint.sh build; then
  passed=$((passed + 1))
else
  echo "test.sh: lint FAILED"; status=1; failed=$((failed + 1))
fi

echo "== ASan+UBSan build"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
if bash scripts/build.sh asan; then
  run_ctest build-asan --timeout 1800 -j 2 -LE slow
else
  echo "test.sh: ASan build FAILED"; status=1; failed=$((failed + 1))
fi

echo "== fuzzing (libFuzzer, 30 s per target)"
run_counted fuzz bash scripts/fuzz.sh 30

# Opt-in until the daemon answers under qemu (issue 15, part 5): IOTAWATT_ARM=arm64, armhf or
# all adds the cross builds' unit tests and the engine benchmark under qemu-user.
if [ -n "${IOTAWATT_ARM:-}" ]; then
  echo "== ARM: ${IOTAWATT_ARM} cross builds, unit tests and the engine benchmark under qemu-user"
  run_counted arm bash scripts/test_arm.sh "${IOTAWATT_ARM}"
fi

echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
