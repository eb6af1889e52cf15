// Calibration against what a user has at hand (issue 13): a voltmeter, a resistive load (a
// kettle or heater, whose true power factor is 1), a clamp meter or the utility meter.
// Pure maths on config::Input and measured averages; the daemon measures (app/calibration_
// service.h) and saves through the same path as POST /config.
//
// Conventions. A sensor's lead is how far its output is ahead of its input (Input::phase and
// the lead entries of p50/p60). The engine pairs each current sample with the voltage shifted
// by CT lead minus VT lead. Reactive power Q is signed: > 0 when the current lags the voltage
// (inductive). Under a PF-1 load, then, a configured CT lead larger than the CT's true lead
// advances the voltage too far, the current appears to lag and Q > 0:
//     error = atan2(Q, P) = (CT lead configured - CT lead true) - (VT lead configured - VT lead true)
// A CT is corrected by shifting its lead by -error; a VT (when the CT is trusted) by +error.
//
// Order of the steps (README, Configuration ▸ Calibration): VT ratio, VT phase on a circuit
// with a catalog CT, then each CT's phase, then each CT's ratio. The VT's lead enters every
// CT on it, so it goes first, measured through a CT whose lead is known.
#pragma once

#include <string>

#include "base/status.h"
#include "config/config.h"

namespace iw::config {

// The rms voltage an input biased at mid-supply can take before it clips (3.3 V / 2 / sqrt 2):
// a CT's range in amps is its cal times this.
inline constexpr double kInputRangeVrms = 1.167;
// A phase step needs at least this share of the CT's range: below it the ADC's quantisation
// and offsets, not the sensor, decide the angle.
inline constexpr double kMinPhaseLoadShare = 0.05;
// A resistive load shows at most this residual angle; more means the load is not resistive
// (a motor, an LED driver) or the CT is on the wrong VT.
inline constexpr double kMaxResidualDeg = 10;
// Ratio steps refuse corrections beyond this factor either way: a misread meter or a wrong
// channel, not a calibration.
inline constexpr double kMaxRatioFactor = 2;

// What the daemon measured on one channel, averaged over `seconds`.
struct Reading {
  double seconds = 0;
  double volts = 0;  // VT: its voltage. CT: its reference voltage (times vmult)
  double amps = 0;
  double watts = 0;
  double vars = 0;  // signed, > 0: the current lags
};

// The residual lead error under a PF-1 load, degrees: the configured lead minus the true one
// (see above). 0 when there is no power.
double phase_error_deg(double watts, double vars);

// Power error, percent, that a lead error of `deg` makes on a PF 0.5 lagging load.
double pf05_error_percent(double lead_error_deg);

// `in` with its lead shifted by `deg`: the static phase and every lead of p50 and p60 (the
// thresholds between them stay).
Input shift_lead(const Input& in, double deg);

// `in` with its ratio times `factor`. A CT given by turns on a channel with a burden
// (`burden_ohms` > 0) has its turns scaled, since the parser then computes cal from turns and
// ignores a written cal; anything else has its cal scaled.
Input scale_ratio(const Input& in, double factor, double burden_ohms);

// One step's proposal: the adjusted input and the error before and (predicted) after, in
// `unit` ("deg" for phase steps, "%" for ratio steps).
struct Proposal {
  Input input;
  double before = 0;
  double after = 0;
  std::string unit;
  double factor = 1;     // ratio steps: new ratio / old ratio
  double shift_deg = 0;  // phase steps: added to every lead
};

// VT ratio: `r` measured on the VT while a voltmeter showed `meter_volts`.
Result<Proposal> calibrate_vt_ratio(const Input& vt, const Reading& r, double meter_volts);
// CT phase: `r` measured on the CT with a resistive load on it.
Result<Proposal> calibrate_ct_phase(const Input& ct, const Reading& r);
// VT phase: `r` measured on `trusted_ct` (a catalog CT on this VT) with a resistive load on it.
Result<Proposal> calibrate_vt_phase(const Input& vt, const Input& trusted_ct, const Reading& r);
// CT ratio: the channel measured `measured` where the reference (clamp meter amps, or the
// utility meter's Wh over the same period) says `reference`.
Result<Proposal> calibrate_ct_ratio(const Input& ct, double burden_ohms, double measured, double reference,
                                    const std::string& what);

}  // namespace iw::config
