// The `begin` and `end` of a query (firmware reference 5.2, "Time specifiers").
//
// A spec is one of:
//   UNIX time   exactly 10 digits (seconds), or 13 digits (milliseconds, truncated to seconds);
//   ISO date    YYYY[-MM[-DD[Thh[:mm[:ss]]]]][Z], local time unless it ends in Z; year
//               2000-2099; hour 24 (with :00 minutes and seconds) is midnight at the day's end;
//   relative    a base letter y M w d h m s (Jan 1, the 1st of the month, the last Sunday,
//               today, the hour, the minute: each 00:00 of its local unit; s = now rounded
//               down to 5 s), then modifiers (+|-|space)N<unit>, N > 0, unit y M w d h m s;
//               N seconds are rounded down to a multiple of 5. "d-1d" is yesterday's start,
//               "w-1w+3d" last Wednesday's, "s-12h" twelve hours ago (wall clock).
// Calendar arithmetic adds to the local calendar fields and normalises them as mktime does
// (Jan 31 + 1M is Mar 2 or 3), then converts to UTC with the zone's gap/overlap rules, with one
// exception: a relative time that falls in a repeated (fall-back) hour takes now's offset when
// it can, so "s-30s" said during the repeated hour means 30 s ago.
//
// The caller rounds begin up and end down to 5 s; that is not done here.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <cctz/civil_time.h>

#include "base/status.h"
#include "query/time_zone.h"

namespace iw::query {

// The UTC instant (UNIX seconds) that `spec` names when the time is `now_utc` in zone `tz`.
// Fails, naming the spec and the accepted forms, on anything malformed or out of range (an
// instant before 1970 or after 9999); never throws.
Result<int64_t> parse_time_spec(std::string_view spec, int64_t now_utc, const TimeZone& tz);

// "YYYY-MM-DDThh:mm:ss", the form of query time columns (no zone suffix).
std::string iso_time(const cctz::civil_second& t);

}  // namespace iw::query
