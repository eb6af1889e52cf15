// Integrators: the import (positive) and export (negative) energy of a script, kept apart so
// that any period's import and export are exact (firmware reference 11.3).
//
// Net energy alone cannot be split after the fact: an hour of +1 kW and -1 kW nets to 0.
// Two kinds, decided when the script is compiled:
//  - exact: the script is one CT input times a constant (`@3`, `-@3`, `@3*#0.5`). The engine
//    already splits every AC cycle into import and export counters, so the integrator reads
//    those: exact to the cycle, over all of the log's history, and nothing extra is stored.
//  - logged: any other script. The daemon evaluates it in Wh over every second (engine
//    checkpoints; the original used 5 s intervals), adds the positive parts to `pos` and the
//    negative parts to `neg`, and logs the totals every 5 s in a log of its own.
// In both cases pos - |neg| equals the script's net energy over any span (for linear
// scripts); .net reads that difference.
#pragma once

#include <optional>
#include <string>

#include "calc/script.h"
#include "measure/bucket.h"
#include "measure/counter.h"

namespace iw::calc {

// Energy of an integrator over an interval, in Wh.
struct IntegratorDelta {
  double pos = 0;  // >= 0
  double neg = 0;  // <= 0
};

// -magnitude, but 0 rather than -0 (which would print as "-0").
double negative(double magnitude);

// `coefficient` times the net energy of CT `channel`.
struct ExactForm {
  int channel = 0;
  double coefficient = 1;
  bool operator==(const ExactForm&) const = default;
};

// The exact form of `script`, when it is a nonzero constant times one input; nullopt
// otherwise. REQUIRES: the caller checks that the channel is a CT.
std::optional<ExactForm> exact_form(const Script& script);

// The delta of an exact integrator between two snapshots of its channel's counters.
IntegratorDelta exact_delta(const ExactForm& form, const measure::ChannelCounters& older,
                            const measure::ChannelCounters& newer);

// The running totals of a logged integrator.
class IntegratorTotals {
 public:
  // Adds one interval's energy: a value >= 0 to pos (0 counts as import, as the original),
  // a negative one to neg. Non-finite values are ignored.
  void add(double wh);
  // Continues from logged totals (micro-Wh; neg as a positive magnitude, as logged).
  void restore(int64_t pos_micros, int64_t neg_magnitude_micros);

  const measure::Counter& pos() const { return pos_; }
  // The magnitude of the export total: a Counter only counts up.
  const measure::Counter& neg_magnitude() const { return neg_; }

 private:
  measure::Counter pos_;
  measure::Counter neg_;
};

}  // namespace iw::calc
