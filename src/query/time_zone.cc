#include "query/time_zone.h"

#include <cctz/time_zone.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>

#include "config/config_parser.h"

namespace iw::query {
namespace {

using cctz::civil_day;
using cctz::civil_second;

constexpr int64_t kDay = 86400;
constexpr int64_t kYear = 366 * kDay;
const civil_second kEpoch(1970, 1, 1, 0, 0, 0);

cctz::time_point<cctz::seconds> instant(int64_t utc) { return cctz::time_point<cctz::seconds>(cctz::seconds(utc)); }
int64_t unix_seconds(const cctz::time_point<cctz::seconds>& tp) { return tp.time_since_epoch().count(); }

// ---- IANA zones ------------------------------------------------------------------------------

class IanaZone final : public TimeZone {
 public:
  IanaZone(cctz::time_zone zone, std::string name) : zone_(zone), name_(std::move(name)) {}

  civil_second to_local(int64_t utc) const override { return zone_.lookup(instant(utc)).cs; }

  // cctz's `pre` is the mktime convention: a skipped time uses the offset before the gap
  // (the clock "had not moved"), a repeated time its first instant.
  int64_t to_utc(const civil_second& local) const override { return unix_seconds(zone_.lookup(local).pre); }

  // The offset of the nearest instant, within a year either way, that is not DST. Monthly
  // steps find it: no zone keeps DST for less than a month at both ends of a year.
  int standard_offset_s(int64_t utc) const override {
    const auto here = zone_.lookup(instant(utc));
    if (!here.is_dst) return here.offset;
    for (int64_t step = 1; step <= 13; ++step) {
      for (int64_t sign : {-1, 1}) {
        const auto there = zone_.lookup(instant(utc + sign * step * 30 * kDay));
        if (!there.is_dst) return there.offset;
      }
    }
    return here.offset;  // DST all year round: that is its standard time in practice
  }

  bool has_dst(int64_t utc) const override {
    if (zone_.lookup(instant(utc - kYear)).is_dst) return true;
    auto tp = instant(utc - kYear);
    cctz::time_zone::civil_transition trans;
    while (zone_.next_transition(tp, &trans)) {
      const auto next = zone_.lookup(trans.to).trans;
      if (next <= tp || unix_seconds(next) > utc + kYear) break;
      if (zone_.lookup(next).is_dst) return true;
      tp = next;
    }
    return false;
  }

  std::string name() const override { return name_; }

 private:
  cctz::time_zone zone_;
  std::string name_;
};

// ---- the original's offset + DST rule (firmware reference 10.3) ------------------------------

// The rule's weekday numbers count from Sunday = 1.
cctz::weekday rule_weekday(int weekday) {
  constexpr cctz::weekday kDays[] = {cctz::weekday::sunday,    cctz::weekday::monday,   cctz::weekday::tuesday,
                                     cctz::weekday::wednesday, cctz::weekday::thursday, cctz::weekday::friday,
                                     cctz::weekday::saturday};
  return kDays[((weekday - 1) % 7 + 7) % 7];  // the config allows 1..7; stay in bounds regardless
}

// The day of `point` in `year`: the n-th given weekday of the month, or the n-th from its end
// when instance < 0. An instance past the month's last such weekday means the last one (as
// "5" does in POSIX TZ rules), so no year loses its transition.
civil_day rule_day(int64_t year, const config::DstPoint& point) {
  const cctz::weekday weekday = rule_weekday(point.weekday);
  const int month = std::clamp(point.month, 1, 12);  // the config parser allows 1..12 only
  const civil_day first = cctz::next_weekday(civil_day(year, month, 1) - 1, weekday);
  const civil_day last = cctz::prev_weekday(civil_day(year, month + 1, 1), weekday);
  const int64_t in_month = (last - first) / 7 + 1;  // 4 or 5
  // 0 is refused by the config parser; read it as 1.
  const int64_t n = std::clamp<int64_t>(point.instance < 0 ? -int64_t{point.instance} : point.instance, 1, in_month);
  return point.instance < 0 ? last - 7 * (n - 1) : first + 7 * (n - 1);
}

// Whether `t` is at or after `point` in t's own year.
bool at_or_after(const civil_second& t, const config::DstPoint& point) {
  if (t.month() != point.month) return t.month() > point.month;
  return t >= civil_second(rule_day(t.year(), point)) + point.time * 60;
}

class RuleZone final : public TimeZone {
 public:
  RuleZone(int offset_s, std::optional<config::DstRule> rule) : offset_s_(offset_s), rule_(std::move(rule)) {}

