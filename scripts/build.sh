#!/usr/bin/env bash
# Configures and builds one variant of iotawatt.
#   scripts/build.sh            release build in build/
#   scripts/build.sh asan       ASan+UBSan build in build-asan/ (tests only, no benchmarks)
set -euo pipefail
cd "$(dirname "$0")/.."
variant=${1:-release}
jobs=$(nproc)
case "$variant" in
  release) dir=build; flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
  asan)    dir=build-asan; flags=(-DCMAKE_BUILD_TYPE=Debug -DIOTAWATT_SANITIZE=ON -DIOTAWATT_BENCH=OFF) ;;
  *) echo "build.sh: unknown variant '$variant' (release or asan)" >&2; exit 2 ;;
esac
# ccache (when installed) keeps compiled objects between builds and work trees.
if command -v ccache >/dev/null 2>&1; then
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(cd .. && pwd)} CCACHE_NOHASHDIR=1
  flags+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S . -B "$dir" -G Ninja "${flags[@]}" >/dev/null
ninja -C "$dir" -j "$jobs"
