#include "sim/interval_model.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <utility>

#include "sim/daily_model.h"
#include "sim/random.h"
#include "sim/spectrum.h"

namespace iw::sim {
namespace {

constexpr double kPi = std::numbers::pi;

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if (a % b != 0 && ((a < 0) != (b < 0))) --q;
  return q;
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

  // Schedule: the current state and what is left of it (on: seconds; off: seconds of the
  // off clock, which runs at `activity`).
  bool on = true;
  double remaining = 0;
  SplitMix rng{0};

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

double duty_cycle(const Switching& s) { return on_fraction(s); }

struct IntervalModel::Impl {
  Panel panel;
  uint64_t seed = 0;
  DailyModel daily;
  Counters counters;
  std::vector<LoadModel> loads;
  std::vector<ChannelModel> channels;

  bool started = false;
  int64_t origin_s = 0;  // the first run's start: time 0 of the frequency drift
  int64_t now_s = 0;

  // The drift phase at t = drift_at, and the rotation of one step of drift_step seconds.
  double drift_at = std::numeric_limits<double>::quiet_NaN();
  double drift_cos = 1, drift_sin = 0;
  double drift_step = 0, step_cos = 1, step_sin = 0;
  int drift_count = 0;

  std::vector<Event> events;
  std::vector<double> scale;   // scratch: member current scales
  std::vector<uint8_t> state;  // scratch: member on/off

  Impl(const Panel& p, uint64_t s, IntervalOptions options) : panel(p), seed(s), daily(p, s, options.realism) {}

  void init_schedules();
  double cycles_between(double t0, double t1);
  void step(int64_t b0, int64_t b1);
};

void IntervalModel::Impl::init_schedules() {
  // The cycle simulator's draws, in its order: one for its start phase, then a generator per
  // load; the initial state and every duration follow (realism off: the same schedule).
  SplitMix seeds(seed);
  seeds.uniform();
  daily.set_time(static_cast<double>(origin_s));
  for (size_t i = 0; i < loads.size(); ++i) {
    LoadModel& m = loads[i];
    m.rng = SplitMix(seeds.next());
    m.on = true;
    m.remaining = 0;
    if (!m.switching) continue;
    m.on = m.rng.uniform() < on_fraction(m.sw, daily.level(i));  // as the cycle simulator
    const double first =
        m.on ? m.rng.uniform(m.sw.on_min_s, m.sw.on_max_s) : m.rng.uniform(m.sw.off_min_s, m.sw.off_max_s);
    m.remaining = first * m.rng.uniform();
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
  // The daily model at the middle of the interval.
  daily.set_time(static_cast<double>(b0) + 0.5 * dt);
  const double w = daily.volts();

  // Load scales and switching schedules.
  events.clear();
  for (size_t i = 0; i < loads.size(); ++i) {
    LoadModel& m = loads[i];
    const double u = daily.level(i);
    if (m.solar) {
      m.k = daily.sun(i);
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
  auto impl = std::make_unique<Impl>(panel, seed, options);
  Impl& m = *impl;
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
