// Step detection on one CT channel, fed one measured cycle at a time (issue 18, first slice).
//
// Model. A circuit's real power sits at a settled level, moves (a step, an inrush, a ramp),
// and settles again. The detector is a two-state machine over the per-cycle values:
//   steady     The level is the mean power of the last kLevelCycles settled cycles (fewer just
//              after a settle). `spread` is the mean absolute deviation of settled cycles from
//              the level. A cycle whose power differs from the level by more than
//              trigger = max(threshold / 2, 3 x spread) opens a transient; that cycle is the
//              event's time. The level before is frozen there.
//   transient  Ends when the last kSettleCycles cycles are settled: each within `band` of
//              their mean, and their mean within band / 2 of the mean of the kSettleCycles
//              before them (band = the trigger in force when the transient opened). The second
//              test refuses to settle on a ramp (a slope above band / (2 kSettleCycles) per
//              cycle), so a ramp is one event from its first cycle to its end.
//   confirm    Back in steady state, the event waits kLevelCycles more cycles so that its
//              levels after are the means of settled cycles clear of an inrush's tail (or of
//              fewer, when the next transient opens first). It is emitted when
//              |after - before| >= threshold; otherwise the transient was noise and nothing is
//              said. A transient that has not settled after kMaxTransientCycles ends there
//              (event marked `settled = false`).
// Time. The event's time is the start of the first cycle whose power left the band, moved
// back over the cycles just before it (at most half the level's) that already leaned the same
// way, against the older half of the level's cycles, by more than max(3 x spread,
// threshold / 10): the slow first cycles of a ramp. A step inside a cycle is
// so reported at that cycle's start when the cycle saw enough of it, else at the next cycle's:
// never more than one cycle from the true instant. A transient holds at least 2 kSettleCycles
// cycles, so two steps closer than that are one event.
//
// Limits (README.md): ramps slower than about (threshold / 2) / (kLevelCycles / 2) W per
// cycle (1.6 W per cycle, 78 W/s at 50 Hz for 25 W) never leave the trigger band and are
// followed as drift, without an event. Two loads on one circuit switching within one
// transient are one event with their summed change.
//
// Cost: a mean over at most kLevelCycles values per cycle in steady state; no allocation, no
// I/O; everything lives in fixed arrays.
#pragma once

#include <array>
#include <cstdint>

#include "measure/step_event.h"
#include "measure/step_queue.h"

namespace iw::measure {

// Per channel, from the config (ChannelSetup::steps).
struct StepSettings {
  bool enabled = true;
  double threshold_w = 25;  // smallest |delta P| reported
  double standby_w = 10;    // |P| below this is "off" for the event's kind

  bool operator==(const StepSettings&) const = default;
};

// What the engine knows of one measured cycle of a CT.
struct StepCycle {
  int64_t start_ns = 0;  // cycle start, source clock
  double watts = 0;
  double var = 0;         // signed reactive power (ChannelLive::signed_var)
  double amps = 0;        // Irms
  double peak_amps = 0;   // largest |instantaneous current| in the cycle
};

class StepDetector {
 public:
  static constexpr int kLevelCycles = 16;   // settled cycles averaged for the level before
  static constexpr int kSettleCycles = 10;  // cycles that must be stable to settle
  static constexpr int kInrushWindow = 64;  // transient cycles whose Irms is kept for the inrush
  static constexpr uint32_t kMaxTransientCycles = 3000;  // 60 s at 50 Hz

  explicit StepDetector(uint16_t channel = 0, StepSettings settings = {}) : channel_(channel), settings_(settings) {}

  // Feeds the channel's next measured cycle; an event, when one completes, goes to `out`.
  // REQUIRES: cycles in time order.
  void add(const StepCycle& c, StepQueue& out);

  bool in_transient() const { return transient_; }
  double level_w() const;  // settled level (steady state)
  const StepSettings& settings() const { return settings_; }

 private:
  static constexpr int kRing = 32;  // >= max(kLevelCycles, 2 kSettleCycles), a power of two
  static_assert(kRing >= kLevelCycles && kRing >= 2 * kSettleCycles && (kRing & (kRing - 1)) == 0);

  struct Values {
    double watts = 0, var = 0, amps = 0;
    int64_t start_ns = 0;
  };

  // Mean of the `count` cycles ending `skip` cycles before the newest.
  Values mean(int count, int skip) const;
  double power(int back) const { return ring_[(next_ - 1 - back) & (kRing - 1)].watts; }
  bool settled(double band) const;
  void open(double level, double trigger);
  void close(bool settled);
  // Emits the pending event, its levels after the means of `count` cycles ending `skip`
  // cycles before the newest.
  void emit(int count, int skip, StepQueue& out);

  uint16_t channel_;
  StepSettings settings_;
  std::array<Values, kRing> ring_{};
  uint32_t next_ = 0;           // ring slot of the next cycle (wraps)
  uint32_t steady_cycles_ = 0;  // settled cycles at the ring's head (capped at kRing)
  double spread_ = 0;

  // The open transient, or the event waiting for its levels after (pending_).
  bool transient_ = false;
  bool pending_ = false;
  StepEvent event_;  // time, channel and the levels before, filled as it goes
  double before_var_ = 0;
  double band_ = 0;
  uint32_t cycles_ = 0;
  std::array<double, kInrushWindow> inrush_amps_{};
};

}  // namespace iw::measure
