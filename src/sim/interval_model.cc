#include "sim/interval_model.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <utility>

#include "sim/random.h"
#include "sim/spectrum.h"

namespace iw::sim {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr int kSlotsPerDay = 96;  // day tables: one value every 15 minutes, interpolated
constexpr double kSlotSeconds = 86400.0 / kSlotsPerDay;
constexpr double kYearDays = 365.2425;
constexpr uint64_t kVoltageStream = 1u << 20;  // day-random stream of the voltage swing

using DayTable = std::array<double, kSlotsPerDay + 1>;

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

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if (a % b != 0 && ((a < 0) != (b < 0))) --q;
  return q;
}

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

// A usage pattern's value at local hour h (0-24) of day d: a level for a steady load (its
// current is scaled by it), an activity for a switching load (its off time runs at this rate).
// r: this day's draws for the load; prev: the previous day's.
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
    case Usage::kEvCharging: {
      // A session on about half the nights, starting 22:00-24:00, lasting 1-5 hours.
      auto in_session = [](const DayRandom& x, double hour) {
        if (x.u[0] >= 0.5) return false;
        const double start = 22 + 2 * x.u[1];
        return hour >= start && hour < start + 1 + 4 * x.u[2];
      };
      return in_session(r, h) || in_session(prev, h + 24) ? 1.0 : 0.0;
    }
  }
  return 1;
}

double sine_daylight(double sunrise_h, double sunset_h, double h) {
  if (h <= sunrise_h || h >= sunset_h) return 0;
  return std::sin(kPi * (h - sunrise_h) / (sunset_h - sunrise_h));
}

// Counter::add for the model's increments (never negative): the residual stays
// non-negative, so truncation gives the floor Counter::add takes (the same result) at a
// fraction of std::floor's cost on baseline x86-64. Zero increments change nothing.
[[gnu::noinline]] void add_slow(measure::Counter& c, double units) { c.add(units); }

inline void add(measure::Counter& c, double units) {
  const double r = c.residual_micros() + units * measure::Counter::kMicrosPerUnit;
  if (units > 0 && r < 9e18) {
    const auto whole = static_cast<int64_t>(r);
    c.set(c.micros() + whole, r - static_cast<double>(whole));
  } else if (units != 0) {
    add_slow(c, units);
  }
}

struct LoadModel {
  bool impedance = false;  // current follows the voltage
  bool solar = false;
  bool switching = false;
  Switching sw;
  Usage usage = Usage::kSteady;
  double sunrise_h = 6, sunset_h = 20;

  // Schedule: the current state and what is left of it (on: seconds; off: seconds of the
  // off clock, which runs at `activity`).
  bool on = true;
  double remaining = 0;
  SplitMix rng{0};

  // The day's tables (realism).
  DayTable table{};
  double day_sunrise_h = 6, day_sunset_h = 20, day_peak = 1;

  // This interval.
  double k = 1;         // current scale: level x voltage factor (impedance) x daylight
  double activity = 1;  // rate of the off clock
  double on_time = 0;   // seconds on
  bool on_at_start = true;
};

struct ChannelModel {
  int input = 0;
  bool vt = false;
  bool is_signed = false;
  double volts = 0;            // VT: its line's rms; CT: reference rms x vmult (nominal scale)
  std::vector<int> loads;      // loads whose current flows through the CT
  std::vector<double> p;       // power of each at unit scale, against the reference, signs in
  std::vector<double> gram;    // mean products of the members' (conductor-signed) currents
  std::vector<int> member_of;  // per panel load: index in `loads`, or -1
  double irms = 0;             // single member: its rms current at unit scale
};

struct Event {
  double t = 0;
  uint32_t load = 0;
};

}  // namespace

double duty_cycle(const Switching& s) {
  const double on = 0.5 * (s.on_min_s + s.on_max_s);
  const double off = 0.5 * (s.off_min_s + s.off_max_s);
  return on / (on + off);
}

struct IntervalModel::Impl {
  Panel panel;
  uint64_t seed = 0;
  uint64_t day_seed = 0;
  IntervalOptions options;
  Counters counters;
  std::vector<LoadModel> loads;
  std::vector<ChannelModel> channels;

