// Where a query reads integrators: exact ones from the main records' import/export counters,
// logged ones from their own logs (calc/integrator.h says which is which). Also the one
// encoding of a logged integrator's record, which the daemon writes (integrator_recorder.h).
//
// A logged integrator's log is a datalog (datalog/FORMAT.md) with the current log's interval
// and one record per current record, of the same time. Its layout is one CT channel, of which
// the record uses two counters:
//   channels[0].wh_import  the integrator's pos total, micro-Wh
//   channels[0].wh_export  the magnitude of its neg total, micro-Wh (a counter only counts up)
//   monitored_us           that of the current log's record of the same time
// Every other counter is zero. Example: totals +1.5 Wh / -0.25 Wh at 1700000005 are the record
// {time 1700000005, channels[0] {wh_import 1500000, wh_export 250000}}.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "calc/calculator.h"
#include "datalog/record.h"

namespace iw::datalog {
class Log;
}

namespace iw::query {

// The layout of a logged integrator's log.
datalog::Layout integrator_layout();
// The record of a logged integrator's `totals` at `time`, beside the current log's record of
// that time, whose monitored time is `monitored_us`.
datalog::Record encode_integrator_record(const calc::IntegratorTotals& totals, int64_t time, int64_t monitored_us);
// The totals `record` holds; nullopt when it has no channel.
std::optional<calc::IntegratorTotals> decode_integrator_record(const datalog::Record& record);

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
