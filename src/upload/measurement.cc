#include "upload/measurement.h"

#include "config/config.h"
#include "query/output_series.h"

namespace iw::upload {

Result<std::unique_ptr<query::Series>> measurement_series(const config::Config& config,
                                                          const MeasurementContext& context, const std::string& name,
                                                          const std::string& script) {
  if (!context.calculator)
    return Status::InvalidArgument("measurement \"" + name + "\": no calculator to evaluate it with");
  auto compiled = calc::Calculator::CompileOne(config, script, config::ScriptSyntax::kOriginal);
  if (!compiled)
    return Status::InvalidArgument("measurement \"" + name + "\": script \"" + script + "\": " + compiled.error());
  return std::unique_ptr<query::Series>(std::make_unique<query::OutputSeries>(
      context.calculator, calc::Output{name, calc::Unit::kWatts, std::move(compiled.value())}, context.integrators));
}

}  // namespace iw::upload
