// "<series>.cost": what a series' energy cost over a query's group, in the tariff's currency
// (tariff_engine.h has the rules). Selected as `Mains.cost`, `house.cost.d3`; listed by
// show=series with the currency as its unit. A cost column takes no unit method.
#pragma once

#include <memory>
#include <string>

#include "query/series.h"
#include "query/tariff_engine.h"

namespace iw::query {

class CostSeries final : public Series {
 public:
  // "<name>.cost": `base` (owned by the same catalog) priced by `engine`, or the meter when
  // `is_meter` (then `base` may be null: an integrator meter has no series of its own name).
  CostSeries(std::string name, const Series* base, std::shared_ptr<const TariffEngine> engine, bool is_meter);

  const std::string& name() const override { return name_; }
  Unit unit() const override { return Unit::kWh; }  // not shown: unit_label() names the currency
  std::string unit_label() const override { return engine_->tariff().currency; }
  std::optional<int> default_decimals() const override { return engine_->tariff().decimals; }
  bool takes_unit(Unit) const override { return false; }
  // The cost between the interval's records (their times are the span); nullopt without
  // monitored time, or on a read error of a record in between.
  std::optional<double> value(const Interval& interval, Unit unit) const override;

 private:
  std::string name_;
  const Series* base_;
  std::shared_ptr<const TariffEngine> engine_;
  bool is_meter_;
};

// Adds "<name>.cost" for every CT input and output in `catalog` (not VTs, not integrator parts),
// priced by `engine`. The meter (engine's tariff's `meter`, a CT input or an integrator) gets
// the meter rule; for an integrator meter that series is "<integrator>.cost".
void add_costs(SeriesCatalog& catalog, std::shared_ptr<const TariffEngine> engine);

// The config's first tariff over `catalog` (inputs, outputs and integrators already added): its
// engine, after adding the cost series (add_costs); null when the config has no usable tariff
// (a bad "tariffs" section is refused when the config is loaded, app/config_load.h). Later
// tariffs are checked and kept but not priced. `zone` and `records` must outlive the engine.
std::shared_ptr<const TariffEngine> add_tariff(SeriesCatalog& catalog, const config::Config& config,
                                               const TimeZone* zone, const RecordSource* records);

}  // namespace iw::query
