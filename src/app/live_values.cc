#include "app/live_values.h"

#include <cmath>

namespace iw::app {
namespace {

double damp(double shown, double fresh) {
  const double band = 0.02 * std::abs(shown);
  if (std::abs(fresh - shown) <= band) return 0.75 * shown + 0.25 * fresh;
  return fresh;
}

}  // namespace

measure::ChannelValues average(const measure::ChannelCounters& before, const measure::ChannelCounters& now) {
  measure::ChannelValues v;
  const double seconds = now.seconds.value() - before.seconds.value();
  if (seconds <= 0) return v;
  const double per_hour = 3600.0 / seconds;
  const double wh =
      (now.wh_import.value() - before.wh_import.value()) - (now.wh_export.value() - before.wh_export.value());
  v.watts = wh * per_hour;
  v.va = (now.vah.value() - before.vah.value()) * per_hour;
  v.var = (now.varh.value() - before.varh.value()) * per_hour;
  v.volts = (now.vh.value() - before.vh.value()) * per_hour;
  v.amps = (now.ah.value() - before.ah.value()) * per_hour;
  v.hz = (now.hzh.value() - before.hzh.value()) * per_hour;
  return v;
}

void LiveValues::update(const std::vector<measure::ChannelCounters>& counters) {
  if (primed_) {
    for (size_t ch = 0; ch < counters.size() && ch < shown_.size(); ++ch) {
      const measure::ChannelValues fresh = average(previous_[ch], counters[ch]);
      measure::ChannelValues& shown = shown_[ch];
      if (!have_[ch]) {
        shown = fresh;
        have_[ch] = true;
        continue;
      }
      shown.watts = damp(shown.watts, fresh.watts);
      shown.va = damp(shown.va, fresh.va);
      shown.var = damp(shown.var, fresh.var);
      shown.volts = damp(shown.volts, fresh.volts);
      shown.amps = damp(shown.amps, fresh.amps);
      shown.hz = damp(shown.hz, fresh.hz);
    }
  }
  previous_ = counters;
  primed_ = true;
}

}  // namespace iw::app
