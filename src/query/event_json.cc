#include "query/event_json.h"

#include <cmath>

namespace iw::query {
namespace {

constexpr double kNanos = 1e9;

// Rounded to `digits` decimals: what the answer shows of a measured value.
double shown(double v, int digits) {
  const double scale = std::pow(10.0, digits);
  return std::isfinite(v) ? std::round(v * scale) / scale : 0;
}

}  // namespace

nlohmann::json event_json(const measure::StepEvent& e, const std::string& name) {
  nlohmann::json j;
  j["time"] = shown(static_cast<double>(e.time_ns) / kNanos, 3);
  j["channel"] = e.channel;
  j["name"] = name;
  j["kind"] = measure::to_string(e.kind);
  j["settled"] = e.settled;
  j["watts_before"] = shown(e.before_w, 1);
  j["watts_after"] = shown(e.after_w, 1);
  j["delta_watts"] = shown(e.delta_w, 1);
  j["delta_var"] = shown(e.delta_var, 1);
  j["amps_after"] = shown(e.after_amps, 3);
  j["inrush_amps"] = shown(e.inrush_amps, 3);
  j["inrush_peak_amps"] = shown(e.inrush_peak_amps, 3);
  j["inrush_cycles"] = e.inrush_cycles;
  j["transient_cycles"] = e.transient_cycles;
  return j;
}

}  // namespace iw::query
