// A step event: one circuit's real power changed by more than its threshold and stayed there.
//
// An event is a plain value, so later layers (a durable event store, /events, MQTT, rules,
// standby baselines) can copy, encode and compare it without knowing the detector. Times are
// on the source clock (SampleBlock::start_ns), to the cycle: `time_ns` is the start of the
// first measured cycle that shows the change. Levels are "settled": means over cycles where the
// power was stable, before the change and after its transient (step_detector.h).
#pragma once

#include <cstdint>

namespace iw::measure {

enum class StepKind : uint8_t {
  kOn,      // from standby (|P| below StepSettings::standby_w) to above it
  kOff,     // from above standby back to it
  kChange,  // any other step: both levels above standby (a motor stage, a heater in a washer)
};

const char* to_string(StepKind kind);

struct StepEvent {
  int64_t time_ns = 0;  // start of the first cycle of the change, source clock
  uint16_t channel = 0;
  StepKind kind = StepKind::kChange;
  double before_w = 0;   // settled real power before
  double after_w = 0;    // settled real power after
  double delta_w = 0;    // after_w - before_w; |delta_w| >= the channel's threshold
  double delta_var = 0;  // settled signed reactive power after minus before (> 0: more lagging)
  double after_amps = 0;  // settled Irms after
  // Inrush, for a rise (delta_w > 0; zero otherwise): the largest cycle Irms and the largest
  // instantaneous |current| seen over the transient, and how many cycles from the first one
  // carried more than 10 % (and 0.05 A) above the settled Irms (counted over the first
  // StepDetector::kInrushWindow cycles only).
  double inrush_amps = 0;
  double inrush_peak_amps = 0;
  uint32_t inrush_cycles = 0;
  // Cycles from the first cycle of the change to the first cycle of the settled level after.
  uint32_t transient_cycles = 0;
  bool settled = true;  // false: the transient hit StepDetector::kMaxTransientCycles first
};

}  // namespace iw::measure
