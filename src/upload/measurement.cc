#include "upload/measurement.h"

#include "calc/calculator.h"
#include "config/config.h"
#include "query/output_series.h"

namespace iw::upload {

Result<std::unique_ptr<query::Series>> measurement_series(const config::Config& config, const std::string& name,
                                                          const std::string& script) {
  auto calculator = calc::Calculator::Compile(config);
  if (!calculator) return Status::Error("the config's outputs do not compile: " + calculator.error());
  auto compiled = calc::Calculator::CompileOne(config, script, config::ScriptSyntax::kOriginal);
  if (!compiled) return Status::Error("measurement \"" + name + "\": script \"" + script + "\": " + compiled.error());
  auto calc = std::make_shared<const calc::Calculator>(std::move(calculator.value()));
  // Exact integrators read the main records; logged ones have no log here and read 0.
  auto integrators = std::make_shared<const query::IntegratorLogs>(calc, std::vector<std::shared_ptr<const datalog::Log>>{});
  return std::unique_ptr<query::Series>(std::make_unique<query::OutputSeries>(
      calc, calc::Output{name, calc::Unit::kWatts, std::move(compiled.value())}, std::move(integrators)));
}

}  // namespace iw::upload
