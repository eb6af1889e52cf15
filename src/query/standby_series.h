// "<series>.standby": a circuit's standby ("always on") baseline, in watts: the lowest average
// power over any whole 10-minute window of the 24 hours before a row's end (windows aligned to
// UNIX time, read from the log like any interval). A fridge's electronics or a router idling
// set it; a kettle or a wash never does. Windows whose average is negative (a signed input
// exporting or producing) are not evidence of what is always on and are skipped: a solar
// input's standby is its inverter's draw at night, a mains with solar reads its night. The
// house's baseline with solar is the home view's, over use = mains + solar.
// Selected as `Mains.standby`, `Fridge.standby.d0`; listed by show=series&derived=yes (not by
// plain show=series: clients of the original make a sensor of every listed series). A standby
// column is in watts (`.watts` is accepted, any other unit method refused).
//
// Each row reads the 145 window boundaries of the day before it, whatever its grouping: a
// query of N rows costs about 145 N record reads (a month by the hour: 0.18 s on this machine).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "query/record_source.h"
#include "query/series.h"

namespace iw::query {

class StandbySeries final : public Series {
 public:
  static constexpr int64_t kWindowS = 600;
  static constexpr int64_t kSpanS = 86400;
  // A window counts when at least this share of it was monitored: a window cut by an outage
  // is no evidence of a low baseline.
  static constexpr double kMinMonitoredShare = 0.5;

  // "<name>.standby" of `base` (owned by the same catalog), reading `records`.
  StandbySeries(const Series* base, const RecordSource* records);

  const std::string& name() const override { return name_; }
  Unit unit() const override { return Unit::kWatts; }
  bool takes_unit(Unit unit) const override { return unit == Unit::kWatts; }
  bool derived() const override { return true; }
  // The baseline at the interval's newer record: nullopt when no window of the day before it
  // was monitored enough, or on a read error.
  std::optional<double> value(const Interval& interval, Unit unit) const override;

 private:
  std::string name_;
  const Series* base_;
  const RecordSource* records_;
};

// Adds "<name>.standby" for every CT input and every output in watts in `catalog` (not VTs,
// not integrator parts, not costs). `records` must outlive the catalog.
void add_standby(SeriesCatalog& catalog, const RecordSource* records);

}  // namespace iw::query
