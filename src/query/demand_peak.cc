#include "query/demand_peak.h"

#include "query/tariff_clock.h"

namespace iw::query {

DemandTracker::DemandTracker(const config::Tariff* tariff, const TimeZone* zone, const RecordSource* records,
                             const MeterReader* meter)
    : tariff_(tariff),
      zone_(zone),
      records_(records),
      meter_(meter),
      length_s_(static_cast<int64_t>(tariff->demand->minutes) * 60) {}

bool DemandTracker::counts(int64_t w) const {
  if (!tariff_->demand->on_peak_only) return true;
  return price_at(tariff_->import, tariff_->holidays, zone_->to_local(w)).peak;
}

Result<double> DemandTracker::window_wh(int64_t w) const {
  {
    std::lock_guard lock(mu_);
    if (auto it = kept_.find(w); it != kept_.end()) return it->second;
  }
  auto older = records_->at_or_before(w);
  if (!older.ok()) return older.status();
  auto newer = records_->at_or_before(w + length_s_);
  if (!newer.ok()) return newer.status();
  if (!older.value() || !newer.value()) return 0.0;
  const double wh = meter_->flow(*older.value(), *newer.value()).import_wh;
  if (newer.value()->time == w + length_s_) {
    std::lock_guard lock(mu_);
    if (kept_.size() >= kMaxKeptWindows) kept_.clear();
    kept_[w] = wh;
  }
  return wh;
}

Result<DemandPeak> DemandTracker::peak(int64_t period_start, int64_t until) const {
  DemandPeak best;
  const double hours = static_cast<double>(length_s_) / 3600;
  for (int64_t w = period_start; w + length_s_ <= until; w += length_s_) {
    if (!counts(w)) continue;
    auto wh = window_wh(w);
    if (!wh.ok()) return wh.status();
    const double kw = wh.value() / hours / 1000;
    if (kw > best.kw) best = {kw, w};
  }
  return best;
}

}  // namespace iw::query
