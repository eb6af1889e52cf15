// Demand: the highest average import over fixed windows of a tariff's `demand.minutes` in a
// billing period. Windows start at the period's start (local 00:00) and follow each other in
// elapsed time ([ps, ps+L), [ps+L, ps+2L), ...), so 15, 30 and 60 minute windows sit on local
// quarter hours in every zone whose offset is whole hours (and in +5:30/+5:45 for 15 minutes).
// A window's average is its import energy over its nominal length (an outage inside it lowers
// it; it never raises it). With `on_peak_only`, only windows that start in a `peak` import
// rule count.
#pragma once

#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "base/status.h"
#include "config/tariff_config.h"
#include "query/meter_flow.h"
#include "query/record_source.h"
#include "query/time_zone.h"

namespace iw::query {

struct DemandPeak {
  double kw = 0;
  int64_t at = 0;  // start of the window (UTC); 0 when no window counted
};

// Thread-safe: windows already read are kept (at most kMaxKeptWindows) for later calls.
class DemandTracker {
 public:
  static constexpr size_t kMaxKeptWindows = 100000;  // ~2.8 years of 15-minute windows

  // All pointers must outlive the tracker. REQUIRES: tariff.demand is set.
  DemandTracker(const config::Tariff* tariff, const TimeZone* zone, const RecordSource* records,
                const MeterReader* meter);

  // The peak among the windows of the billing period starting at `period_start` that end at or
  // before `until`.
  Result<DemandPeak> peak(int64_t period_start, int64_t until) const;

 private:
  // Import Wh of the window starting at `w`; fails only on a read error.
  Result<double> window_wh(int64_t w) const;
  bool counts(int64_t w) const;

  const config::Tariff* tariff_;
  const TimeZone* zone_;
  const RecordSource* records_;
  const MeterReader* meter_;
  int64_t length_s_;
  mutable std::mutex mu_;
  // Windows whose end record was logged at the window's end: final, the log only appends.
  mutable std::unordered_map<int64_t, double> kept_;
};

}  // namespace iw::query
