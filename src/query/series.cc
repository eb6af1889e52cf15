#include "query/series.h"

#include <cmath>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "config/config.h"

namespace iw::query {
namespace {

using measure::ChannelCounters;
using measure::Counter;

// Increase of a counter between the records, in units. Differences are taken on the exact
// int64 micro-units before converting, so a year-old total loses no resolution.
double delta(const Counter& newer, const Counter& older) {
  return static_cast<double>(newer.micros() - older.micros()) / Counter::kMicrosPerUnit;
}

const ChannelCounters* channel_of(const datalog::Record& r, int channel) {
  if (channel < 0 || static_cast<size_t>(channel) >= r.channels.size()) return nullptr;
  return &r.channels[static_cast<size_t>(channel)];
}

// Deltas of one channel's counters over an interval.
struct Deltas {
  double wh_net, vah, varh, vh, ah, hzh;
};

Deltas deltas(const ChannelCounters& n, const ChannelCounters& o) {
  return {delta(n.wh_import, o.wh_import) - delta(n.wh_export, o.wh_export),
          delta(n.vah, o.vah),
          delta(n.varh, o.varh),
          delta(n.vh, o.vh),
          delta(n.ah, o.ah),
          delta(n.hzh, o.hzh)};
}

double ct_value(const Deltas& d, double hz, double h, Unit unit) {
  switch (unit) {
    case Unit::kWatts: return d.wh_net / h;
    case Unit::kVolts: return d.vh / h;
    case Unit::kAmps: return d.ah / h;
    case Unit::kVA: return d.vah / h;
    case Unit::kVAh: return d.vah;
    case Unit::kHz: return hz;
    case Unit::kWh: return d.wh_net;
    case Unit::kKWh: return d.wh_net / 1000;
    case Unit::kPF: return d.vah == 0 ? 0 : d.wh_net / d.vah;  // = W / VA: same hours
    case Unit::kVAR: return d.varh / h;
    case Unit::kVARh: return d.varh;
  }
  return NAN;
}

double vt_value(const Deltas& d, double h, Unit unit) {
  switch (unit) {
    case Unit::kWatts:
    case Unit::kVolts: return d.vh / h;
    case Unit::kHz: return d.hzh / h;
    case Unit::kWh: return d.vh;
    case Unit::kKWh: return d.vh / 1000;
    case Unit::kAmps:
    case Unit::kVA:
    case Unit::kVAh:
    case Unit::kPF:
    case Unit::kVAR:
    case Unit::kVARh: return 0;
  }
  return NAN;
}

}  // namespace

double Interval::hours() const {
  if (older == nullptr || newer == nullptr) return 0;
  return static_cast<double>(newer->monitored_us - older->monitored_us) / 3.6e9;
}

InputSeries::InputSeries(const config::Input& input)
    : name_(input.name),
      channel_(input.channel),
      vchan_(input.is_vt() ? input.channel : input.vchan),
      is_vt_(input.is_vt()) {}

std::optional<double> InputSeries::value(const Interval& interval, Unit unit) const {
  const double h = interval.hours();
  if (!(h > 0)) return std::nullopt;
  const ChannelCounters* n = channel_of(*interval.newer, channel_);
  const ChannelCounters* o = channel_of(*interval.older, channel_);
  if (n == nullptr || o == nullptr) return std::nullopt;
  const Deltas d = deltas(*n, *o);
  double v = 0;
  if (is_vt_) {
    v = vt_value(d, h, unit);
  } else {
    double hz = NAN;
    if (unit == Unit::kHz) {
      const ChannelCounters* vn = channel_of(*interval.newer, vchan_);
      const ChannelCounters* vo = channel_of(*interval.older, vchan_);
      if (vn == nullptr || vo == nullptr) return std::nullopt;
      hz = delta(vn->hzh, vo->hzh) / h;
    }
    v = ct_value(d, hz, h, unit);
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

std::string SeriesCatalog::show_series_json() const {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& s : series_) {
    list.push_back({{"name", s->name()}, {"unit", std::string(unit_name(s->unit()))}});
  }
  nlohmann::ordered_json doc;
  doc["series"] = std::move(list);
  return doc.dump();
}

}  // namespace iw::query
