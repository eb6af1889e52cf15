// A tariff on the local calendar: rules by weekday, season and holiday; price changes across
// both DST changes; billing periods on a billing day.
#include "query/tariff_clock.h"

#include <gtest/gtest.h>

#include "query/zone_testing.h"

namespace iw::query {
namespace {

using cctz::civil_second;
using testing::utc;

config::Tariff Plan() {
  config::Tariff t;
  t.import.price = 0.20;
  config::TouRule weekday_peak;
  weekday_peak.days = 0b0011111;         // Monday .. Friday
  weekday_peak.months = 0b111000000111;  // Jan-Mar, Oct-Dec: winter
  weekday_peak.from_minute = 17 * 60;
  weekday_peak.to_minute = 21 * 60;
  weekday_peak.price = 0.40;
  weekday_peak.peak = true;
  config::TouRule night;
  night.from_minute = 2 * 60 + 30;  // 02:30: inside the spring-forward gap in Berlin
  night.to_minute = 5 * 60;
  night.price = 0.10;
  t.import.rules = {weekday_peak, night};
  t.holidays = {cctz::civil_day(2026, 12, 24)};
  t.billing_day = 15;
  return t;
}

TEST(TariffClock, RulesHoldByWeekdaySeasonAndHoliday) {
  const config::Tariff t = Plan();
  EXPECT_EQ(price_at(t.import, t.holidays, civil_second(2026, 12, 23, 18, 0, 0)).price, 0.40);  // Wednesday
  EXPECT_TRUE(price_at(t.import, t.holidays, civil_second(2026, 12, 23, 18, 0, 0)).peak);
  EXPECT_EQ(price_at(t.import, t.holidays, civil_second(2026, 12, 24, 18, 0, 0)).price, 0.20);  // holiday: Sunday
  EXPECT_EQ(price_at(t.import, t.holidays, civil_second(2026, 12, 26, 18, 0, 0)).price, 0.20);  // Saturday
  EXPECT_EQ(price_at(t.import, t.holidays, civil_second(2026, 7, 1, 18, 0, 0)).price, 0.20);    // summer
  EXPECT_EQ(price_at(t.import, t.holidays, civil_second(2026, 12, 23, 21, 0, 0)).price, 0.20);  // `to` is excluded
  EXPECT_EQ(price_at(t.import, t.holidays, civil_second(2026, 12, 23, 3, 0, 0)).price, 0.10);
}

TEST(TariffClock, AnEdgeInTheSpringForwardGapTakesEffectWhenTheClockJumps) {
  auto berlin = testing::zone("Europe/Berlin");
  const auto edges = edge_minutes(Plan());
  // 2026-03-29: 02:00 CET (01:00Z) becomes 03:00 CEST. The 02:30 edge is at 01:00Z.
  EXPECT_EQ(next_price_change(edges, utc(2026, 3, 28, 23, 0), *berlin), utc(2026, 3, 29, 1, 0));
  EXPECT_EQ(next_price_change(edges, utc(2026, 3, 29, 1, 0), *berlin), utc(2026, 3, 29, 3, 0));  // 05:00 CEST
}

TEST(TariffClock, TheRepeatedHourOfFallBackHasItsEdgesOnce) {
  auto berlin = testing::zone("Europe/Berlin");
  const auto edges = edge_minutes(Plan());
  // 2026-10-25: 03:00 CEST (01:00Z) becomes 02:00 CET; 02:30 happens at 00:30Z and 01:30Z.
  EXPECT_EQ(next_price_change(edges, utc(2026, 10, 24, 22, 0), *berlin), utc(2026, 10, 25, 0, 30));
  // At 01:00Z the clock goes back from 03:00 to 02:00: the night rule stops, and starts again at
  // the second 02:30 (01:30Z).
  EXPECT_EQ(next_price_change(edges, utc(2026, 10, 25, 0, 30), *berlin), utc(2026, 10, 25, 1, 0));
  const config::Tariff t = Plan();
  EXPECT_EQ(price_at(t.import, t.holidays, berlin->to_local(utc(2026, 10, 25, 1, 0))).price, 0.20);
  EXPECT_EQ(next_price_change(edges, utc(2026, 10, 25, 1, 0), *berlin), utc(2026, 10, 25, 1, 30));
  EXPECT_EQ(next_price_change(edges, utc(2026, 10, 25, 1, 30), *berlin), utc(2026, 10, 25, 4, 0));  // 05:00 CET
  EXPECT_EQ(next_day_start(utc(2026, 10, 25, 12, 0), *berlin) - day_start(utc(2026, 10, 25, 12, 0), *berlin),
            25 * 3600);
  EXPECT_EQ(next_day_start(utc(2026, 3, 29, 12, 0), *berlin) - day_start(utc(2026, 3, 29, 12, 0), *berlin), 23 * 3600);
}

TEST(TariffClock, BillingPeriodsStartOnTheBillingDayAtLocalMidnight) {
  auto berlin = testing::zone("Europe/Berlin");
  const config::Tariff t = Plan();
  EXPECT_EQ(billing_period_start(t, utc(2026, 3, 20), *berlin), utc(2026, 3, 14, 23, 0));  // CET
  EXPECT_EQ(next_billing_period(t, utc(2026, 3, 20), *berlin), utc(2026, 4, 14, 22, 0));   // CEST
  EXPECT_EQ(billing_period_start(t, utc(2026, 3, 14, 22, 59), *berlin), utc(2026, 2, 14, 23, 0));
  EXPECT_EQ(billing_period_start(t, utc(2026, 1, 5), *berlin), utc(2025, 12, 14, 23, 0));
}

}  // namespace
}  // namespace iw::query
