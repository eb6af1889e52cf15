// The AC cycle: the unit of the simulation's state.
//
// Cycle rule. Cycle n spans [start_n, start_n + period_n) where start_n is a rising zero
// crossing of phase A's fundamental. The frequency and every load's state (on/off, solar
// level) are fixed for the whole cycle and change only at its boundaries. Within the cycle
// every waveform of the panel is an exact sum of harmonics of that cycle's frequency in the
// phase-A theta frame (spectrum.h), with theta = 2*pi*hz*(t - start_n). Everything measured
// about a cycle (power, rms, sensor lead) is therefore a closed form.
#pragma once

#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "sim/daily_model.h"
#include "sim/program.h"
#include "sim/panel.h"
#include "sim/random.h"
#include "sim/spectrum.h"
#include "sim/true_step.h"

namespace iw::sim {

// An instant on the simulated clock with sub-nanosecond precision: ns + frac, frac in [0, 1).
struct Instant {
  int64_t ns = 0;
  double frac = 0;

  // Nanoseconds from `ref` to this instant (exact while the difference fits a double).
  double since(int64_t ref) const { return static_cast<double>(ns - ref) + frac; }
  Instant plus(double dns) const;
  bool operator<(const Instant& o) const { return ns < o.ns || (ns == o.ns && frac < o.frac); }
};

// What one channel does during one cycle.
struct ChannelCycle {
  // The ADC input in counts of the effective ADC resolution above mid-scale, sensor lead,
  // ratio, divider and mounting included; before saturation, offset, INL, noise, rounding.
  Spectrum adc;
  double knee_counts = std::numeric_limits<double>::infinity();  // CT saturation knee
  double lead_deg = 0;                                           // sensor lead applied this cycle
  // Truth: the voltage the channel's power is referred to (VT: the voltage it measures) and,
  // for a CT, its primary current; with their exact cycle values.
  Spectrum volts;
  Spectrum amps;
  double watts = 0, vrms = 0, irms = 0;
};

struct Cycle {
  int64_t index = 0;  // 0 is the cycle containing the simulation start
  Instant start;
  double hz = 0;
  double period_ns = 0;
  std::vector<ChannelCycle> channels;  // parallel to Panel::channels
  std::vector<uint8_t> load_on;        // parallel to Panel::loads
  std::vector<TrueStep> steps;         // programmed steps that take effect at this cycle's start

  Instant end() const { return start.plus(period_ns); }
};

// Produces the panel's cycles in order. Deterministic for a given panel, start, seed and
// realism. With realism the daily model (daily_model.h), evaluated at each cycle's start,
// scales the mains voltage, each steady load's current (its level) and solar export, and runs
// a switching load's off periods at its level's rate: the interval model's semantics per
// cycle. Without, loads are stationary (levels 1, nominal voltage, fixed solar day).
class CycleGenerator {
 public:
  // REQUIRES: panel.validate().ok(); `panel` outlives the generator and does not change.
  CycleGenerator(const Panel& panel, int64_t start_ns, uint64_t seed, bool realism = false);

  Cycle next();

 private:
  struct LoadState {
    bool on = true;
    // On the load's schedule clock: seconds since start_ns less `lag_s`.
    double next_toggle_s = std::numeric_limits<double>::infinity();
    // Seconds the schedule clock has fallen behind: off periods run at the load's level,
    // so a slow hour stretches them. Stays exactly 0 while the level is 1.
    double lag_s = 0;
    double rate = 1;  // the level in force since the previous cycle's start
    SplitMix rng{0};
    ProgramState program;  // a scripted load's (Load::program)
  };

  void switch_loads(Cycle& c, double since_s, double elapsed_s);
  // Levels of the programmed loads at cycle c; their steps go to c.steps once the channels'
  // voltages are known (record_steps).
  void run_programs(Cycle& c, double since_s, std::vector<std::pair<size_t, ProgramState::Change>>& changes);

  const Panel* panel_;
  int64_t start_ns_;
  DailyModel daily_;
  Instant next_start_;
  int64_t index_ = 0;
  double previous_since_s_ = 0;  // the previous cycle's start, seconds after start_ns
  std::vector<LoadState> states_;
};

}  // namespace iw::sim
