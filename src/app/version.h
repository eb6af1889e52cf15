#pragma once

namespace iw::app {
// Reported as stats.version in /status.
inline constexpr const char* kVersion = "0.1.0";
}  // namespace iw::app
