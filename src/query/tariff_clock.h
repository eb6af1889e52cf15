// A tariff on the monitor's calendar: which price holds at an instant, where prices may change
// next, and the billing periods. Everything is local wall-clock time of the monitor's zone
// (time_zone.h), so rules follow DST: a 17:00 rule starts at 17:00 local on both sides of a
// change, a spring-forward day has 23 hours and a fall-back day 25.
#pragma once

#include <cstdint>
#include <vector>

#include <cctz/civil_time.h>

#include "config/tariff_config.h"
#include "query/time_zone.h"

namespace iw::query {

struct PriceAt {
  double price = 0;
  bool peak = false;  // a rule marked peak holds
};

// The price `schedule` gives at local time `local` (first matching rule, else the base price).
// A date in `holidays` (sorted) is priced as a Sunday.
PriceAt price_at(const config::PriceSchedule& schedule, const std::vector<cctz::civil_day>& holidays,
                 const cctz::civil_second& local);

// The minutes of the day where a price of `tariff` may change: every rule's `from` and `to`
// (import and export) and 1440 (midnight), sorted, unique.
std::vector<int> edge_minutes(const config::Tariff& tariff);

// The first instant after `t` at which a price may change: the next of `edges` (edge_minutes())
// on the local clock, local midnight at the latest, or a DST change before them (the wall clock
// jumps there). Always > t. Between t and the result the wall clock runs evenly, so every
// price, the day and the billing period are constant. In a repeated (fall-back) hour, an edge
// in it happens twice.
int64_t next_price_change(const std::vector<int>& edges, int64_t t, const TimeZone& zone);

// The start (UTC) of the billing period holding `t`: local 00:00 of the tariff's billing day.
int64_t billing_period_start(const config::Tariff& tariff, int64_t t, const TimeZone& zone);
// The start of the billing period after the one holding `t`; always > t.
int64_t next_billing_period(const config::Tariff& tariff, int64_t t, const TimeZone& zone);

// Local midnight (UTC) starting the local day that holds `t`, and the next one.
int64_t day_start(int64_t t, const TimeZone& zone);
int64_t next_day_start(int64_t t, const TimeZone& zone);

}  // namespace iw::query
