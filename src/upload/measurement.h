// The one place that turns an uploader's measurement (an output script object) into something
// that yields a value over an interval of two datalog records.
//
// The script is in the original's syntax (as its uploader configs hold them) or our readable
// one (as the web app writes them) and may use the config's inputs and integrators (calc/README.md); an error names the
// measurement and the position. It is evaluated with the running pipeline's calculator and integrator logs, the same
// ones `/query` reads, so an uploaded value is the value a query of the interval gives.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "calc/calculator.h"
#include "query/integrator_logs.h"
#include "query/series.h"

namespace iw::config {
struct Config;
struct ScriptOutput;
}  // namespace iw::config

namespace iw::upload {

// What a measurement is evaluated with: the pipeline's calculator (compiled from `config`)
// and its integrators' logs. `integrators` may be null when the calculator has no logged
// integrator (exact ones read the main records).
struct MeasurementContext {
  std::shared_ptr<const calc::Calculator> calculator;
  std::shared_ptr<const query::IntegratorLogs> integrators;
};

// A series named `output.name` whose values are those of its script over the config's inputs.
// REQUIRES: context.calculator was compiled from `config`.
Result<std::unique_ptr<query::Series>> measurement_series(const config::Config& config,
                                                          const MeasurementContext& context,
                                                          const config::ScriptOutput& output);

// What measurement_series refuses of `output` without a pipeline: a script that does not
// compile against `config`. The error names the measurement and the position.
Status check_measurement(const config::Config& config, const config::ScriptOutput& output);

// What a protocol needs to know of each measurement to label and print its values.
struct MeasurementInfo {
  std::string name;
  std::string units;  // as the config writes it ("Watts", "kWh")
  int decimals = 1;   // query::script_precision of the unit
};

}  // namespace iw::upload
