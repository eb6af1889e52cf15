// Per-channel cumulative counters and the value currently held for integration.
//
// Every measured cycle credits its values for exactly the time it covers; between
// measurements the last values are held forward (zero-order hold), so energy is conserved
// across any gap in sampling. In continuous mode cycles tile time and nothing is ever held; in
// round-robin mode a channel's one measured cycle stands for the ~0.5 s until its next look.
#pragma once

#include <cstdint>

#include "measure/channel_values.h"
#include "measure/counter.h"

namespace iw::measure {

// Running totals since the engine started (or since they were restored from the log).
struct ChannelCounters {
  Counter wh_import;
  Counter wh_export;  // positive number: energy sent to the grid
  Counter vah;
  Counter varh;
  Counter vh;  // volt-hours: divide by hours for average volts
  Counter ah;
  Counter hzh;
  Counter seconds;  // monitored time
};

class Bucket {
 public:
  // Credits `values` for [begin_s, end_s] (seconds on the engine's clock), first holding the
  // previous values up to begin_s. Parts already credited are not counted twice.
  void credit(double begin_s, double end_s, const ChannelValues& values);
  // Holds the current values up to `now_s`.
  void age_to(double now_s);
  // Starts integration at `now_s` with nothing held (after construction or an outage).
  void start_at(double now_s);

  // Counters as they were at `at_s`. REQUIRES: at_s within the last credited or held span
  // (from last_span_begin() to aged_until()); the values over that span are constant.
  ChannelCounters counters_at(double at_s) const;
  double last_span_begin() const { return span_begin_s_; }

  const ChannelCounters& counters() const { return counters_; }
  ChannelCounters& mutable_counters() { return counters_; }
  const ChannelValues& held() const { return held_; }
  double aged_until() const { return aged_s_; }

 private:
  ChannelCounters counters_;
  ChannelValues held_;
  double aged_s_ = 0;
  double span_begin_s_ = 0;  // start of the last span of constant values
  bool started_ = false;
};

}  // namespace iw::measure
