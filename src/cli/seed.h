// `iotawatt seed --scenario NAME --days N --data DIR`: writes N days of history for a
// simulated panel straight into the datalogs, at the record level (sim::IntervalModel, no
// samples), ending now. For demos and tests: a year of 5 s records takes seconds.
#pragma once

#include <cstdint>
#include <string>

namespace iw::cli {

struct SeedOptions {
  std::string scenario = "household-230v-50hz";
  double days = 7;
  double current_days = 0;  // 5 s records only for the last N days (the rest: 60 s only); 0: all
  std::string data_dir;
  uint64_t seed = 1;
  int64_t end_s = 0;     // UNIX seconds; 0: now
  bool progress = true;  // a line on stderr every few percent
};

// Returns the exit code: 0, or 2 with a message on stderr.
int run_seed(const SeedOptions& options);

}  // namespace iw::cli
