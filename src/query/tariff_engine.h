// Prices energy with a tariff (config/tariff_config.h) on the monitor's calendar, from the
// datalog's exact counters. The rules (README, "Tariffs and cost"):
//
//   meter cost over [a, b) = import energy + tier adders - export credit + standing + demand
//     import energy   each stretch of constant prices (between the instants where a price
//                     really changes, next_change) is priced by the schedule at its start:
//                     import kWh x price
//     tier adders     by the meter's import so far in the billing period: a stretch that takes
//                     the position from P to P + E kWh pays each tier's `add` on its part of
//                     [P, P + E] (marginal pricing), so any split of a period adds up to the
//                     period's cost
//     export credit   export kWh x the export schedule's price
//     standing        standing_charge x the share of each local day inside [a, b) (a 23-hour
//                     day's hour is 1/23 of a day)
//     demand          demand.price x the growth of the billing period's peak (demand_peak.h)
//                     between a and b: the charge is booked in the window that sets a new peak,
//                     and a whole period carries price x its peak
//   any other series  its energy (Wh, negative while it exports) x (the import price in effect
//                     + the tier adder at the meter's position), stretch by stretch: what the
//                     circuit's energy would cost bought from the grid at that moment
//
// Every value is additive over time: cost[a, c) = cost[a, b) + cost[b, c).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "base/status.h"
#include "config/tariff_config.h"
#include "datalog/record.h"
#include "query/demand_peak.h"
#include "query/meter_flow.h"
#include "query/record_source.h"
#include "query/series.h"
#include "query/time_zone.h"

namespace iw::query {

struct MeterCost {
  double import_wh = 0, export_wh = 0;
  double energy = 0;         // import at the schedule's prices
  double tiers = 0;          // tier adders
  double export_credit = 0;  // earned (>= 0 for a positive export price)
  double standing = 0;
  double demand = 0;

  double total() const { return energy + tiers - export_credit + standing + demand; }
};

// Where demand stands at a record: the billing period's peak so far and the window running now.
struct DemandNow {
  DemandPeak peak;           // among the period's windows that ended by the record
  int64_t window_start = 0;  // the running window
  double window_kw = 0;      // its average import so far (over its elapsed time)
  bool warning = false;      // window_kw >= kDemandWarningShare x peak.kw (a new peak is near)
};

// The share of this period's peak at which the running window warns.
inline constexpr double kDemandWarningShare = 0.9;

class TariffEngine {
 public:
  // `zone`, `records` and the catalog `meter` was found in must outlive the engine. `meter` is
  // nullopt only for a tariff without one (config refuses meter-only parts without it).
  TariffEngine(config::Tariff tariff, const TimeZone* zone, const RecordSource* records,
               std::optional<MeterReader> meter);
  // The demand tracker points into the engine: it stays where it was made.
  TariffEngine(const TariffEngine&) = delete;
  TariffEngine& operator=(const TariffEngine&) = delete;

  const config::Tariff& tariff() const { return tariff_; }
  bool has_meter() const { return meter_.has_value(); }

  // The meter's cost between two records (their times are the span). REQUIRES: has_meter().
  Result<MeterCost> meter_cost(const datalog::Record& older, const datalog::Record& newer) const;
  // `series`' cost between two records; nullopt where the series has no value.
  Result<std::optional<double>> series_cost(const Series& series, const datalog::Record& older,
                                            const datalog::Record& newer) const;
  // Demand at `latest` (the newest record). The running window warns only after a minute and
  // only where it counts (on peak with on_peak_only). REQUIRES: tariff().demand, has_meter().
  Result<DemandNow> demand_now(const datalog::Record& latest) const;
  // The billing period's peak demand up to `until`. REQUIRES: tariff().demand and has_meter().
  Result<DemandPeak> demand_peak(int64_t period_start, int64_t until) const;

 private:
  // One stretch of constant prices between two records.
  struct Stretch {
    const datalog::Record* older;
    const datalog::Record* newer;
    double position_kwh;  // meter import in the billing period before the stretch
  };
  template <typename Fn>
  Status for_each_stretch(const datalog::Record& older, const datalog::Record& newer, Fn&& fn) const;
  // The first price change after t where the import or export price really differs, or `limit`.
  int64_t next_change(int64_t t, int64_t limit) const;
  Result<double> period_position_kwh(const datalog::Record& at) const;
  double tier_cost(double position_kwh, double kwh) const;
  double tier_add_at(double position_kwh) const;
  double standing(int64_t a, int64_t b) const;
  Result<double> demand(int64_t a, int64_t b) const;

  config::Tariff tariff_;
  const TimeZone* zone_;
  const RecordSource* records_;
  std::optional<MeterReader> meter_;
  std::vector<int> edges_;                   // edge_minutes(tariff_)
  std::unique_ptr<DemandTracker> demand_;    // when the tariff has a demand charge
  mutable std::mutex mu_;                    // guards the two below
  mutable int64_t period_record_start_ = 0;  // the last billing period start read, and its record
  mutable std::optional<datalog::Record> period_record_;
};

}  // namespace iw::query
