#include "query/cost_series.h"

#include <cmath>
#include <utility>

namespace iw::query {

CostSeries::CostSeries(std::string name, const Series* base, std::shared_ptr<const TariffEngine> engine, bool is_meter)
    : name_(std::move(name) + ".cost"), base_(base), engine_(std::move(engine)), is_meter_(is_meter) {}

std::optional<double> CostSeries::value(const Interval& interval, Unit) const {
  if (!(interval.hours() > 0)) return std::nullopt;
  if (is_meter_) {
    auto c = engine_->meter_cost(*interval.older, *interval.newer);
    if (!c.ok() || !std::isfinite(c.value().total())) return std::nullopt;
    return c.value().total();
  }
  auto c = engine_->series_cost(*base_, *interval.older, *interval.newer);
  if (!c.ok() || !c.value() || !std::isfinite(*c.value())) return std::nullopt;
  return c.value();
}

void add_costs(SeriesCatalog& catalog, std::shared_ptr<const TariffEngine> engine) {
  const std::string& meter = engine->tariff().meter;
  std::vector<const Series*> priced;
  for (const auto& s : catalog.all()) {
    const auto* in = dynamic_cast<const InputSeries*>(s.get());
    const bool integrator_part = s->name().find('.') != std::string::npos;
    if ((in != nullptr && in->is_vt()) || integrator_part) continue;
    priced.push_back(s.get());
  }
  bool meter_priced = false;
  for (const Series* s : priced) {
    const bool is_meter = engine->has_meter() && s->name() == meter;
    meter_priced = meter_priced || is_meter;
    catalog.add(std::make_unique<CostSeries>(s->name(), s, engine, is_meter));
  }
  if (engine->has_meter() && !meter_priced) {  // an integrator meter: "<integrator>.cost"
    catalog.add(std::make_unique<CostSeries>(meter, nullptr, engine, true));
  }
}

std::shared_ptr<const TariffEngine> add_tariff(SeriesCatalog& catalog, const config::Config& config,
                                               const TimeZone* zone, const RecordSource* records) {
  auto tariffs = config::tariff_config(config);
  if (!tariffs.ok() || tariffs.value().empty()) return nullptr;
  const config::Tariff& t = tariffs.value().front();
  std::optional<MeterReader> meter;
  if (!t.meter.empty()) {
    meter = MeterReader::Find(catalog, t.meter);
    if (!meter) return nullptr;  // the config checks the name; a catalog without it prices nothing
  }
  auto engine = std::make_shared<const TariffEngine>(t, zone, records, std::move(meter));
  add_costs(catalog, engine);
  return engine;
}

}  // namespace iw::query
