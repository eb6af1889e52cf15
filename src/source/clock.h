// The time base of hardware sources: a monotonic nanosecond counter, injected so tests (and
// the emulated ADC) can drive time deterministically.
#pragma once

#include <cstdint>
#include <functional>

namespace iw::source {

using NanoClock = std::function<int64_t()>;

// CLOCK_MONOTONIC in nanoseconds: the default NanoClock.
int64_t monotonic_now_ns();

}  // namespace iw::source
