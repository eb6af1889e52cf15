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
#include <vector>

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

// Thread-safe (one lock around each peak(): a demand query waits for another's reads). The
// windows of a billing period that are final (their end record was logged at their end: the log
// only appends) are kept as running peaks, so a later call over the same period reads only the
// windows after them: a year of daily rows reads each window once.
class DemandTracker {
 public:
  static constexpr size_t kMaxKeptPeriods = 120;  // ten years of monthly periods (~48 KB each at 15 min)

  // All pointers must outlive the tracker. REQUIRES: tariff.demand is set.
  DemandTracker(const config::Tariff* tariff, const TimeZone* zone, const RecordSource* records,
                const MeterReader* meter);

  // The peak among the windows of the billing period starting at `period_start` that end at or
  // before `until`.
  Result<DemandPeak> peak(int64_t period_start, int64_t until) const;

 private:
  bool counts(int64_t w) const;

  const config::Tariff* tariff_;
  const TimeZone* zone_;
  const RecordSource* records_;
  const MeterReader* meter_;
  int64_t length_s_;
  mutable std::mutex mu_;
  // Per period start: running[k] = the peak among its windows 0..k, all final.
  mutable std::unordered_map<int64_t, std::vector<DemandPeak>> running_;
};

}  // namespace iw::query
