#include "query/standby_series.h"

#include <algorithm>
#include <optional>
#include <vector>

namespace iw::query {

StandbySeries::StandbySeries(const Series* base, const RecordSource* records)
    : name_(base->name() + ".standby"), base_(base), records_(records) {}

std::optional<double> StandbySeries::value(const Interval& interval, Unit) const {
  if (interval.newer == nullptr) return std::nullopt;
  const int64_t last_end = interval.newer->time / kWindowS * kWindowS;
  std::optional<datalog::Record> earlier;
  std::optional<double> lowest;
  for (int64_t end = last_end - kSpanS; end <= last_end; end += kWindowS) {
    auto read = records_->at_or_before(end);
    if (!read.ok()) return std::nullopt;
    std::optional<datalog::Record> later = std::move(read.value());
    if (earlier && later && later->time > earlier->time) {
      const Interval window{&*earlier, &*later};
      if (window.hours() * 3600 >= kMinMonitoredShare * kWindowS) {
        const std::optional<double> watts = base_->value(window, Unit::kWatts);
        if (watts && *watts >= 0) lowest = std::min(lowest.value_or(*watts), *watts);
      }
    }
    earlier = std::move(later);
  }
  return lowest;
}

void add_standby(SeriesCatalog& catalog, const RecordSource* records) {
  std::vector<const Series*> based;
  for (const auto& s : catalog.all()) {
    const auto* in = dynamic_cast<const InputSeries*>(s.get());
    if (in != nullptr ? in->is_vt() : s->unit() != Unit::kWatts) continue;
    if (s->name().find('.') != std::string::npos) continue;  // integrator parts, costs
    based.push_back(s.get());
  }
  for (const Series* s : based) catalog.add(std::make_unique<StandbySeries>(s, records));
}

}  // namespace iw::query
