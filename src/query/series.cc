#include "query/series.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "calc/input_value.h"
#include "calc/value.h"
#include "config/config.h"

namespace iw::query {
namespace {

using calc::Quantity;

// The quantity a unit reads from one input; nullopt for kWh and PF, derived below.
std::optional<Quantity> input_quantity_of(Unit unit) {
  switch (unit) {
    case Unit::kVA:
      return Quantity::kVA;
    case Unit::kVAh:
      return Quantity::kVAh;
    case Unit::kKWh:
    case Unit::kPF:
      return std::nullopt;
    default:
      return calc::quantity_of(unit);
  }
}

}  // namespace

// The rule for a counter reset (datalog/record.h counters_decrease): an interval whose newer
// record holds a lower counter for the channel than its older one has no data for the channel.
// The log's invariant is that this never happens; where it does (a log written before that
// held, an import), the difference is not energy, and a negative or a whole-lifetime value
// would be worse than a gap. A record that holds no counters for the channel (the input was
// deleted then) makes the interval missing too: its zeros are not counters.
bool continues(const Interval& interval, size_t channel) {
  if (interval.older == nullptr || interval.newer == nullptr) return false;
  if (!interval.older->holds(channel) || !interval.newer->holds(channel)) return false;
  return !datalog::counters_decrease(interval.older->channels[channel], interval.newer->channels[channel]);
}

double Interval::hours() const {
  if (older == nullptr || newer == nullptr) return 0;
  return static_cast<double>(newer->monitored_us - older->monitored_us) / 3.6e9;
}

InputSeries::InputSeries(const config::Input& input)
    : name_(input.name), channel_(input.channel), is_vt_(input.is_vt()) {
  const int reference = input.is_vt() ? input.channel : input.vchan;
  infos_.resize(static_cast<size_t>(std::max(channel_, reference) + 1));
  infos_[static_cast<size_t>(reference)] = {true, true, reference};
  infos_[static_cast<size_t>(channel_)] = {true, is_vt_, reference};
}

std::optional<double> InputSeries::value(const Interval& interval, Unit unit) const {
  const double h = interval.hours();
  if (!(h > 0)) return std::nullopt;
  const auto& older = interval.older->channels;
  const auto& newer = interval.newer->channels;
  const int needed = unit == Unit::kHz ? infos_[static_cast<size_t>(channel_)].reference : channel_;
  if (!continues(interval, static_cast<size_t>(needed))) return std::nullopt;
  auto read = [&](Quantity q) { return calc::input_quantity(infos_, channel_, older, newer, h, q); };
  double v = 0;
  if (auto q = input_quantity_of(unit)) {
    v = read(*q);
  } else if (unit == Unit::kKWh) {
    v = read(Quantity::kWh) / 1000;
  } else {  // PF = W / VA over the same hours; 0 for a VT and when VA is 0
    const double vah = read(Quantity::kVAh);
    v = vah == 0 ? 0 : read(Quantity::kWh) / vah;
  }
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

SeriesCatalog SeriesCatalog::FromConfig(const config::Config& config) {
  SeriesCatalog catalog;
  for (const auto& input : config.inputs) {
    if (input) catalog.add(std::make_unique<InputSeries>(*input));
  }
  return catalog;
}

void SeriesCatalog::add(std::unique_ptr<Series> series) { series_.push_back(std::move(series)); }

const Series* SeriesCatalog::find(std::string_view name) const {
  for (const auto& s : series_) {
    if (s->name() == name) return s.get();
  }
  return nullptr;
}

std::vector<const InputSeries*> SeriesCatalog::inputs() const {
  std::vector<const InputSeries*> out;
  for (const auto& s : series_) {
    if (const auto* in = dynamic_cast<const InputSeries*>(s.get())) out.push_back(in);
  }
  return out;
}

std::string SeriesCatalog::show_series_json(bool with_derived) const {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& s : series_) {
    if (s->derived() && !with_derived) continue;
    list.push_back({{"name", s->name()}, {"unit", s->unit_label()}});
  }
  nlohmann::ordered_json doc;
  doc["series"] = std::move(list);
  return doc.dump();
}

}  // namespace iw::query
