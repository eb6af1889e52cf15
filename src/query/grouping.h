// The `group` of a query: how [begin, end) is cut into rows (firmware reference 5.2).
//
// Calendar units follow LOCAL time: a day starts at local midnight (so it lasts 23 or 25 h
// across a DST change), a week on Sunday 00:00, a month on the 1st, a year on Jan 1. Minutes
// and hours start on local :00 too; the original aligned hours to UTC, which in zones such as
// Asia/Kolkata (+5:30) put every hourly row at half past (firmware reference 14, item 18).
#pragma once

#include <cstdint>
#include <string_view>

#include "base/status.h"
#include "query/time_zone.h"

namespace iw::query {

struct Grouping {
  enum class Unit { kAuto, kAll, kSeconds, kMinutes, kHours, kDays, kWeeks, kMonths, kYears } unit;
  int64_t count;  // units per group, > 0; 0 for kAuto and kAll
};

// "auto", "all", "<N><s|m|h|d|w|M|y>" (m minutes, M months, N > 0, at most 9 digits; a bare
// unit means N = 1, as in the original's documented example group=h), or a
// bare N that is a multiple of 5 (seconds). Anything else fails with exactly "Invalid group",
// the original's text.
Result<Grouping> parse_grouping(std::string_view text);

// kAuto becomes seconds: the first of 5, 10, 15, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600,
// 7200, 14400, 21600, 28800 that is >= (end - begin) / 400 (/ 800 with high resolution, integer
// division as the original), else 86400: about 360 (720) rows. Other groupings are returned
// unchanged.
Grouping resolve_auto(Grouping grouping, int64_t begin, int64_t end, bool high_resolution);

// The start (UTC) of the group after the one that starts at, or contains, `group_start_utc`;
// always later than `group_start_utc`. The caller clips it to the query's end.
//   seconds  t + N
//   minutes  the local minute of t + N minutes     } stepped in elapsed time, so the repeated
//   hours    the local hour of t + N hours         } hour of a fall-back gives its own rows
//   days     local midnight of t + N days
//   weeks    the next Sunday 00:00 local, + N - 1 weeks
//   months   the 1st 00:00 local, N months ahead
//   years    Jan 1 00:00 local, N years ahead
//   all      INT64_MAX, later than any end: one group
// REQUIRES: grouping is resolved (not kAuto); an unresolved kAuto is treated as kAll.
int64_t next_boundary(const Grouping& grouping, int64_t group_start_utc, const TimeZone& tz);

}  // namespace iw::query
