#include "query/time_zone.h"

#include <gtest/gtest.h>

#include <string>

#include "query/time_spec.h"
#include "query/zone_testing.h"

namespace iw::query {
namespace {

using cctz::civil_second;
using config::DstPoint;
using config::DstRule;
using testing::utc;
using testing::zone;

// ---- IANA zones ------------------------------------------------------------------------------

TEST(IanaZone, LoadsByNameAndRefusesUnknownNamesAndPaths) {
  EXPECT_EQ(zone("Europe/Berlin")->name(), "Europe/Berlin");
  EXPECT_EQ(zone("UTC")->to_local(utc(2024, 6, 1, 12)), civil_second(2024, 6, 1, 12, 0, 0));
  for (const char* bad : {"Europe/Berln", "", "Mars/Olympus", "../../etc/passwd", "/etc/localtime",
                          "Europe/../Europe/Berlin", "Europe/Berlin\n"}) {
    const auto z = load_iana_zone(bad);
    ASSERT_FALSE(z.ok()) << bad;
    EXPECT_NE(z.error().find("unknown time zone"), std::string::npos) << z.error();
    EXPECT_NE(z.error().find("Europe/Berlin"), std::string::npos) << z.error();  // says what is accepted
  }
  EXPECT_NE(load_iana_zone("Europe/Berln").error().find("\"Europe/Berln\""), std::string::npos);
}

// Europe/Berlin 2024: 02:00 CET -> 03:00 CEST on Mar 31 (01:00 UTC); 03:00 CEST -> 02:00 CET
// on Oct 27 (01:00 UTC).
TEST(IanaZone, BerlinSpringForwardAndFallBack) {
  const auto berlin = zone("Europe/Berlin");
  EXPECT_EQ(berlin->to_local(utc(2024, 3, 31, 0, 59, 59)), civil_second(2024, 3, 31, 1, 59, 59));
  EXPECT_EQ(berlin->to_local(utc(2024, 3, 31, 1)), civil_second(2024, 3, 31, 3, 0, 0));
  // 02:30 does not exist: as if the clock had not moved, i.e. 03:30 CEST.
  EXPECT_EQ(berlin->to_utc(civil_second(2024, 3, 31, 2, 30, 0)), utc(2024, 3, 31, 1, 30));
  EXPECT_EQ(berlin->to_utc(civil_second(2024, 3, 31, 3, 30, 0)), utc(2024, 3, 31, 1, 30));
  // 02:30 happens twice: the first (CEST) instant.
  EXPECT_EQ(berlin->to_utc(civil_second(2024, 10, 27, 2, 30, 0)), utc(2024, 10, 27, 0, 30));
  EXPECT_EQ(berlin->to_local(utc(2024, 10, 27, 1, 30)), civil_second(2024, 10, 27, 2, 30, 0));
  EXPECT_EQ(berlin->standard_offset_s(utc(2024, 7, 1)), 3600);
  EXPECT_EQ(berlin->standard_offset_s(utc(2024, 1, 1)), 3600);
  EXPECT_TRUE(berlin->has_dst(utc(2024, 1, 1)));
}

// America/New_York 2024: Mar 10 02:00 EST -> 03:00 EDT (07:00 UTC); Nov 3 02:00 EDT -> 01:00 EST
// (06:00 UTC).
TEST(IanaZone, NewYorkSpringForwardAndFallBack) {
  const auto ny = zone("America/New_York");
  EXPECT_EQ(ny->to_utc(civil_second(2024, 3, 10, 2, 30, 0)), utc(2024, 3, 10, 7, 30));  // 03:30 EDT
  EXPECT_EQ(ny->to_local(utc(2024, 3, 10, 7)), civil_second(2024, 3, 10, 3, 0, 0));
  EXPECT_EQ(ny->to_utc(civil_second(2024, 11, 3, 1, 30, 0)), utc(2024, 11, 3, 5, 30));    // first: EDT
  EXPECT_EQ(ny->to_local(utc(2024, 11, 3, 6, 30)), civil_second(2024, 11, 3, 1, 30, 0));  // second: EST
  EXPECT_EQ(ny->standard_offset_s(utc(2024, 7, 1)), -5 * 3600);
}

// Australia/Sydney (southern): Apr 7 2024 03:00 AEDT -> 02:00 AEST (Apr 6 16:00 UTC); Oct 6
// 2024 02:00 AEST -> 03:00 AEDT (Oct 5 16:00 UTC).
TEST(IanaZone, SydneyFallBackInAprilSpringForwardInOctober) {
  const auto sydney = zone("Australia/Sydney");
  EXPECT_EQ(sydney->to_utc(civil_second(2024, 4, 7, 2, 30, 0)), utc(2024, 4, 6, 15, 30));    // AEDT
  EXPECT_EQ(sydney->to_local(utc(2024, 4, 6, 16, 30)), civil_second(2024, 4, 7, 2, 30, 0));  // AEST
  EXPECT_EQ(sydney->to_utc(civil_second(2024, 10, 6, 2, 30, 0)), utc(2024, 10, 5, 16, 30));  // 03:30 AEDT
  EXPECT_EQ(sydney->standard_offset_s(utc(2024, 1, 15)), 10 * 3600);                         // January is DST there
  EXPECT_TRUE(sydney->has_dst(utc(2024, 1, 15)));
}

TEST(IanaZone, HalfHourZonesWithoutAndWithDst) {
  const auto kolkata = zone("Asia/Kolkata");
  EXPECT_EQ(kolkata->to_local(utc(2024, 6, 1, 0)), civil_second(2024, 6, 1, 5, 30, 0));
  EXPECT_EQ(kolkata->standard_offset_s(utc(2024, 6, 1)), 19800);
  EXPECT_FALSE(kolkata->has_dst(utc(2024, 6, 1)));
  const auto kathmandu = zone("Asia/Kathmandu");
  EXPECT_EQ(kathmandu->to_local(utc(2024, 6, 1, 0)), civil_second(2024, 6, 1, 5, 45, 0));
  const auto st_johns = zone("America/St_Johns");  // -3:30, DST -2:30
  EXPECT_EQ(st_johns->to_local(utc(2024, 1, 1, 12)), civil_second(2024, 1, 1, 8, 30, 0));
  EXPECT_EQ(st_johns->to_local(utc(2024, 7, 1, 12)), civil_second(2024, 7, 1, 9, 30, 0));
  EXPECT_EQ(st_johns->standard_offset_s(utc(2024, 7, 1)), -12600);
  EXPECT_TRUE(st_johns->has_dst(utc(2024, 7, 1)));
  EXPECT_FALSE(zone("UTC")->has_dst(0));
}

// ---- the original's rule zone ----------------------------------------------------------------

DstPoint point(int month, int weekday, int instance, int minutes) { return {month, weekday, instance, minutes}; }

// The rules the original's UI offers (firmware reference 10.3).
DstRule americas() { return {60, false, point(3, 1, 2, 120), point(11, 1, 1, 120)}; }
DstRule europe() { return {60, true, point(3, 1, -1, 60), point(10, 1, -1, 60)}; }
DstRule australia() { return {60, false, point(10, 1, 1, 120), point(4, 1, 1, 180)}; }
DstRule new_zealand() { return {60, false, point(9, 1, -1, 120), point(4, 1, 1, 180)}; }

// The number of disagreements over every hour (the second before it, the half hour after it)
// of [first_year, last_year], both ways: UTC -> local, and local -> UTC including the skipped
// and repeated hours. `first` receives the first one.
int disagreements(const TimeZone& rule, const TimeZone& iana, int first_year, int last_year, std::string& first) {
  int mismatches = 0;
  auto report = [&](const std::string& what) {
    if (mismatches++ == 0) first = what;
  };
  for (int64_t u = utc(first_year, 1, 1); u < utc(last_year + 1, 1, 1); u += 3600) {
    for (int64_t t : {u - 1, u, u + 1800}) {
      if (rule.to_local(t) != iana.to_local(t)) report("to_local(" + std::to_string(t) + ")");
    }
    const civil_second local = iana.to_local(u);
    for (const civil_second l : {local, local + 1800, local - 1}) {
      if (rule.to_utc(l) != iana.to_utc(l)) report("to_utc(" + iso_time(l) + ")");
    }
  }
  return mismatches;
}

void expect_same_zone(const TimeZone& rule, const TimeZone& iana, int first_year, int last_year) {
  std::string first;
  EXPECT_EQ(disagreements(rule, iana, first_year, last_year, first), 0) << iana.name() << ": first " << first;
}

TEST(RuleZone, AmericasRuleIsAmericaNewYork2010To2030) {
  expect_same_zone(*rule_zone(-5, americas()), *zone("America/New_York"), 2010, 2030);
}

TEST(RuleZone, EuropeRuleIsEuropeBerlin2000To2030) {
  expect_same_zone(*rule_zone(1, europe()), *zone("Europe/Berlin"), 2000, 2030);
}

TEST(RuleZone, AustraliaRuleIsAustraliaSydney2009To2030) {
  expect_same_zone(*rule_zone(10, australia()), *zone("Australia/Sydney"), 2009, 2030);
}

TEST(RuleZone, NewZealandRuleIsPacificAuckland2008To2030) {
  expect_same_zone(*rule_zone(12, new_zealand()), *zone("Pacific/Auckland"), 2008, 2030);
}

// The comparison above notices an hour's error: the Europe rule read in local time instead of
// UTC (01:00 CET is 00:00 UTC) changes an hour early.
TEST(RuleZone, TheComparisonSeesAnHourOff) {
  DstRule local_europe = europe();
  local_europe.utc = false;
  std::string first;
  EXPECT_GT(disagreements(*rule_zone(1, local_europe), *zone("Europe/Berlin"), 2024, 2024, first), 0);
  EXPECT_EQ(first, "to_local(" + std::to_string(utc(2024, 3, 31, 0)) + ")");  // an hour before the real change
  // And the rule as the firmware description reads it literally for a southern zone (end
  // tested against standard time) would end Sydney's DST an hour late.
  DstRule late_end = australia();
  late_end.end.time += 60;
  EXPECT_GT(disagreements(*rule_zone(10, late_end), *zone("Australia/Sydney"), 2024, 2024, first), 0);
}

TEST(RuleZone, FixedOffsetsIncludingFractionalHours) {
  expect_same_zone(*rule_zone(5.5, std::nullopt), *zone("Asia/Kolkata"), 2020, 2021);
  expect_same_zone(*rule_zone(5.75, std::nullopt), *zone("Asia/Kathmandu"), 2020, 2021);
  const auto z = rule_zone(-3.5, std::nullopt);
  EXPECT_EQ(z->to_local(utc(2024, 1, 1, 12)), civil_second(2024, 1, 1, 8, 30, 0));
  EXPECT_EQ(z->standard_offset_s(0), -12600);
  EXPECT_FALSE(z->has_dst(0));
  EXPECT_EQ(z->name(), "UTC-03:30");
  EXPECT_EQ(rule_zone(5.75, std::nullopt)->name(), "UTC+05:45");
  EXPECT_EQ(rule_zone(1, europe())->name(), "UTC+01:00 with DST rule");
  EXPECT_TRUE(rule_zone(1, europe())->has_dst(0));
}

TEST(RuleZone, GapAndOverlapFollowTheMktimeConvention) {
  const auto z = rule_zone(-5, americas());
  EXPECT_EQ(z->to_utc(civil_second(2024, 3, 10, 2, 30, 0)), utc(2024, 3, 10, 7, 30));
  EXPECT_EQ(z->to_utc(civil_second(2024, 11, 3, 1, 30, 0)), utc(2024, 11, 3, 5, 30));
}

// A 5th Sunday that a month lacks means the last one; -2 is the second to last.
TEST(RuleZone, InstancesBeyondTheMonthAndFromTheEnd) {
  // March 2024 has 5 Sundays (3, 10, 17, 24, 31); February 2023 has 4 (5, 12, 19, 26).
  const auto fifth = rule_zone(0, DstRule{60, true, point(2, 1, 5, 0), point(11, 1, 1, 0)});
  EXPECT_EQ(fifth->to_local(utc(2023, 2, 26, 0) - 1), civil_second(2023, 2, 25, 23, 59, 59));
  EXPECT_EQ(fifth->to_local(utc(2023, 2, 26, 0)), civil_second(2023, 2, 26, 1, 0, 0));
  const auto second_last = rule_zone(0, DstRule{60, true, point(3, 1, -2, 0), point(11, 1, 1, 0)});
  EXPECT_EQ(second_last->to_local(utc(2024, 3, 24, 0)), civil_second(2024, 3, 24, 1, 0, 0));
  EXPECT_EQ(second_last->to_local(utc(2024, 3, 23, 23)), civil_second(2024, 3, 23, 23, 0, 0));
}

TEST(ZoneOf, NameWinsOverHoursAndRule) {
  config::Config c;
  c.timezone = -5;
  c.dst = americas();
  EXPECT_EQ(zone_of(c).value()->name(), "UTC-05:00 with DST rule");
  c.timezone_name = "Asia/Kolkata";
  EXPECT_EQ(zone_of(c).value()->name(), "Asia/Kolkata");
  c.timezone_name = "Nowhere/Land";
  EXPECT_FALSE(zone_of(c).ok());
}

}  // namespace
}  // namespace iw::query
