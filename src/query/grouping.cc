#include "query/grouping.h"

#include <array>
#include <limits>
#include <optional>

namespace iw::query {
namespace {

using cctz::civil_second;
using Unit = Grouping::Unit;

constexpr size_t kMaxCountDigits = 9;
constexpr std::array<int64_t, 16> kAutoSeconds = {5,   10,   15,   20,   30,   60,    120,   300,
                                                  600, 1200, 1800, 3600, 7200, 14400, 21600, 28800};
constexpr int64_t kAutoLongest = 86400;

Status invalid() { return Status::InvalidArgument("Invalid group"); }

std::optional<Unit> unit_of(char c) {
  switch (c) {
    case 's':
      return Unit::kSeconds;
    case 'm':
      return Unit::kMinutes;
    case 'h':
      return Unit::kHours;
    case 'd':
      return Unit::kDays;
    case 'w':
      return Unit::kWeeks;
    case 'M':
      return Unit::kMonths;
    case 'y':
      return Unit::kYears;
    default:
      return std::nullopt;
  }
}

// The next instant after `t` that is on a whole local `unit_s` (60 or 3600) boundary, counting
// `count` units of elapsed time from the boundary at or before t. Elapsed rather than wall-clock
// steps, so that a fall-back hour is a group of its own instead of doubling the one before it.
int64_t next_aligned(int64_t t, int64_t unit_s, int64_t count, const TimeZone& tz) {
  auto past_boundary = [&](int64_t u) {
    const civil_second local = tz.to_local(u);
    return (local.minute() * 60 + local.second()) % unit_s;
  };
  int64_t next = t - past_boundary(t) + unit_s * count;
  // An offset change by part of a unit (Australia/Lord_Howe's 30 min DST) moves the local
  // boundary; round up to the next one.
  if (const int64_t off = past_boundary(next); off != 0) next += unit_s - off;
  return next;
}

}  // namespace

Result<Grouping> parse_grouping(std::string_view text) {
  if (text == "auto") return Grouping{Unit::kAuto, 0};
  if (text == "all") return Grouping{Unit::kAll, 0};
  size_t digits = 0;
  int64_t n = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    n = n * 10 + (text[digits] - '0');
    if (++digits > kMaxCountDigits) return invalid();
  }
  if (digits == 0 && text.size() == 1)
    n = 1;  // a bare unit is one of it: group=h (query.rst)
  else if (digits == 0 || n == 0)
    return invalid();
  if (digits == text.size()) {
    if (n % 5 != 0) return invalid();
    return Grouping{Unit::kSeconds, n};
  }
  const auto unit = unit_of(text[digits]);
  if (!unit || digits + 1 != text.size()) return invalid();
  return Grouping{*unit, n};
}

Grouping resolve_auto(Grouping grouping, int64_t begin, int64_t end, bool high_resolution) {
  if (grouping.unit != Unit::kAuto) return grouping;
  const int64_t raw = (end - begin) / (high_resolution ? 800 : 400);
  for (int64_t s : kAutoSeconds) {
    if (s >= raw) return Grouping{Unit::kSeconds, s};
  }
  return Grouping{Unit::kSeconds, kAutoLongest};
}

int64_t next_boundary(const Grouping& grouping, int64_t group_start_utc, const TimeZone& tz) {
  const int64_t t = group_start_utc;
  const int64_t n = grouping.count;
  const civil_second local = tz.to_local(t);
  int64_t next = 0;
  switch (grouping.unit) {
    case Unit::kAuto:
    case Unit::kAll:
      return std::numeric_limits<int64_t>::max();
    case Unit::kSeconds:
      return t + n;
    case Unit::kMinutes:
      next = next_aligned(t, 60, n, tz);
      break;
    case Unit::kHours:
      next = next_aligned(t, 3600, n, tz);
      break;
    case Unit::kDays:
      next = tz.to_utc(civil_second(cctz::civil_day(local) + n));
      break;
    case Unit::kWeeks:
      next = tz.to_utc(civil_second(cctz::next_weekday(cctz::civil_day(local), cctz::weekday::sunday) + 7 * (n - 1)));
      break;
    case Unit::kMonths:
      next = tz.to_utc(civil_second(cctz::civil_month(local) + n));
      break;
    case Unit::kYears:
      next = tz.to_utc(civil_second(cctz::civil_year(local) + n));
      break;
  }
  // Zone data cannot make a boundary fall at or before its own group's start; should it ever,
  // step on rather than loop forever.
  return next > t ? next : t + 1;
}

}  // namespace iw::query
