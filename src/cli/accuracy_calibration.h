// The user's calibration, simulated for the accuracy suite: what a person does with a
// voltmeter, a kettle and the utility meter, through the maths the web app's steps use
// (config/calibration.h) and the readings the daemon would give (accuracy_run.h).
//
// On the same hardware as the test point (the same sensor draws: they depend on the seed and
// the input only), with a resistive 2 kW load (a kettle, 8.7 A at 230 V) on every circuit:
//   1. VT ratio against a voltmeter, and every CT's phase from the kettle's angle atan2(Q, P);
//   2. with that config, every CT's ratio against the energy an exact reference meter saw
//      over the same run (the utility meter over an hour, in a home).
// The VT's phase is not calibrated apart: every CT on it absorbs its lead (the engine uses
// only CT lead minus VT lead), which is what the per-CT phase step of the web app does too.
#pragma once

#include <string>

#include "base/status.h"
#include "cli/accuracy_run.h"
#include "sim/panel.h"

namespace iw::cli {

// Calibrates `config_text` for `kettle`, a panel with the resistive load on every CT and the
// sensors of the panel to be measured. `options`: how to run (mode, seed, rate); its
// seconds is the length of each of the two kettle runs.
Result<std::string> calibrate_like_a_user(const sim::Panel& kettle, const std::string& config_text,
                                          const PathRunOptions& options);

}  // namespace iw::cli
