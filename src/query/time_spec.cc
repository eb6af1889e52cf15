#include "query/time_spec.h"

#include <fmt/format.h>

#include <array>
#include <optional>

#include "base/strings.h"

namespace iw::query {
namespace {

using cctz::civil_second;

constexpr std::string_view kAccepted =
    "use 10-digit UNIX seconds, 13-digit milliseconds, an ISO time YYYY[-MM[-DD[Thh[:mm[:ss]]]]][Z] "
    "or a relative time such as d-1d";
constexpr int64_t kLastYear = 9999;
// Longest modifier amount: keeps every sum of fields far inside int64.
constexpr size_t kMaxAmountDigits = 9;

Status bad(std::string_view spec, std::string_view what) {
  const std::string shown = spec.size() > 40 ? std::string(spec.substr(0, 37)) + "..." : std::string(spec);
  return Status::InvalidArgument(fmt::format("invalid time \"{}\": {}; {}", shown, what, kAccepted));
}

// Reads exactly `n` digits at `pos`, advancing it.
std::optional<int64_t> digits(std::string_view s, size_t& pos, size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!is_digit(s[pos + i])) return std::nullopt;
    v = v * 10 + (s[pos + i] - '0');
  }
  pos += n;
  return v;
}

// ---- UNIX -------------------------------------------------------------------------------------

bool all_digits(std::string_view s) {
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return !s.empty();
}

Result<int64_t> parse_unix(std::string_view spec) {
  if (spec.size() != 10 && spec.size() != 13) {
    return bad(spec, "a UNIX time has 10 digits (seconds) or 13 (milliseconds)");
  }
  size_t pos = 0;
  return *digits(spec, pos, 10);  // milliseconds: the first 10 digits are the seconds
}

// ---- ISO --------------------------------------------------------------------------------------

// One optional field: its separator, width, range and name.
struct IsoField {
  char separator;
  int64_t lo, hi;
  const char* name;
};
constexpr std::array<IsoField, 5> kIsoFields = {
    {{'-', 1, 12, "month"}, {'-', 1, 31, "day"}, {'T', 0, 24, "hour"}, {':', 0, 59, "minute"}, {':', 0, 59, "second"}}};

Result<int64_t> parse_iso(std::string_view spec, const TimeZone& tz) {
  size_t pos = 0;
  const auto year = digits(spec, pos, 4);
  if (!year) return bad(spec, "an ISO time starts with a 4-digit year");
  if (*year < 2000 || *year > 2099) return bad(spec, fmt::format("year {} is not 2000-2099", *year));
  // month, day, hour, minute, second; absent fields are the start of their unit.
  std::array<int64_t, 5> f = {1, 1, 0, 0, 0};
  for (size_t i = 0; i < kIsoFields.size() && pos < spec.size() && spec[pos] == kIsoFields[i].separator; ++i) {
    ++pos;
    const auto v = digits(spec, pos, 2);
    if (!v)
      return bad(spec, fmt::format("the {} needs 2 digits after '{}'", kIsoFields[i].name, kIsoFields[i].separator));
    if (*v < kIsoFields[i].lo || *v > kIsoFields[i].hi) {
      return bad(spec, fmt::format("{} {} is not {}-{}", kIsoFields[i].name, *v, kIsoFields[i].lo, kIsoFields[i].hi));
    }
    f[i] = *v;
  }
  const bool utc = pos < spec.size() && spec[pos] == 'Z';
  if (utc) ++pos;
  if (pos != spec.size()) return bad(spec, fmt::format("unexpected '{}' at position {}", spec[pos], pos + 1));
  if (f[1] > cctz::civil_day(civil_second(*year, f[0] + 1, 1) - 1).day()) {
    return bad(spec, fmt::format("day {} is past the end of the month", f[1]));
  }
  if (f[2] == 24 && (f[3] != 0 || f[4] != 0)) return bad(spec, "hour 24 is only 24:00:00");
  const civil_second local(*year, f[0], f[1], f[2], f[3], f[4]);  // hour 24 normalises to the next day
  return utc ? local - civil_second(1970, 1, 1, 0, 0, 0) : tz.to_utc(local);
}

// ---- relative ---------------------------------------------------------------------------------

// Field deltas in local calendar units, added before one mktime-like normalisation.
struct Deltas {
  int64_t years = 0, months = 0, days = 0, hours = 0, minutes = 0, seconds = 0;
};

