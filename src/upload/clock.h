// The engine's time base for schedules and retries: a monotonic millisecond counter,
// injected so tests run hours of backoff in no time. Which intervals exist is decided by the
// datalog, never by this clock (with --speed the log runs ahead of the wall clock).
#pragma once

#include <chrono>
#include <cstdint>

namespace iw::upload {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now_ms() const = 0;
};

class SteadyClock final : public Clock {
 public:
  int64_t now_ms() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace iw::upload
