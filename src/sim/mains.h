// The supply: nominal voltage and frequency, wiring, voltage harmonics, frequency drift and
// the test-point knobs (frequency offset, voltage scale, unbalance, phase rotation).
//
// Cycle rule (what makes the ground truth exact): the instantaneous frequency is constant
// within each AC cycle of phase A and changes only at phase A's rising zero crossing of the
// fundamental. frequency_at() is evaluated at that crossing and held for the whole cycle.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/spectrum.h"

namespace iw::sim {

enum class Wiring { kSinglePhase, kSplitPhase, kThreePhase };

// What a voltage is measured across, or what a load is connected across. kA, kB, kC are phase
// (or split-phase leg) to neutral; kAB, kBC, kCA line to line (kAB = A minus B). Split-phase:
// A is leg L1, B is leg L2 = -L1, kAB is the 240 V leg-to-leg voltage.
enum class Line : uint8_t { kA, kB, kC, kAB, kBC, kCA };

const char* to_string(Line line);
inline bool is_phase(Line line) { return line == Line::kA || line == Line::kB || line == Line::kC; }
// Line-to-line: the two phases it spans (from, to). REQUIRES: !is_phase(line).
Line line_from(Line line);
Line line_to(Line line);
// The sign with which the current of a load connected across `load` flows through a CT on the
// phase conductor `conductor` (source towards load): +1, -1 or 0 when it does not pass there.
int conductor_sign(Line load, Line conductor);

struct VoltageHarmonic {
  int order = 3;         // >= 2
  double ratio = 0;      // amplitude relative to the fundamental
  double phase_deg = 0;  // phase of the harmonic's sine, in the harmonic's own degrees
};

struct Mains {
  Wiring wiring = Wiring::kSinglePhase;
  double volts = 230;                          // nominal rms of the fundamental, phase (leg) to neutral
  double hz = 50;                              // nominal frequency
  double hz_offset = 0;                        // fixed offset for test points (49/51/59/61 Hz)
  double volts_scale = 1;                      // all voltages x this (0.9 / 1.1 test points)
  double drift_hz = 0;                         // amplitude of the slow sinusoidal frequency drift
  double drift_period_s = 600;                 // its period
  std::vector<VoltageHarmonic> harmonics;      // same shape on every phase
  std::array<double, 3> phase_scale{1, 1, 1};  // per phase A/B/C: unbalance test points
  bool reverse_rotation = false;               // three-phase: B leads A by 120 degrees instead of lagging

  bool has_line(Line line) const;
  // Nominal rms of the fundamental across `line`, before volts_scale and unbalance:
  // volts; split-phase kAB: 2*volts; three-phase line to line: sqrt(3)*volts.
  double nominal_volts(Line line) const;
  // Frequency of the cycle that starts `seconds` after the simulation start.
  double frequency_at(double seconds) const;
  // The actual voltage across `line` in the phase-A theta frame (see spectrum.h).
  // REQUIRES: has_line(line).
  Spectrum voltage(Line line) const;
};

}  // namespace iw::sim
