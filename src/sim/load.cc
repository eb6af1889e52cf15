#include "sim/load.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <utility>

namespace iw::sim {
namespace {

// What every load shape sets; each shape then fills in its own fields.
Load base_load(std::string name, Line line, LoadKind kind) {
  Load l;
  l.name = std::move(name);
  l.line = line;
  l.kind = kind;
  return l;
}

}  // namespace

Spectrum Load::current(const Spectrum& voltage, double nominal_volts, double light) const {
  if (kind == LoadKind::kImpedance) {
    // R from the nominal operating point; the current then follows the actual voltage.
    const double siemens = amps != 0 ? amps / nominal_volts : watts / (nominal_volts * nominal_volts);
    return scaled(voltage, siemens);
  }
  double rms1;
  if (kind == LoadKind::kSolar) {
    rms1 = -watts * light / (nominal_volts * pf);
  } else {
    rms1 = amps != 0 ? amps : watts / (nominal_volts * pf);
  }
  if (rms1 == 0) return {};
  // Phase lock: unit phasor of the voltage fundamental (a dead line locks to theta = 0).
  const std::complex<double> v1 = fundamental(voltage);
  const std::complex<double> u = std::abs(v1) > 0 ? v1 / std::abs(v1) : 1.0;
  const double displacement = std::acos(std::min(1.0, std::max(0.0, pf))) * (leading ? 1 : -1);
  const double peak1 = std::sqrt(2.0) * rms1;
  Spectrum i{{1, peak1 * u * std::polar(1.0, displacement)}};
  for (const CurrentHarmonic& h : harmonics) {
    const std::complex<double> lock = std::pow(u, h.order);
    add_to(i, Spectrum{{h.order, peak1 * h.ratio * lock * std::polar(1.0, h.phase_deg * std::numbers::pi / 180)}});
  }
  return i;
}

Load resistive(std::string name, double watts, Line line) {
  Load l = base_load(std::move(name), line, LoadKind::kImpedance);
  l.watts = watts;
  return l;
}

Load motor(std::string name, double watts, double pf, Line line) {
  Load l = base_load(std::move(name), line, LoadKind::kCurrent);
  l.watts = watts;
  l.pf = pf;
  return l;
}

Load capacitive(std::string name, double watts, double pf, Line line) {
  Load l = motor(std::move(name), watts, pf, line);
  l.leading = true;
  return l;
}

Load nonlinear(std::string name, double watts, std::vector<CurrentHarmonic> harmonics, double pf, Line line) {
  Load l = motor(std::move(name), watts, pf, line);
  l.harmonics = std::move(harmonics);
  return l;
}

Load solar(std::string name, double peak_watts, double sunrise_h, double sunset_h, Line line) {
  Load l = base_load(std::move(name), line, LoadKind::kSolar);
  l.watts = peak_watts;
  l.sunrise_h = sunrise_h;
  l.sunset_h = sunset_h;
  return l;
}

Load current_load(std::string name, double amps, double pf, bool leading, std::vector<CurrentHarmonic> harmonics,
                  Line line) {
  Load l = base_load(std::move(name), line, LoadKind::kCurrent);
  l.amps = amps;
  l.pf = pf;
  l.leading = leading;
  l.harmonics = std::move(harmonics);
  return l;
}

Load switched(Load load, Switching switching) {
  load.switching = switching;
  return load;
}

double on_fraction(const Switching& s, double level) {
  if (!(level > 0)) return 0;
  const double on = 0.5 * (s.on_min_s + s.on_max_s);
  const double off = 0.5 * (s.off_min_s + s.off_max_s);
  return on / (on + off / level);
}

double daylight(double sunrise_h, double sunset_h, double local_hour) {
  if (local_hour <= sunrise_h || local_hour >= sunset_h) return 0;
  const double x = (local_hour - sunrise_h) / (sunset_h - sunrise_h);
  return std::sin(std::numbers::pi * x);
}

double daylight(const Load& load, double local_hour) { return daylight(load.sunrise_h, load.sunset_h, local_hour); }

}  // namespace iw::sim
