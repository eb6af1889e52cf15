#include "query/meter_flow.h"

#include <algorithm>

namespace iw::query {
namespace {

double counter_delta(const measure::Counter& older, const measure::Counter& newer) {
  return std::max(0.0, newer.value() - older.value());  // counters only count up; a reset reads 0
}

}  // namespace

std::optional<MeterReader> MeterReader::Find(const SeriesCatalog& catalog, const std::string& name) {
  MeterReader m;
  for (const InputSeries* in : catalog.inputs()) {
    if (in->name() == name && !in->is_vt()) {
      m.channel_ = in->channel();
      return m;
    }
  }
  m.pos_ = catalog.find(name + ".pos");
  m.neg_ = catalog.find(name + ".neg");
  if (m.pos_ == nullptr || m.neg_ == nullptr) return std::nullopt;
  return m;
}

GridFlow MeterReader::flow(const datalog::Record& older, const datalog::Record& newer) const {
  if (channel_ >= 0) {
    const auto ch = static_cast<size_t>(channel_);
    if (ch >= older.channels.size() || ch >= newer.channels.size()) return {};
    return {counter_delta(older.channels[ch].wh_import, newer.channels[ch].wh_import),
            counter_delta(older.channels[ch].wh_export, newer.channels[ch].wh_export)};
  }
  const Interval interval{&older, &newer};
  return {std::max(0.0, pos_->value(interval, Unit::kWh).value_or(0)),
          std::max(0.0, -neg_->value(interval, Unit::kWh).value_or(0))};
}

}  // namespace iw::query
