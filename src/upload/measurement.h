// The one place that turns an uploader's measurement (an output script object) into something
// that yields a value over an interval of two datalog records.
//
// For now a script may only be one input, "@n" (channel n); anything else is an error that
// names the script. The output-script calculator (src/calc/) replaces the body at merge.
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
