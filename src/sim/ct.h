// Sensor models: current transformers (CT) and voltage transformers (VT).
//
// Phase lead. A sensor that leads by phi degrees outputs its input ADVANCED IN TIME by
// delta = phi / (360 * f) seconds: secondary(t) = primary(t + delta) / ratio. Within an AC
// cycle every waveform is periodic, so this is exactly a rotation of harmonic h by h*phi.
// The lead is evaluated once per cycle (from the cycle's primary rms and frequency) and held
// for the cycle; at a load change the secondary switches at the same cycle boundary as the
// primary (see README.md). The measurement engine corrects by the same time shift.
//
// Lead tables use the original firmware's form [phi0, t1, phi1, t2, phi2, ...]: phi0 below
// t1 (amps for a CT, volts for a VT), phi1 from t1 up to t2, ...; p50 below 55 Hz, p60 at or
// above; an empty array falls back to the static phase.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace iw::sim {

// Lead in degrees from a table at `level`. REQUIRES: !table.empty().
// The simulator keeps its own table lookup rather than using measure::PhaseCurve on purpose:
// the sensor model is the ground truth, and sharing the engine's code would hide a lookup bug
// from the accuracy suite.
double table_lead(const std::vector<double>& table, double level);
double lead_deg(double static_deg, const std::vector<double>& p50, const std::vector<double>& p60, double level,
                double hz);
// Empty, or odd length with increasing non-negative thresholds.
bool valid_lead_table(const std::vector<double>& table);

enum class CtOutput { kCurrent, kVoltage };

// How one unit differs from its catalog entry: zero for the catalog part, drawn per sensor by
// apply_sensor_tolerances (sim/tolerances.h). The catalog values (cal(), ratio, phase_deg,
// p50, p60) stay nominal, since they are what the daemon is told; the simulator applies the
// deviation on top of them.
struct SensorDeviation {
  double ratio_error = 0;       // IEC 61869 ratio error: true output / catalog output - 1
  double phase_offset_deg = 0;  // added to the catalog lead at every level
  // Level-dependent part: CT degrees per decade of primary current relative to the rating
  // (zero at the rating, the current clamped at 1 % of it); VT degrees per 10 % of line
  // voltage away from `reference_level` (zero there).
  double phase_slope_deg = 0;
  double reference_level = 0;  // VT: the nominal line volts the slope is counted from
};

struct CtModel {
  std::string name = "generic";  // the model table name the config refers to
  CtOutput output = CtOutput::kCurrent;
  double turns = 2000;           // kCurrent: turns ratio
  double burden_ohms = 20;       // kCurrent: burden on the board
  double amps_per_volt = 0;      // kVoltage: primary amps per volt of output
  double rating_amps = 100;      // rated primary rms
  double phase_deg = 0;          // static lead
  std::vector<double> p50, p60;  // current-dependent lead tables (may be empty)
  // Linear up to a peak primary current of knee * rating * sqrt(2); beyond, the output
  // bends smoothly towards at most 1.5 times that (core saturation).
  double knee = 2.0;
  SensorDeviation deviation;  // this unit against the catalog

  // Primary amps per volt at the ADC input: turns / burden, or amps_per_volt. This is the
  // `cal` of the original config (catalog value).
  double cal() const { return output == CtOutput::kCurrent ? turns / burden_ohms : amps_per_volt; }
  // What this unit really does: cal() with the ratio error, the catalog lead plus deviation.
  double true_cal() const { return cal() / (1 + deviation.ratio_error); }
  double lead_deg(double primary_irms, double hz) const;
  Status validate() const;
};

struct VtModel {
  std::string name = "generic";
  double ratio = 20;  // line volts per secondary volt: the original config's `cal`
  double phase_deg = 0;
  std::vector<double> p50, p60;  // voltage-dependent lead tables (may be empty)
  SensorDeviation deviation;     // this unit against the catalog

  // Line volts per secondary volt of this unit (ratio is the catalog's).
  double true_ratio() const { return ratio / (1 + deviation.ratio_error); }
  // The catalog lead plus this unit's deviation.
  double lead_deg(double line_vrms, double hz) const;
  Status validate() const;
};

// Soft saturation of an instantaneous value with the given knee (same units): identity up to
// |x| = knee, then knee + s*tanh((|x| - knee)/s) with s = knee/2 (continuous slope).
double saturate(double x, double knee);

// Models with the values of the original model tables (reference section 2.6), so a config
// naming them attaches the same lead tables the simulator applies. Names:
// CT "SCT013-000" (100 A, 2000 turns), "ECS24200" (200 A, 4000 turns), "ECS1050-L72" (50 A,
// 2000 turns), "SCT013-030" (30 A per volt, voltage output), "AcuCT-H040-50" (50 A, 1000 turns),
// "ideal" (100 A, 2000 turns, no lead); VT "Ideal 77DE-06-09(EU)", "Jameco/112336",
// "generic240V", "generic120V", "ideal230" (ratio 19.06, no lead), "ideal120" (11.43).
// All current-output CTs sit on the IoTaWatt v5 20 ohm burden.
Result<CtModel> ct_model(const std::string& name);
Result<VtModel> vt_model(const std::string& name);
std::vector<std::string> ct_model_names();
std::vector<std::string> vt_model_names();

}  // namespace iw::sim
