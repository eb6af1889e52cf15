#include "calc/live_operands.h"

#include <algorithm>
#include <cmath>

namespace iw::calc {
namespace {

double nonactive(const measure::ChannelValues& v) {
  const double squared = v.va * v.va - v.watts * v.watts;
  return squared > 0 ? std::sqrt(squared) : 0;
}

}  // namespace

double LiveOperands::input(int channel, Quantity quantity) const {
  const auto& infos = calculator_.inputs();
  if (channel < 0 || static_cast<size_t>(channel) >= infos.size() || static_cast<size_t>(channel) >= live_.size()) {
    return 0;
  }
  const InputInfo& info = infos[static_cast<size_t>(channel)];
  if (!info.active) return 0;
  const measure::ChannelValues& v = live_[static_cast<size_t>(channel)];
  if (quantity == Quantity::kHz) {
    const auto ref = static_cast<size_t>(info.reference);
    return ref < live_.size() ? live_[ref].hz : 0;
  }
  if (info.vt) {
    const bool volts = quantity == Quantity::kWatts || quantity == Quantity::kVolts || quantity == Quantity::kWh;
    return volts ? v.volts : 0;
  }
  switch (quantity) {
    case Quantity::kWatts:
    case Quantity::kWh:
      return v.watts;
    case Quantity::kVolts:
      return v.volts;
    case Quantity::kAmps:
      return v.amps;
    case Quantity::kVA:
    case Quantity::kVAh:
      return v.va;
    case Quantity::kVAR:
    case Quantity::kVARh:
      return v.var;
    case Quantity::kNonactive:
    case Quantity::kNonactiveh:
      return nonactive(v);
    case Quantity::kHz:
      return 0;
  }
  return 0;
}

double LiveOperands::integrator(int index, IntegratorPart part, Quantity quantity) const {
  const auto& list = calculator_.integrators();
  if (index < 0 || static_cast<size_t>(index) >= list.size()) return 0;
  if (is_reactive(quantity)) return 0;
  const double watts = list[static_cast<size_t>(index)].script.evaluate(*this, Quantity::kWatts);
  switch (part) {
    case IntegratorPart::kPos:
      return std::max(0.0, watts);
    case IntegratorPart::kNeg:
      return std::min(0.0, watts);
    case IntegratorPart::kNet:
      return watts;
  }
  return 0;
}

}  // namespace iw::calc