  bool started = false;
  int64_t origin_s = 0;  // the first run's start: time 0 of the frequency drift
  int64_t now_s = 0;

  int64_t table_day = std::numeric_limits<int64_t>::min();
  DayTable volt_table{};

  // The drift phase at t = drift_at, and the rotation of one step of drift_step seconds.
  double drift_at = std::numeric_limits<double>::quiet_NaN();
  double drift_cos = 1, drift_sin = 0;
  double drift_step = 0, step_cos = 1, step_sin = 0;
  int drift_count = 0;

  std::vector<Event> events;
  std::vector<double> scale;   // scratch: member current scales
  std::vector<uint8_t> state;  // scratch: member on/off

  void init_schedules();
  void build_day(int64_t day);
  double cycles_between(double t0, double t1);
  void step(int64_t b0, int64_t b1);
};

void IntervalModel::Impl::init_schedules() {
  // The cycle simulator's draws, in its order: one for its start phase, then a generator per
  // load; the initial state and every duration follow (realism off: the same schedule).
  SplitMix seeds(seed);
  seeds.uniform();
  for (LoadModel& m : loads) {
    m.rng = SplitMix(seeds.next());
    m.on = true;
    m.remaining = 0;
    if (!m.switching) continue;
    const double mean_on = 0.5 * (m.sw.on_min_s + m.sw.on_max_s);
    const double mean_off = 0.5 * (m.sw.off_min_s + m.sw.off_max_s);
    m.on = m.rng.uniform() < mean_on / (mean_on + mean_off);
    const double first =
        m.on ? m.rng.uniform(m.sw.on_min_s, m.sw.on_max_s) : m.rng.uniform(m.sw.off_min_s, m.sw.off_max_s);
    m.remaining = first * m.rng.uniform();
  }
}

void IntervalModel::Impl::build_day(int64_t day) {
  table_day = day;
  const Day d = make_day(day);
  for (size_t i = 0; i < loads.size(); ++i) {
    LoadModel& m = loads[i];
    const DayRandom r = day_random(day_seed, day, i);
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
    const DayRandom prev = day_random(day_seed, day - 1, i);
    for (int s = 0; s <= kSlotsPerDay; ++s) {
      m.table[static_cast<size_t>(s)] = usage_value(m.usage, d, r, prev, s * 24.0 / kSlotsPerDay);
    }
  }
  // Voltage: about +-1 % over the day (high at night, low in the evening peak) and a random
  // level per day, interpolated across the day so midnight is continuous.
  const double today = day_random(day_seed, day, kVoltageStream).u[0];
  const double tomorrow = day_random(day_seed, day + 1, kVoltageStream).u[0];
  for (int s = 0; s <= kSlotsPerDay; ++s) {
    const double h = s * 24.0 / kSlotsPerDay;
    const double level = today + (tomorrow - today) * h / 24;
    volt_table[static_cast<size_t>(s)] =
        1 + 0.01 * std::cos(2 * kPi * (h - 3.5) / 24) - 0.006 * bump(h, 19, 1.5) + 0.008 * (level - 0.5);
  }
}

// Mains cycles between t0 and t1 (seconds since the origin): the integral of the frequency.
// The drift's cos(omega t) at successive boundaries of equal steps is advanced by a rotation,
// computed afresh every 1024 steps.
double IntervalModel::Impl::cycles_between(double t0, double t1) {
  const Mains& m = panel.mains;
  const double base = (m.hz + m.hz_offset) * (t1 - t0);
  if (m.drift_hz == 0 || !(m.drift_period_s > 0)) return base;
  const double omega = 2 * kPi / m.drift_period_s;
  const double dt = t1 - t0;
  double c0, c1, s1;
  if (t0 == drift_at && dt == drift_step && drift_count < 1024) {
    c0 = drift_cos;
    c1 = drift_cos * step_cos - drift_sin * step_sin;
    s1 = drift_sin * step_cos + drift_cos * step_sin;
    ++drift_count;
  } else {
    c0 = t0 == drift_at ? drift_cos : std::cos(omega * t0);
    c1 = std::cos(omega * t1);
    s1 = std::sin(omega * t1);
    if (dt != drift_step) {
      drift_step = dt;
      step_cos = std::cos(omega * dt);
      step_sin = std::sin(omega * dt);
    }
    drift_count = 0;
  }
  drift_at = t1;
  drift_cos = c1;
  drift_sin = s1;
  return base + m.drift_hz / omega * (c0 - c1);
}

