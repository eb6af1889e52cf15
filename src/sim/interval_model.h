// A fast interval-level model of a simulated panel: the cumulative counters every channel of
// a `Panel` would record, at successive interval boundaries, without simulating samples or
// cycles. It writes years of datalog history in seconds (`iotawatt seed`, demo start-up).
//
// Semantics (the cycle simulator's, per interval instead of per cycle; README "Interval model"):
//   - every load's current is the same phasor spectrum the cycle simulator draws
//     (Load::current against its line's voltage spectrum); an impedance load's current follows
//     the voltage, a current source's does not;
//   - a CT channel's current is the conductor sum of its loads (all loads in its conductor
//     for a mains CT, signed by conductor_sign); its power is measured, as the engine does,
//     against its reference: the vchan VT's voltage delayed by vphase, times vmult (x 2 for
//     `double`), with the mounting (flipped) and `reverse` signs of both sensors applied.
//     Unsigned channels record |P|; signed ones split import and export by the sign of the
//     power in each stretch of constant load state. VA = reference volts x vmult x Irms,
//     VAR = sqrt(VA^2 - P^2), volts = reference volts x vmult, Hz = mains frequency;
//   - VT channels record their line's rms voltage and the frequency;
//   - switching loads follow a seeded on/off schedule drawn from the same Switching ranges
//     (statistically the cycle simulator's, not its exact schedule); their on-time within each
//     interval is exact, and channels with several loads are integrated stretch by stretch
//     between switching instants;
//   - solar export follows daylight at local time (panel.utc_offset_s) at the interval's
//     middle; frequency follows the mains drift (time counted from the first run's start).
//   Sensor phase errors, saturation, ADC noise and the engine's no-load threshold are not
//   modelled: the counters are what an ideal meter would record.
//
// Realism (IntervalOptions::realism, on by default): the daily model (daily_model.h) varies
// each load's use (Load::usage) with the local time of day, the day of the week and the
// season, solar day length and peak with the season and a cloudiness per day, and the voltage
// about 1 % over the day. The cycle simulator with SimulatorOptions::realism (the daemon's
// live --sim) reads the same model with the same seed, so live data continues the seeded
// history. Deterministic in the seed and the local date: a day's pattern does not depend on
// where a run starts. With realism off the model has the cycle simulator's stationary
// statistics (for comparisons against it).
//
// Threading: none; one thread uses a model.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "base/status.h"
#include "measure/bucket.h"
#include "sim/panel.h"

namespace iw::sim {

struct IntervalOptions {
  // Daily, weekly and seasonal patterns (Load::usage), solar seasons and weather, a daily
  // voltage swing. Off: the cycle simulator's stationary behaviour.
  bool realism = true;
};

class IntervalModel {
 public:
  // Indexed by input channel; size Panel::device_channels. Inputs without a channel stay 0.
  using Counters = std::vector<measure::ChannelCounters>;
  using Sink = std::function<void(int64_t time_s, const Counters& counters)>;

  // Fails when the panel is invalid. `seed` drives the switching schedules and the daily
  // randomness (cloudiness, laundry days, EV charging nights, ...).
  static Result<IntervalModel> create(const Panel& panel, uint64_t seed, IntervalOptions options = {});
  ~IntervalModel();
  IntervalModel(IntervalModel&&) noexcept;
  IntervalModel& operator=(IntervalModel&&) noexcept;

  // Starting totals (e.g. the last record of an existing log). Fails unless
  // counters.size() == panel.device_channels.
  Status set_counters(Counters counters);

  // Advances the model from `from_s` to `to_s` (UNIX seconds) and calls
  // sink(t, counters()) at every multiple t of `interval_s` in (from_s, to_s], in order.
  // Runs continue one another: when `from_s` is later than where the previous run ended, the
  // time between is an outage (not monitored: counters unchanged, loads resume as they were).
  // Fails when interval_s <= 0, to_s < from_s, or from_s is before the previous run's end.
  Status run(int64_t from_s, int64_t to_s, int interval_s, const Sink& sink);

  const Counters& counters() const;
  // Where the last run ended; 0 before the first run.
  int64_t now_s() const;
  const Panel& panel() const;

 private:
  struct Impl;
  explicit IntervalModel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The long-run fraction of time a switching load is on with the cycle simulator's schedule:
// mean on duration / (mean on + mean off).
double duty_cycle(const Switching& s);

}  // namespace iw::sim