  civil_second to_local(int64_t utc) const override { return kEpoch + (utc + offset_at(utc)); }

  // Only two offsets exist, standard and standard + adj. A local time that one of them maps
  // back to itself is real; when both do it is repeated (take the earlier instant), when
  // neither does it is skipped (use the offset before the gap, which is the smaller one).
  int64_t to_utc(const civil_second& local) const override {
    const int64_t l = local - kEpoch;
    if (!dst_observed()) return l - offset_s_;
    const int64_t a = l - offset_s_;
    const int64_t b = l - offset_s_ - adj_s();
    const bool a_real = a + offset_at(a) == l;
    const bool b_real = b + offset_at(b) == l;
    if (a_real && b_real) return std::min(a, b);
    if (a_real) return a;
    if (b_real) return b;
    return std::max(a, b);
  }

  int standard_offset_s(int64_t) const override { return offset_s_; }
  bool has_dst(int64_t) const override { return dst_observed(); }

  std::string name() const override {
    const int minutes = std::abs(offset_s_) / 60;
    return fmt::format("UTC{}{:02}:{:02}{}", offset_s_ < 0 ? '-' : '+', minutes / 60, minutes % 60,
                       dst_observed() ? " with DST rule" : "");
  }

 private:
  bool dst_observed() const { return rule_ && rule_->adj != 0; }
  int64_t adj_s() const { return int64_t{rule_->adj} * 60; }

  int64_t offset_at(int64_t utc) const { return offset_s_ + (dst_observed() && in_dst(utc) ? adj_s() : 0); }

  // The begin point is read on the clock running before it (UTC or local standard time), the
  // end point on the clock running before it too: UTC, or local standard time + adj. The
  // firmware description tests the end of a UTC rule against UTC + adj, and the end of a
  // southern local rule against local standard time; either would put the change an hour off
  // the real one (Europe/Berlin, Australia/Sydney), so we read both points the same way.
  bool in_dst(int64_t utc) const {
    const config::DstRule& r = *rule_;
    const civil_second begin_clock = kEpoch + (r.utc ? utc : utc + offset_s_);
    const civil_second end_clock = r.utc ? begin_clock : begin_clock + adj_s();
    const bool past_end = at_or_after(end_clock, r.end) || at_or_after(begin_clock, r.end);
    const bool past_begin = at_or_after(begin_clock, r.begin);
    if (r.begin.month <= r.end.month) return past_begin && !past_end;  // northern: DST mid-year
    return !past_end || past_begin;                                    // southern: DST across New Year
  }

  int offset_s_;
  std::optional<config::DstRule> rule_;
};

}  // namespace

Result<std::unique_ptr<TimeZone>> load_iana_zone(const std::string& name) {
  const std::optional<cctz::time_zone> zone = config::load_known_time_zone(name);
  if (!zone) {
    return Status::InvalidArgument(
        fmt::format("unknown time zone \"{}\" (use an IANA name such as \"Europe/Berlin\")", name));
  }
  return std::unique_ptr<TimeZone>(std::make_unique<IanaZone>(*zone, name));
}

std::unique_ptr<TimeZone> rule_zone(double hours, const std::optional<config::DstRule>& rule) {
  const int offset_s = static_cast<int>(std::lround(hours * 60)) * 60;  // the original keeps minutes
  return std::make_unique<RuleZone>(offset_s, rule);
}

Result<std::unique_ptr<TimeZone>> zone_of(const config::Config& config) {
  if (!config.timezone_name.empty()) return load_iana_zone(config.timezone_name);
  return rule_zone(config.timezone, config.dst);
}

}  // namespace iw::query
