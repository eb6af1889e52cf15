#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the release build (including the
# full accuracy suite), the lint (scripts/lint.sh, one test), the ASan+UBSan build, each
# libFuzzer target for 30 s (clang build, scripts/fuzz.sh); then, while they fit in CI's time
# budget (below), the arm64 and armhf packages with all three checked, and the ARM unit tests
# under qemu-user (scripts/test_arm.sh; always with IOTAWATT_ARM set). Exits non-zero
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

# CI's budget for .ci/run is 60 minutes on the 2-core machine (the hard limit is 90). The stages
# below come after the ones that must always run and are added only while they fit: each names
# its cost with a cold ccache (measured; README, "CI stages and their cost") and starts when
# the time used so far plus that cost stays within IOTAWATT_CI_BUDGET_S (default 3300 s, five
# minutes kept in reserve). A stage left out says so and counts as neither passed nor failed.
budget=${IOTAWATT_CI_BUDGET_S:-3300}
fits() {  # fits NAME COST_S
  local left=$((budget - SECONDS))
  [ "$2" -le "$left" ] && return 0
  echo "test.sh: stage '$1' left out: it may cost $2 s, and $left s of the ${budget} s budget are left"
  return 1
}

# The arm64 and armhf packages (cross-built by dpkg-buildpackage) and all three checked without
# installing them: lintian, Depends, contents, the program's ELF architecture. The amd64 one is
# built, installed and run by the release run's debian_package test (as root); it is built here
# when that test did not (not root).
version=$(dpkg-parsechangelog -S Version)
if fits "packages" "${IOTAWATT_PACKAGES_COST_S:-1200}"; then
  echo "== packages: arm64 and armhf cross-built, all three checked (lintian, Depends, contents, ELF)"
  arches=(arm64 armhf)
  [ -f "build-deb/iotawatt_${version}_amd64.deb" ] || arches=(amd64 "${arches[@]}")
  run_counted packages bash -c "bash scripts/package.sh ${arches[*]} && bash scripts/package_check.sh build-deb/iotawatt_${version}_{amd64,arm64,armhf}.deb"
fi

# The ARM unit tests under qemu-user (scripts/test_arm.sh). IOTAWATT_ARM runs what it names
# whatever the budget ("all", "arm64", "armhf", each optionally followed by "core"). Without
# it, the core tests (label core: no daemon, no peer) of armhf, then of arm64, each when it
# fits: every unit test of one architecture, cold, costs more than a cold run leaves (README).
if [ -n "${IOTAWATT_ARM:-}" ]; then
  echo "== ARM: ${IOTAWATT_ARM}: cross build, unit tests and the engine benchmark under qemu-user"
  # shellcheck disable=SC2086  # "armhf core": two words
  run_counted arm bash scripts/test_arm.sh ${IOTAWATT_ARM}
else
  for arch in armhf arm64; do
    if fits "ARM $arch core" "${IOTAWATT_ARM_CORE_COST_S:-900}"; then
      echo "== ARM: $arch cross build, core unit tests and the engine benchmark under qemu-user"
      run_counted arm bash scripts/test_arm.sh "$arch" core
    fi
  done
fi
echo "test.sh: ${SECONDS} s in all"

echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
