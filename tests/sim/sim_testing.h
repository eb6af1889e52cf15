// Helpers shared by the simulator tests.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "measure/sample_block.h"
#include "sim/panel.h"
#include "sim/simulator.h"

namespace iw::sim::testing {

// A noon instant (UTC) well inside the 2020s.
inline constexpr int64_t kNoonNs =
    1'750'000'000'000'000'000 - (1'750'000'000'000'000'000 % 86'400'000'000'000) + 12 * 3'600'000'000'000;
inline constexpr int64_t kSecondNs = 1'000'000'000;

// Decoded samples of one scan slot: instant (ns after `origin`) and value in sensor units.
struct Trace {
  std::vector<double> t_ns;
  std::vector<double> value;
};

// Reads blocks until `seconds` of conversions are collected; appends each slot's samples
// scaled by `scale[slot]` (units per count above mid-scale).
inline std::vector<Trace> capture(Simulator& sim, double seconds, const std::vector<double>& scale) {
  std::vector<Trace> traces(scale.size());
  const int64_t origin = sim.start_ns();
  measure::SampleBlock block;
  while (static_cast<double>(sim.next_block_ns() - origin) < seconds * 1e9) {
    if (!sim.read(block).ok()) break;
    const double mid = std::ldexp(1.0, block.adc_bits - 1);
    for (size_t f = 0; f < block.frames(); ++f) {
      for (size_t s = 0; s < block.slots() && s < scale.size(); ++s) {
        traces[s].t_ns.push_back(static_cast<double>(block.start_ns - origin) +
                                 block.conversion_ns * static_cast<double>(f * block.slots() + s));
        traces[s].value.push_back((block.code(f, s) - mid) * scale[s]);
      }
    }
  }
  return traces;
}

// Line volts per count of a VT channel, primary amps per count of a CT channel.
inline double volts_per_count(const Panel& p, const Channel& ch) {
  return p.adc.lsb_volts() * p.board_divider * ch.vt.ratio;
}
inline double amps_per_count(const Panel& p, const Channel& ch) { return p.adc.lsb_volts() * ch.ct.cal(); }

}  // namespace iw::sim::testing
