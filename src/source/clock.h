// The time base of hardware sources: a monotonic nanosecond counter, injected so tests (and
// the emulated ADC) can drive time deterministically.
#pragma once

#include <cstdint>
#include <functional>

namespace iw::source {

using NanoClock = std::function<int64_t()>;

// CLOCK_MONOTONIC in nanoseconds: the default NanoClock.
int64_t monotonic_now_ns();
// CLOCK_REALTIME (UNIX time) in nanoseconds: what the datalog's record times are on.
int64_t unix_now_ns();

// How far a UNIX-anchored clock may drift from the system clock before it is anchored again:
// further than this, the system clock was set (NTP after a boot without a real-time clock).
inline constexpr int64_t kReanchorAfterNs = 1'000'000'000;

}  // namespace iw::source
