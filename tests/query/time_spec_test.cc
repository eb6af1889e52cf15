#include "query/time_spec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "query/zone_testing.h"

namespace iw::query {
namespace {

using cctz::civil_second;
using testing::utc;
using testing::zone;

// parse_time_spec that must succeed.
int64_t at(std::string_view spec, int64_t now, const TimeZone& tz) {
  const Result<int64_t> r = parse_time_spec(spec, now, tz);
  EXPECT_TRUE(r.ok()) << spec << ": " << r.error();
  return r.ok() ? r.value() : -1;
}

TEST(TimeSpec, UnixSecondsAndMilliseconds) {
  const auto tz = zone("Europe/Berlin");
  EXPECT_EQ(at("1700000000", 0, *tz), 1700000000);
  EXPECT_EQ(at("1700000000999", 0, *tz), 1700000000);  // milliseconds truncated
  EXPECT_EQ(at("1600000000", 0, *tz), 1600000000);     // Home Assistant's lifetime query
}

TEST(TimeSpec, IsoFormsAreLocalUnlessZ) {
  const auto tz = zone("Europe/Berlin");
  EXPECT_EQ(at("2024", 0, *tz), utc(2023, 12, 31, 23));
  EXPECT_EQ(at("2024-07", 0, *tz), utc(2024, 6, 30, 22));
  EXPECT_EQ(at("2024-07-04", 0, *tz), utc(2024, 7, 3, 22));
  EXPECT_EQ(at("2024-07-04T15", 0, *tz), utc(2024, 7, 4, 13));
  EXPECT_EQ(at("2024-07-04T15:30", 0, *tz), utc(2024, 7, 4, 13, 30));
  EXPECT_EQ(at("2024-07-04T15:30:45", 0, *tz), utc(2024, 7, 4, 13, 30, 45));
  EXPECT_EQ(at("2024-07-04T15:30:45Z", 0, *tz), utc(2024, 7, 4, 15, 30, 45));
  EXPECT_EQ(at("2024Z", 0, *tz), utc(2024, 1, 1));
  EXPECT_EQ(at("2024-07-04T24", 0, *tz), utc(2024, 7, 4, 22));  // the end of the 4th
  EXPECT_EQ(at("2024-12-31T24:00:00Z", 0, *tz), utc(2025, 1, 1));
  EXPECT_EQ(at("2024-02-29", 0, *tz), utc(2024, 2, 28, 23));
  EXPECT_EQ(at("2000-01-01", 0, *tz), utc(1999, 12, 31, 23));  // Home Assistant's "from the start"
  EXPECT_EQ(at("2026-11-24T12:53:45Z", 0, *tz), utc(2026, 11, 24, 12, 53, 45));
  EXPECT_EQ(at("2024-03-31T02:30", 0, *tz), utc(2024, 3, 31, 1, 30));   // skipped: as 03:30 CEST
  EXPECT_EQ(at("2024-10-27T02:30", 0, *tz), utc(2024, 10, 27, 0, 30));  // repeated: the first
}

// Wednesday 2024-05-15 13:47:23 CEST.
class RelativeBerlin : public ::testing::Test {
 protected:
  std::unique_ptr<TimeZone> tz = zone("Europe/Berlin");
  const int64_t now = utc(2024, 5, 15, 11, 47, 23);
  int64_t rel(std::string_view spec) { return at(spec, now, *tz); }
};

TEST_F(RelativeBerlin, Bases) {
  EXPECT_EQ(rel("s"), utc(2024, 5, 15, 11, 47, 20));  // rounded down to 5 s
  EXPECT_EQ(rel("m"), utc(2024, 5, 15, 11, 47));
  EXPECT_EQ(rel("h"), utc(2024, 5, 15, 11));
  EXPECT_EQ(rel("d"), utc(2024, 5, 14, 22));
  EXPECT_EQ(rel("w"), utc(2024, 5, 11, 22));  // Sunday the 12th, 00:00 CEST
  EXPECT_EQ(rel("M"), utc(2024, 4, 30, 22));
  EXPECT_EQ(rel("y"), utc(2023, 12, 31, 23));  // Jan 1 is CET
}

TEST_F(RelativeBerlin, TheReferenceExamples) {
  EXPECT_EQ(rel("d-1d"), utc(2024, 5, 13, 22));    // yesterday
  EXPECT_EQ(rel("M-1M"), utc(2024, 3, 31, 22));    // last month (April 1, CEST)
  EXPECT_EQ(rel("w-1w+3d"), utc(2024, 5, 7, 22));  // last Wednesday
  EXPECT_EQ(rel("s-12h"), utc(2024, 5, 14, 23, 47, 20));
  EXPECT_EQ(rel("y"), utc(2023, 12, 31, 23));             // "y ... s" is the year to date
  EXPECT_EQ(rel("s-30s"), utc(2024, 5, 15, 11, 46, 50));  // Home Assistant's poll
}

TEST_F(RelativeBerlin, Modifiers) {
  EXPECT_EQ(rel("d 1d"), utc(2024, 5, 15, 22));  // '+' arrives URL-decoded as a space
  EXPECT_EQ(rel("d+1d"), utc(2024, 5, 15, 22));
  EXPECT_EQ(rel("s-7s"), utc(2024, 5, 15, 11, 47, 15));  // 7 s counts as 5
  EXPECT_EQ(rel("s+4s"), utc(2024, 5, 15, 11, 47, 20));  // 4 s counts as 0
  EXPECT_EQ(rel("d+36h"), utc(2024, 5, 16, 10));
  // Fields add up first and normalise once: Jan 1 2023 + 2 months - 3 days is Feb 26.
  EXPECT_EQ(rel("y-1y+2M-3d+4h-5m+10s"), utc(2023, 2, 26, 2, 55, 10));
}

TEST(TimeSpec, CalendarArithmeticNormalisesLikeMktime) {
  const auto tz = zone("UTC");
  EXPECT_EQ(at("s-1M", utc(2024, 3, 31, 12), *tz), utc(2024, 3, 2, 12));  // "Feb 31"
  EXPECT_EQ(at("d+1M", utc(2023, 1, 31, 12), *tz), utc(2023, 3, 3));      // "Feb 31", 2023
  EXPECT_EQ(at("w", utc(2024, 5, 12, 9), *tz), utc(2024, 5, 12));         // on a Sunday: today
  EXPECT_EQ(at("w", utc(2024, 5, 11, 23, 59, 59), *tz), utc(2024, 5, 5));
  EXPECT_EQ(at("M-13M", utc(2024, 1, 15), *tz), utc(2022, 12, 1));
}

TEST(TimeSpec, NextToBerlinDstChanges) {
  const auto tz = zone("Europe/Berlin");
  const int64_t spring = utc(2024, 3, 31, 10);  // 12:00 CEST, the day of 23 hours
  EXPECT_EQ(at("d", spring, *tz), utc(2024, 3, 30, 23));
  EXPECT_EQ(at("d+1d", spring, *tz), utc(2024, 3, 31, 22));
  EXPECT_EQ(at("s-12h", spring, *tz), utc(2024, 3, 30, 23));        // wall clock: 11 h elapsed
  EXPECT_EQ(at("d+2h+30m", spring, *tz), utc(2024, 3, 31, 1, 30));  // skipped 02:30 = 03:30 CEST
  const int64_t fall = utc(2024, 10, 27, 11);                       // 12:00 CET, the day of 25 hours
  EXPECT_EQ(at("d", fall, *tz), utc(2024, 10, 26, 22));
  EXPECT_EQ(at("d+1d", fall, *tz), utc(2024, 10, 27, 23));
  EXPECT_EQ(at("s-12h", fall, *tz), utc(2024, 10, 26, 22));              // 13 h elapsed
  EXPECT_EQ(at("d+2h+30m", fall, *tz), utc(2024, 10, 27, 1, 30));        // repeated 02:30: now's offset (CET)
  const int64_t first_pass = utc(2024, 10, 27, 0, 45);                   // 02:45 CEST, before the change
  EXPECT_EQ(at("d+2h+30m", first_pass, *tz), utc(2024, 10, 27, 0, 30));  // CEST
  EXPECT_EQ(at("d+3h+30m", first_pass, *tz), utc(2024, 10, 27, 2, 30));  // 03:30 exists once
}

// Home Assistant asks for begin=s-30s&end=s every 30 s; during the repeated hour both must stay
// 30 s apart and next to now.
TEST(TimeSpec, RelativeTimesInTheRepeatedHourStayNextToNow) {
  const auto ny = zone("America/New_York");  // 2024-11-03 02:00 EDT -> 01:00 EST at 06:00 UTC
  for (const int64_t now : {utc(2024, 11, 3, 5, 30, 2), utc(2024, 11, 3, 6, 0, 40), utc(2024, 11, 3, 6, 30, 2),
                            utc(2024, 11, 3, 7, 0, 5), utc(2024, 11, 3, 5, 0, 20)}) {
    EXPECT_EQ(at("s", now, *ny), now / 5 * 5) << now;
    EXPECT_EQ(at("s-30s", now, *ny), now / 5 * 5 - 30) << now;
    EXPECT_EQ(at("m", now, *ny), now / 60 * 60) << now;
  }
  EXPECT_EQ(at("h", utc(2024, 11, 3, 6, 30, 2), *ny), utc(2024, 11, 3, 6));  // 01:00 EST
  EXPECT_EQ(at("h", utc(2024, 11, 3, 5, 30, 2), *ny), utc(2024, 11, 3, 5));  // 01:00 EDT
  // Arithmetic is on the wall clock: 30 s before 01:00:10 EST is 00:59:40, which is EDT, an
  // hour and 30 s ago. Only a window that straddles the change itself sees this.
  EXPECT_EQ(at("s-30s", utc(2024, 11, 3, 6, 0, 10), *ny), utc(2024, 11, 3, 4, 59, 40));
}

TEST(TimeSpec, NextToNewYorkAndSydneyDstChanges) {
  const auto ny = zone("America/New_York");
  const int64_t ny_spring = utc(2024, 3, 10, 16);  // 12:00 EDT
  EXPECT_EQ(at("d", ny_spring, *ny), utc(2024, 3, 10, 5));
  EXPECT_EQ(at("h-10h", ny_spring, *ny), utc(2024, 3, 10, 7));            // 02:00 does not exist: 03:00 EDT
  EXPECT_EQ(at("d-1d", utc(2024, 11, 3, 17), *ny), utc(2024, 11, 2, 4));  // Nov 2 00:00 EDT

  const auto sydney = zone("Australia/Sydney");
  const int64_t october = utc(2024, 10, 6, 1);                 // 12:00 AEDT on the day DST begins
  EXPECT_EQ(at("d", october, *sydney), utc(2024, 10, 5, 14));  // 00:00 AEST
  EXPECT_EQ(at("d-1d", october, *sydney), utc(2024, 10, 4, 14));
  EXPECT_EQ(at("M", october, *sydney), utc(2024, 9, 30, 14));
  const int64_t april = utc(2024, 4, 7, 2);                 // 12:00 AEST on the day DST ends
  EXPECT_EQ(at("d", april, *sydney), utc(2024, 4, 6, 13));  // 00:00 AEDT
  EXPECT_EQ(at("d+1d", april, *sydney), utc(2024, 4, 7, 14));
}

TEST(TimeSpec, HalfHourZones) {
  const auto kolkata = zone("Asia/Kolkata");
  const int64_t now = utc(2024, 5, 15, 10, 12, 3);  // 15:42:03 IST
  EXPECT_EQ(at("h", now, *kolkata), utc(2024, 5, 15, 9, 30));
  EXPECT_EQ(at("d", now, *kolkata), utc(2024, 5, 14, 18, 30));
  const auto kathmandu = zone("Asia/Kathmandu");
  EXPECT_EQ(at("h", now, *kathmandu), utc(2024, 5, 15, 9, 15));  // 15:57 NPT -> 15:00
  EXPECT_EQ(at("d", now, *kathmandu), utc(2024, 5, 14, 18, 15));
}

TEST(TimeSpec, MalformedSpecsAreErrorsNamingTheSpec) {
  const auto tz = zone("Europe/Berlin");
  const int64_t now = utc(2024, 5, 15, 11, 47, 23);
  const std::vector<std::string> bad = {
      "",
      "x",
      "Y",
      "D",
      "+1d",
      "d-",
      "d-0d",
      "d+1",
      "d+1x",
      "d--1d",
      "d+-1d",
      "d1d",
      "d+1d ",
      "d+1234567890d",
      "y-100y",
      "y-55y",
      "y+8000y",
      "dd",
      "s-1.5h",
      "123",
      "1234",
      "12345678901",
      "123456789012",
      "12345678901234",
      "1999-01-01",
      "2100-01-01",
      "2024-13",
      "2024-00",
      "2024-02-30",
      "2023-02-29",
      "2024-1-01",
      "2024-01-1",
      "2024-01-01T25",
      "2024-01-01T24:30",
      "2024-01-01T12:60",
      "2024-01-01T12:00:60",
      "2024-01-01X",
      "2024-01-01ZZ",
      "2024-01-01 12:00",
      "2024-01-01T",
      "2024-",
      "-5",
      "1e10",
      "2024-01-01t12",
      "2024-01-01T12:00Z1",
      std::string("d\0", 2),
      "\xff",
      std::string(1000, 'd'),
      "d" + std::string(500, '+'),
  };
  ASSERT_GE(bad.size(), 25u);
  for (const std::string& spec : bad) {
    Result<int64_t> r = parse_time_spec(spec, now, *tz);
    ASSERT_FALSE(r.ok()) << '"' << spec << "\" gave " << r.value();
    EXPECT_EQ(r.error().rfind("invalid time \"", 0), 0u) << r.error();
    EXPECT_NE(r.error().find("use 10-digit UNIX seconds"), std::string::npos) << r.error();
    if (spec.size() <= 40) {
      EXPECT_NE(r.error().find(spec), std::string::npos) << r.error();
    }
  }
}

TEST(TimeSpec, ErrorsSayWhatIsWrong) {
  const auto tz = zone("UTC");
  EXPECT_NE(parse_time_spec("2024-13", 0, *tz).error().find("month 13 is not 1-12"), std::string::npos);
  EXPECT_NE(parse_time_spec("1999", 0, *tz).error().find("year 1999 is not 2000-2099"), std::string::npos);
  EXPECT_NE(parse_time_spec("d-0d", 0, *tz).error().find("must not be 0"), std::string::npos);
  EXPECT_NE(parse_time_spec("q", 0, *tz).error().find("'q' is not a base"), std::string::npos);
}

TEST(IsoTime, FormatsWithoutZone) {
  EXPECT_EQ(iso_time(civil_second(2019, 10, 16, 0, 0, 0)), "2019-10-16T00:00:00");
  EXPECT_EQ(iso_time(civil_second(2024, 12, 31, 23, 59, 5)), "2024-12-31T23:59:05");
}

}  // namespace
}  // namespace iw::query
