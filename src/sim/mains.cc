#include "sim/mains.h"

#include <cmath>
#include <numbers>

namespace iw::sim {

const char* to_string(Line line) {
  switch (line) {
    case Line::kA:
      return "A";
    case Line::kB:
      return "B";
    case Line::kC:
      return "C";
    case Line::kAB:
      return "A-B";
    case Line::kBC:
      return "B-C";
    case Line::kCA:
      return "C-A";
  }
  return "?";
}

Line line_from(Line line) {
  switch (line) {
    case Line::kAB:
      return Line::kA;
    case Line::kBC:
      return Line::kB;
    case Line::kCA:
      return Line::kC;
    default:
      return line;
  }
}

Line line_to(Line line) {
  switch (line) {
    case Line::kAB:
      return Line::kB;
    case Line::kBC:
      return Line::kC;
    case Line::kCA:
      return Line::kA;
    default:
      return line;
  }
}

int conductor_sign(Line load, Line conductor) {
  if (is_phase(load)) return load == conductor ? 1 : 0;
  if (line_from(load) == conductor) return 1;
  if (line_to(load) == conductor) return -1;
  return 0;
}

bool Mains::has_line(Line line) const {
  switch (wiring) {
    case Wiring::kSinglePhase:
      return line == Line::kA;
    case Wiring::kSplitPhase:
      return line == Line::kA || line == Line::kB || line == Line::kAB;
    case Wiring::kThreePhase:
      return true;
  }
  return false;
}

double Mains::nominal_volts(Line line) const {
  if (is_phase(line)) return volts;
  return wiring == Wiring::kSplitPhase ? 2 * volts : std::numbers::sqrt3 * volts;
}

double Mains::frequency_at(double seconds) const {
  double f = hz + hz_offset;
  if (drift_hz != 0 && drift_period_s > 0) {
    f += drift_hz * std::sin(2 * std::numbers::pi * seconds / drift_period_s);
  }
  return f;
}

Spectrum Mains::voltage(Line line) const {
  if (!is_phase(line)) {
    Spectrum v = voltage(line_from(line));
    add_to(v, voltage(line_to(line)), -1.0);
    return v;
  }
  // Phase A's shape; the other phases are the same shape delayed (three-phase) or negated
  // (split-phase leg B), so a derived reference that delays A by 120 degrees of time is exact.
  const double peak = std::sqrt(2.0) * volts * volts_scale;
  Spectrum a{{1, peak}};
  for (const VoltageHarmonic& h : harmonics) {
    add_to(a, Spectrum{{h.order, std::polar(peak * h.ratio, h.phase_deg * std::numbers::pi / 180)}});
  }
  const int index = static_cast<int>(line);
  const double scale = phase_scale[static_cast<size_t>(index)];
  if (line == Line::kA) return scaled(a, scale);
  if (wiring == Wiring::kSplitPhase) return scaled(a, -scale);
  const double third = 2 * std::numbers::pi / 3;
  const double delay = (line == Line::kB ? third : 2 * third) * (reverse_rotation ? -1 : 1);
  return scaled(advanced(a, -delay), scale);
}

}  // namespace iw::sim
