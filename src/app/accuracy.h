// The accuracy suite: IEC 62053-21 class-1 style test points run through the panel
// simulator and the measurement engine, compared with the simulator's exact ground truth.
//
// Every point except creep uses a 15-input board (1 VT + 14 CTs, all 14 on the same test
// load) sampled at 200 000 conversions/s, so multiplexing delays are those of the real
// scan; the reported error is the worst of the 14 CT channels. Energy is compared between
// two checkpoints (after one settling second, and at the end), so start-up does not count.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/adc.h"
#include "source/sampling_plan.h"

namespace iw::app {

struct AccuracyOptions {
  std::vector<source::SamplingMode> modes{source::SamplingMode::kContinuous,
                                          source::SamplingMode::kRoundRobin};
  std::vector<sim::AdcMode> adcs{sim::AdcMode::kIdeal, sim::AdcMode::kReal};
  double seconds = 20;        // simulated seconds per steady point (1000 cycles at 50 Hz)
  double creep_hours = 24;    // simulated hours of the creep test
  double switching_seconds = 600;
  int threads = 0;            // 0: one per core
  bool progress = false;      // print a line per finished point to stderr
};

struct AccuracyResult {
  std::string name;
  std::string mode;   // continuous | roundrobin
  std::string adc;    // ideal | 12bit
  double expected_wh = 0;
  double measured_wh = 0;
  double error_pct = 0;                // worst channel, signed
  std::optional<double> limit_pct;     // none: reported, not judged
  bool pass = true;
};

std::vector<AccuracyResult> run_accuracy(const AccuracyOptions& options);

std::string accuracy_table(const std::vector<AccuracyResult>& results);
nlohmann::json accuracy_json(const std::vector<AccuracyResult>& results);

}  // namespace iw::app
