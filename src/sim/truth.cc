#include "sim/truth.h"

#include <numbers>

namespace iw::sim {

const ChannelTruth* Truth::find(int input) const {
  for (const ChannelTruth& c : channels) {
    if (c.input == input) return &c;
  }
  return nullptr;
}

const ChannelTruth* Truth::find(std::string_view name) const {
  for (const ChannelTruth& c : channels) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

void TruthSums::add(const ChannelCycle& cc, double hz, double period_ns, double span_ns, int sign, Accrual accrual) {
  const double s = span_ns * 1e-9;
  double energy;
  if (span_ns >= period_ns) {
    energy = cc.watts * period_ns * 1e-9;
  } else if (accrual == Accrual::kCycleMean) {
    energy = cc.watts * s;
  } else {
    const double omega = 2 * std::numbers::pi * hz;  // radians per second
    energy = cc.amps.empty() ? 0 : integral_product(cc.volts, cc.amps, omega * s) / omega;
  }
  const long double k = sign;
  seconds += k * s;
  energy_j += k * energy;
  if (cc.watts >= 0) {
    import_j += k * energy;
  } else {
    export_j -= k * energy;
  }
  va_s += k * cc.vrms * cc.irms * s;
  volt_s += k * cc.vrms * s;
  amp_s += k * cc.irms * s;
  hz_s += k * hz * s;
}

TruthSums& TruthSums::operator+=(const TruthSums& o) {
  seconds += o.seconds;
  energy_j += o.energy_j;
  import_j += o.import_j;
  export_j += o.export_j;
  va_s += o.va_s;
  volt_s += o.volt_s;
  amp_s += o.amp_s;
  hz_s += o.hz_s;
  return *this;
}

void TruthSums::fill(ChannelTruth& out) const {
  out.seconds = static_cast<double>(seconds);
  out.energy_j = static_cast<double>(energy_j);
  out.import_j = static_cast<double>(import_j);
  out.export_j = static_cast<double>(export_j);
  out.va_s = static_cast<double>(va_s);
  out.volt_s = static_cast<double>(volt_s);
  out.amp_s = static_cast<double>(amp_s);
  out.hz_s = static_cast<double>(hz_s);
}

}  // namespace iw::sim
