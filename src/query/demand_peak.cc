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

Result<DemandPeak> DemandTracker::peak(int64_t period_start, int64_t until) const {
  const int64_t n = (until - period_start) / length_s_;  // windows that end by `until`
  if (n <= 0) return DemandPeak{};
  std::lock_guard lock(mu_);
  if (running_.size() >= kMaxKeptPeriods && running_.count(period_start) == 0) running_.clear();
  std::vector<DemandPeak>& running = running_[period_start];
  if (static_cast<int64_t>(running.size()) >= n) return running[static_cast<size_t>(n - 1)];
  DemandPeak best = running.empty() ? DemandPeak{} : running.back();
  const double hours = static_cast<double>(length_s_) / 3600;
  auto older = records_->at_or_before(period_start + static_cast<int64_t>(running.size()) * length_s_);
  if (!older.ok()) return older.status();
  for (auto k = static_cast<int64_t>(running.size()); k < n; ++k) {
    const int64_t w = period_start + k * length_s_;
    auto newer = records_->at_or_before(w + length_s_);
    if (!newer.ok()) return newer.status();
    if (older.value() && newer.value() && counts(w)) {
      const double kw = meter_->flow(*older.value(), *newer.value()).import_wh / hours / 1000;
      if (kw > best.kw) best = {kw, w};
    }
    const bool final = newer.value() && newer.value()->time == w + length_s_;
    if (final && static_cast<int64_t>(running.size()) == k) running.push_back(best);
    older = std::move(newer);
  }
  return best;
}

}  // namespace iw::query
