# Shared part of the ARM cross toolchains (toolchain-arm64.cmake, toolchain-armhf.cmake):
# Debian's cross compiler for IOTAWATT_TRIPLE, the multiarch libraries installed by
# scripts/setup_cross.sh (/usr/lib/<triple>), and qemu-user as the emulator that runs what
# the build made (ctest, gtest_discover_tests). The caller sets IOTAWATT_TRIPLE,
# CMAKE_SYSTEM_PROCESSOR and IOTAWATT_QEMU before including this file.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_C_COMPILER ${IOTAWATT_TRIPLE}-gcc-12)
set(CMAKE_CXX_COMPILER ${IOTAWATT_TRIPLE}-g++-12)
set(CMAKE_LIBRARY_ARCHITECTURE ${IOTAWATT_TRIPLE})

# The cross compiler's own sysroot (libc, libstdc++) and the host root for the multiarch
# packages' headers and /usr/lib/<triple> libraries.
set(CMAKE_FIND_ROOT_PATH /usr/${IOTAWATT_TRIPLE} /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config sees only the target's .pc files (and the arch-independent ones).
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/${IOTAWATT_TRIPLE}/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")

# libcctz-dev cannot be installed for two architectures at once (not Multi-Arch: same):
# its headers come from the amd64 package and the library from libcctz2:<arch>.
set(CCTZ_LIBRARY /usr/lib/${IOTAWATT_TRIPLE}/libcctz.so.2 CACHE FILEPATH "cctz for ${IOTAWATT_TRIPLE}")

# Everything the build runs (tests, test discovery) goes through qemu-user, without binfmt_misc.
# No -L: the ARM loader and libc are the multiarch ones (libc6:<arch>, /lib/<triple>), the same
# as every other library the program loads. With -L /usr/<triple> the cross toolchain's loader
# ran beside the multiarch libc and the first pthread_create never returned (qemu 7.2, glibc
# 2.36: a 3-line program with one std::thread hangs that way and runs without -L).
set(CMAKE_CROSSCOMPILING_EMULATOR ${IOTAWATT_QEMU})
