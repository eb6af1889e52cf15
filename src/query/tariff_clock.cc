#include "query/tariff_clock.h"

#include <algorithm>
#include <vector>

namespace iw::query {
namespace {

using cctz::civil_day;
using cctz::civil_second;

// The first instant whose local time is at or after `local`. TimeZone::to_utc maps a time in a
// spring-forward gap past the gap (02:30 -> 03:30 local); the price that starts at 02:30 wall
// time really starts when the clock jumps (03:00), which this finds by bisection.
int64_t first_instant_at(const civil_second& local, const TimeZone& zone) {
  int64_t hi = zone.to_utc(local);
  if (zone.to_local(hi) == local) return hi;
  int64_t lo = hi - 86400;  // no zone skips a day's worth of wall time  (invariant: local(lo) < local)
  while (hi - lo > 1) {
    const int64_t mid = lo + (hi - lo) / 2;
    (zone.to_local(mid) >= local ? hi : lo) = mid;
  }
  return hi;
}

constexpr civil_second kEpoch(1970, 1, 1, 0, 0, 0);

// Local wall time minus UTC at `t`, in seconds.
int64_t utc_offset(int64_t t, const TimeZone& zone) { return (zone.to_local(t) - kEpoch) - t; }

bool rule_holds(const config::TouRule& rule, int month, int weekday, int minute) {
  return (rule.months >> (month - 1) & 1) != 0 && (rule.days >> weekday & 1) != 0 && minute >= rule.from_minute &&
         minute < rule.to_minute;
}

civil_day billing_day_of(const cctz::civil_month& month, int billing_day) {
  return civil_day(month.year(), month.month(), billing_day);
}

}  // namespace

PriceAt price_at(const config::PriceSchedule& schedule, const std::vector<civil_day>& holidays,
                 const civil_second& local) {
  const civil_day day(local);
  const bool holiday = std::binary_search(holidays.begin(), holidays.end(), day);
  const int weekday = holiday ? 6 : static_cast<int>(cctz::get_weekday(day));  // 0 Monday .. 6 Sunday
  const int minute = local.hour() * 60 + local.minute();
  for (const auto& rule : schedule.rules) {
    if (rule_holds(rule, local.month(), weekday, minute)) return {rule.price, rule.peak};
  }
  return {schedule.price, false};
}

std::vector<int> edge_minutes(const config::Tariff& tariff) {
  std::vector<int> edges;
  auto add = [&](const config::PriceSchedule& s) {
    for (const auto& r : s.rules) {
      edges.push_back(r.from_minute);
      edges.push_back(r.to_minute);
    }
  };
  add(tariff.import);
  if (tariff.export_credit) add(*tariff.export_credit);
  edges.push_back(1440);
  std::sort(edges.begin(), edges.end());
  edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
  return edges;
}

int64_t next_price_change(const std::vector<int>& edges, int64_t t, const TimeZone& zone) {
  // Edges are wall-clock times; stepping with t's UTC offset finds each at most once per
  // occurrence. Where the offset changes first (DST), the change itself comes next: the wall
  // clock jumps there (over an edge in a spring-forward gap, or back into a repeated hour whose
  // edges then happen a second time).
  const int64_t offset = utc_offset(t, zone);
  const civil_second midnight(civil_day(zone.to_local(t)));
  for (int edge : edges) {  // sorted; the last is 1440 (the next midnight)
    const int64_t at = (midnight + edge * 60 - kEpoch) - offset;
    if (at <= t) continue;
    if (utc_offset(at, zone) == offset) return at;
    int64_t lo = t, hi = at;  // invariant: offset at lo is `offset`, at hi it is not
    while (hi - lo > 1) {
      const int64_t mid = lo + (hi - lo) / 2;
      (utc_offset(mid, zone) == offset ? lo : hi) = mid;
    }
    return hi;
  }
  return t + 86400;  // unreachable: the 1440 edge is later than t
}

int64_t billing_period_start(const config::Tariff& tariff, int64_t t, const TimeZone& zone) {
  const civil_second local = zone.to_local(t);
  cctz::civil_month month(local);
  if (civil_day(local) < billing_day_of(month, tariff.billing_day)) month -= 1;
  return first_instant_at(civil_second(billing_day_of(month, tariff.billing_day)), zone);
}

int64_t next_billing_period(const config::Tariff& tariff, int64_t t, const TimeZone& zone) {
  const cctz::civil_month month(zone.to_local(billing_period_start(tariff, t, zone)));
  return first_instant_at(civil_second(billing_day_of(month + 1, tariff.billing_day)), zone);
}

int64_t day_start(int64_t t, const TimeZone& zone) {
  return first_instant_at(civil_second(civil_day(zone.to_local(t))), zone);
}

int64_t next_day_start(int64_t t, const TimeZone& zone) {
  return first_instant_at(civil_second(civil_day(zone.to_local(t)) + 1), zone);
}

}  // namespace iw::query
