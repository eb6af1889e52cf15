# Cross build for 32-bit ARM hard-float (Raspberry Pi OS 32-bit, ARMv7): scripts/test_arm.sh armhf.
# Debian 12's armhf has a 32-bit time_t, long and size_t.
set(CMAKE_SYSTEM_PROCESSOR arm)
set(IOTAWATT_TRIPLE arm-linux-gnueabihf)
set(IOTAWATT_QEMU qemu-arm-static)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-common.cmake)
