// POST /calibrate: one calibration step measured on the running daemon (config/calibration.h
// has the maths and the conventions). Request, a JSON object:
//   {"step": "vt_ratio" | "ct_phase" | "vt_phase" | "ct_ratio",
//    "channel": N,          the input to adjust (vt_ratio, vt_phase: the VT; the others: a CT)
//    "ct": M,               vt_phase only: the catalog CT under the resistive load, on that VT
//    "seconds": 5,          how long to average the live values (1 to 60)
//    "reference": {...},    vt_ratio {"volts": 231.4}; ct_ratio {"amps": 9.87} (clamp meter,
//                           read while the daemon measures) or {"kwh_start": a, "kwh_end": b,
//                           "begin": unix, "end": unix} (the utility meter's readings at those
//                           instants; the daemon takes the same period from its datalog), with
//                           optional "channels": [..] whose energies the meter sees together
//                           (both mains legs); every one of them is scaled. Phase steps: none.
//    "apply": false}        true: save and apply the proposal as POST /config does
// Answer 200: {"step", "channel", "name", "measured": {...}, "before": {...}, "after": {...},
//   "input": {the proposed config entry}, "inputs": [every proposed entry], "applied": bool,
//   "warning"?: "..."}; 400 {"error"} for a malformed request, 422 {"error"} when the
//   measurement does not allow the step (no load, too small, not resistive...), saying what to
//   do, 409 when the configuration changed while measuring.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/sampler.h"
#include "base/status.h"
#include "config/calibration.h"
#include "config/config.h"
#include "query/record_source.h"

namespace iw::app {

struct CalibrationRequest {
  std::string step;
  int channel = -1;
  int ct = -1;  // vt_phase: the measured CT
  double seconds = 5;
  bool apply = false;
  std::optional<double> volts, amps;  // references
  std::optional<double> kwh_start, kwh_end;
  int64_t begin = 0, end = 0;
  std::vector<int> channels;  // ct_ratio: the channels the reference sees (default: channel)

  // The utility-meter form reads the datalog; every other step measures live values.
  bool from_datalog() const { return kwh_start.has_value(); }
  // The channel whose live values the step reads.
  int measured_channel() const { return step == "vt_phase" ? ct : channel; }
};

// Checks the body against the running config (channels exist and have the right type).
Result<CalibrationRequest> parse_calibration_request(const std::string& body, const config::Config& config);

// Averages of `channel` between two snapshots: volts, amps from the counters; watts and signed
// vars from the engine's sums over measured cycles.
config::Reading reading_between(const SamplerSnapshot& a, const SamplerSnapshot& b, size_t channel);

// Waits until the sampler has measured `seconds` more of source time, then averages; fails
// after `timeout` of wall time (a stopped or failing source).
Result<config::Reading> measure_reading(const Sampler& sampler, size_t channel, double seconds,
                                        std::chrono::milliseconds timeout);

// Net Wh (import minus export) of `channels` together between the datalog records at `begin`
// and `end`; each record must be within a minute of its instant.
Result<double> energy_between(const query::RecordSource& records, const std::vector<int>& channels, int64_t begin,
                              int64_t end);

struct CalibrationAnswer {
  nlohmann::json body;                // the answer above, without "applied"
  std::vector<config::Input> inputs;  // proposed
};

// The step's proposal from what was measured: `reading` (live steps) or `measured_wh`.
Result<CalibrationAnswer> propose_calibration(const config::Config& config, const CalibrationRequest& request,
                                              const config::Reading& reading, double measured_wh);

// The config as JSON with `inputs` in place of the running ones. An input with level tables
// gets its own "p50"/"p60" (the catalog's key names), so a shifted lead table is saved.
nlohmann::json config_json_with(const config::Config& config, const std::vector<config::Input>& inputs);

}  // namespace iw::app
