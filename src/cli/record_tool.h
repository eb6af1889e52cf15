// `iotawatt record`: writes simulated samples to a replay file (source/REPLAY_FORMAT.md), which
// `iotawatt run --replay` and the accuracy tests read back.
#pragma once

#include <string>

namespace iw::cli {

struct RecordOptions {
  std::string sim_scenario = "household-230v-50hz";
  std::string mode;
  double seconds = 10;
  std::string out;
};

// `iotawatt record`: writes `seconds` of simulated samples to a replay file.
int record_samples(const RecordOptions& options);

}  // namespace iw::cli
