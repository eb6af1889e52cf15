// How the engine treats each input channel. Built by app/ from the config and the board.
#pragma once

#include <cstdint>
#include <vector>

#include "measure/phase_curve.h"
#include "measure/step_detector.h"

namespace iw::measure {

enum class ChannelKind : uint8_t { kUnused, kVoltage, kCurrent };

struct ChannelSetup {
  ChannelKind kind = ChannelKind::kUnused;
  // Line volts (VT) or primary amps (CT) per ADC count of a 12-bit converter. Blocks with
  // other resolutions are rescaled: a count of an N-bit code is 2^(12-N) 12-bit counts.
  double units_per_count = 0;
  PhaseCurve phase;             // lead of the sensor, degrees
  int vt = 0;                   // CT: channel of its voltage reference
  double vphase_deg = 0;        // CT: derived reference lags the VT by this many degrees
  double vmult = 1;             // CT: multiplier of the reference voltage (double, line-to-line)
  bool allow_negative = false;  // CT "signed": keep negative power (export)
  bool reverse = false;         // negate the samples
  StepSettings steps;           // CT: step events (step_detector.h)

  bool operator==(const ChannelSetup&) const = default;
};

struct EngineSetup {
  std::vector<ChannelSetup> channels;  // indexed by input channel number
  // No-load threshold: a CT cycle whose current is below this many 12-bit counts rms is
  // recorded as 0 W, 0 VA. ADC noise alone (~0.8 counts rms) stays below it, so an open
  // input accumulates exactly 0 Wh; for a 100 A : 50 mA CT on 20 ohm at 3.3 V this is 0.16 A.
  double noise_floor_counts = 2.0;
  // Unsigned CT: reported as reversed when its negative power exceeds this (original: 5 W).
  double reversed_watts = 5.0;
  // A voltage reference with no zero crossing for this long is treated as lost: its CTs
  // record 0 W, as the original does when there is no voltage.
  double dead_voltage_seconds = 0.06;
  // Blocks whose start is within this of the previous block's end continue its cycles;
  // a longer gap restarts cycle detection (real ADCs leave small gaps between transfers).
  double max_gap_seconds = 0.002;
  // Step events wait here until drained (Engine::steps()); more are dropped and counted.
  size_t step_queue_capacity = 1024;
};

}  // namespace iw::measure
