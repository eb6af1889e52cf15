#include "query/grouping.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "query/zone_testing.h"

namespace iw::query {
namespace {

using cctz::civil_second;
using testing::utc;
using testing::zone;
using Unit = Grouping::Unit;

Grouping parsed(std::string_view text) {
  const Result<Grouping> g = parse_grouping(text);
  EXPECT_TRUE(g.ok()) << text << ": " << g.error();
  return g.ok() ? g.value() : Grouping{Unit::kAll, 0};
}

void expect_grouping(std::string_view text, Unit unit, int64_t count) {
  const Grouping g = parsed(text);
  EXPECT_EQ(g.unit, unit) << text;
  EXPECT_EQ(g.count, count) << text;
}

TEST(ParseGrouping, EveryForm) {
  expect_grouping("auto", Unit::kAuto, 0);
  expect_grouping("all", Unit::kAll, 0);
  expect_grouping("5s", Unit::kSeconds, 5);
  expect_grouping("30s", Unit::kSeconds, 30);  // Home Assistant's poll
  expect_grouping("15m", Unit::kMinutes, 15);
  expect_grouping("1h", Unit::kHours, 1);
  expect_grouping("2d", Unit::kDays, 2);
  expect_grouping("1w", Unit::kWeeks, 1);
  expect_grouping("1M", Unit::kMonths, 1);
  expect_grouping("1y", Unit::kYears, 1);
  expect_grouping("60", Unit::kSeconds, 60);  // a bare multiple of 5 is seconds
  expect_grouping("999999999d", Unit::kDays, 999999999);
  expect_grouping("h", Unit::kHours, 1);  // a bare unit: the original's documented group=h
  expect_grouping("d", Unit::kDays, 1);
  expect_grouping("M", Unit::kMonths, 1);
}

TEST(ParseGrouping, AnythingElseIsInvalidGroup) {
  for (const char* bad : {"",
                          "7",
                          "0",
                          "0s",
                          "00h",
                          "5x",
                          "x",
                          "hh",
                          "1hh",
                          "Auto",
                          "ALL",
                          "-5s",
                          "+5s",
                          "1.5h",
                          "5 s",
                          " 5s",
                          "5s ",
                          "1234567890s",
                          "99999999999999999999",
                          "1H",
                          "1D",
                          "autox"}) {
    const Result<Grouping> g = parse_grouping(bad);
    ASSERT_FALSE(g.ok()) << '"' << bad << '"';
    EXPECT_EQ(g.error(), "Invalid group");
  }
}

TEST(ResolveAuto, PicksTheTableEntryForAbout400Or800Rows) {
  const Grouping automatic{Unit::kAuto, 0};
  auto seconds = [&](int64_t span, bool high) {
    const Grouping g = resolve_auto(automatic, 1'700'000'000, 1'700'000'000 + span, high);
    EXPECT_EQ(g.unit, Unit::kSeconds);
    return g.count;
  };
  EXPECT_EQ(seconds(86400, false), 300);  // 216 s -> 300
  EXPECT_EQ(seconds(86400, true), 120);   // 108 s -> 120
  EXPECT_EQ(seconds(60, false), 5);
  EXPECT_EQ(seconds(400 * 60, false), 60);        // exactly an entry
  EXPECT_EQ(seconds(400 * 60 + 399, false), 60);  // integer division, as the original
  EXPECT_EQ(seconds(400 * 28800, false), 28800);
  EXPECT_EQ(seconds(400 * 28801, false), 86400);
  EXPECT_EQ(seconds(365 * 86400, false), 86400);
  const Grouping hours{Unit::kHours, 2};
  EXPECT_EQ(resolve_auto(hours, 0, 1'000'000, false).unit, Unit::kHours);
  EXPECT_EQ(resolve_auto(hours, 0, 1'000'000, false).count, 2);
}

// The boundaries after `t`, `n` of them.
std::vector<int64_t> walk(const Grouping& g, int64_t t, int n, const TimeZone& tz) {
  std::vector<int64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(t = next_boundary(g, t, tz));
  return out;
}

TEST(NextBoundary, SecondsAndAll) {
  const auto tz = zone("Asia/Kolkata");
  EXPECT_EQ(next_boundary({Unit::kSeconds, 30}, 1'700'000'003, *tz), 1'700'000'033);
  EXPECT_EQ(next_boundary({Unit::kAll, 0}, 1'700'000'000, *tz), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(next_boundary({Unit::kAuto, 0}, 1'700'000'000, *tz), std::numeric_limits<int64_t>::max());
}

// Item 18 fixed: hours start at local :00, which in +5:30 is UTC :30 and in +5:45 UTC :15.
TEST(NextBoundary, HoursAndMinutesInHalfHourZones) {
  const auto kolkata = zone("Asia/Kolkata");
  const int64_t t = utc(2024, 5, 15, 10, 12, 3);  // 15:42:03 IST, 15:57:03 NPT
  EXPECT_EQ(walk({Unit::kHours, 1}, t, 2, *kolkata),
            (std::vector<int64_t>{utc(2024, 5, 15, 10, 30), utc(2024, 5, 15, 11, 30)}));
  EXPECT_EQ(next_boundary({Unit::kHours, 2}, t, *kolkata), utc(2024, 5, 15, 11, 30));
  const auto kathmandu = zone("Asia/Kathmandu");
  EXPECT_EQ(walk({Unit::kHours, 1}, t, 2, *kathmandu),
            (std::vector<int64_t>{utc(2024, 5, 15, 10, 15), utc(2024, 5, 15, 11, 15)}));
  EXPECT_EQ(next_boundary({Unit::kMinutes, 1}, t, *kathmandu), utc(2024, 5, 15, 10, 13));
  EXPECT_EQ(next_boundary({Unit::kMinutes, 15}, t, *kathmandu), utc(2024, 5, 15, 10, 27));
  const auto adelaide = zone("Australia/Adelaide");  // +9:30, DST +10:30
  EXPECT_EQ(next_boundary({Unit::kHours, 1}, t, *adelaide), utc(2024, 5, 15, 10, 30));
}

TEST(NextBoundary, DaysInHalfHourZones) {
  const int64_t t = utc(2024, 5, 15, 10, 12, 3);
  EXPECT_EQ(next_boundary({Unit::kDays, 1}, t, *zone("Asia/Kolkata")), utc(2024, 5, 15, 18, 30));
  EXPECT_EQ(next_boundary({Unit::kDays, 1}, t, *zone("Asia/Kathmandu")), utc(2024, 5, 15, 18, 15));
  EXPECT_EQ(next_boundary({Unit::kDays, 2}, t, *zone("Asia/Kathmandu")), utc(2024, 5, 16, 18, 15));
}

// Adelaide: 2024-04-07 03:00 ACDT -> 02:00 ACST; 2024-10-06 02:00 ACST -> 03:00 ACDT.
TEST(NextBoundary, AdelaideDaysOf25And23HoursAndRepeatedHour) {
  const auto tz = zone("Australia/Adelaide");
  const int64_t april7 = utc(2024, 4, 6, 13, 30);  // 00:00 ACDT
  EXPECT_EQ(next_boundary({Unit::kDays, 1}, april7, *tz) - april7, 25 * 3600);
  const int64_t october6 = utc(2024, 10, 5, 14, 30);  // 00:00 ACST
  EXPECT_EQ(next_boundary({Unit::kDays, 1}, october6, *tz) - october6, 23 * 3600);
  // 02:00 ACDT, then 02:00 ACST (the repeated hour has its own row), then 03:00 ACST.
  EXPECT_EQ(walk({Unit::kHours, 1}, utc(2024, 4, 6, 15, 30), 2, *tz),
            (std::vector<int64_t>{utc(2024, 4, 6, 16, 30), utc(2024, 4, 6, 17, 30)}));
  EXPECT_EQ(tz->to_local(utc(2024, 4, 6, 16, 30)), civil_second(2024, 4, 7, 2, 0, 0));
  EXPECT_EQ(tz->to_local(utc(2024, 4, 6, 15, 30)), civil_second(2024, 4, 7, 2, 0, 0));
}

// St. John's: -3:30, DST -2:30; 2024-11-03 02:00 NDT -> 01:00 NST (04:30 UTC).
TEST(NextBoundary, StJohnsHalfHourZoneWithDst) {
  const auto tz = zone("America/St_Johns");
  const int64_t nov3 = utc(2024, 11, 3, 2, 30);                                    // 00:00 NDT
  EXPECT_EQ(next_boundary({Unit::kDays, 1}, nov3, *tz), utc(2024, 11, 4, 3, 30));  // 25 h
  EXPECT_EQ(walk({Unit::kHours, 1}, utc(2024, 11, 3, 3, 30), 2, *tz),
            (std::vector<int64_t>{utc(2024, 11, 3, 4, 30), utc(2024, 11, 3, 5, 30)}));
  EXPECT_EQ(next_boundary({Unit::kHours, 1}, utc(2024, 7, 1, 12, 0), *tz), utc(2024, 7, 1, 12, 30));
  const int64_t mar10 = utc(2024, 3, 10, 3, 30);                                    // 00:00 NST; 02:00 -> 03:00 NDT
  EXPECT_EQ(next_boundary({Unit::kDays, 1}, mar10, *tz), utc(2024, 3, 11, 2, 30));  // 23 h
}

TEST(NextBoundary, NewYorkDaysAndHoursAcrossDst) {
  const auto tz = zone("America/New_York");
  EXPECT_EQ(next_boundary({Unit::kDays, 1}, utc(2024, 3, 10, 5), *tz), utc(2024, 3, 11, 4));  // 23 h
  EXPECT_EQ(next_boundary({Unit::kDays, 1}, utc(2024, 11, 3, 4), *tz), utc(2024, 11, 4, 5));  // 25 h
  EXPECT_EQ(walk({Unit::kHours, 1}, utc(2024, 11, 3, 4), 3, *tz),
            (std::vector<int64_t>{utc(2024, 11, 3, 5), utc(2024, 11, 3, 6), utc(2024, 11, 3, 7)}));
  EXPECT_EQ(walk({Unit::kHours, 1}, utc(2024, 3, 10, 5), 3, *tz),  // 00:00, 01:00, 03:00 EDT
            (std::vector<int64_t>{utc(2024, 3, 10, 6), utc(2024, 3, 10, 7), utc(2024, 3, 10, 8)}));
  EXPECT_EQ(tz->to_local(utc(2024, 3, 10, 7)), civil_second(2024, 3, 10, 3, 0, 0));
}

TEST(NextBoundary, WeeksMonthsYearsInBerlin) {
  const auto tz = zone("Europe/Berlin");
  const int64_t wednesday = utc(2024, 5, 15, 11, 47, 23);
  EXPECT_EQ(next_boundary({Unit::kWeeks, 1}, wednesday, *tz), utc(2024, 5, 18, 22));  // Sunday 19th
  EXPECT_EQ(next_boundary({Unit::kWeeks, 2}, wednesday, *tz), utc(2024, 5, 25, 22));
  EXPECT_EQ(next_boundary({Unit::kWeeks, 1}, utc(2024, 5, 18, 22), *tz), utc(2024, 5, 25, 22));
  EXPECT_EQ(next_boundary({Unit::kWeeks, 1}, utc(2024, 3, 24, 10), *tz), utc(2024, 3, 30, 23));  // CET Sunday
  EXPECT_EQ(next_boundary({Unit::kMonths, 1}, utc(2024, 9, 30, 22), *tz), utc(2024, 10, 31, 23));
  EXPECT_EQ(next_boundary({Unit::kMonths, 3}, wednesday, *tz), utc(2024, 7, 31, 22));
  EXPECT_EQ(next_boundary({Unit::kMonths, 1}, utc(2024, 12, 15), *tz), utc(2024, 12, 31, 23));
  EXPECT_EQ(next_boundary({Unit::kYears, 1}, wednesday, *tz), utc(2024, 12, 31, 23));
  EXPECT_EQ(next_boundary({Unit::kYears, 2}, wednesday, *tz), utc(2025, 12, 31, 23));
}

// Walking a year of boundaries: each later than the last and on its local unit, in zones with
// whole-hour, half-hour, 45-minute and 30-minute-DST offsets.
TEST(NextBoundary, EveryBoundaryOfAYearIsLocallyAligned) {
  for (const char* name : {"Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "America/St_Johns",
                           "Australia/Adelaide", "Asia/Kathmandu", "Australia/Lord_Howe"}) {
    const auto tz = zone(name);
    for (Unit unit : {Unit::kMinutes, Unit::kHours, Unit::kDays, Unit::kWeeks, Unit::kMonths}) {
      int64_t t = utc(2024, 1, 1, 3, 17, 41);
      const int steps = unit == Unit::kMinutes ? 3000 : unit == Unit::kHours ? 9000 : 60;
      for (int i = 0; i < steps; ++i) {
        const int64_t next = next_boundary({unit, 1}, t, *tz);
        ASSERT_GT(next, t) << name;
        const civil_second l = tz->to_local(next);
        ASSERT_EQ(l.second(), 0) << name << " " << static_cast<int>(unit);
        if (unit != Unit::kMinutes) {
          ASSERT_EQ(l.minute(), 0) << name << " " << next;
        }
        if (unit == Unit::kDays || unit == Unit::kWeeks || unit == Unit::kMonths) {
          ASSERT_EQ(l.hour(), 0) << name;
        }
        if (unit == Unit::kWeeks) {
          ASSERT_EQ(cctz::get_weekday(cctz::civil_day(l)), cctz::weekday::sunday);
        }
        if (unit == Unit::kMonths) {
          ASSERT_EQ(l.day(), 1) << name;
        }
        if (unit == Unit::kHours) {
          ASSERT_LE(next - t, 7200) << name << " " << next;
        }
        t = next;
      }
    }
  }
}

}  // namespace
}  // namespace iw::query
