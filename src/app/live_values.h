// Live values for /status, averaged from the counters of two checkpoints (one second apart)
// and damped like the original: a new average within +-2 % of the shown value moves it a
// quarter of the way; a larger change shows at once.
#pragma once

#include <cstdint>
#include <vector>

#include "calc/live_operands.h"
#include "measure/bucket.h"

namespace iw::app {

// A damped live value of one channel is what a script reads live.
using LiveValue = calc::LiveInput;

inline double power_factor(const LiveValue& v) { return v.va > 0 ? v.watts / v.va : 0; }

// Averages of `now` minus `before` over the monitored time between them. Import minus export
// gives signed watts. Zero when no time was monitored.
LiveValue average(const measure::ChannelCounters& before, const measure::ChannelCounters& now);

class LiveValues {
 public:
  explicit LiveValues(size_t channels) : previous_(channels), shown_(channels), have_(channels) {}

  // Feeds the counters of a checkpoint; the first one only sets the baseline.
  void update(const std::vector<measure::ChannelCounters>& counters);
  const LiveValue& value(size_t channel) const { return shown_[channel]; }

 private:
  std::vector<measure::ChannelCounters> previous_;
  std::vector<LiveValue> shown_;
  std::vector<bool> have_;
  bool primed_ = false;
};

}  // namespace iw::app
