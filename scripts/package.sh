#!/usr/bin/env bash
# Builds the Debian package(s) with dpkg-buildpackage from a copy of the working tree.
#   scripts/package.sh              amd64 (the build machine's architecture)
#   scripts/package.sh arm64 armhf  cross-built (needs crossbuild-essential-<arch> and the
#                                   :<arch> -dev packages of debian/control)
# Output: build-deb/iotawatt_<version>_<arch>.deb (and .buildinfo/.changes).
# Tests are not run here (DEB_BUILD_OPTIONS=nocheck); scripts/package_test.sh installs and
# exercises the amd64 package.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/build-deb"
version=$(dpkg-parsechangelog -S Version)
host_arch=$(dpkg-architecture -qDEB_HOST_ARCH)
arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=("$host_arch")

if [ ! -f web/node_modules/uplot/dist/uPlot.esm.js ]; then
  echo "package.sh: web/node_modules/uplot is missing: run scripts/setup.sh" >&2
  exit 1
fi

# dpkg-buildpackage writes beside the source tree and into debian/: it builds in a copy, at a
# fixed path so that ccache finds the same compile commands the next time.
src="$out/iotawatt-$version"
mkdir -p "$out"
rm -rf "$src"
mkdir -p "$src"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
  if [ -f "$f" ] && [[ "$f" != web/node_modules/* ]]; then printf '%s\0' "$f"; fi
done | xargs -0 cp --parents -t "$src"
mkdir -p "$src/web/node_modules/uplot"
cp -r web/node_modules/uplot/dist web/node_modules/uplot/LICENSE "$src/web/node_modules/uplot/"

# noautodbgsym: compressing the debug symbols package costs minutes, and nothing installs it.
export DEB_BUILD_OPTIONS="nocheck noautodbgsym ${DEB_BUILD_OPTIONS:-}"
# ccache: debhelper (compat 13) runs the build with HOME set to a directory inside debian/, so
# ccache's default cache (~/.cache/ccache) would be a new, empty one each time, which
# package.sh then deletes with the copy: every package build was a full compile (928 s in CI's
# debian_package test). The cache is named here, before dpkg-buildpackage changes HOME. The
# base directory makes the compile commands relative to build-deb/, so a clone at another
# path hits the same entries (-ffile-prefix-map's path included; NOHASHDIR: the working
# directory, obj-<triplet>, is not hashed).
if command -v ccache >/dev/null 2>&1 && [ -z "${CCACHE_DISABLE:-}" ]; then
  CCACHE_DIR=${CCACHE_DIR:-$(ccache -k cache_dir)}
  export IOTAWATT_CCACHE=1 CCACHE_DIR CCACHE_BASEDIR="$out" CCACHE_NOHASHDIR=1
fi
export DEB_BUILD_OPTIONS="$DEB_BUILD_OPTIONS parallel=$(nproc)"

for arch in "${arches[@]}"; do
  echo "== package.sh: iotawatt $version for $arch"
  flags=(-b -us -uc -Pnocheck)
  [ "$arch" = "$host_arch" ] || flags=(-b -us -uc -a "$arch" -Pcross,nocheck)
  (cd "$src" && dpkg-buildpackage "${flags[@]}")
  ls -l "$out/iotawatt_${version}_${arch}.deb"
done
rm -rf "$src"
