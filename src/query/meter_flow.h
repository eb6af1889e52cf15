// The grid meter of a tariff: its import and export between two records, from exact counters
// (a CT input's wh_import/wh_export, or an integrator's pos/neg parts), never from a net value
// split afterwards (an interval that both imports and exports would lose both).
#pragma once

#include <optional>
#include <string>

#include "datalog/record.h"
#include "query/series.h"

namespace iw::query {

struct GridFlow {
  double import_wh = 0;  // >= 0
  double export_wh = 0;  // >= 0: energy sent to the grid
};

class MeterReader {
 public:
  // The meter named `name` in `catalog`: a CT input, else an integrator (series "<name>.pos" and
  // "<name>.neg"); nullopt when it is neither. The catalog must outlive the reader.
  static std::optional<MeterReader> Find(const SeriesCatalog& catalog, const std::string& name);

  // Import and export between the two records; 0 for a record without the meter's channel.
  GridFlow flow(const datalog::Record& older, const datalog::Record& newer) const;

 private:
  int channel_ = -1;             // a CT input's channel, or -1 for an integrator
  const Series* pos_ = nullptr;  // the integrator's parts (Wh; neg <= 0)
  const Series* neg_ = nullptr;
};

}  // namespace iw::query
