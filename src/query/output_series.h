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
  // `output` compiled by `calculator` (one of its outputs, or an integrator part below).
  // `integrators` may be null when the calculator has none.
  OutputSeries(std::shared_ptr<const calc::Calculator> calculator, calc::Output output,
               std::shared_ptr<const IntegratorLogs> integrators);

  const std::string& name() const override { return output_.name; }
  Unit unit() const override { return output_.unit; }
  std::optional<double> value(const Interval& interval, Unit unit) const override;

 private:
  std::shared_ptr<const calc::Calculator> calculator_;
  calc::Output output_;
  std::shared_ptr<const IntegratorLogs> integrators_;
  std::vector<int> reads_integrators_;  // the integrators the script reads
};

// Adds every output of `calculator` to `catalog`, after what it holds, then each integrator's
// parts as series "<name>.pos", "<name>.neg" and "<name>.net" in Wh (a column "grid.pos.kwh"
// reads the import in kWh).
void add_outputs(SeriesCatalog& catalog, std::shared_ptr<const calc::Calculator> calculator,
                 std::shared_ptr<const IntegratorLogs> integrators);

}  // namespace iw::query
