// The version and architecture of this build, as /status, /metrics and the updater report them.
#pragma once

#include <string>

namespace iw::app {

// Reported as stats.version in /status.
inline constexpr const char* kVersion = "0.1.0";

// Debian's name of the architecture this program was built for (amd64, arm64, armhf): the
// bundle the updater downloads.
inline constexpr const char* kArch = IOTAWATT_ARCH;

// kVersion, or IOTAWATT_TEST_VERSION from the environment when it is a valid version: the
// updater's end-to-end tests run this build as two versions. Read once.
const std::string& running_version();

}  // namespace iw::app