void IntervalModel::Impl::step(int64_t b0, int64_t b1) {
  const double dt = static_cast<double>(b1 - b0);
  const double t0 = static_cast<double>(b0 - origin_s);
  const double t1 = static_cast<double>(b1 - origin_s);
  const bool realism = options.realism;

  // Local time at the middle of the interval.
  const double local_mid = static_cast<double>(b0) + 0.5 * dt + panel.utc_offset_s;
  const double day_f = std::floor(local_mid / 86400);
  const double sec = local_mid - day_f * 86400;
  const double hour = sec / 3600;
  double w = 1;  // voltage factor
  int slot = 0;
  double frac = 0;
  if (realism) {
    const auto day = static_cast<int64_t>(day_f);
    if (day != table_day) build_day(day);
    const double pos = sec / kSlotSeconds;
    slot = std::min(static_cast<int>(pos), kSlotsPerDay - 1);
    frac = pos - slot;
    const auto s = static_cast<size_t>(slot);
    w = volt_table[s] + frac * (volt_table[s + 1] - volt_table[s]);
  }

  // Load scales and switching schedules.
  events.clear();
  for (size_t i = 0; i < loads.size(); ++i) {
    LoadModel& m = loads[i];
    double u = 1;
    if (realism && m.usage != Usage::kSteady && !m.solar) {
      const auto s = static_cast<size_t>(slot);
      u = m.table[s] + frac * (m.table[s + 1] - m.table[s]);
    }
    if (m.solar) {
      m.k = realism ? m.day_peak * sine_daylight(m.day_sunrise_h, m.day_sunset_h, hour)
                    : sine_daylight(m.sunrise_h, m.sunset_h, hour);
    } else {
      m.k = (m.switching ? 1 : u) * (m.impedance ? w : 1);
    }
    m.activity = u;
    if (!m.switching) continue;
    m.on_at_start = m.on;
    double on_time = 0;
    double t = t0;
    for (;;) {
      if (m.on) {
        const double end = t + m.remaining;
        if (end >= t1) {
          on_time += t1 - t;
          m.remaining = end - t1;
          break;
        }
        on_time += end - t;
        t = end;
        m.on = false;
        m.remaining = m.rng.uniform(m.sw.off_min_s, m.sw.off_max_s);
      } else {
        if (!(m.activity > 0)) break;
        const double end = t + m.remaining / m.activity;
        if (end >= t1) {
          m.remaining = std::max(0.0, m.remaining - (t1 - t) * m.activity);
          break;
        }
        t = end;
        m.on = true;
        m.remaining = m.rng.uniform(m.sw.on_min_s, m.sw.on_max_s);
      }
      events.push_back(Event{t, static_cast<uint32_t>(i)});
    }
    m.on_time = on_time;
  }
  if (events.size() > 1) {
    std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.t < b.t; });
  }

  const double hz_h = cycles_between(t0, t1) / 3600;
  const double hours = dt / 3600;

  for (const ChannelModel& ch : channels) {
    measure::ChannelCounters& c = counters[static_cast<size_t>(ch.input)];
    const double volts = ch.volts * w;
    add(c.vh, volts * hours);
    add(c.hzh, hz_h);
    add(c.seconds, dt);
    if (ch.vt || ch.loads.empty()) continue;

    double import_s = 0, export_s = 0, va_s = 0, var_s = 0, amp_s = 0;  // x seconds
    auto accrue = [&](double watts, double amps, double span) {
      const double va = volts * amps;
      const double var = std::sqrt(std::max(0.0, va * va - watts * watts));
      if (!ch.is_signed) watts = std::fabs(watts);
      if (watts >= 0) {
        import_s += watts * span;
      } else {
        export_s -= watts * span;
      }
      va_s += va * span;
      var_s += var * span;
      amp_s += amps * span;
    };

    if (ch.loads.size() == 1) {
      const LoadModel& m = loads[static_cast<size_t>(ch.loads[0])];
      const double on = m.switching ? m.on_time : dt;
      if (on > 0 && m.k != 0) accrue(w * m.k * ch.p[0], m.k * ch.irms, on);
    } else {
      // Stretch by stretch between the switching instants of the members. Power is linear in
      // the member currents; the squared rms current is the quadratic form q = s' G s of
      // their scales s, updated at each switching instant by the row of the member that
      // switches.
      const size_t n = ch.loads.size();
      scale.resize(n);
      state.resize(n);
      double* s_ptr = scale.data();
      const double* gram = ch.gram.data();
      double p = 0;
      for (size_t j = 0; j < n; ++j) {
        const LoadModel& m = loads[static_cast<size_t>(ch.loads[j])];
        state[j] = !m.switching || m.on_at_start;
        s_ptr[j] = state[j] ? m.k : 0;
        p += s_ptr[j] * ch.p[j];
      }
      double q = 0;
      for (size_t j = 0; j < n; ++j) {
        if (s_ptr[j] == 0) continue;
        const double* row = gram + j * n;
        double r = 0.5 * row[j] * s_ptr[j];
        for (size_t k = j + 1; k < n; ++k) r += row[k] * s_ptr[k];
        q += 2 * s_ptr[j] * r;
      }
      double t = t0;
      for (const Event& e : events) {
        const int member = ch.member_of[e.load];
        if (member < 0) continue;
        const auto j = static_cast<size_t>(member);
        if (e.t > t) {
          accrue(w * p, std::sqrt(std::max(0.0, q)), e.t - t);
          t = e.t;
        }
        state[j] ^= 1;
        const double next = state[j] ? loads[e.load].k : 0;
        const double d = next - s_ptr[j];
        if (d == 0) continue;
        const double* row = gram + j * n;
        double g = 0;
        for (size_t k = 0; k < n; ++k) g += row[k] * s_ptr[k];
        q += 2 * d * g + d * d * row[j];
        p += d * ch.p[j];
        s_ptr[j] = next;
      }
      if (t1 > t) accrue(w * p, std::sqrt(std::max(0.0, q)), t1 - t);
    }
    constexpr double kPerHour = 1.0 / 3600;
    add(c.wh_import, import_s * kPerHour);
    add(c.wh_export, export_s * kPerHour);
    add(c.vah, va_s * kPerHour);
    add(c.varh, var_s * kPerHour);
    add(c.ah, amp_s * kPerHour);
  }
}

