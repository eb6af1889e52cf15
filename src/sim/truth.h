// Ground truth: what a perfect meter would have recorded, computed from the cycle phasors
// alone, independently of any measurement code.
//
// Per cycle, a CT channel's power is the exact cycle mean of v(t)*i(t): the sum over common
// harmonic orders of V_h*I_h*cos(phase difference) (rms values), where v is the TRUE voltage
// across the channel's truth line and i its primary current. Energy of a whole cycle is that
// power times the cycle's duration. A partial cycle [start, start + tau) gets the exact
// integral of v*i over it (cross terms of different orders included), so truth at any
// instant is exact, not just at cycle boundaries.
//
// Accrual of a partial cycle: kExact integrates v*i exactly (the physical energy up to that
// instant); kCycleMean credits the cycle's mean power uniformly over the cycle, the
// convention of a meter that measures cycle by cycle and splits a cycle across an interval
// boundary in proportion to time. The two differ only inside a cycle, by at most the power
// ripple (about P / (2*pi*f) joules); at cycle boundaries they are equal.
//
// Import/export: a cycle's energy (whole or partial) goes to import when the cycle's mean
// power is >= 0, else to export. export_j is a magnitude (>= 0); energy_j = import - export.
// Vrms, Irms, VA and Hz are per-cycle values accrued uniformly over time (volt_s etc.).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/cycle.h"

namespace iw::sim {

enum class Accrual { kExact, kCycleMean };

struct ChannelTruth {
  int input = 0;
  std::string name;
  bool is_vt = false;
  double seconds = 0;   // time covered
  double energy_j = 0;  // net energy (CT)
  double import_j = 0;
  double export_j = 0;  // >= 0
  double va_s = 0;      // integral of Vrms * Irms (CT; Vrms of the truth voltage)
  double volt_s = 0;    // integral of Vrms
  double amp_s = 0;     // integral of Irms (CT)
  double hz_s = 0;      // integral of frequency

  double wh() const { return energy_j / 3600; }
  double import_wh() const { return import_j / 3600; }
  double export_wh() const { return export_j / 3600; }
  double vah() const { return va_s / 3600; }
  // Averages over the covered time (0 when none).
  double watts() const { return seconds > 0 ? energy_j / seconds : 0; }
  double va() const { return seconds > 0 ? va_s / seconds : 0; }
  double vrms() const { return seconds > 0 ? volt_s / seconds : 0; }
  double irms() const { return seconds > 0 ? amp_s / seconds : 0; }
  double hz() const { return seconds > 0 ? hz_s / seconds : 0; }
};

struct Truth {
  int64_t from_ns = 0;  // the simulation start
  int64_t until_ns = 0;
  std::vector<ChannelTruth> channels;  // in Panel::channels order

  const ChannelTruth* find(int input) const;
  const ChannelTruth* find(std::string_view name) const;
};

// Running sums in extended precision (years of cycles stay exact to ~1e-12).
struct TruthSums {
  long double seconds = 0, energy_j = 0, import_j = 0, export_j = 0;
  long double va_s = 0, volt_s = 0, amp_s = 0, hz_s = 0;

  // Adds the first `span_ns` of the cycle (0 <= span_ns <= period; a whole cycle when equal).
  // `sign` -1 subtracts.
  void add(const ChannelCycle& cc, double hz, double period_ns, double span_ns, int sign = 1,
           Accrual accrual = Accrual::kExact);
  TruthSums& operator+=(const TruthSums& o);
  void fill(ChannelTruth& out) const;
};

}  // namespace iw::sim
