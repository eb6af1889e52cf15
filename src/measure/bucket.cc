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
  if (!started_) {  // marks before the first credit read the restored counters
    while (period_ns_ > 0 && mark_s(next_mark_ns_) <= now_s) {
      recorded_.push_back(counters_);
      next_mark_ns_ += period_ns_;
    }
  }
  aged_s_ = now_s;
  started_ = true;
}

void Bucket::age_to(double now_s) {
  if (!started_ || now_s <= aged_s_) return;
  accrue_over(aged_s_, now_s, held_);
}

void Bucket::credit(double begin_s, double end_s, const ChannelValues& values) {
  if (!started_) start_at(begin_s);
  age_to(begin_s);
  const double from = begin_s > aged_s_ ? begin_s : aged_s_;
  if (end_s <= from) return;  // already covered by held values
  accrue_over(from, end_s, values);
  held_ = values;
}

void Bucket::accrue_over(double from_s, double to_s, const ChannelValues& values) {
  while (period_ns_ > 0 && mark_s(next_mark_ns_) <= to_s) {
    const double at_s = mark_s(next_mark_ns_);
    ChannelCounters at = counters_;
    if (at_s > from_s) accrue(at, at_s - from_s, values);
    recorded_.push_back(at);
    next_mark_ns_ += period_ns_;
  }
  accrue(counters_, to_s - from_s, values);
  aged_s_ = to_s;
}

void Bucket::mark_every(int64_t first_ns, int64_t period_ns, int64_t origin_ns) {
  period_ns_ = period_ns;
  origin_ns_ = origin_ns;
  next_mark_ns_ = first_ns;
  next_taken_ns_ = first_ns;
  recorded_.clear();
}

ChannelCounters Bucket::take_mark() {
  next_taken_ns_ += period_ns_;
  if (recorded_.empty()) {  // never credited: nothing has changed the counters
    if (next_mark_ns_ < next_taken_ns_) next_mark_ns_ = next_taken_ns_;
    return counters_;
  }
  ChannelCounters at = recorded_.front();
  recorded_.pop_front();
  return at;
}

double Bucket::mark_s(int64_t mark_ns) const { return static_cast<double>(mark_ns - origin_ns_) * 1e-9; }

}  // namespace iw::measure
