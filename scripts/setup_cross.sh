#!/usr/bin/env bash
# Installs what the ARM cross builds and their tests under emulation need (scripts/test_arm.sh):
# Debian's cross compilers, qemu-user-static, and the arm64/armhf builds of the libraries
# iotawatt links, as multiarch packages beside the amd64 ones.
#   scripts/setup_cross.sh [arm64|armhf|all]     (default all)
# Idempotent: packages already present are left alone. Run as root (or with sudo).
#
# binfmt-support is not installed: the tests run every ARM binary through qemu-*-static
# explicitly (CMAKE_CROSSCOMPILING_EMULATOR, and IOTAWATT_EMULATOR for the binaries the tests
# start themselves), so nothing depends on the kernel's binfmt_misc, which a container or a
# CI machine often cannot register.
#
# Multiarch conflicts (Debian 12): libcctz-dev is not "Multi-Arch: same", so its arm64 and
# armhf builds cannot be installed beside the amd64 one (they share /usr/include/cctz).
# The headers are the same on every architecture, so the cross builds use the amd64
# package's headers and link the ARM runtime library libcctz2:<arch> by its file name
# (cmake/toolchain-common.cmake sets CCTZ_LIBRARY).
set -euo pipefail

arches=()
case "${1:-all}" in
  arm64 | armhf) arches=("$1") ;;
  all) arches=(arm64 armhf) ;;
  *) echo "setup_cross.sh: unknown architecture '$1' (arm64, armhf or all)" >&2; exit 2 ;;
esac

# The libraries the cross builds link, per architecture (the arch-independent headers,
# nlohmann-json3-dev and libcli11-dev, come from scripts/setup.sh).
LIBS=(
  libgtest-dev libgmock-dev libbenchmark-dev
  libspdlog-dev libfmt-dev libboost-dev libcpp-httplib-dev
  libssl-dev libcurl4-openssl-dev libmosquitto-dev zlib1g-dev
  libsystemd-dev  # sd_notify (main since the packaging merge)
  libcctz2   # not libcctz-dev: see the note on multiarch conflicts above
  pkgconf    # <triple>-pkg-config, which debhelper's cross builds run (scripts/package.sh)
)
declare -A GNU=([arm64]=aarch64-linux-gnu [armhf]=arm-linux-gnueabihf)

wanted=(qemu-user-static nlohmann-json3-dev libcli11-dev libcctz-dev)
for a in "${arches[@]}"; do
  if ! dpkg --print-foreign-architectures | grep -qx "$a"; then
    echo "setup_cross: dpkg --add-architecture $a"
    if [ "$(id -u)" -eq 0 ]; then dpkg --add-architecture "$a"; else sudo dpkg --add-architecture "$a"; fi
  fi
  wanted+=("crossbuild-essential-$a" "g++-12-${GNU[$a]}")
  for p in "${LIBS[@]}"; do wanted+=("$p:$a"); done
done

# shellcheck source=scripts/apt_install_missing.sh
source "$(dirname "$0")/apt_install_missing.sh"
apt_install_missing setup_cross "${wanted[@]}"
