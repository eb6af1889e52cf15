// The daemon's logged integrators (calc/integrator.h): their running totals, advanced at every
// one-second checkpoint on the sampling thread, and their logs under
// datalog::integrator_log_dir() (one record per current record; the record's encoding and
// reader are in integrator_logs.h, the cadence in datalog/recorder.h). The daemon's datalog
// thread writes the records this makes (datalog::Recorder's side logs).
//
// Lifecycle: Start() runs before the sampler starts (at start-up and after every configuration
// change). It opens each logged integrator's log, continues the totals of its last record and
// catches it up with the current log's 5 s records up to the newest one, so the integrator log
// always ends where the current log ends. From then on on_checkpoint() keeps it in step; the
// records it returns at the current log's times are written by the datalog's writer thread next to the
// current log's record of the same time. A new integrator starts kBackfillDays before the
// newest record (the original: 1 day). A removed integrator's log is kept: adding it back later
// resumes it, and the catch-up fills the time it was away from the current log.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "calc/calculator.h"
#include "datalog/log.h"
#include "datalog/recorder.h"
#include "measure/engine.h"

namespace iw::query {

inline constexpr int64_t kBackfillDays = 7;

// Integrator logs open in this process, by name: a log is opened once (it is locked while
// open) and shared by the configurations that use it.
using IntegratorLogCache = std::map<std::string, std::shared_ptr<datalog::Log>>;

class IntegratorRecorder {
 public:
  // REQUIRES: nothing writes `current` meanwhile (the sampler is stopped, the datalog writer idle).
  // An integrator whose log cannot be opened or caught up is reported in the message log and
  // left out (it reads 0); measuring goes on.
  static std::unique_ptr<IntegratorRecorder> Start(const std::string& data_dir,
                                                   std::shared_ptr<const calc::Calculator> calculator,
                                                   const datalog::Log& current, IntegratorLogCache& cache,
                                                   int64_t sync_interval_s);

  // Sampling thread. Adds the second since the previous checkpoint; at a checkpoint that makes
  // a record of the current log (datalog::Recorder::makes_record) returns one record per
  // logged integrator (in logs() order), else nothing. Never blocks.
  std::vector<datalog::Record> on_checkpoint(const measure::Checkpoint& checkpoint);

  // The logs in the order on_checkpoint() returns their records.
  const std::vector<datalog::SideLog>& logs() const { return logs_; }
  // Per integrator of the calculator: its log, null for exact integrators.
  std::vector<std::shared_ptr<const datalog::Log>> by_index() const;

 private:
  struct Logged {
    size_t index;  // in the calculator's integrators
    calc::IntegratorTotals totals;
  };

  explicit IntegratorRecorder(std::shared_ptr<const calc::Calculator> calculator)
      : calculator_(std::move(calculator)) {}
  Status catch_up(Logged& logged, datalog::Log& log, const datalog::Log& current);
  double interval_wh(size_t index, const std::vector<measure::ChannelCounters>& older,
                     const std::vector<measure::ChannelCounters>& newer, double hours) const;

  std::shared_ptr<const calc::Calculator> calculator_;
  std::vector<Logged> logged_;
  std::vector<datalog::SideLog> logs_;
  // The counters at the previous checkpoint (sampling thread only after Start).
  std::vector<measure::ChannelCounters> previous_;
  int64_t previous_monitored_us_ = -1;  // < 0: no baseline yet
};

}  // namespace iw::query
