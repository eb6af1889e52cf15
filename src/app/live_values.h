// The live values (/status, /metrics, MQTT, scripts evaluated live), averaged from the
// counters of two checkpoints (one second apart) and damped like the original: a new average
// within +-2 % of the shown value moves it a quarter of the way; a larger change shows at once.
#pragma once

#include <cstdint>
#include <vector>

#include "measure/bucket.h"
#include "measure/channel_values.h"

namespace iw::app {

// Averages of `now` minus `before` over the monitored time between them. Import minus export
// gives signed watts. Zero when no time was monitored.
measure::ChannelValues average(const measure::ChannelCounters& before, const measure::ChannelCounters& now);

class LiveValues {
 public:
  explicit LiveValues(size_t channels) : previous_(channels), shown_(channels), have_(channels) {}

  // Feeds the counters of a checkpoint; the first one only sets the baseline.
  void update(const std::vector<measure::ChannelCounters>& counters);
  const measure::ChannelValues& value(size_t channel) const { return shown_[channel]; }

 private:
  std::vector<measure::ChannelCounters> previous_;
  std::vector<measure::ChannelValues> shown_;
  std::vector<bool> have_;
  bool primed_ = false;
};

}  // namespace iw::app