IntervalModel::IntervalModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
IntervalModel::~IntervalModel() = default;
IntervalModel::IntervalModel(IntervalModel&&) noexcept = default;
IntervalModel& IntervalModel::operator=(IntervalModel&&) noexcept = default;

Result<IntervalModel> IntervalModel::create(const Panel& panel, uint64_t seed, IntervalOptions options) {
  if (Status s = panel.validate(); !s) return Status::InvalidArgument("interval model: " + s.message());
  auto impl = std::make_unique<Impl>();
  Impl& m = *impl;
  m.panel = panel;
  m.seed = seed;
  m.day_seed = SplitMix(seed ^ 0x6a09e667f3bcc909ULL).next();
  m.options = options;
  m.counters.assign(static_cast<size_t>(panel.device_channels), measure::ChannelCounters{});

  const Panel& p = m.panel;
  std::array<Spectrum, 6> voltage;
  for (int l = 0; l < 6; ++l) {
    const auto line = static_cast<Line>(l);
    if (p.mains.has_line(line)) voltage[static_cast<size_t>(l)] = p.mains.voltage(line);
  }
  auto volts_of = [&](Line line) -> const Spectrum& { return voltage[static_cast<size_t>(line)]; };

  // Every load's current when on, at nominal voltage factor and full daylight.
  std::vector<Spectrum> current(p.loads.size());
  m.loads.resize(p.loads.size());
  for (size_t i = 0; i < p.loads.size(); ++i) {
    const Load& l = p.loads[i];
    LoadModel& lm = m.loads[i];
    lm.impedance = l.kind == LoadKind::kImpedance;
    lm.solar = l.kind == LoadKind::kSolar;
    lm.switching = l.switching.has_value();
    if (lm.switching) lm.sw = *l.switching;
    lm.usage = l.usage;
    lm.sunrise_h = l.sunrise_h;
    lm.sunset_h = l.sunset_h;
    current[i] = l.current(volts_of(l.line), p.mains.nominal_volts(l.line), 1.0);
  }

  for (const Channel& ch : p.channels) {
    ChannelModel cm;
    cm.input = ch.input;
    cm.vt = ch.type == ChannelType::kVT;
    if (cm.vt) {
      cm.volts = rms(volts_of(ch.line));
      m.channels.push_back(std::move(cm));
      continue;
    }
    cm.is_signed = ch.m.is_signed;
    const Channel* ref = p.find(ch.m.vchan);  // validated: a VT
    const double ref_sign = (ref->flipped ? -1 : 1) * (ref->m.reverse ? -1 : 1);
    const double own_sign = (ch.flipped ? -1 : 1) * (ch.m.reverse ? -1 : 1);
    const double vmult = ch.m.vmult * (ch.m.doubled ? 2 : 1);
    const Spectrum reference = scaled(advanced(volts_of(ref->line), -ch.m.vphase * kPi / 180), ref_sign * vmult);
    cm.volts = rms(reference);
    cm.member_of.assign(p.loads.size(), -1);
    std::vector<Spectrum> members;
    for (size_t i = 0; i < p.loads.size(); ++i) {
      const bool listed =
          ch.mains || std::find(ch.loads.begin(), ch.loads.end(), static_cast<int>(i)) != ch.loads.end();
      if (!listed) continue;
      const int sign = conductor_sign(p.loads[i].line, ch.line);
      if (sign == 0 || current[i].empty()) continue;
      cm.member_of[i] = static_cast<int>(cm.loads.size());
      cm.loads.push_back(static_cast<int>(i));
      members.push_back(scaled(current[i], static_cast<double>(sign)));
      cm.p.push_back(own_sign * mean_product(reference, members.back()));
    }
    const size_t n = members.size();
    cm.gram.resize(n * n);
    for (size_t a = 0; a < n; ++a) {
      for (size_t b = 0; b < n; ++b) cm.gram[a * n + b] = mean_product(members[a], members[b]);
    }
    if (n == 1) cm.irms = std::sqrt(cm.gram[0]);
    m.channels.push_back(std::move(cm));
  }
  return IntervalModel(std::move(impl));
}

