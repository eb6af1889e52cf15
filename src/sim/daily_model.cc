#include "sim/daily_model.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "sim/random.h"

namespace iw::sim {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kYearDays = 365.2425;
constexpr uint64_t kVoltageStream = 1u << 20;  // day-random stream of the voltage swing

double bump(double h, double centre, double width) {
  const double x = (h - centre) / width;
  return std::exp(-0.5 * x * x);
}

// 0 before a, 1 after b, smooth between.
double ramp(double h, double a, double b) {
  if (h <= a) return 0;
  if (h >= b) return 1;
  const double x = (h - a) / (b - a);
  return x * x * (3 - 2 * x);
}

// About 1 from a to b, with smooth edges `edge` hours either side.
double window(double h, double a, double b, double edge = 0.5) {
  return ramp(h, a - edge, a + edge) * (1 - ramp(h, b - edge, b + edge));
}

double clamp01(double x) { return std::min(1.0, std::max(0.0, x)); }

// Uniform draws that depend only on (seed, local day, stream): a day's pattern is the same
// whatever instant a run starts from.
struct DayRandom {
  std::array<double, 4> u{};
};

DayRandom day_random(uint64_t seed, int64_t day, uint64_t stream) {
  SplitMix mix(seed ^ (static_cast<uint64_t>(day) * 0x9e3779b97f4a7c15ULL) ^ ((stream + 1) * 0xc2b2ae3d27d4eb4fULL));
  mix.next();
  DayRandom r;
  for (double& x : r.u) x = mix.uniform();
  return r;
}

struct Day {
  int64_t index = 0;  // local days since 1970-01-01
  bool weekend = false;
  double winter = 0;  // 1 in mid-January, 0 in mid-July (northern hemisphere)
  double sun = 0;     // 1 at the June solstice, -1 at the December one
};

Day make_day(int64_t index) {
  Day d;
  d.index = index;
  const int64_t weekday = ((index + 3) % 7 + 7) % 7;  // 0 = Monday; 1970-01-01 was a Thursday
  d.weekend = weekday >= 5;
  double doy = std::fmod(static_cast<double>(index), kYearDays);
  if (doy < 0) doy += kYearDays;
  d.winter = 0.5 * (1 + std::cos(2 * kPi * (doy - 15) / kYearDays));
  d.sun = std::cos(2 * kPi * (doy - 171) / kYearDays);
  return d;
}

double ev_charging(const DayRandom& r, const DayRandom& prev, double h) {
  // A session on about half the nights, starting 22:00-24:00, lasting 1-5 hours.
  auto in_session = [](const DayRandom& x, double hour) {
    if (x.u[0] >= 0.5) return false;
    const double start = 22 + 2 * x.u[1];
    return hour >= start && hour < start + 1 + 4 * x.u[2];
  };
  return in_session(r, h) || in_session(prev, h + 24) ? 1.0 : 0.0;
}

// A usage pattern's value at local hour h (0-24) of day d. r: this day's draws for the load;
// prev: the previous day's.
double usage_value(Usage usage, const Day& d, const DayRandom& r, const DayRandom& prev, double h) {
  switch (usage) {
    case Usage::kSteady:
      return 1;
    case Usage::kCooking: {
      const double breakfast = 0.6 * bump(h, d.weekend ? 9.0 : 7.25, 0.6);
      const double lunch = (d.weekend ? 0.7 : 0.3) * bump(h, 12.75, 0.6);
      const double dinner = bump(h, 18.25 + r.u[0], 0.8);
      return clamp01(0.02 + breakfast + lunch + dinner);
    }
    case Usage::kLighting: {
      const double dusk = 20.0 - 3.5 * d.winter;  // evening lights from 16:30 (winter) to 20:00
      const double evening = window(h, dusk, 22.75 + r.u[0]);
      const double morning = (0.2 + 0.5 * d.winter) * (d.weekend ? 0.5 : 1.0) * bump(h, 7, 0.7);
      return 0.04 + 0.96 * std::max(evening, morning);
    }
    case Usage::kLaundry: {
      const bool laundry_day = r.u[0] < (d.weekend ? 0.7 : 0.25);
      if (!laundry_day) return 0.002;
      const double w = d.weekend ? window(h, 9 + r.u[1], 13 + r.u[1]) : window(h, 18 + r.u[1], 21 + r.u[1]);
      return 0.002 + 0.998 * w;
    }
    case Usage::kHeating: {
      const double demand = clamp01(std::pow(d.winter, 1.5) * (0.8 + 0.4 * r.u[0]));
      const double shape = 0.45 + 0.55 * std::max(bump(h, 6.75, 1.2), window(h, 17, 22, 0.75));
      return 0.06 + 0.94 * demand * shape;
    }
    case Usage::kCooling: {
      const double summer = 1 - d.winter;
      const double demand = clamp01(summer * summer * (0.4 + 0.8 * r.u[0]));
      return demand * (0.1 + 0.9 * bump(h, 16, 2.5));
    }
    case Usage::kComputing:
      if (d.weekend) return 0.25 + 0.5 * window(h, 10, 23);
      return clamp01(0.25 + 0.75 * window(h, 8.5, 17.5) + 0.5 * window(h, 19, 23));
    case Usage::kEvCharging:
      return ev_charging(r, prev, h);
  }
  return 1;
}

}  // namespace

