// Shared helpers for the time-zone tests: zones by name and instants written as civil times.
#pragma once

#include <gtest/gtest.h>

#include <cctz/civil_time.h>

#include <memory>
#include <string>

#include "query/time_zone.h"

namespace iw::query::testing {

// The UNIX time of a civil time read as UTC.
inline int64_t utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  return cctz::civil_second(y, mo, d, h, mi, s) - cctz::civil_second(1970, 1, 1, 0, 0, 0);
}

// An IANA zone; fails the calling test (and returns UTC) when the tz database lacks it.
inline std::unique_ptr<TimeZone> zone(const std::string& name) {
  Result<std::unique_ptr<TimeZone>> z = load_iana_zone(name);
  EXPECT_TRUE(z.ok()) << z.error();
  if (!z.ok()) return rule_zone(0, std::nullopt);
  return std::move(z).value();
}

}  // namespace iw::query::testing
