// One accuracy measurement on the path a user's monitor takes.
//
// The simulated panel's config is written out as text, read back the way the daemon reads a
// config file (app::parse_and_check: parser, model catalog, scripts), wired as `run --replay`
// wires it (the nominal app::AdcScaling, app::engine_setup, app::sampling_plan), and the simulator's
// blocks are fed to the engine in order, as the sampler feeds a replayed recording. Nothing
// of the panel reaches the engine except through that text, so a config key the daemon does
// not honour costs accuracy here exactly as it would on a real install.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "sim/panel.h"
#include "source/sampling_plan.h"

namespace iw::cli {

struct PathRunOptions {
  source::SamplingMode mode = source::SamplingMode::kContinuous;
  double conversions_per_second = 200000;
  int64_t start_ns = 0;                        // source clock of the first block
  uint64_t seed = 1;                           // the simulator's: start phase, ADC draws, noise
  double seconds = 20;                         // simulated seconds
  int64_t settle_ns = 1'000'000'000;           // energy counts from the first checkpoint after this
  int64_t checkpoint_step_ns = 1'000'000'000;  // energy counts between multiples of this
  std::string record_path;                     // non-empty: every block is also written to this replay file
};

// What one channel registered between the first and the last whole-second checkpoint, with
// the simulator's truth over the same span. Counters are whole micro-units, as the datalog
// stores them, so a replay through the daemon must give the same numbers exactly.
struct ChannelReading {
  int input = 0;
  bool is_ct = true;
  int64_t net_uwh = 0;  // import - export
  int64_t abs_uwh = 0;  // import + export
  double varh = 0;
  double volts = 0;  // mean Vrms (VT channels; CTs: their reference's)
  double amps = 0;   // mean Irms (CTs)
  // CT: seconds of measured cycles, and W·s and signed var·s over them (ChannelLive): the
  // angle atan2(Q, P) a calibration step reads.
  double measured_s = 0;
  double watt_s = 0;
  double signed_var_s = 0;
  double truth_wh = 0;  // net
  double truth_vrms = 0;

  double net_wh() const { return static_cast<double>(net_uwh) * 1e-6; }
};

struct PathRun {
  std::string config_text;  // what the engine was configured from
  int64_t first_checkpoint_ns = 0;
  int64_t last_checkpoint_ns = 0;
  std::vector<ChannelReading> channels;  // every configured input, by input number

  const ChannelReading* find(int input) const;
};

// Measures `panel` with the config text `config_text` (normally panel.iotawatt_config()).
Result<PathRun> measure_through_config(sim::Panel panel, const std::string& config_text, const PathRunOptions& options);

}  // namespace iw::cli