bool add_unit(char unit, int64_t n, Deltas& d) {
  switch (unit) {
    case 'y':
      d.years += n;
      return true;
    case 'M':
      d.months += n;
      return true;
    case 'w':
      d.days += 7 * n;
      return true;
    case 'd':
      d.days += n;
      return true;
    case 'h':
      d.hours += n;
      return true;
    case 'm':
      d.minutes += n;
      return true;
    case 's':
      d.seconds += n / 5 * 5;
      return true;
    default:
      return false;
  }
}

// The start of the local unit `base` around `now` (local), or nullopt for an unknown letter.
std::optional<civil_second> base_time(char base, const civil_second& now) {
  switch (base) {
    case 'y':
      return civil_second(cctz::civil_year(now));
    case 'M':
      return civil_second(cctz::civil_month(now));
    case 'w':
      return civil_second(cctz::prev_weekday(cctz::civil_day(now) + 1, cctz::weekday::sunday));
    case 'd':
      return civil_second(cctz::civil_day(now));
    case 'h':
      return civil_second(cctz::civil_hour(now));
    case 'm':
      return civil_second(cctz::civil_minute(now));
    case 's':
      return now - now.second() % 5;
    default:
      return std::nullopt;
  }
}

// `local` as UTC. A repeated local time (the fall-back hour) takes now's offset when that is
// one of its two, so that "s-30s" during the repeated hour is 30 s ago and not an hour more;
// otherwise the zone's rules apply (the first instant; a skipped time as if the clock had not
// moved).
int64_t read_like_now(const civil_second& local, int64_t now_utc, const TimeZone& tz) {
  const civil_second epoch(1970, 1, 1, 0, 0, 0);
  const int64_t now_offset = (tz.to_local(now_utc) - epoch) - now_utc;
  const int64_t with_now_offset = (local - epoch) - now_offset;
  if (tz.to_local(with_now_offset) == local) return with_now_offset;
  return tz.to_utc(local);
}

Result<int64_t> parse_relative(std::string_view spec, int64_t now_utc, const TimeZone& tz) {
  const auto base = base_time(spec[0], tz.to_local(now_utc));
  if (!base) return bad(spec, fmt::format("'{}' is not a base (y M w d h m s)", spec[0]));
  Deltas d;
  size_t pos = 1;
  while (pos < spec.size()) {
    const char sign = spec[pos];
    if (sign != '+' && sign != '-' && sign != ' ') {
      return bad(spec, fmt::format("expected +, - or space at position {}, found '{}'", pos + 1, sign));
    }
    size_t end = ++pos;
    while (end < spec.size() && is_digit(spec[end])) ++end;
    if (end == pos) return bad(spec, fmt::format("expected a number at position {}", pos + 1));
    if (end - pos > kMaxAmountDigits) return bad(spec, "an amount has at most 9 digits");
    const int64_t n = *digits(spec, pos, end - pos);
    if (n == 0) return bad(spec, "an amount must not be 0");
    if (pos == spec.size()) return bad(spec, "the last amount has no unit (y M w d h m s)");
    if (!add_unit(spec[pos], sign == '-' ? -n : n, d)) {
      return bad(spec, fmt::format("'{}' is not a unit (y M w d h m s)", spec[pos]));
    }
    ++pos;
  }
  const civil_second b = *base;
  const civil_second local(b.year() + d.years, b.month() + d.months, b.day() + d.days, b.hour() + d.hours,
                           b.minute() + d.minutes, b.second() + d.seconds);
  if (local.year() < 1969 || local.year() > kLastYear) return bad(spec, "the time is before 1970 or after 9999");
  const int64_t utc = read_like_now(local, now_utc, tz);
  if (utc < 0) return bad(spec, "the time is before 1970 or after 9999");
  return utc;
}

}  // namespace

Result<int64_t> parse_time_spec(std::string_view spec, int64_t now_utc, const TimeZone& tz) {
  if (spec.empty()) return bad(spec, "it is empty");
  if (all_digits(spec) && spec.size() != 4) return parse_unix(spec);
  if (is_digit(spec[0])) return parse_iso(spec, tz);
  return parse_relative(spec, now_utc, tz);
}

std::string iso_time(const civil_second& t) {
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", t.year(), t.month(), t.day(), t.hour(), t.minute(),
                     t.second());
}

}  // namespace iw::query
