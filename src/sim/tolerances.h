// Sensor tolerances: a real CT or VT is its catalog entry plus a unit-to-unit deviation.
//
// apply_sensor_tolerances() draws, for every sensor of a panel independently, a ratio error,
// a phase offset and a small level-dependent phase slope (SensorDeviation, sim/ct.h) and puts
// them in the hardware models (Channel::ct, Channel::vt). What the daemon is told stays the
// catalog: each channel's measurement (Channel::m: cal, phase, p50, p60) is first pinned to
// its nominal value, so Panel::iotawatt_config() and measurement_*() are unchanged.
//
// Every draw is uniform in +-bound. Bounds and their sources (src/sim/README.md, "Sensor
// tolerances"):
//   ct_ratio_pct 1, ct_phase_deg 1   IEC 61869-2 accuracy class 1 at rated current: ratio
//                                    error +-1 %, phase displacement +-60 minutes.
//   ct_phase_slope_deg 0.1           per decade of current: a unit's curve follows the
//                                    catalog's shape (same core and winding design); class 1
//                                    allows +-90 minutes at 20 % against +-60 at 100 %, 0.5
//                                    degree per 0.7 decade, of which the catalog curve already
//                                    holds most; 0.1 leaves a one-point calibration within
//                                    0.5 % at PF 0.5 over 10-120 % of rating.
//   vt_ratio_pct 3, vt_phase_deg 2   plug-in 9 V AC adapters are no instrument transformers:
//                                    their no-load output varies a few percent from unit to
//                                    unit (the original firmware has an interactive VT
//                                    calibration for this), lead up to a few degrees.
//   vt_phase_slope_deg 0.05          per 10 % of line voltage (magnetising current grows
//                                    with the voltage).
#pragma once

#include <cstdint>
#include <vector>

#include "base/status.h"
#include "sim/ct.h"
#include "sim/panel.h"

namespace iw::sim {

struct SensorTolerances {
  double ct_ratio_pct = 1;
  double ct_phase_deg = 1;
  double ct_phase_slope_deg = 0.1;
  double vt_ratio_pct = 3;
  double vt_phase_deg = 2;
  double vt_phase_slope_deg = 0.05;

  Status validate() const;
};

// Draws and applies a deviation to every CT and VT of `panel` (see above). The draws depend
// only on the seed and the channel's input number, not on the order of `panel.channels`.
// Fails, leaving the panel unchanged, when a bound is negative or a ratio bound is 50 % or
// more.
[[nodiscard]] Status apply_sensor_tolerances(Panel& panel, const SensorTolerances& tol, uint64_t seed);

// The drawn truth of one sensor, for tests and reports.
struct SensorTruth {
  int input = 0;
  ChannelType type = ChannelType::kCT;
  SensorDeviation deviation;
};
std::vector<SensorTruth> sensor_truth(const Panel& panel);

}  // namespace iw::sim