Status IntervalModel::set_counters(Counters counters) {
  if (counters.size() != impl_->counters.size()) {
    return Status::InvalidArgument("interval model: expected counters for " + std::to_string(impl_->counters.size()) +
                                   " channels, got " + std::to_string(counters.size()));
  }
  impl_->counters = std::move(counters);
  return Status::Ok();
}

Status IntervalModel::run(int64_t from_s, int64_t to_s, int interval_s, const Sink& sink) {
  Impl& m = *impl_;
  if (interval_s <= 0) return Status::InvalidArgument("interval model: interval_s must be positive");
  if (to_s < from_s) return Status::InvalidArgument("interval model: to_s is before from_s");
  if (m.started && from_s < m.now_s) {
    return Status::InvalidArgument("interval model: run starts at " + std::to_string(from_s) +
                                   ", before the previous run's end " + std::to_string(m.now_s));
  }
  if (!m.started) {
    m.started = true;
    m.origin_s = from_s;
    m.init_schedules();
  }
  int64_t b = from_s;
  int64_t next = (floor_div(from_s, interval_s) + 1) * interval_s;
  while (next <= to_s) {
    m.step(b, next);
    m.now_s = next;
    if (sink) sink(next, m.counters);
    b = next;
    next += interval_s;
  }
  if (b < to_s) m.step(b, to_s);
  m.now_s = to_s;
  return Status::Ok();
}

const IntervalModel::Counters& IntervalModel::counters() const { return impl_->counters; }
int64_t IntervalModel::now_s() const { return impl_->now_s; }
const Panel& IntervalModel::panel() const { return impl_->panel; }

}  // namespace iw::sim
