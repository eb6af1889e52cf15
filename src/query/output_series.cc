#include "query/output_series.h"

#include <cmath>

#include "calc/interval_operands.h"
#include "calc/value.h"

namespace iw::query {

OutputSeries::OutputSeries(std::shared_ptr<const calc::Calculator> calculator, calc::Output output,
                           std::shared_ptr<const IntegratorLogs> integrators)
    : calculator_(std::move(calculator)),
      output_(std::move(output)),
      integrators_(std::move(integrators)),
      reads_integrators_(output_.script.integrators()) {}

std::optional<double> OutputSeries::value(const Interval& interval, Unit unit) const {
  const double h = interval.hours();
  if (!(h > 0)) return std::nullopt;
  std::vector<calc::IntegratorDelta> deltas;
  if (!reads_integrators_.empty() && integrators_ != nullptr) {
    deltas.resize(calculator_->integrators().size());
    for (int k : reads_integrators_) {
      deltas[static_cast<size_t>(k)] = integrators_->delta(static_cast<size_t>(k), *interval.older, *interval.newer);
    }
  }
  const calc::IntervalOperands operands(calculator_->inputs(), interval.older->channels, interval.newer->channels, h,
                                        deltas);
  const double v = calc::value_of(output_.script, unit, operands);
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

void add_outputs(SeriesCatalog& catalog, std::shared_ptr<const calc::Calculator> calculator,
                 std::shared_ptr<const IntegratorLogs> integrators) {
  for (const calc::Output& output : calculator->outputs()) {
    catalog.add(std::make_unique<OutputSeries>(calculator, output, integrators));
  }
  const std::pair<const char*, calc::IntegratorPart> parts[] = {
      {".pos", calc::IntegratorPart::kPos}, {".neg", calc::IntegratorPart::kNeg}, {".net", calc::IntegratorPart::kNet}};
  for (size_t k = 0; k < calculator->integrators().size(); ++k) {
    for (const auto& [suffix, part] : parts) {
      calc::Output reads{calculator->integrators()[k].name + suffix, calc::Unit::kWh, {}};
      reads.script.set_root(reads.script.integrator(static_cast<int>(k), part));
      catalog.add(std::make_unique<OutputSeries>(calculator, std::move(reads), integrators));
    }
  }
}

}  // namespace iw::query
