// The accuracy suite: IEC 62053-21 class-1 style test points run through the panel
// simulator and the daemon's measuring path, compared with the simulator's exact ground truth.
//
// Every point except creep uses a 15-input board (1 VT + 14 CTs, all 14 on the same test
// load) sampled at 200 000 conversions/s, so multiplexing delays are those of the real scan.
// The engine is configured only from the panel's config text, read as the daemon reads a
// config file (accuracy_run.h). Each point runs once per seed; a seed draws the start phase,
// the ADC's offsets, DNL, INL, gain and noise (12-bit model) and, where simulated, the
// sensors' ratio and phase errors. A point's result is judged on its worst channel over all
// seeds, and reports the mean and spread of every channel of every seed. Energy is compared
// between two checkpoints (after one settling second, and at the end), so start-up does not
// count.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "sim/adc.h"
#include "source/sampling_plan.h"

namespace iw::cli {

// The sensors a point is measured with.
//   kCatalog  each sensor is exactly its catalog entry;
//   kReal     each CT and VT deviates from its catalog entry as real units do
//             (sim/tolerances.h) while the config still names the catalog.
enum class Sensors { kCatalog, kReal };
const char* to_string(Sensors sensors);  // "catalog" | "real"

// What the suite runs: one column of the table.
struct Column {
  source::SamplingMode mode = source::SamplingMode::kContinuous;
  sim::AdcMode adc = sim::AdcMode::kIdeal;
  Sensors sensors = Sensors::kCatalog;
  // The user's one-point calibration first (accuracy_calibration.h). The 12-bit ADC's gain
  // error (its reference and each input's resistors, up to ~2.8 %) needs it, as on a real board.
  bool calibrated = false;
};

// Ideal ADC in both modes; 12-bit ADC in both modes, uncalibrated (reported) and calibrated;
// real sensors with the 12-bit ADC in continuous mode, uncalibrated (reported) and calibrated.
std::vector<Column> default_columns();

struct AccuracyOptions {
  std::vector<Column> columns = default_columns();
  std::vector<std::string> points;  // names to run; empty: all
  int seeds = 10;                   // runs per point, seeds 1..seeds
  double seconds = 20;              // simulated seconds per steady point (1000 cycles at 50 Hz)
  double creep_hours = 24;          // simulated hours of the creep test, shared among the seeds
  double switching_seconds = 600;
  int threads = 0;        // 0: one per core
  bool progress = false;  // print a line per finished point to stderr
  // Non-empty: record the one selected run (one point, mode, ADC and seed) to
  // <record_dir>/samples.replay with the config it was measured with in <record_dir>/config.txt,
  // and count energy between 5-second checkpoints, as the datalog records them.
  std::string record_dir;
};

// One channel of one seed.
struct ChannelError {
  int input = 0;
  double error_pct = 0;
  int64_t measured_uwh = 0;  // net, between the checkpoints
  double expected_wh = 0;
};

struct SeedResult {
  uint64_t seed = 0;
  double error_pct = 0;  // worst channel, signed
  double mean_pct = 0;   // over the channels
  int64_t begin_s = 0;   // the checkpoints energy is counted between (source clock, UNIX s)
  int64_t end_s = 0;
  std::vector<ChannelError> channels;
};

struct AccuracyResult {
  std::string name;
  std::string mode;     // continuous | roundrobin
  std::string adc;      // ideal | 12bit
  std::string sensors;  // catalog | real
  bool calibrated = false;
  double expected_wh = 0;  // of the worst channel's seed
  double measured_wh = 0;
  double error_pct = 0;             // worst channel over all seeds, signed
  double mean_pct = 0;              // over every channel of every seed
  double spread_pct = 0;            // standard deviation of those
  std::optional<double> limit_pct;  // none: reported, not judged
  bool pass = true;
  std::string failure;  // why a run could not be made
  std::vector<SeedResult> seeds;
};

// The names of the test points, in table order.
std::vector<std::string> accuracy_point_names();

// Unknown point names, no column, or a recording asked of more than one run.
Status check_accuracy_options(const AccuracyOptions& options);

// REQUIRES: check_accuracy_options(options).ok().
std::vector<AccuracyResult> run_accuracy(const AccuracyOptions& options);

std::string accuracy_table(const std::vector<AccuracyResult>& results);
nlohmann::json accuracy_json(const std::vector<AccuracyResult>& results);

}  // namespace iw::cli
