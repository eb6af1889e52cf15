// The one place that turns an uploader's measurement (an output script object) into something
// that yields a value over an interval of two datalog records.
//
// The script is in the original's syntax (as its uploader configs hold them) and may use the
// config's inputs and integrators (calc/README.md); an error names the measurement and the
// position. Logged integrators read 0 here for now (their logs are the pipeline's).
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "query/series.h"

namespace iw::config {
struct Config;
}

namespace iw::upload {

// A series named `name` whose values are those of `script` over the config's inputs.
Result<std::unique_ptr<query::Series>> measurement_series(const config::Config& config, const std::string& name,
                                                          const std::string& script);

}  // namespace iw::upload

namespace iw::upload {

// What a protocol needs to know of each measurement to label and print its values.
struct MeasurementInfo {
  std::string name;
  std::string units;  // as the config writes it ("Watts", "kWh")
  int decimals = 1;   // query::script_precision of the unit
};

}  // namespace iw::upload
