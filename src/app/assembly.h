// What the daemon measures with, decided from the options and one configuration: the sample
// source (ADC board from the config, a replay file, or the panel simulator) and the config
// that goes with it. Built at start-up and again whenever the configuration changes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "app/run_options.h"
#include "app/wiring.h"
#include "base/status.h"
#include "config/config.h"
#include "source/clock.h"
#include "source/sample_source.h"

namespace iw::app {

struct Assembly {
  config::Config config;
  std::unique_ptr<source::SampleSource> source;
  AdcScaling scaling;
  bool paced = false;  // simulated or replayed time: the sampler paces it
  // A source that paces itself: the clock its blocks' instants are read from, so the sampler
  // can tell how late it finished a block (empty: the Unix clock).
  source::NanoClock clock;
  // Not Ok when the config's ADC board could not be opened (Status::Unavailable: a missing or
  // forbidden /dev/spidev*, which may appear later); `source` is then a placeholder that yields
  // no samples (source/unavailable_source.h), `scaling` the board's nominal one. A config that
  // is wrong (an unknown board, an input the board lacks) is an error of assemble() instead.
  Status source_error;
};

// `config`: the configuration to run, or nullopt for the simulator's own config of its
// scenario. `start_ns`: UNIX ns where simulated time begins (continuing a run with --speed).
Result<Assembly> assemble(const RunOptions& options, std::optional<config::Config> config, int64_t start_ns);

// The config file the daemon reads and the API writes: --config, else <data>/config.txt.
std::string config_path_of(const RunOptions& options);

// Overrides the config's sampling mode with --mode (empty: keep it).
Status apply_mode(const std::string& mode, config::Config& config);

// The simulator's configuration for `scenario` (empty: the default scenario).
Result<config::Config> scenario_config(const std::string& scenario);

}  // namespace iw::app