DailyModel::DailyModel(const Panel& panel, uint64_t seed, bool realism)
    : realism_(realism),
      utc_offset_s_(panel.utc_offset_s),
      day_seed_(SplitMix(seed ^ 0x6a09e667f3bcc909ULL).next()),
      loads_(panel.loads.size()) {
  for (size_t i = 0; i < panel.loads.size(); ++i) {
    const Load& l = panel.loads[i];
    LoadDay& m = loads_[i];
    m.solar = l.kind == LoadKind::kSolar;
    m.usage = l.usage;
    m.sunrise_h = m.day_sunrise_h = l.sunrise_h;
    m.sunset_h = m.day_sunset_h = l.sunset_h;
  }
}

void DailyModel::build_day(int64_t day) {
  table_day_ = day;
  const Day d = make_day(day);
  for (size_t i = 0; i < loads_.size(); ++i) {
    LoadDay& m = loads_[i];
    const DayRandom r = day_random(day_seed_, day, i);
    if (m.solar) {
      // Longer and stronger days in summer; a cloudiness per day.
      const double shift = 1.25 * d.sun;
      m.day_sunrise_h = std::max(0.0, m.sunrise_h - shift);
      m.day_sunset_h = std::min(24.0, m.sunset_h + shift);
      if (!(m.day_sunrise_h < m.day_sunset_h)) m.day_sunrise_h = m.day_sunset_h = 12;
      const double season = 0.65 + 0.35 * d.sun;
      const double weather = r.u[0] < 0.45  ? 0.9 + 0.1 * r.u[1]    // clear
                             : r.u[0] < 0.8 ? 0.5 + 0.4 * r.u[1]    // some clouds
                                            : 0.1 + 0.25 * r.u[1];  // overcast
      m.day_peak = season * weather;
      continue;
    }
    if (m.usage == Usage::kSteady) continue;
    const DayRandom prev = day_random(day_seed_, day - 1, i);
    for (int s = 0; s <= kSlotsPerDay; ++s) {
      m.table[static_cast<size_t>(s)] = usage_value(m.usage, d, r, prev, s * 24.0 / kSlotsPerDay);
    }
  }
  // Voltage: about +-1 % over the day (high at night, low in the evening peak) and a random
  // level per day, interpolated across the day so midnight is continuous.
  const double today = day_random(day_seed_, day, kVoltageStream).u[0];
  const double tomorrow = day_random(day_seed_, day + 1, kVoltageStream).u[0];
  for (int s = 0; s <= kSlotsPerDay; ++s) {
    const double h = s * 24.0 / kSlotsPerDay;
    const double level = today + (tomorrow - today) * h / 24;
    volt_table_[static_cast<size_t>(s)] =
        1 + 0.01 * std::cos(2 * kPi * (h - 3.5) / 24) - 0.006 * bump(h, 19, 1.5) + 0.008 * (level - 0.5);
  }
}

void DailyModel::set_time(double unix_s) {
  const double local = unix_s + utc_offset_s_;
  const double day_f = std::floor(local / 86400);
  const double sec = local - day_f * 86400;
  hour_ = sec / 3600;
  if (!realism_) return;
  const auto day = static_cast<int64_t>(day_f);
  if (day != table_day_) build_day(day);
  constexpr double kSlotSeconds = 86400.0 / kSlotsPerDay;
  const double pos = sec / kSlotSeconds;
  slot_ = std::min(static_cast<int>(pos), kSlotsPerDay - 1);
  frac_ = pos - slot_;
  volts_ = interpolate(volt_table_);
}

double DailyModel::interpolate(const DayTable& table) const {
  const auto s = static_cast<size_t>(slot_);
  return table[s] + frac_ * (table[s + 1] - table[s]);
}

double DailyModel::level(size_t load) const {
  const LoadDay& m = loads_[load];
  if (!realism_ || m.solar || m.usage == Usage::kSteady) return 1;
  return interpolate(m.table);
}

double DailyModel::sun(size_t load) const {
  const LoadDay& m = loads_[load];
  if (!realism_) return daylight(m.sunrise_h, m.sunset_h, hour_);
  return m.day_peak * daylight(m.day_sunrise_h, m.day_sunset_h, hour_);
}

}  // namespace iw::sim
