#include "measure/bucket.h"

namespace iw::measure {
namespace {

// Adds `v` held for `seconds` (negative seconds take it away again) to `c`.
void accrue(ChannelCounters& c, double seconds, const ChannelValues& v) {
  const double hours = seconds / 3600.0;
  if (v.watts >= 0) {
    c.wh_import.add(v.watts * hours);
  } else {
    c.wh_export.add(-v.watts * hours);
  }
  c.vah.add(v.va * hours);
  c.varh.add(v.var * hours);
  c.vh.add(v.volts * hours);
  c.ah.add(v.amps * hours);
  c.hzh.add(v.hz * hours);
  c.seconds.add(seconds);
}

}  // namespace

void Bucket::start_at(double now_s) {
  held_ = ChannelValues{};
  aged_s_ = now_s;
  span_begin_s_ = now_s;
  started_ = true;
}

void Bucket::age_to(double now_s) {
  if (!started_ || now_s <= aged_s_) return;
  accrue(counters_, now_s - aged_s_, held_);
  aged_s_ = now_s;
}

void Bucket::credit(double begin_s, double end_s, const ChannelValues& values) {
  if (!started_) start_at(begin_s);
  age_to(begin_s);
  const double from = begin_s > aged_s_ ? begin_s : aged_s_;
  if (end_s <= from) return;  // already covered by held values
  accrue(counters_, end_s - from, values);
  aged_s_ = end_s;
  span_begin_s_ = from;
  held_ = values;
}

ChannelCounters Bucket::counters_at(double at_s) const {
  ChannelCounters c = counters_;
  if (started_ && at_s < aged_s_) accrue(c, at_s - aged_s_, held_);
  return c;
}

}  // namespace iw::measure
