// Local time for queries, relative time specifiers and calendar grouping.
//
// Two kinds of zone stand behind one interface: an IANA zone by name (cctz, the tz database's
// full history of offsets and DST rules), and the original firmware's form: a standard offset in
// hours plus an optional `dstrule` (firmware reference section 10.3).
//
// Conversions follow mktime's conventions, which the original's calendar arithmetic relies on:
// a local time inside a spring-forward gap maps as if the clock had not yet moved (02:30 in a
// 02:00->03:00 gap is 03:30), and an ambiguous local time in the fall-back hour maps to its first
// (DST) instant.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <cctz/civil_time.h>

#include "base/status.h"
#include "config/config.h"

namespace iw::query {

class TimeZone {
 public:
  virtual ~TimeZone() = default;

  // The local wall-clock time at UTC instant `utc` (UNIX seconds).
  virtual cctz::civil_second to_local(int64_t utc) const = 0;
  // The UTC instant of local time `local`, with the gap/overlap rules above.
  virtual int64_t to_utc(const cctz::civil_second& local) const = 0;
  // Standard-time offset from UTC at `utc`, in seconds (DST not included).
  virtual int standard_offset_s(int64_t utc) const = 0;
  // Whether the zone observes DST (now or in some year around `utc`).
  virtual bool has_dst(int64_t utc) const = 0;
  // IANA name, or a description of the original form ("UTC+01:00 with DST rule").
  virtual std::string name() const = 0;
};

// An IANA zone ("Europe/Berlin", "America/St_Johns", "UTC"). Fails naming the zone when the tz
// database does not have it.
Result<std::unique_ptr<TimeZone>> load_iana_zone(const std::string& name);

// The original firmware's form: `hours` standard offset (may be fractional, e.g. 5.5, -3.5) and
// an optional DST rule.
std::unique_ptr<TimeZone> rule_zone(double hours, const std::optional<config::DstRule>& rule);

// The zone a configuration asks for: `timezone` as an IANA name (our form), else the original's
// hours and `dstrule`.
Result<std::unique_ptr<TimeZone>> zone_of(const config::Config& config);

}  // namespace iw::query
