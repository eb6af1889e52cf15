# Cross build for 64-bit ARM (Raspberry Pi 3/4/5 with a 64-bit OS): scripts/test_arm.sh arm64.
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(IOTAWATT_TRIPLE aarch64-linux-gnu)
set(IOTAWATT_QEMU qemu-aarch64-static)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-common.cmake)
