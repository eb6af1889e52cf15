#!/usr/bin/env bash
# Builds the Debian package(s) with dpkg-buildpackage from a copy of the working tree.
#   scripts/package.sh              amd64 (the build machine's architecture)
#   scripts/package.sh arm64 armhf  cross-built with crossbuild-essential-<arch> and the :<arch>
#                                   -dev packages of debian/control (scripts/setup_cross.sh
#                                   installs what is missing)
#   scripts/package.sh all          amd64, arm64 and armhf
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
[ "${arches[*]}" != all ] || arches=(amd64 arm64 armhf)
for arch in "${arches[@]}"; do
  case "$arch" in
    "$host_arch") ;;
    arm64 | armhf) bash scripts/setup_cross.sh "$arch" ;;
    *) echo "package.sh: unknown architecture '$arch' ($host_arch, arm64, armhf or all)" >&2; exit 2 ;;
  esac
done

if [ ! -f web/node_modules/uplot/dist/uPlot.esm.js ]; then
  echo "package.sh: web/node_modules/uplot is missing: run scripts/setup.sh" >&2
  exit 1
fi

# dpkg-buildpackage writes beside the source tree and into debian/: it builds in a copy, one per
# architecture (build-deb/<arch>/iotawatt-<version>), so that two architectures can build at
# once, and a lock keeps a second build of the same architecture out of it. The path is fixed
# so that ccache finds the same compile commands the next time.
mkdir -p "$out"
copy_tree() {  # copy_tree DIR: the working tree's files (tracked or not ignored) and uPlot
  rm -rf "$1"
  mkdir -p "$1"
  git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
    if [ -f "$f" ] && [[ "$f" != web/node_modules/* ]]; then printf '%s\0' "$f"; fi
  done | xargs -0 cp --parents -t "$1"
  mkdir -p "$1/web/node_modules/uplot"
  cp -r web/node_modules/uplot/dist web/node_modules/uplot/LICENSE "$1/web/node_modules/uplot/"
}

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
  mkdir -p "$out/$arch"
  exec 9>"$out/$arch/.lock"
  flock 9
  src="$out/$arch/iotawatt-$version"
  copy_tree "$src"
  flags=(-b -us -uc -Pnocheck)
  [ "$arch" = "$host_arch" ] || flags=(-b -us -uc -a "$arch" -Pcross,nocheck)
  (cd "$src" && dpkg-buildpackage "${flags[@]}")
  mv -f "$out/$arch/iotawatt_${version}_${arch}".{deb,buildinfo,changes} "$out/"
  rm -rf "$src"
  exec 9>&-
  ls -l "$out/iotawatt_${version}_${arch}.deb"
done
