#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: the release build (including the
# accuracy suite) and the ASan+UBSan build. Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
status=0

echo "== release build"
bash scripts/build.sh release
(cd build && ctest --output-on-failure --timeout 1200 -j 2) || status=1

echo "== ASan+UBSan build"
bash scripts/build.sh asan
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build-asan && ctest --output-on-failure --timeout 1800 -j 2 -LE slow) || status=1

if [ "$status" -ne 0 ]; then echo "test.sh: FAILED"; else echo "test.sh: all tests passed"; fi
exit "$status"
