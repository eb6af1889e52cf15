#include "calc/input_value.h"

#include <cmath>

namespace iw::calc {
namespace {

using measure::ChannelCounters;

const ChannelCounters* at(const std::vector<ChannelCounters>& v, int channel) {
  if (channel < 0 || static_cast<size_t>(channel) >= v.size()) return nullptr;
  return &v[static_cast<size_t>(channel)];
}

double nonactive(double apparent, double active) {
  const double squared = apparent * apparent - active * active;
  return squared > 0 ? std::sqrt(squared) : 0;
}

double vt_quantity(const ChannelCounters& n, const ChannelCounters& o, double h, Quantity q) {
  switch (q) {
    case Quantity::kWatts:
    case Quantity::kVolts:
      return counter_delta(n.vh, o.vh) / h;
    case Quantity::kWh:
      return counter_delta(n.vh, o.vh);
    case Quantity::kHz:
      return counter_delta(n.hzh, o.hzh) / h;
    default:
      return 0;
  }
}

double ct_quantity(const ChannelCounters& n, const ChannelCounters& o, double h, Quantity q) {
  const double wh = counter_delta(n.wh_import, o.wh_import) - counter_delta(n.wh_export, o.wh_export);
  switch (q) {
    case Quantity::kWatts:
      return wh / h;
    case Quantity::kVolts:
      return counter_delta(n.vh, o.vh) / h;
    case Quantity::kAmps:
      return counter_delta(n.ah, o.ah) / h;
    case Quantity::kVA:
      return counter_delta(n.vah, o.vah) / h;
    case Quantity::kVAR:
      return counter_delta(n.varh, o.varh) / h;
    case Quantity::kWh:
      return wh;
    case Quantity::kVAh:
      return counter_delta(n.vah, o.vah);
    case Quantity::kVARh:
      return counter_delta(n.varh, o.varh);
    case Quantity::kNonactive:
      return nonactive(counter_delta(n.vah, o.vah), wh) / h;
    case Quantity::kNonactiveh:
      return nonactive(counter_delta(n.vah, o.vah), wh);
    case Quantity::kHz:
      return 0;  // read from the reference VT by the caller
  }
  return 0;
}

}  // namespace

double counter_delta(const measure::Counter& newer, const measure::Counter& older) {
  return static_cast<double>(newer.micros() - older.micros()) / measure::Counter::kMicrosPerUnit;
}

double input_quantity(const std::vector<InputInfo>& inputs, int channel, const std::vector<ChannelCounters>& older,
                      const std::vector<ChannelCounters>& newer, double hours, Quantity quantity) {
  if (channel < 0 || static_cast<size_t>(channel) >= inputs.size()) return 0;
  const InputInfo& info = inputs[static_cast<size_t>(channel)];
  if (!info.active || !(hours > 0)) return 0;
  const int source = quantity == Quantity::kHz ? info.reference : channel;
  const ChannelCounters* n = at(newer, source);
  const ChannelCounters* o = at(older, source);
  if (n == nullptr || o == nullptr) return 0;
  if (info.vt || quantity == Quantity::kHz) return vt_quantity(*n, *o, hours, quantity);
  return ct_quantity(*n, *o, hours, quantity);
}

}  // namespace iw::calc
