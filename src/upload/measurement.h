// The one place that turns an uploader's measurement (an output script object) into something
// that yields a value over an interval of two datalog records.
//
// The script is in the original's syntax (as its uploader configs hold them) and may use the
// config's inputs and integrators (calc/README.md); an error names the measurement and the
// position. It is evaluated with the running pipeline's calculator and integrator logs, the
// same ones `/query` reads, so an uploaded value is the value a query of the interval gives.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "calc/calculator.h"
#include "query/integrator_logs.h"
#include "query/series.h"

namespace iw::config {
struct Config;
}

namespace iw::upload {

// What a measurement is evaluated with: the pipeline's calculator (compiled from `config`)
// and its integrators' logs. `integrators` may be null when the calculator has no logged
// integrator (exact ones read the main records).
struct MeasurementContext {
  std::shared_ptr<const calc::Calculator> calculator;
  std::shared_ptr<const query::IntegratorLogs> integrators;
};

// A series named `name` whose values are those of `script` over the config's inputs.
// REQUIRES: context.calculator was compiled from `config`.
Result<std::unique_ptr<query::Series>> measurement_series(const config::Config& config,
                                                          const MeasurementContext& context, const std::string& name,
                                                          const std::string& script);

// What a protocol needs to know of each measurement to label and print its values.
struct MeasurementInfo {
  std::string name;
  std::string units;  // as the config writes it ("Watts", "kWh")
  int decimals = 1;   // query::script_precision of the unit
};

}  // namespace iw::upload
