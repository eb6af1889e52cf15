// Where a query reads integrators: exact ones from the main records' import/export counters,
// logged ones from their own logs (calc/integrator.h says which is which).
//
// A logged integrator's log holds one record per 5 s (datalog/FORMAT.md) with one CT channel:
// `wh_import` is the integrator's pos total and `wh_export` the magnitude of its neg total,
// both in micro-Wh; `monitored_us` is the main log's.
#pragma once

#include <memory>
#include <vector>

#include "calc/calculator.h"
#include "datalog/record.h"

namespace iw::datalog {
class Log;
}

namespace iw::query {

class IntegratorLogs {
 public:
  // `logs[k]` is integrator k's log, null for exact integrators (and for logged ones whose log
  // could not be opened: they read 0). The logs are shared with the daemon's writer; reads are
  // safe while it appends.
  IntegratorLogs(std::shared_ptr<const calc::Calculator> calculator,
                 std::vector<std::shared_ptr<const datalog::Log>> logs);

  // Integrator `index`'s energy between two main records. A logged integrator reads its
  // records at the same times; before its log starts it counts nothing (the original's rule).
  calc::IntegratorDelta delta(size_t index, const datalog::Record& older, const datalog::Record& newer) const;

 private:
  std::shared_ptr<const calc::Calculator> calculator_;
  std::vector<std::shared_ptr<const datalog::Log>> logs_;
};

}  // namespace iw::query
