// The ground truth of a step event (issue 18): a scripted load (program.h) changed its settled
// level at a known cycle, which changed the real power of every CT channel it flows through.
#pragma once

#include <cstdint>

namespace iw::sim {

struct TrueStep {
  int64_t time_ns = 0;  // start of the first cycle at the new level (or of the ramp), floor ns
  int input = 0;        // the CT channel's input
  int load = 0;         // index into Panel::loads
  // Settled power after minus before on this channel: the load's power at level 1 against
  // the channel's true voltage, times the change of level, with the conductor's sign.
  double delta_w = 0;
  double ramp_s = 0;  // the change was a ramp this long (0: a step)
};

}  // namespace iw::sim
