// Phase lead of a CT or VT as a function of its current (or voltage) and the mains frequency,
// in the original model tables' form: [phi0, t1, phi1, t2, phi2, ...]; phi0 applies below
// threshold t1, phi1 from t1 up to t2, and so on. p50 is used below 55 Hz, p60 at or above;
// a missing array falls back to the fixed phase.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace iw::measure {

struct PhaseCurve {
  double fixed_deg = 0;
  std::vector<double> p50;
  std::vector<double> p60;

  // Lead in degrees at `level` (amps for a CT, volts for a VT) and `hz`.
  double lead_deg(double level, double hz) const;
  // True when the lead does not depend on the level (no arrays, or single-value arrays).
  bool is_constant() const { return p50.size() <= 1 && p60.size() <= 1; }

  // Ok when `table` is empty or of the form [phi0, t1, phi1, ...]: an odd number of finite
  // elements with strictly increasing, non-negative thresholds; otherwise InvalidArgument,
  // saying what is wrong.
  static Status check_table(const std::vector<double>& table);

  bool operator==(const PhaseCurve&) const = default;
};

}  // namespace iw::measure
