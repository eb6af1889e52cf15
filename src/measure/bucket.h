// Per-channel cumulative counters and the value currently held for integration.
//
// Every measured cycle credits its values for exactly the time it covers; between
// measurements the last values are held forward (zero-order hold), so energy is conserved
// across any gap in sampling. In continuous mode cycles tile time and nothing is ever held; in
// round-robin mode a channel's one measured cycle stands for the ~0.5 s until its next look.
#pragma once

#include <cstdint>
#include <deque>

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

// Marks: instants (the engine's checkpoints, every `period_ns` from `first_ns` on the source
// clock) at which the counters are read. A span credited or held across a mark records the
// counters at that instant exactly, so a reading never depends on values credited after it and
// the counters read at successive marks never decrease. A mark before the bucket's first
// credit reads the counters it was restored to.
class Bucket {
 public:
  // Credits `values` for [begin_s, end_s] (seconds on the engine's clock), first holding the
  // previous values up to begin_s. Parts already credited are not counted twice.
  void credit(double begin_s, double end_s, const ChannelValues& values);
  // Holds the current values up to `now_s`.
  void age_to(double now_s);
  // Starts integration at `now_s` with nothing held (after construction or an outage).
  void start_at(double now_s);

  // Marks every `period_ns` from `first_ns`; seconds on the engine's clock are counted from
  // `origin_ns`. REQUIRES: period_ns > 0, called before the first credit that reaches first_ns.
  void mark_every(int64_t first_ns, int64_t period_ns, int64_t origin_ns);
  // The counters at the oldest mark not yet taken. REQUIRES: the bucket has been credited or held
  // up to that mark, or has never been credited.
  ChannelCounters take_mark();

  const ChannelCounters& counters() const { return counters_; }
  ChannelCounters& mutable_counters() { return counters_; }
  const ChannelValues& held() const { return held_; }
  double aged_until() const { return aged_s_; }

 private:
  // Adds `values` over [from_s, to_s] (from_s >= aged_s_), recording every mark it reaches.
  void accrue_over(double from_s, double to_s, const ChannelValues& values);
  double mark_s(int64_t mark_ns) const;

  ChannelCounters counters_;
  ChannelValues held_;
  double aged_s_ = 0;
  bool started_ = false;
  // Marks: the next one to record, and those recorded and not yet taken (oldest first).
  int64_t period_ns_ = 0;
  int64_t origin_ns_ = 0;
  int64_t next_mark_ns_ = 0;   // the next mark no span has reached
  int64_t next_taken_ns_ = 0;  // the next mark take_mark() answers for
  std::deque<ChannelCounters> recorded_;
};

}  // namespace iw::measure
