#!/usr/bin/env bash
# Checks built packages without installing them, for any architecture: lintian (errors and
# warnings fail, overrides in debian/ explain themselves), the control fields (the name's
# architecture, Depends resolved from the shared libraries), the files they hold, and that the
# program is built for the package's architecture (`file`).
#   scripts/package_check.sh build-deb/iotawatt_0.1.0_arm64.deb ...
# Prints "packages: N passed, N failed"; exits non-zero when a check fails.
# scripts/package_test.sh goes further for the build machine's package (installs and runs it).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=scripts/checks.sh
source scripts/checks.sh

# What `file` says of an ELF program of each architecture.
declare -A ELF=([amd64]="ELF 64-bit LSB .*x86-64" [arm64]="ELF 64-bit LSB .*ARM aarch64" [armhf]="ELF 32-bit LSB .*ARM, EABI5")
# Runtime packages that ${shlibs:Depends} must name: those of the libraries the program links.
LIBS=(libc6 libstdc++6 libgcc-s1 libssl3 libcurl4 libsystemd0 libcctz2 libmosquitto1 libfmt9 libspdlog1.10-fmt9 zlib1g)
FILES=(./usr/bin/iotawatt ./usr/share/iotawatt/web/index.html
  ./usr/share/iotawatt/web/node_modules/uplot/dist/uPlot.esm.js ./usr/share/iotawatt/examples/simulator-custom.json
  ./etc/iotawatt/config.json ./lib/systemd/system/iotawatt.service ./usr/share/man/man1/iotawatt.1.gz
  ./usr/share/doc/iotawatt/copyright)

for deb in "$@"; do
  name=$(basename "$deb")
  check "$name built" test -f "$deb" || continue
  arch=$(dpkg-deb -f "$deb" Architecture)
  check "$name: Architecture $arch, as its name says" \
    test "$name" = "iotawatt_$(dpkg-deb -f "$deb" Version)_${arch}.deb"
  depends=$(dpkg-deb -f "$deb" Depends)
  echo "$name Depends: $depends"
  names=$(sed -E 's/ \([^)]*\)//g; s/, /\n/g' <<<"$depends")  # one package name a line
  for lib in "${LIBS[@]}"; do
    check "$name depends on $lib" grep -qxF "$lib" <<<"$names"
  done
  contents=$(dpkg-deb -c "$deb")
  for path in "${FILES[@]}"; do
    check "$name holds $path" grep -q " ${path}\$" <<<"$contents"
  done
  tmp=$(mktemp -d)
  dpkg-deb -x "$deb" "$tmp"
  program=$(file -b "$tmp/usr/bin/iotawatt")
  # The web app's directory comes from the install prefix, never from the build machine's
  # source tree (src/CMakeLists.txt, IOTAWATT_SOURCE_WEB_DIR).
  check "$name: no source tree's web/ path in the program" \
    bash -c '! strings -a "$1" | grep -E "^/.*/web\$"' _ "$tmp/usr/bin/iotawatt"
  rm -rf "$tmp"
  echo "$name usr/bin/iotawatt: $program"
  check "$name: the program is ${ELF[$arch]:-?}, stripped" \
    grep -qE "${ELF[$arch]:-unknown architecture}.*, stripped" <<<"$program"
  check_lintian "$deb"
done
echo "packages: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
