#include "upload/measurement.h"

#include "config/config.h"
#include "config/uploader_config.h"
#include "query/output_series.h"

namespace iw::upload {

namespace {

Result<calc::Script> compile(const config::Config& config, const config::ScriptOutput& output) {
  auto compiled = calc::Calculator::CompileOne(config, output.script, output.syntax);
  if (!compiled) {
    return Status::InvalidArgument("measurement \"" + output.name +
                                   "\": " + (output.syntax == config::ScriptSyntax::kOriginal ? "script" : "expr") +
                                   " \"" + output.script + "\": " + compiled.error());
  }
  return compiled;
}

}  // namespace

Result<std::unique_ptr<query::Series>> measurement_series(const config::Config& config,
                                                          const MeasurementContext& context,
                                                          const config::ScriptOutput& output) {
  if (!context.calculator)
    return Status::InvalidArgument("measurement \"" + output.name + "\": no calculator to evaluate it with");
  auto compiled = compile(config, output);
  if (!compiled) return compiled.status();
  return std::unique_ptr<query::Series>(std::make_unique<query::OutputSeries>(
      context.calculator, calc::Output{output.name, calc::Unit::kWatts, std::move(compiled.value())},
      context.integrators));
}

Status check_measurement(const config::Config& config, const config::ScriptOutput& output) {
  auto compiled = compile(config, output);
  return compiled ? Status::Ok() : compiled.status();
}

}  // namespace iw::upload
