// The daily model of a simulated household: how each load's use, the sun and the supply
// voltage follow the local clock (time of day, day of the week, season). It is the one source
// of these patterns for both simulators: the interval model (seeded history, `iotawatt seed`)
// and the cycle simulator (the daemon's live `--sim`), so live data continues the seeded
// history instead of jumping at the seam (issue 17, bug 10).
//
// With realism on, Load::usage gives each load a value in [0, 1] per 15 minutes of local
// time, interpolated (README "Interval model" lists the patterns); solar day length and peak
// follow the season with a cloudiness per day; the voltage swings about 1 % over the day.
// Everything is deterministic in the seed and the local date: a day looks the same whatever
// instant a run starts from. With realism off every level is 1, the voltage factor is 1 and
// the sun is the load's fixed half-sine between sunrise_h and sunset_h (the stationary
// behaviour the accuracy tests measure against).
//
// Threading: none; one thread uses a model.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "sim/panel.h"

namespace iw::sim {

class DailyModel {
 public:
  // Copies what it needs of `panel` (loads, UTC offset); `seed` drives the daily draws
  // (cloudiness, laundry days, EV charging nights, ...).
  DailyModel(const Panel& panel, uint64_t seed, bool realism);

  // Moves to `unix_s` (UNIX seconds, any order; the day's tables are rebuilt when the local
  // date changes).
  void set_time(double unix_s);

  // At the time set: a load's level in [0, 1]. A steady load's current is scaled by it; a
  // switching load's off time runs at this rate (so its duty cycle follows it).
  double level(size_t load) const;
  // At the time set: a solar load's fraction of its peak export, in [0, 1].
  double sun(size_t load) const;
  // At the time set: the supply voltage relative to its nominal level (about 0.99-1.01).
  double volts() const { return volts_; }
  // Local hour (0-24) at the time set.
  double local_hour() const { return hour_; }
  bool realism() const { return realism_; }

 private:
  static constexpr int kSlotsPerDay = 96;  // one value every 15 minutes, interpolated
  using DayTable = std::array<double, kSlotsPerDay + 1>;

  struct LoadDay {
    bool solar = false;
    Usage usage = Usage::kSteady;
    double sunrise_h = 6, sunset_h = 20;          // the load's configured day
    double day_sunrise_h = 6, day_sunset_h = 20;  // this day's (realism: season)
    double day_peak = 1;                          // this day's peak (season, weather)
    DayTable table{};                             // this day's usage
  };

  void build_day(int64_t day);
  double interpolate(const DayTable& table) const;

  bool realism_;
  double utc_offset_s_;
  uint64_t day_seed_;
  std::vector<LoadDay> loads_;
  int64_t table_day_ = std::numeric_limits<int64_t>::min();
  DayTable volt_table_{};
  // The time set.
  double hour_ = 0;
  int slot_ = 0;
  double frac_ = 0;
  double volts_ = 1;
};

}  // namespace iw::sim
