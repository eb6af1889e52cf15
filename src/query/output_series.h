// An output (calculator script) as a query series: its value over an interval is the script
// evaluated on the interval's two records (calc/value.h), integrators included.
#pragma once

#include <memory>

#include "calc/calculator.h"
#include "query/integrator_logs.h"
#include "query/series.h"

namespace iw::query {

class OutputSeries final : public Series {
 public:
  // Output `index` of `calculator`. `integrators` may be null when the calculator has none.
  OutputSeries(std::shared_ptr<const calc::Calculator> calculator, size_t index,
               std::shared_ptr<const IntegratorLogs> integrators);

  const std::string& name() const override { return output().name; }
  Unit unit() const override { return output().unit; }
  std::optional<double> value(const Interval& interval, Unit unit) const override;

 private:
  const calc::Output& output() const { return calculator_->outputs()[index_]; }

  std::shared_ptr<const calc::Calculator> calculator_;
  size_t index_;
  std::shared_ptr<const IntegratorLogs> integrators_;
  std::vector<int> reads_integrators_;  // the integrators the script reads
};

// Adds every output of `calculator` to `catalog`, after what it holds.
void add_outputs(SeriesCatalog& catalog, std::shared_ptr<const calc::Calculator> calculator,
                 std::shared_ptr<const IntegratorLogs> integrators);

}  // namespace iw::query
