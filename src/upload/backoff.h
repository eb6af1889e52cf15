// Exponential backoff with jitter for transient failures: the n-th consecutive failure waits
// a random time in [d/2, d] with d = min(max, min * 2^(n-1)), so many devices that lost the
// same server do not come back in step.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>

namespace iw::upload {

class Backoff {
 public:
  Backoff(int64_t min_ms, int64_t max_ms, uint64_t seed) : min_ms_(min_ms), max_ms_(max_ms), rng_(seed) {}

  // The wait after one more failure.
  int64_t next_ms() {
    int64_t d = min_ms_;
    for (int i = 0; i < failures_ && d < max_ms_; ++i) d *= 2;
    d = std::min(d, max_ms_);
    ++failures_;
    std::uniform_int_distribution<int64_t> pick(d / 2, d);
    return pick(rng_);
  }
  void reset() { failures_ = 0; }
  int failures() const { return failures_; }
  int64_t max_ms() const { return max_ms_; }

 private:
  int64_t min_ms_, max_ms_;
  int failures_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace iw::upload
